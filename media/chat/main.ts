// The channel panel's webview. It renders what the host sends and posts back only the messages of the shared
// protocol (src/panels/protocol.ts). Data from executors is rendered with textContent only (see row.ts).
import {
  parseHostMessage,
  parsePersistedState,
  type ComposerView,
  type EntryView,
  type HostMessage,
  type PanelInfo,
  type SendKind,
  type StatusView,
  type WebviewMessage,
  type WebviewPersistedState,
} from '../../src/panels/protocol';
import { countLabel, findAll, keepPosition, searchableText, type FindMatch, type FindQuery } from './find';
import { renderRow, refreshTimes, seqLabel, summary } from './row';
import { VirtualList } from './virtualList';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (m: WebviewMessage): void => vscode.postMessage(m);

const $ = <T extends HTMLElement>(id: string): T => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`chat webview: #${id} is missing from the page`);
  return node as T;
};

const ui = {
  titleChannel: $('title-channel'),
  titleProcess: $('title-process'),
  status: $('status'),
  statusText: $('status-text'),
  list: $('list'),
  spacer: $('spacer'),
  empty: $('empty'),
  jump: $<HTMLButtonElement>('jump'),
  composer: $('composer'),
  hint: $('composer-hint'),
  replyChip: $('reply-chip'),
  replyChipText: $('reply-chip-text'),
  replyChipRemove: $<HTMLButtonElement>('reply-chip-remove'),
  sendError: $('send-error'),
  sendErrorText: $('send-error-text'),
  retry: $<HTMLButtonElement>('retry'),
  composerRow: $('composer-row'),
  input: $<HTMLTextAreaElement>('input'),
  kind: $<HTMLSelectElement>('kind'),
  send: $<HTMLButtonElement>('send'),
  disabled: $('composer-disabled'),
  copyAll: $<HTMLButtonElement>('copy-all'),
  findOpen: $<HTMLButtonElement>('find-open'),
  find: $('find'),
  findInput: $<HTMLInputElement>('find-input'),
  findCase: $<HTMLButtonElement>('find-case'),
  findCount: $('find-count'),
  findPrev: $<HTMLButtonElement>('find-prev'),
  findNext: $<HTMLButtonElement>('find-next'),
  findClose: $<HTMLButtonElement>('find-close'),
  exportBtn: $<HTMLButtonElement>('export'),
  dropped: $('dropped'),
};

let info: PanelInfo | undefined;
let status: StatusView = { kind: 'connecting' };
let composer: ComposerView = { enabled: false, reason: 'Loading…' };
let persisted: WebviewPersistedState | undefined = parsePersistedState(vscode.getState());
let replyTo: { key: string; sequence: number } | undefined = persisted?.replyTo;
let following = true;
let unread = 0;
let activeKey: string | undefined;
let highlightKey: string | undefined;
let highlightTimer: ReturnType<typeof setTimeout> | undefined;
let sending: { requestId: string; text: string; kind: SendKind; inReplyTo: number } | undefined;
let failedSend: { text: string; kind: SendKind; inReplyTo: number } | undefined;
let requestCounter = 0;
let firstInit = true;
/** The saved scroll anchor, when it is among older rows that the host sends after the newest ones. */
let pendingAnchor: string | undefined;

// Kept current by a ResizeObserver: reading clientWidth per estimate would force a layout per appended row.
let listWidth = ui.list.clientWidth;
new ResizeObserver(() => {
  listWidth = ui.list.clientWidth; // layout is fresh in an observer callback
}).observe(ui.list);

