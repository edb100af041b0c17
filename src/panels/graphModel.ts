// A process graph from a server as the graph panel draws it. Pure (no `vscode`): the nodes and edges come from
// getprocessgraphmsg (docs/protocol.md §4.8: `nodes` / `edges` carry process ids), the states from the process store.
import { shortId } from '../base/format';
import type { Process, ProcessGraph } from '../colonies/types';
import { isProcessState, presentState } from '../views/stateMapping';
import { capText, GRAPH_LIMITS, type GraphEdgeView, type GraphNodeView, type GraphView, type NodeStateKey } from './graphProtocol';

/** The state a node shows for a process snapshot (or `unknown` before it was read). */
export function nodeState(p: Process | undefined): NodeStateKey {
  return p && isProcessState(p.state) ? presentState(p.state).key : 'unknown';
}

const isHexId = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{1,128}$/i.test(v);

/** The member process ids a graph names, in its order, without repeats (nodes first, then `processids`). */
export function graphMemberIds(graph: ProcessGraph): string[] {
  const ids = new Set<string>();
  for (const n of Array.isArray(graph.nodes) ? graph.nodes : []) if (isHexId(n?.id)) ids.add(n.id);
  for (const id of Array.isArray(graph.processids) ? graph.processids : []) if (isHexId(id)) ids.add(id);
  return [...ids];
}

function nodeFor(id: string, label: unknown, p: Process | undefined): GraphNodeView {
  const name = (typeof label === 'string' && label) || p?.spec?.nodename || shortId(id);
  const node: GraphNodeView = { id, label: capText(name, GRAPH_LIMITS.label), state: nodeState(p), processId: id, shortId: shortId(id, 8) };
  const funcname = p?.spec?.funcname;
  if (typeof funcname === 'string' && funcname) node.detail = capText(funcname, GRAPH_LIMITS.detail);
  const channels = Array.isArray(p?.spec?.channels) ? p.spec.channels.filter((c): c is string => typeof c === 'string' && c !== '') : [];
  if (channels.length) node.channels = channels.slice(0, GRAPH_LIMITS.channels).map((c) => capText(c, GRAPH_LIMITS.label));
  return node;
}

/**
 * The drawing of a live graph. The server's edges are used when it sent them; otherwise (a list reply, which has
 * no nodes) the edges come from each member's `parents`. Beyond GRAPH_LIMITS.nodes the rest is left out, with a notice.
 */
export function liveGraphView(graph: ProcessGraph, processOf: (id: string) => Process | undefined): GraphView {
  const labels = new Map<string, unknown>();
  for (const n of Array.isArray(graph.nodes) ? graph.nodes : []) if (isHexId(n?.id)) labels.set(n.id, n.data?.label);
  const all = graphMemberIds(graph);
  const ids = all.slice(0, GRAPH_LIMITS.nodes);
  const known = new Set(ids);
  const nodes = ids.map((id) => nodeFor(id, labels.get(id), processOf(id)));
  const edges: GraphEdgeView[] = [];
  const seen = new Set<string>();
  const add = (from: unknown, to: unknown) => {
    if (!isHexId(from) || !isHexId(to) || !known.has(from) || !known.has(to) || from === to) return;
    const k = `${from}>${to}`;
    if (seen.has(k) || edges.length >= GRAPH_LIMITS.edges) return;
    seen.add(k);
    edges.push({ from, to });
  };
  const serverEdges = Array.isArray(graph.edges) ? graph.edges : [];
  for (const e of serverEdges) add(e?.source, e?.target);
  if (serverEdges.length === 0) for (const id of ids) for (const parent of processOf(id)?.parents ?? []) add(parent, id);
  const view: GraphView = {
    mode: 'live',
    title: `Workflow ${shortId(graph.processgraphid)}`,
    subtitle: graphSubtitle(graph, all.length),
    nodes,
    edges,
  };
  if (all.length > ids.length) {
    view.notice = `Showing the first ${ids.length.toLocaleString('en-US')} of ${all.length.toLocaleString('en-US')} processes of this workflow.`;
  }
  return view;
}

function graphSubtitle(graph: ProcessGraph, members: number): string {
  const state = isProcessState(graph.state) ? presentState(graph.state).label : 'Unknown';
  const who = typeof graph.initiatorname === 'string' && graph.initiatorname ? ` · by ${capText(graph.initiatorname, 60)}` : '';
  return `${state} · ${members} process${members === 1 ? '' : 'es'}${who}`;
}

/** True when the graph's structure (nodes, labels, edges) differs, so the webview must lay it out again. */
export function sameStructure(a: GraphView | undefined, b: GraphView): boolean {
  if (!a || a.nodes.length !== b.nodes.length || a.edges.length !== b.edges.length) return false;
  const key = (v: GraphView) =>
    JSON.stringify([v.nodes.map((n) => [n.id, n.label, n.detail ?? '', n.problems ?? [], n.channels ?? []]), v.edges.map((e) => [e.from, e.to, e.problem ?? ''])]);
  return key(a) === key(b);
}
