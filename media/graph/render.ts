// Owns the drawing: one SVG group per node and one path per edge, built with createElementNS and textContent only
// (names and ids come from a server or a file being edited). States change classes and texts in place; only a
// new structure is laid out again (src/panels/graphLayout.ts, dagre).
import { blockingEdges, type GraphEdgeView, type GraphNodeView, type GraphView, type NodeStateKey } from '../../src/panels/graphProtocol';
import { layoutGraph, type GraphLayout } from '../../src/panels/graphLayout';
import { SVG_NS, ui } from './page';

/** Not colour alone: every state has a glyph and a word. */
export const STATE_TEXT: Record<NodeStateKey, { glyph: string; word: string }> = {
  waiting: { glyph: '◷', word: 'waiting' },
  running: { glyph: '▶', word: 'running' },
  success: { glyph: '✓', word: 'successful' },
  failed: { glyph: '✗', word: 'failed' },
  cancelled: { glyph: '⊘', word: 'cancelled' },
  unknown: { glyph: '…', word: 'not read yet' },
  ghost: { glyph: '?', word: 'unknown dependency' },
};

interface NodeHandle {
  view: GraphNodeView;
  g: SVGGElement;
  /** The class last written, so an update touches only what changed (a style recalculation per write adds up). */
  cls?: string;
  meta: SVGTextElement;
  title: SVGTitleElement;
}

interface EdgeHandle {
  view: GraphEdgeView;
  path: SVGPathElement;
  cls?: string;
}

export const drawn = {
  view: undefined as GraphView | undefined,
  layout: undefined as GraphLayout | undefined,
  structure: '',
  nodes: new Map<string, NodeHandle>(),
  edges: [] as EdgeHandle[],
  selected: undefined as string | undefined,
};

const el = <K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] => {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
};

/** Cuts a text to what fits a node line (the whole text is in the node's tooltip). */
export function fitText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The identity of a structure: a graph with the same nodes and edges keeps its layout. */
export function structureKey(view: GraphView): string {
  return JSON.stringify([view.nodes.map((n) => n.id), view.edges.map((e) => [e.from, e.to])]);
}

function metaText(n: GraphNodeView, preview: boolean): string {
  if (n.state === 'ghost') return `${STATE_TEXT.ghost.glyph} ${STATE_TEXT.ghost.word}`;
  if (preview) return n.problems?.length ? `! ${n.problems.length} problem${n.problems.length === 1 ? '' : 's'}` : 'spec';
  const s = STATE_TEXT[n.state];
  return `${s.glyph} ${s.word}${n.shortId ? ` · ${n.shortId}` : ''}`;
}

function tooltip(n: GraphNodeView, preview: boolean): string {
  const lines = [n.label];
  if (n.detail) lines.push(`funcname: ${n.detail}`);
  if (!preview || n.state === 'ghost') lines.push(`state: ${STATE_TEXT[n.state].word}`);
  if (n.processId) lines.push(`process: ${n.processId}`);
  for (const p of n.problems ?? []) lines.push(`⚠ ${p}`);
  return lines.join('\n');
}

function nodeClass(n: GraphNodeView, preview: boolean): string {
  const classes = ['node', `state-${n.state}`];
  if (preview) classes.push('preview');
  if (n.problems?.length) classes.push('problem');
  if (drawn.selected === n.id) classes.push('selected');
  return classes.join(' ');
}