const list: VirtualList<EntryView> = new VirtualList<EntryView>({
  scroller: ui.list,
  spacer: ui.spacer,
  estimateHeight,
  renderRow: (view, index): HTMLElement =>
    renderRow(view, index, {
      now: Date.now(),
      parent: (v): EntryView | undefined => (v.parentKey ? list.itemAt(list.indexOf(v.parentKey)) : undefined),
      isHighlighted: (key) => key === highlightKey,
      isActive: (key) => key === activeKey,
      find: (key) => (findState.query ? { query: findState.query, currentStart: currentMatch()?.key === key ? currentMatch()!.start : undefined } : undefined),
    }),
  onRendered: updateJump,
  following: () => following,
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

// ---- find (every message, not only the rows on screen) ----
const findState: { query?: FindQuery; matches: FindMatch[]; capped: boolean; current: number; stale: boolean } = {
  matches: [],
  capped: false,
  current: -1,
  stale: false,
};

function currentMatch(): FindMatch | undefined {
  return findState.matches[findState.current];
}

function openFind(): void {
  ui.find.hidden = false;
  const selected = window.getSelection()?.toString() ?? '';
  if (selected && !selected.includes('\n') && selected.length <= 200) ui.findInput.value = selected;
  ui.findInput.focus();
  ui.findInput.select();
  runFind(true);
}

function closeFind(): void {
  if (ui.find.hidden) return;
  ui.find.hidden = true;
  const shown = currentMatch();
  findState.query = undefined;
  findState.matches = [];
  findState.current = -1;
  list.rerenderAll();
  if (shown) setActive(shown.key, true);
  // The match's row may have scrolled out of the rendered window since: the list itself takes the focus then.
  if (!ui.list.contains(document.activeElement)) ui.list.focus();
}

/** Searches the whole transcript for the input's text and shows the result; `reveal` scrolls to the match. */
function runFind(reveal: boolean): void {
  search();
  showFind(reveal);
}

/** Finds every match of the input's text and picks the current one; shows nothing. */
function search(): void {
  const text = ui.findInput.value;
  const query: FindQuery | undefined = text ? { text, matchCase: ui.findCase.getAttribute('aria-pressed') === 'true' } : undefined;
  const previous = currentMatch();
  const sameQuery = query && findState.query && query.text === findState.query.text && query.matchCase === findState.query.matchCase;
  findState.query = query;
  const result = query ? findAll(list.all, query) : { matches: [], capped: false };
  findState.matches = result.matches;
  findState.capped = result.capped;
  findState.stale = false;
  // A refresh keeps its place. A new query searches on from where the user is: the current match's row, or the first
  // row on screen (wrapping to the newest match when nothing follows).
  if (sameQuery) findState.current = keepPosition(result.matches, previous, (k) => list.indexOf(k));
  else {
    const at = previous ? list.indexOf(previous.key) : -1;
    const from = at >= 0 ? at : list.firstVisibleIndex();
    const fromStart = at >= 0 ? previous!.start : 0;
    const next = result.matches.findIndex((m) => m.index > from || (m.index === from && m.start >= fromStart));
    findState.current = next >= 0 ? next : result.matches.length - 1;
  }
}

/** The count, the marks in the rows on screen, and (with `reveal`) the current match scrolled into view. */
function showFind(reveal: boolean): void {
  renderFindCount();
  list.rerenderAll();
  if (reveal) revealMatch();
}

function moveFind(delta: 1 | -1): void {
  if (findState.stale) search();
  const n = findState.matches.length;
  if (n > 0) findState.current = (findState.current + delta + n) % n;
  showFind(n > 0);
}

function revealMatch(): void {
  const m = currentMatch();
  if (!m) return;
  list.scrollToIndex(list.indexOf(m.key), 'center');
  // A match near the end can leave the view at the bottom: then it keeps following the stream.
  following = list.isAtBottom();
  setActive(m.key, false);
  updateJump();
}

function renderFindCount(): void {
  const text = findState.query ? countLabel(findState.current, findState.matches.length, findState.capped) : '';
  ui.findCount.textContent = text;
  ui.find.classList.toggle('no-results', !!findState.query && findState.matches.length === 0);
  ui.findPrev.disabled = ui.findNext.disabled = findState.matches.length === 0;
}

/** The transcript changed under an open find: recount soon, keeping the current match, without moving the view. */
let findRecountTimer: ReturnType<typeof setTimeout> | undefined;
function transcriptChangedForFind(): void {
  if (!findState.query) return;
  findState.stale = true;
  if (findRecountTimer) return;
  findRecountTimer = setTimeout(() => {
    findRecountTimer = undefined;
    if (findState.query && findState.stale) runFind(false);
  }, 150);
}

ui.findOpen.addEventListener('click', openFind);
ui.findClose.addEventListener('click', closeFind);
ui.findNext.addEventListener('click', () => moveFind(1));
ui.findPrev.addEventListener('click', () => moveFind(-1));
ui.findInput.addEventListener('input', () => runFind(true));
ui.findCase.addEventListener('click', () => {
  ui.findCase.setAttribute('aria-pressed', ui.findCase.getAttribute('aria-pressed') === 'true' ? 'false' : 'true');
  runFind(true);
});
ui.find.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && e.target === ui.findInput) moveFind(e.shiftKey ? -1 : 1);
  else if (e.key === 'Escape') closeFind();
  else if (e.altKey && (e.key === 'c' || e.key === 'C')) ui.findCase.click();
  else return;
  e.preventDefault();
  e.stopPropagation();
});
document.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && (e.key === 'f' || e.key === 'F')) openFind();
  else if (e.key === 'F3' && !ui.find.hidden) moveFind(e.shiftKey ? -1 : 1);
  else return;
  e.preventDefault();
});

