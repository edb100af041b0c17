// Lays a workflow graph out with @dagrejs/dagre (a layered DAG layout). Pure, no DOM and no `vscode`: it runs in
// the graph webview's bundle (media/graph/), in the unit tests and in bench/graph.ts alike.
// Why dagre, and why the tight-tree ranker: see BENCHMARKS.md, "Workflow graph". In short: 50 KB minified against
// elkjs's 1.6 MB, synchronous, and at 2,000 nodes tight-tree ranks in seconds where network-simplex takes minutes.
import dagre from '@dagrejs/dagre';
import type { GraphEdgeView, GraphNodeView } from './graphProtocol';

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 56;

export interface LaidOutNode {
  id: string;
  /** Top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidOutEdge {
  from: string;
  to: string;
  /** The polyline from the parent's bottom to the child's top. */
  points: { x: number; y: number }[];
}

export interface GraphLayout {
  nodes: Map<string, LaidOutNode>;
  edges: LaidOutEdge[];
  width: number;
  height: number;
}

export interface LayoutOptions {
  /** 'TB' (top to bottom, the default) or 'LR'. */
  direction?: 'TB' | 'LR';
}

/** Positions for every node and a route for every edge between known nodes (others are ignored). */
export function layoutGraph(nodes: readonly Pick<GraphNodeView, 'id'>[], edges: readonly Pick<GraphEdgeView, 'from' | 'to'>[], options: LayoutOptions = {}): GraphLayout {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: options.direction ?? 'TB', nodesep: 24, ranksep: 48, edgesep: 12, marginx: 16, marginy: 16, ranker: 'tight-tree' });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const e of edges) if (e.from !== e.to && g.hasNode(e.from) && g.hasNode(e.to)) g.setEdge(e.from, e.to);
  dagre.layout(g);
  const laid = new Map<string, LaidOutNode>();
  for (const id of g.nodes()) {
    const n = g.node(id);
    // dagre gives centres.
    laid.set(id, { id, x: (n.x ?? 0) - NODE_WIDTH / 2, y: (n.y ?? 0) - NODE_HEIGHT / 2, width: NODE_WIDTH, height: NODE_HEIGHT });
  }
  const routes: LaidOutEdge[] = g.edges().map((e) => ({ from: e.v, to: e.w, points: ((g.edge(e).points ?? []) as { x: number; y: number }[]).map((p) => ({ x: p.x, y: p.y })) }));
  const label = g.graph();
  return { nodes: laid, edges: routes, width: Number(label.width) || 0, height: Number(label.height) || 0 };
}
