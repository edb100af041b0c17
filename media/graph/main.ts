// The workflow graph panel's webview: draws what the host sends (src/panels/graphProtocol.ts) and posts back only
// that protocol's messages. Modules:
//   page.ts     the VS Code API and the page's elements
//   render.ts   the SVG drawing, states and edge classes (layout: src/panels/graphLayout.ts)
//   panzoom.ts  wheel zoom, drag pan, fit-to-view
// This file owns the selection, the banners and what is saved for a window reload.
import { parseGraphHostMessage, parseGraphPersistedState, type GraphPersistedState, type GraphView, type NodeAction } from '../../src/panels/graphProtocol';
import { fit, setContentSize, setTransform, transform, wirePanZoom } from './panzoom';
import { post, ui, vscode } from './page';
import { drawGraph, drawn, refreshClasses, STATE_TEXT, structureKey, updateStates } from './render';

let saved: GraphPersistedState | undefined = parseGraphPersistedState(vscode.getState()) ?? parseGraphPersistedState(safeJson(document.body.dataset.saved));
let firstDraw = true;
let pending: GraphView | undefined;
let saveTimer: ReturnType<typeof setTimeout> | undefined;

function safeJson(text: string | undefined): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function save(): void {
  if (!saved || saveTimer) return;
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    if (!saved) return;
    saved = { ...saved, view: transform() };
    vscode.setState(saved);
  }, 200);
}

function banner(notice: string | undefined, error: string | undefined): void {
  ui.notice.hidden = !notice;
  ui.notice.textContent = notice ?? '';
  ui.error.hidden = !error;
  ui.error.textContent = error ?? '';
}

function button(text: string, title: string, action: NodeAction, id: string, channel?: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'toolbar-button';
  b.textContent = text;
  b.title = title;
  b.dataset.action = action;
  b.addEventListener('click', () => post(channel ? { type: 'nodeAction', id, action, channel } : { type: 'nodeAction', id, action }));
  return b;
}

function renderSelection(): void {
  const id = drawn.selected;
  const h = id ? drawn.nodes.get(id) : undefined;
  ui.selection.hidden = !h;
  if (!h || !id) {
    ui.selectionActions.replaceChildren();
    return;
  }
  const n = h.view;
  const preview = drawn.view?.mode === 'preview';
  const state = preview && n.state !== 'ghost' ? '' : ` · ${STATE_TEXT[n.state].word}`;
  const problems = n.problems?.length ? ` · ⚠ ${n.problems[0]}` : '';
  ui.selectionText.textContent = `${n.label}${n.detail ? ` (${n.detail})` : ''}${state}${n.shortId ? ` · ${n.shortId}` : ''}${problems}`;
  const actions: HTMLButtonElement[] = [];
  if (preview && n.state !== 'ghost') actions.push(button('Go to Spec', 'Select this spec in the editor', 'source', id));
  if (!preview && n.processId) {
    actions.push(button('Reveal in Tree', 'Reveal this process in the Processes view', 'reveal', id));
    actions.push(button('Details', 'Show the process details', 'details', id));
    actions.push(button('Logs', 'Show the process logs', 'logs', id));
    for (const c of n.channels ?? []) actions.push(button(`#${c}`, `Open the "${c}" channel`, 'channel', id, c));
  }
  ui.selectionActions.replaceChildren(...actions);
}

function select(id: string | undefined): void {
  drawn.selected = id && drawn.nodes.has(id) ? id : undefined;
  refreshClasses();
  renderSelection();
}

function nodeIdOf(target: EventTarget | null): string | undefined {
  const g = target instanceof Element ? target.closest('g[data-id]') : null;
  return g?.getAttribute('data-id') ?? undefined;
}

function draw(view: GraphView): void {
  const big = view.nodes.length > 200 && structureKey(view) !== drawn.structure;
  if (big && firstDraw) {
    ui.empty.hidden = false;
    ui.empty.textContent = `Laying out ${view.nodes.length.toLocaleString('en-US')} nodes…`;
  }
  pending = view;
  // One frame for the "Laying out" text before the (synchronous) layout; bursts of updates draw only the newest.
  setTimeout(() => {
    if (pending !== view) return;
    pending = undefined;
    const started = performance.now();
    const layoutMs = drawGraph(view);
    const buildMs = performance.now() - started - layoutMs;
    document.body.dataset.layoutMs = layoutMs.toFixed(1);
    document.body.dataset.buildMs = buildMs.toFixed(1);
    ui.title.textContent = view.title;
    ui.subtitle.textContent = view.subtitle ?? '';
    banner(view.notice, view.error);
    setContentSize(drawn.layout?.width ?? 0, drawn.layout?.height ?? 0);
    if (firstDraw) {
      if (saved?.view) setTransform(saved.view);
      else fit();
      firstDraw = false;
    }
    if (drawn.selected && !drawn.nodes.has(drawn.selected)) drawn.selected = undefined;
    select(drawn.selected);
    document.body.dataset.drawn = String(drawn.nodes.size);
  }, big ? 16 : 0);
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = parseGraphHostMessage(e.data);
  if (!m) return;
  if (m.type === 'graph') draw(m.view);
  else if (m.type === 'states') {
    if (pending) {
      // Not drawn yet: fold the states into the graph that will be.
      const byId = new Map(m.nodes.map((n) => [n.id, n.state]));
      for (const n of pending.nodes) n.state = byId.get(n.id) ?? n.state;
    } else if (updateStates(m.nodes)) renderSelection();
  } else if (m.type === 'banner') banner(m.notice, m.error);
});

ui.nodes.addEventListener('click', (e) => select(nodeIdOf(e.target)));
ui.nodes.addEventListener('dblclick', (e) => {
  const id = nodeIdOf(e.target);
  const n = id ? drawn.nodes.get(id)?.view : undefined;
  if (!n || !id) return;
  if (drawn.view?.mode === 'preview') post({ type: 'nodeAction', id, action: 'source' });
  else if (n.processId) post({ type: 'nodeAction', id, action: 'details' });
});
ui.nodes.addEventListener('keydown', (e) => {
  const id = nodeIdOf(e.target);
  if (id && (e.key === 'Enter' || e.key === ' ')) {
    e.preventDefault();
    select(id);
  }
});
ui.canvas.addEventListener('click', (e) => {
  if (!nodeIdOf(e.target)) select(undefined);
});
wirePanZoom(save);
window.addEventListener('error', (e) => post({ type: 'webviewError', message: `${e.message} (${e.filename}:${e.lineno})` }));

if (saved) vscode.setState(saved);
post({ type: 'ready' });