// ---- persisted state ----
let saveTimer: ReturnType<typeof setTimeout> | undefined;
function saveState(): void {
  if (saveTimer) return;
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    if (!info) return;
    const first = following ? undefined : list.itemAt(list.firstVisibleIndex());
    const state: WebviewPersistedState = { processId: info.processId, channel: info.channel };
    if (ui.input.value) state.draft = ui.input.value;
    if (ui.kind.value !== 'data') state.draftKind = ui.kind.value as SendKind;
    if (replyTo) state.replyTo = replyTo;
    if (first) state.anchorKey = first.key;
    persisted = state;
    vscode.setState(state);
  }, 200);
}

// ---- host messages ----
window.addEventListener('message', (event: MessageEvent) => {
  // Rows are checked one by one: a row the host should not have sent is shown cut down, never dropped with its batch.
  const m = parseHostMessage(event.data);
  if (!m) return;
  try {
    onHostMessage(m);
  } catch (err) {
    post({ type: 'webviewError', message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
  }
});

function onHostMessage(m: HostMessage): void {
  switch (m.type) {
    case 'init': {
      info = m.info;
      renderTitle();
      const wasFollowing = following;
      list.setItems(m.entries);
      if (firstInit) {
        firstInit = false;
        restoreDraft();
        const anchor = persisted?.anchorKey ? list.indexOf(persisted.anchorKey) : -1;
        pendingAnchor = anchor < 0 ? persisted?.anchorKey : undefined;
        if (anchor >= 0) {
          following = false;
          list.scrollToIndex(anchor, 'nearest');
        } else {
          list.scrollToBottom();
        }
      } else if (wasFollowing) {
        list.scrollToBottom();
      }
      setStatus(m.status, m.composer); // renders the composer and its reply chip
      renderEmpty();
      transcriptChangedForFind();
      saveState();
      return;
    }
    case 'entries': {
      if (m.mode === 'replace') {
        list.setItems(m.entries);
      } else {
        const before = list.length;
        if (m.mode === 'append') list.append(m.entries);
        else if (!list.splice(m.start, m.deleteCount, m.entries)) {
          // Out of step with the host (a lost message): ask for the whole state again.
          post({ type: 'webviewError', message: `splice at ${m.start} (${m.deleteCount} rows) does not fit ${before} shown rows; resyncing` });
          post({ type: 'ready' });
          return;
        }
        if (m.mode === 'splice' && m.deleteCount === 0 && m.entries.length > 0) {
          // Older rows sent after the newest (a long transcript arrives newest first): quotes in the rows shown may
          // name a parent that only now exists.
          const inserted = new Set(m.entries.map((v) => v.key));
          list.refreshWhere((v) => v.parentKey !== undefined && inserted.has(v.parentKey));
          if (pendingAnchor && inserted.has(pendingAnchor)) {
            following = false;
            list.scrollToIndex(list.indexOf(pendingAnchor), 'nearest');
            pendingAnchor = undefined;
            return finishEntries();
          }
        } else {
          pendingAnchor = undefined;
        }
        if (following) list.followBottom();
        else unread += Math.max(0, list.length - before);
      }
      return finishEntries();
    }
    case 'status':
      setStatus(m.status, m.composer);
      renderEmpty();
      return;
    case 'dropped':
      ui.dropped.hidden = m.count === 0;
      ui.dropped.textContent = m.count === 0 ? '' : m.text;
      return;
    case 'sendResult':
      if (!sending || sending.requestId !== m.requestId) return;
      if (m.ok) {
        sending = undefined;
        failedSend = undefined;
        ui.input.value = '';
        ui.kind.value = 'data';
        replyTo = undefined;
        following = true;
        unread = 0;
        list.scrollToBottom();
      } else {
        failedSend = { text: sending.text, kind: sending.kind, inReplyTo: sending.inReplyTo };
        sending = undefined;
        ui.sendErrorText.textContent = `Not sent: ${m.error}`;
      }
      renderComposer();
      saveState();
      return;
  }
}

function finishEntries(): void {
  transcriptChangedForFind();
  renderEmpty();
  renderReplyChip();
  updateJump();
}

function renderTitle(): void {
  if (!info) return;
  ui.titleChannel.textContent = info.channel;
  ui.titleProcess.textContent = `${info.funcname || 'process'} · ${info.shortId}`;
  ui.titleProcess.title = `Process ${info.processId}${info.colonyName ? ` in colony ${info.colonyName}` : ''}`;
  document.title = `${info.channel} · ${info.funcname || info.shortId}`;
}

function statusText(s: StatusView): string {
  switch (s.kind) {
    case 'connecting':
      return 'Connecting…';
    case 'live':
      return 'Live';
    case 'waiting':
      return 'Waiting for an executor: messages you send are queued; the executor reads the channel history when it starts.';
    case 'reconnecting':
      return `Reconnecting (attempt ${s.attempt})${s.reason ? `: ${s.reason}` : ''}`;
    case 'finished':
      return `Process finished (${s.state}) · transcript kept locally`;
    case 'offline':
      return `Offline: ${s.reason} · showing the local transcript`;
    case 'error':
      return s.message;
  }
}

function setStatus(s: StatusView, c: ComposerView): void {
  status = s;
  composer = c;
  ui.status.className = `status status-${s.kind}`;
  ui.statusText.textContent = statusText(s);
  renderComposer();
}

function renderComposer(): void {
  const enabled = composer.enabled;
  ui.composerRow.hidden = !enabled;
  ui.disabled.hidden = enabled;
  ui.disabled.textContent = enabled ? '' : (composer.reason ?? 'Sending is not possible now.');
  ui.hint.hidden = !enabled || !composer.hint;
  ui.hint.textContent = composer.hint ?? '';
  ui.send.disabled = !enabled || sending !== undefined;
  ui.input.readOnly = sending !== undefined;
  ui.send.textContent = sending ? 'Sending…' : 'Send';
  ui.sendError.hidden = !failedSend;
  ui.retry.disabled = !enabled || sending !== undefined;
  renderReplyChip();
}

function renderEmpty(): void {
  const empty = list.length === 0;
  ui.empty.hidden = !empty;
  if (!empty) return;
  if (status.kind === 'finished') {
    ui.empty.textContent =
      'No messages were kept for this channel. The server deletes a channel when its process closes, and this channel was not open in this workspace while the process ran.';
  } else if (status.kind === 'waiting') {
    ui.empty.textContent =
      'No messages yet. The process is waiting for an executor. You can write now: your messages are queued on the channel and the executor reads the history when it starts.';
  } else {
    ui.empty.textContent = 'No messages yet.';
  }
}

function updateJump(): void {
  if (following) unread = 0;
  const hidden = following || list.length === 0;
  const text = unread > 0 ? `Jump to latest (${unread} new)` : 'Jump to latest';
  // Runs for every message and frame: write only changes, so the DOM is not dirtied needlessly.
  if (ui.jump.hidden !== hidden) ui.jump.hidden = hidden;
  if (ui.jump.textContent !== text) ui.jump.textContent = text;
}

// ---- reply ----
function startReply(key: string): void {
  const view = list.itemAt(list.indexOf(key));
  if (!view || !composer.enabled || view.noReply) return;
  replyTo = { key, sequence: view.sequence };
  renderReplyChip();
  ui.input.focus();
  saveState();
}

function renderReplyChip(): void {
  const view = replyTo ? list.itemAt(list.indexOf(replyTo.key)) : undefined;
  ui.replyChip.hidden = !replyTo || !composer.enabled;
  if (!replyTo) return;
  ui.replyChipText.textContent = view ? `${view.senderLabel} ${seqLabel(view)}: ${summary(view, 80)}` : `#${replyTo.sequence}`;
}

ui.replyChipRemove.addEventListener('click', () => {
  replyTo = undefined;
  renderReplyChip();
  ui.input.focus();
  saveState();
});

// ---- sending ----
function send(text: string, kind: SendKind, inReplyTo: number): void {
  if (sending || !composer.enabled) return;
  if (kind === 'data' && text.trim().length === 0) return;
  const requestId = `r${Date.now().toString(36)}-${++requestCounter}`;
  sending = { requestId, text, kind, inReplyTo };
  failedSend = undefined;
  renderComposer();
  post({ type: 'send', requestId, text, kind, inReplyTo });
}

function sendFromComposer(): void {
  send(ui.input.value, ui.kind.value as SendKind, replyTo?.sequence ?? 0);
}

ui.send.addEventListener('click', sendFromComposer);
ui.retry.addEventListener('click', () => {
  if (failedSend) send(failedSend.text, failedSend.kind, failedSend.inReplyTo);
});
ui.input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    sendFromComposer();
  } else if (e.key === 'Escape' && replyTo) {
    replyTo = undefined;
    renderReplyChip();
    saveState();
  }
});
ui.input.addEventListener('input', () => {
  autoGrow();
  saveState();
});
ui.kind.addEventListener('change', saveState);

