// The messages between a workflow graph panel's host and its webview (media/graph/). Imported by both bundles, so:
// no `vscode`, no Node. Everything that crosses the boundary is checked and size-capped on arrival: node names and
// ids come from a server or from a file being edited, and both are untrusted.

/** A node's state as drawn: a process state, not read yet (`unknown`), or a dependency no spec has (`ghost`). */
export type NodeStateKey = 'waiting' | 'running' | 'success' | 'failed' | 'cancelled' | 'unknown' | 'ghost';
export const NODE_STATE_KEYS: readonly NodeStateKey[] = ['waiting', 'running', 'success', 'failed', 'cancelled', 'unknown', 'ghost'];

export interface GraphNodeView {
  /** Unique in the graph: the process id (live) or the nodename (preview; `#<index>` for a repeated or empty one). */
  id: string;
  /** The nodename. */
  label: string;
  /** The funcname, shown small under the name. */
  detail?: string;
  state: NodeStateKey;
  /** Live graphs: the process id, and its first characters as shown. */
  processId?: string;
  shortId?: string;
  /** Channels the node's process declares (one "#name" action each). */
  channels?: string[];
  /** Validation problems drawn on the node (preview). */
  problems?: string[];
}

export interface GraphEdgeView {
  /** Parent (dependency) → child. */
  from: string;
  to: string;
  /** cycle: part of a dependency cycle; dangling: the parent is a ghost (an unknown dependency). */
  problem?: 'cycle' | 'dangling';
}

export interface GraphView {
  /** live: a process graph on a server; preview: a workflow file. */
  mode: 'live' | 'preview';
  title: string;
  subtitle?: string;
  nodes: GraphNodeView[];
  edges: GraphEdgeView[];
  /** Shown above the graph (e.g. "showing the first 2,000 of 3,000 nodes"). */
  notice?: string;
  /** Shown above the graph in red (a parse error while the last good graph stays drawn). */
  error?: string;
}

export type NodeAction = 'reveal' | 'details' | 'logs' | 'channel' | 'source';

export type GraphHostMessage =
  | { type: 'graph'; view: GraphView }
  | { type: 'states'; nodes: { id: string; state: NodeStateKey }[] }
  | { type: 'banner'; notice?: string; error?: string };

export type GraphWebviewMessage =
  | { type: 'ready' }
  | { type: 'nodeAction'; id: string; action: NodeAction; channel?: string }
  | { type: 'webviewError'; message: string };

/** What a graph panel saves for a window reload (vscode.setState), so the serializer can reopen it. */
export type GraphPersistedState =
  | { kind: 'live'; graphId: string; view?: ViewTransform }
  | { kind: 'preview'; uri: string; view?: ViewTransform };

export interface ViewTransform {
  x: number;
  y: number;
  k: number;
}

/** Caps on what one graph message may carry; beyond them data is cut (strings) or dropped (nodes and edges). */
export const GRAPH_LIMITS = {
  nodes: 2000,
  edges: 8000,
  id: 200,
  label: 120,
  detail: 120,
  channels: 8,
  problems: 6,
  problem: 400,
  text: 400,
} as const;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string cut to `max` characters (with an ellipsis), or '' for anything else. */
export function capText(v: unknown, max: number): string {
  if (typeof v !== 'string') return '';
  return v.length > max ? `${v.slice(0, Math.max(0, max - 1))}…` : v;
}

const optText = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v !== '' ? capText(v, max) : undefined);

function stateKey(v: unknown): NodeStateKey {
  return NODE_STATE_KEYS.includes(v as NodeStateKey) ? (v as NodeStateKey) : 'unknown';
}

function textList(v: unknown, count: number, max: number): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const list = v.filter((x): x is string => typeof x === 'string').slice(0, count).map((x) => capText(x, max));
  return list.length ? list : undefined;
}