function pathFor(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

/** Lays the graph out when its structure is new, then (re)builds the DOM. Returns the layout time in ms. */
export function drawGraph(view: GraphView): number {
  const key = structureKey(view);
  let layoutMs = 0;
  if (key !== drawn.structure || !drawn.layout) {
    const started = performance.now();
    drawn.layout = layoutGraph(view.nodes, view.edges);
    layoutMs = performance.now() - started;
    drawn.structure = key;
  }
  const layout = drawn.layout;
  const preview = view.mode === 'preview';
  drawn.view = view;
  drawn.nodes.clear();
  drawn.edges = [];
  const edgeFrag = document.createDocumentFragment();
  const routes = new Map(layout.edges.map((r) => [`${r.from}>${r.to}`, r]));
  const labels = new Map(view.nodes.map((n) => [n.id, n.label]));
  const nodeLabel = (id: string) => labels.get(id) ?? id;
  for (const e of view.edges) {
    const route = routes.get(`${e.from}>${e.to}`);
    if (!route) continue;
    const path = el('path', { d: pathFor(route.points), 'data-from': e.from, 'data-to': e.to });
    const title = el('title');
    title.textContent = `${nodeLabel(e.from)} → ${nodeLabel(e.to)}${e.problem === 'cycle' ? ' (part of a dependency cycle)' : e.problem === 'dangling' ? ' (unknown dependency)' : ''}`;
    path.appendChild(title);
    edgeFrag.appendChild(path);
    drawn.edges.push({ view: e, path });
  }
  const nodeFrag = document.createDocumentFragment();
  for (const n of view.nodes) {
    const box = layout.nodes.get(n.id);
    if (!box) continue;
    const g = el('g', { transform: `translate(${box.x} ${box.y})`, tabindex: 0, role: 'button', 'data-id': n.id });
    g.setAttribute('aria-label', `${n.label}, ${preview && n.state !== 'ghost' ? 'spec' : STATE_TEXT[n.state].word}${n.problems?.length ? `, ${n.problems.length} problems` : ''}`);
    const title = el('title');
    title.textContent = tooltip(n, preview);
    g.appendChild(title);
    g.appendChild(el('rect', { width: box.width, height: box.height, rx: 6, ry: 6, class: 'box' }));
    g.appendChild(el('rect', { width: 5, height: box.height, rx: 2, ry: 2, class: 'stripe' }));
    const label = el('text', { x: 14, y: 20, class: 'label' });
    label.textContent = fitText(n.label, 26);
    g.appendChild(label);
    if (n.detail) {
      const detail = el('text', { x: 14, y: 35, class: 'detail' });
      detail.textContent = fitText(n.detail, 30);
      g.appendChild(detail);
    }
    const meta = el('text', { x: 14, y: 50, class: 'meta' });
    meta.textContent = metaText(n, preview);
    g.appendChild(meta);
    nodeFrag.appendChild(g);
    drawn.nodes.set(n.id, { view: n, g, meta, title });
  }
  ui.edges.replaceChildren(edgeFrag);
  ui.nodes.replaceChildren(nodeFrag);
  refreshClasses();
  ui.empty.hidden = view.nodes.length > 0;
  ui.empty.textContent = view.nodes.length ? '' : preview ? 'This workflow has no specs yet.' : 'This workflow has no processes.';
  return layoutMs;
}

/** Node classes and edge classes (blocking, cycle, dangling) from the current states. */
export function refreshClasses(): void {
  const view = drawn.view;
  if (!view) return;
  const preview = view.mode === 'preview';
  for (const h of drawn.nodes.values()) {
    const cls = nodeClass(h.view, preview);
    if (cls !== h.cls) h.g.setAttribute('class', (h.cls = cls));
  }
  const stateOf = (id: string) => drawn.nodes.get(id)?.view.state;
  const blocking = preview ? new Set<GraphEdgeView>() : blockingEdges(drawn.edges.map((e) => e.view), stateOf);
  for (const e of drawn.edges) {
    const cls = ['edge'];
    if (e.view.problem) cls.push(e.view.problem);
    if (blocking.has(e.view)) cls.push('blocking');
    if (drawn.selected && (e.view.from === drawn.selected || e.view.to === drawn.selected)) cls.push('adjacent');
    const text = cls.join(' ');
    if (text === e.cls) continue;
    e.cls = text;
    e.path.setAttribute('class', text);
    e.path.setAttribute('marker-end', `url(#${e.view.problem ? 'arrow-problem' : blocking.has(e.view) ? 'arrow-blocking' : 'arrow'})`);
  }
}

/** New states for some nodes: texts and classes change in place, nothing is laid out again. */
export function updateStates(updates: { id: string; state: NodeStateKey }[]): number {
  let changed = 0;
  const preview = drawn.view?.mode === 'preview';
  for (const u of updates) {
    const h = drawn.nodes.get(u.id);
    if (!h || h.view.state === u.state) continue;
    h.view.state = u.state;
    h.meta.textContent = metaText(h.view, preview);
    h.title.textContent = tooltip(h.view, preview);
    h.g.setAttribute('aria-label', `${h.view.label}, ${STATE_TEXT[u.state].word}`);
    changed++;
  }
  if (changed) refreshClasses();
  return changed;
}