function autoGrow(): void {
  ui.input.style.height = 'auto';
  ui.input.style.height = `${Math.min(ui.input.scrollHeight, 200)}px`;
}

function restoreDraft(): void {
  if (persisted?.draft && !ui.input.value) ui.input.value = persisted.draft;
  if (persisted?.draftKind) ui.kind.value = persisted.draftKind;
  autoGrow();
}

// ---- toolbar ----
ui.copyAll.addEventListener('click', () => post({ type: 'copyAll' }));
ui.exportBtn.addEventListener('click', () => post({ type: 'exportTranscript' }));
ui.jump.addEventListener('click', () => {
  following = true;
  unread = 0;
  list.scrollToBottom();
  updateJump();
});

// ---- list interaction ----
ui.list.addEventListener('scroll', () => {
  const atBottom = list.isAtBottom();
  if (atBottom !== following) {
    following = atBottom;
    if (following) unread = 0;
    updateJump();
  }
  saveState();
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
      startReply(key);
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

function revealAndHighlight(key: string): void {
  const index = list.indexOf(key);
  if (index < 0) return;
  const previous = highlightKey;
  highlightKey = key;
  if (previous) list.refresh(previous);
  list.refresh(key);
  following = false;
  list.scrollToIndex(index, 'center');
  setActive(key, true);
  if (highlightTimer) clearTimeout(highlightTimer);
  highlightTimer = setTimeout(() => {
    highlightKey = undefined;
    list.elementFor(key)?.classList.remove('highlight');
  }, 2500);
}

function setActive(key: string, focus: boolean): void {
  const previous = activeKey;
  activeKey = key;
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
  let index = activeKey ? list.indexOf(activeKey) : -1;
  if (index < 0) index = delta === -1 ? list.length : list.firstVisibleIndex() - (delta === 1 ? 1 : 0);
  if (delta === 'first') index = 0;
  else if (delta === 'last') index = list.length - 1;
  else index = Math.max(0, Math.min(list.length - 1, index + delta));
  const view = list.itemAt(index)!;
  following = index === list.length - 1 && following;
  list.scrollToIndex(index, 'nearest');
  setActive(view.key, true);
  updateJump();
}

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
      if (!activeKey) return;
      startReply(activeKey);
      break;
    case 'c':
      if (!activeKey || e.ctrlKey || e.metaKey) return;
      post({ type: 'copyMessage', key: activeKey });
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

window.addEventListener('error', (e) => post({ type: 'webviewError', message: `${e.message} (${e.filename}:${e.lineno})` }));

// Persist which channel this is right away, so a window reload can restore the panel even before the first message.
if (!persisted && document.body.dataset.processId && document.body.dataset.channel) {
  persisted = { processId: document.body.dataset.processId, channel: document.body.dataset.channel };
  vscode.setState(persisted);
}
restoreDraft();
renderComposer();
post({ type: 'ready' });
