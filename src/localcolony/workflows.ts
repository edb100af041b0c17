// Process graphs: state resolution after each transition, and the nodes/edges getprocessgraphmsg draws.
import { ProcessState } from '../colonies/types';
import type { GraphNode } from '../colonies/types';
import { nowNs } from './clock';
import type { ColonyState, GraphRec, ProcessRec } from './state';

/** Depth-first from the roots, children in order, each process once (the server's iteration order). */
export function iterateGraph(state: ColonyState, g: GraphRec, visit: (p: ProcessRec, depth: number) => void): void {
  const visited = new Set<string>();
  const walk = (id: string, depth: number): void => {
    const p = state.processes.get(id);
    if (!p || visited.has(id)) return;
    visited.add(id);
    visit(p, depth);
    for (const child of p.children) walk(child, depth + 1);
  };
  for (const root of g.rootprocessids) walk(root, 0);
}

export function graphProcessIds(state: ColonyState, g: GraphRec): string[] {
  const ids: string[] = [];
  iterateGraph(state, g, (p) => ids.push(p.processid));
  return ids;
}

export function setGraphState(g: GraphRec, next: ProcessState): void {
  if (g.state === ProcessState.WAITING && next === ProcessState.RUNNING) g.starttime = nowNs();
  else if (next === ProcessState.SUCCESS || next === ProcessState.FAILED || next === ProcessState.CANCELLED) g.endtime = nowNs();
  g.state = next;
}

/**
 * The server's Resolve(): releases children whose parents all succeeded, cascades a parent's failure to the whole
 * graph, and derives the graph state.
 */
export function resolveGraph(state: ColonyState, g: GraphRec): void {
  let total = 0;
  const counts = new Map<ProcessState, number>();
  iterateGraph(state, g, (p) => {
    total++;
    counts.set(p.state, (counts.get(p.state) ?? 0) + 1);
    let finished = 0;
    for (const parentId of p.parents) {
      const parent = state.processes.get(parentId);
      if (!parent) continue;
      if (parent.state === ProcessState.SUCCESS) finished++;
      else if (parent.state === ProcessState.FAILED) {
        iterateGraph(state, g, (q) => {
          if (q.state !== ProcessState.FAILED) q.state = ProcessState.FAILED;
        });
        setGraphState(g, ProcessState.FAILED);
        return;
      }
    }
    if (finished === p.parents.length) p.waitforparents = false;
  });
  const n = (s: ProcessState): number => counts.get(s) ?? 0;
  let next: ProcessState;
  if (n(ProcessState.FAILED) >= 1) next = ProcessState.FAILED;
  else if (n(ProcessState.CANCELLED) >= 1) next = ProcessState.CANCELLED;
  else if (n(ProcessState.SUCCESS) === total) next = ProcessState.SUCCESS;
  else if (n(ProcessState.SUCCESS) > 0 || n(ProcessState.RUNNING) >= 1) next = ProcessState.RUNNING;
  else next = ProcessState.WAITING;
  setGraphState(g, next);
}

const NODE_COLORS: Record<number, string> = {
  [ProcessState.WAITING]: '#eee8d8',
  [ProcessState.RUNNING]: '#4689cd',
  [ProcessState.SUCCESS]: '#92d050',
  [ProcessState.FAILED]: '#cb4239',
  [ProcessState.CANCELLED]: '#f5a623',
};

/** Layout as the server computes it: 150-wide boxes, 50 apart, rows 80 apart, each row centred on the widest. */
export function graphDrawing(state: ColonyState, g: GraphRec): { nodes: unknown[]; edges: unknown[] } {
  const boxWidth = 150;
  const padding = 50;
  const offsetPerDepth = new Map<number, number>();
  const nodesPerDepth = new Map<number, GraphNode[]>();
  const order: string[] = [];
  const byId = new Map<string, GraphNode>();
  iterateGraph(state, g, (p, depth) => {
    const w = offsetPerDepth.has(depth) ? (offsetPerDepth.get(depth) as number) + boxWidth + padding : 0;
    offsetPerDepth.set(depth, w);
    const type = p.parents.length === 0 ? 'input' : p.children.length === 0 ? 'output' : '';
    const node: GraphNode = {
      id: p.processid,
      data: { label: String(p.spec.nodename ?? '') },
      position: { x: w, y: depth * 80 },
      type,
      style: { color: '', background: NODE_COLORS[p.state] ?? '#eee8d8' },
    };
    byId.set(p.processid, node);
    order.push(p.processid);
    const row = nodesPerDepth.get(depth) ?? [];
    row.push(node);
    nodesPerDepth.set(depth, row);
  });
  const rowWidth = (depth: number): number => {
    const pad = offsetPerDepth.get(depth) ?? 0;
    if (pad === 0) return boxWidth;
    const count = Math.trunc(pad / (boxWidth + padding)) + 1;
    return count * boxWidth + padding * (count - 1);
  };
  let maxWidth = 0;
  for (const depth of nodesPerDepth.keys()) maxWidth = Math.max(maxWidth, rowWidth(depth));
  const centre = Math.trunc(maxWidth / 2);
  for (const [depth, row] of nodesPerDepth) {
    const width = rowWidth(depth);
    if (width < maxWidth) {
      const diff = centre - Math.trunc(width / 2);
      for (const node of row) node.position.x += diff;
    }
  }
  const edges: unknown[] = [];
  iterateGraph(state, g, (p) => {
    for (const child of p.children) {
      edges.push({ id: `${p.processid}-${child}`, source: p.processid, target: child, animated: p.state === ProcessState.RUNNING });
    }
  });
  return { nodes: order.map((id) => byId.get(id)), edges };
}