/** A graph as received: ids unique, edges only between known nodes, everything within GRAPH_LIMITS. */
export function coerceGraphView(raw: unknown): GraphView | undefined {
  if (!isObj(raw)) return undefined;
  const nodes: GraphNodeView[] = [];
  const ids = new Set<string>();
  for (const n of Array.isArray(raw.nodes) ? raw.nodes : []) {
    if (nodes.length >= GRAPH_LIMITS.nodes) break;
    if (!isObj(n)) continue;
    const id = capText(n.id, GRAPH_LIMITS.id);
    if (!id || ids.has(id)) continue;
    ids.add(id);
    const node: GraphNodeView = { id, label: capText(n.label, GRAPH_LIMITS.label), state: stateKey(n.state) };
    const detail = optText(n.detail, GRAPH_LIMITS.detail);
    const processId = optText(n.processId, GRAPH_LIMITS.id);
    const shortId = optText(n.shortId, 20);
    const channels = textList(n.channels, GRAPH_LIMITS.channels, GRAPH_LIMITS.label);
    const problems = textList(n.problems, GRAPH_LIMITS.problems, GRAPH_LIMITS.problem);
    if (detail) node.detail = detail;
    if (processId) node.processId = processId;
    if (shortId) node.shortId = shortId;
    if (channels) node.channels = channels;
    if (problems) node.problems = problems;
    nodes.push(node);
  }
  const edges: GraphEdgeView[] = [];
  for (const e of Array.isArray(raw.edges) ? raw.edges : []) {
    if (edges.length >= GRAPH_LIMITS.edges) break;
    if (!isObj(e)) continue;
    const from = capText(e.from, GRAPH_LIMITS.id);
    const to = capText(e.to, GRAPH_LIMITS.id);
    if (!ids.has(from) || !ids.has(to)) continue;
    const edge: GraphEdgeView = { from, to };
    if (e.problem === 'cycle' || e.problem === 'dangling') edge.problem = e.problem;
    edges.push(edge);
  }
  const view: GraphView = {
    mode: raw.mode === 'preview' ? 'preview' : 'live',
    title: capText(raw.title, GRAPH_LIMITS.text),
    nodes,
    edges,
  };
  const subtitle = optText(raw.subtitle, GRAPH_LIMITS.text);
  const notice = optText(raw.notice, GRAPH_LIMITS.text);
  const error = optText(raw.error, GRAPH_LIMITS.text);
  if (subtitle) view.subtitle = subtitle;
  if (notice) view.notice = notice;
  if (error) view.error = error;
  return view;
}

/** A host message as received by the webview, or undefined for anything outside the protocol. */
export function parseGraphHostMessage(raw: unknown): GraphHostMessage | undefined {
  if (!isObj(raw)) return undefined;
  if (raw.type === 'graph') {
    const view = coerceGraphView(raw.view);
    return view ? { type: 'graph', view } : undefined;
  }
  if (raw.type === 'states' && Array.isArray(raw.nodes)) {
    const nodes = raw.nodes
      .slice(0, GRAPH_LIMITS.nodes)
      .filter(isObj)
      .map((n) => ({ id: capText(n.id, GRAPH_LIMITS.id), state: stateKey(n.state) }))
      .filter((n) => n.id);
    return { type: 'states', nodes };
  }
  if (raw.type === 'banner') return { type: 'banner', notice: optText(raw.notice, GRAPH_LIMITS.text), error: optText(raw.error, GRAPH_LIMITS.text) };
  return undefined;
}

const ACTIONS: readonly NodeAction[] = ['reveal', 'details', 'logs', 'channel', 'source'];

/** A webview message as received by the host. */
export function parseGraphWebviewMessage(raw: unknown): GraphWebviewMessage | undefined {
  if (!isObj(raw)) return undefined;
  if (raw.type === 'ready') return { type: 'ready' };
  if (raw.type === 'webviewError') return { type: 'webviewError', message: capText(raw.message, 2000) };
  if (raw.type === 'nodeAction' && typeof raw.id === 'string' && raw.id && ACTIONS.includes(raw.action as NodeAction)) {
    const m: GraphWebviewMessage = { type: 'nodeAction', id: capText(raw.id, GRAPH_LIMITS.id), action: raw.action as NodeAction };
    if (raw.action === 'channel') {
      if (typeof raw.channel !== 'string' || !raw.channel) return undefined;
      m.channel = capText(raw.channel, GRAPH_LIMITS.label);
    }
    return m;
  }
  return undefined;
}

function transform(raw: unknown): ViewTransform | undefined {
  if (!isObj(raw)) return undefined;
  const { x, y, k } = raw;
  if (![x, y, k].every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  return { x: x as number, y: y as number, k: Math.min(8, Math.max(0.02, k as number)) };
}

/** The saved state of a graph panel, or undefined when it does not say which graph it showed. */
export function parseGraphPersistedState(raw: unknown): GraphPersistedState | undefined {
  if (!isObj(raw)) return undefined;
  const view = transform(raw.view);
  if (raw.kind === 'live' && typeof raw.graphId === 'string' && /^[0-9a-f]{64}$/i.test(raw.graphId)) {
    return view ? { kind: 'live', graphId: raw.graphId, view } : { kind: 'live', graphId: raw.graphId };
  }
  if (raw.kind === 'preview' && typeof raw.uri === 'string' && raw.uri.length <= 4000 && raw.uri) {
    return view ? { kind: 'preview', uri: raw.uri, view } : { kind: 'preview', uri: raw.uri };
  }
  return undefined;
}

/**
 * The edges a waiting node is blocked on: from each parent that has not succeeded. What the graph draws highlighted,
 * so "why is it waiting" reads off the picture.
 */
export function blockingEdges(edges: readonly GraphEdgeView[], stateOf: (id: string) => NodeStateKey | undefined): Set<GraphEdgeView> {
  const blocking = new Set<GraphEdgeView>();
  for (const e of edges) {
    if (stateOf(e.to) === 'waiting' && stateOf(e.from) !== 'success') blocking.add(e);
  }
  return blocking;
}
