// Owns the message list: the virtualized rows, following the newest message, the jump button and the active row.
import type { EntryView } from '../../src/panels/protocol';
import { searchableText } from './find';
import { post, ui } from './page';
import { renderRow, refreshTimes } from './row';
import { currentMatch, state } from './state';
import { VirtualList } from './virtualList';

// Kept current by a ResizeObserver: reading clientWidth per estimate would force a layout per appended row.
let listWidth = ui.list.clientWidth;
new ResizeObserver(() => {
  listWidth = ui.list.clientWidth; // layout is fresh in an observer callback
}).observe(ui.list);

export const list: VirtualList<EntryView> = new VirtualList<EntryView>({
  scroller: ui.list,
  spacer: ui.spacer,
  estimateHeight,
  renderRow: (view, index): HTMLElement =>
    renderRow(view, index, {
      now: Date.now(),
      parent: (v): EntryView | undefined => (v.parentKey ? list.itemAt(list.indexOf(v.parentKey)) : undefined),
      isHighlighted: (key) => key === state.highlightKey,
      isActive: (key) => key === state.activeKey,
      find: (key) => (state.find.query ? { query: state.find.query, currentStart: currentMatch()?.key === key ? currentMatch()!.start : undefined } : undefined),
    }),
  onRendered: updateJump,
  following: () => state.following,
});

function estimateHeight(view: EntryView): number {
  const b = view.body;
  const text = searchableText(view);
  let lines = 1;
  if (text) {
    const width = Math.max(20, Math.floor((listWidth || 600) / 7.5));
    for (const line of text.split('\n', 400)) lines += Math.max(1, Math.ceil(line.length / width));
    lines -= 1;
  }
  const base = view.type === 'end' ? 34 : 52;
  return base + Math.min(lines, 2000) * 19 + (view.inReplyTo ? 30 : 0) + (b.kind === 'binary' ? 40 : 0);
}

export function updateJump(): void {
  if (state.following) state.unread = 0;
  const hidden = state.following || list.length === 0;
  const text = state.unread > 0 ? `Jump to latest (${state.unread} new)` : 'Jump to latest';
  // Runs for every message and frame: write only changes, so the DOM is not dirtied needlessly.
  if (ui.jump.hidden !== hidden) ui.jump.hidden = hidden;
  if (ui.jump.textContent !== text) ui.jump.textContent = text;
}

/** Scrolls to the newest message and follows the stream from there. */
export function followLatest(): void {
  state.following = true;
  state.unread = 0;
  list.scrollToBottom();
}

let highlightTimer: ReturnType<typeof setTimeout> | undefined;
/** Scrolls to a row (the parent a quote names) and highlights it for a moment. */
function revealAndHighlight(key: string): void {
  const index = list.indexOf(key);
  if (index < 0) return;
  const previous = state.highlightKey;
  state.highlightKey = key;
  if (previous) list.refresh(previous);
  list.refresh(key);
  state.following = false;
  list.scrollToIndex(index, 'center');
  setActive(key, true);
  if (highlightTimer) clearTimeout(highlightTimer);
  highlightTimer = setTimeout(() => {
    state.highlightKey = undefined;
    list.elementFor(key)?.classList.remove('highlight');
  }, 2500);
}

export function setActive(key: string, focus: boolean): void {
  const previous = state.activeKey;
  state.activeKey = key;
  if (previous && previous !== key) {
    const old = list.elementFor(previous);
    old?.classList.remove('active');
    if (old) old.tabIndex = -1;
  }
  const node = list.elementFor(key);
  if (node) {
    node.classList.add('active');
    node.tabIndex = 0;
    if (focus) node.focus({ preventScroll: true });
  }
}

function moveActive(delta: number | 'first' | 'last'): void {
  if (list.length === 0) return;
  let index = state.activeKey ? list.indexOf(state.activeKey) : -1;
  if (index < 0) index = delta === -1 ? list.length : list.firstVisibleIndex() - (delta === 1 ? 1 : 0);
  if (delta === 'first') index = 0;
  else if (delta === 'last') index = list.length - 1;
  else index = Math.max(0, Math.min(list.length - 1, index + delta));
  const view = list.itemAt(index)!;
  state.following = index === list.length - 1 && state.following;
  list.scrollToIndex(index, 'nearest');
  setActive(view.key, true);
  updateJump();
}

/** What the list asks of the modules above it (main.ts passes them in). */
export interface ListActions {
  startReply(key: string): void;
  saveState(): void;
}

/** Scrolling, clicks and keys in the list, the jump button, and the refresh of relative times. */
export function wireList(actions: ListActions): void {
  ui.jump.addEventListener('click', () => {
    followLatest();
    updateJump();
  });

  ui.list.addEventListener('scroll', () => {
    const atBottom = list.isAtBottom();
    if (atBottom !== state.following) {
      state.following = atBottom;
      if (state.following) state.unread = 0;
      updateJump();
    }
    actions.saveState();
  }, { passive: true });

  ui.list.addEventListener('click', (e) => {
    const target = e.target as HTMLElement;
    const row = target.closest<HTMLElement>('.row');
    if (!row?.dataset.key) return;
    const key = row.dataset.key;
    const action = target.closest<HTMLElement>('[data-action]')?.dataset.action;
    setActive(key, false);
    switch (action) {
      case 'reply':
        actions.startReply(key);
        break;
      case 'copy':
        post({ type: 'copyMessage', key });
        break;
      case 'save':
        post({ type: 'savePayload', key });
        break;
      case 'jump-parent': {
        const parentKey = list.itemAt(list.indexOf(key))?.parentKey;
        if (parentKey) revealAndHighlight(parentKey);
        break;
      }
    }
  });

  ui.list.addEventListener('keydown', (e) => {
    if ((e.target as HTMLElement).closest('button') && e.key === 'Enter') return;
    switch (e.key) {
      case 'ArrowDown':
        moveActive(1);
        break;
      case 'ArrowUp':
        moveActive(-1);
        break;
      case 'Home':
        moveActive('first');
        break;
      case 'End':
        moveActive('last');
        break;
      case 'Enter':
      case 'r':
      case 'R':
        if (!state.activeKey) return;
        actions.startReply(state.activeKey);
        break;
      case 'c':
        if (!state.activeKey || e.ctrlKey || e.metaKey) return;
        post({ type: 'copyMessage', key: state.activeKey });
        break;
      default:
        return;
    }
    e.preventDefault();
  });

  // Relative times drift: refresh the rendered ones now and then (rows built later get the current time).
  setInterval(() => {
    const now = Date.now();
    for (const row of ui.list.querySelectorAll<HTMLElement>('.row')) refreshTimes(row, now);
  }, 30_000);
}
