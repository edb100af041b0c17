// Owns what the webview saves for a window reload (vscode.setState): the channel, the draft, the reply and the scroll anchor.
import type { SendKind, WebviewPersistedState } from '../../src/panels/protocol';
import { list } from './list';
import { ui, vscode } from './page';
import { state } from './state';

let saveTimer: ReturnType<typeof setTimeout> | undefined;
/** Saves soon (once per burst of changes), once the host has said which channel this is. */
export function saveState(): void {
  if (saveTimer) return;
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    if (!state.info) return;
    const first = state.following ? undefined : list.itemAt(list.firstVisibleIndex());
    const saved: WebviewPersistedState = { processId: state.info.processId, channel: state.info.channel, ...openedOn() };
    if (ui.input.value) saved.draft = ui.input.value;
    if (ui.kind.value !== 'data') saved.draftKind = ui.kind.value as SendKind;
    if (state.replyTo) saved.replyTo = state.replyTo;
    if (first) saved.anchorKey = first.key;
    state.persisted = saved;
    vscode.setState(saved);
  }, 200);
}

/** Persists which channel this is right away, so a window reload can restore the panel even before the first message. */
export function saveChannelNow(): void {
  if (!state.persisted && document.body.dataset.processId && document.body.dataset.channel) {
    state.persisted = { processId: document.body.dataset.processId, channel: document.body.dataset.channel, ...openedOn() };
    vscode.setState(state.persisted);
  }
}

/** The server the host says this panel was opened on, saved so a reload reconnects to it and not to the active one. */
function openedOn(): { connection?: string } {
  const connection = document.body.dataset.connection;
  return connection ? { connection } : {};
}
