// Owns the composer: the input and its draft, the kind, Send, End Conversation and Retry, and the send waiting for the
// host's answer.
import type { HostMessage, SendKind } from '../../src/panels/protocol';
import { followLatest } from './list';
import { post, ui } from './page';
import { cancelReply, renderReplyChip } from './reply';
import { saveState } from './savedState';
import { state } from './state';

let requestCounter = 0;

export function renderComposer(): void {
  const { composer, sending, failedSend } = state;
  const enabled = composer.enabled;
  ui.composerRow.hidden = !enabled;
  ui.disabled.hidden = enabled;
  ui.disabled.textContent = enabled ? '' : (composer.reason ?? 'Sending is not possible now.');
  ui.hint.hidden = !enabled || !composer.hint;
  ui.hint.textContent = composer.hint ?? '';
  ui.send.disabled = !enabled || sending !== undefined;
  ui.input.readOnly = sending !== undefined;
  ui.send.textContent = sending && sending.kind !== 'end' ? 'Sending…' : 'Send';
  ui.endConversation.disabled = !enabled || sending !== undefined;
  ui.endConversation.textContent = sending?.kind === 'end' ? 'Ending…' : 'End Conversation';
  ui.sendError.hidden = !failedSend;
  ui.retry.disabled = !enabled || sending !== undefined;
  renderReplyChip();
}

function send(text: string, kind: SendKind, inReplyTo: number): void {
  if (state.sending || !state.composer.enabled) return;
  if (kind === 'data' && text.trim().length === 0) return;
  const requestId = `r${Date.now().toString(36)}-${++requestCounter}`;
  state.sending = { requestId, text, kind, inReplyTo };
  state.failedSend = undefined;
  renderComposer();
  post({ type: 'send', requestId, text, kind, inReplyTo });
}

function sendFromComposer(): void {
  send(ui.input.value, ui.kind.value as SendKind, state.replyTo?.sequence ?? 0);
}

/** The host's answer to a send: a sent message clears the composer and shows the newest message; a failed one offers Retry. */
export function onSendResult(m: Extract<HostMessage, { type: 'sendResult' }>): void {
  const sending = state.sending;
  if (!sending || sending.requestId !== m.requestId) return;
  if (m.ok) {
    state.sending = undefined;
    state.failedSend = undefined;
    // End Conversation sends no text: whatever is typed stays in the input.
    if (sending.text) ui.input.value = '';
    ui.kind.value = 'data';
    state.replyTo = undefined;
    followLatest();
  } else {
    state.failedSend = { text: sending.text, kind: sending.kind, inReplyTo: sending.inReplyTo };
    state.sending = undefined;
    ui.sendErrorText.textContent = `Not sent: ${m.error}`;
  }
  renderComposer();
  saveState();
}

function autoGrow(): void {
  ui.input.style.height = 'auto';
  ui.input.style.height = `${Math.min(ui.input.scrollHeight, 200)}px`;
}

/** Puts the saved draft back into an empty input. */
export function restoreDraft(): void {
  const persisted = state.persisted;
  if (persisted?.draft && !ui.input.value) ui.input.value = persisted.draft;
  if (persisted?.draftKind) ui.kind.value = persisted.draftKind;
  autoGrow();
}

/** Send, Retry, Enter and Escape in the input, and saving the draft as it changes. */
export function wireComposer(): void {
  ui.send.addEventListener('click', sendFromComposer);
  // The labelled way to end: an `end` entry, which executors read as the end of the conversation (docs/protocol.md
  // P8; the echo executor closes its process on it). Typing "end" sends the word as data.
  ui.endConversation.addEventListener('click', () => send('', 'end', 0));
  ui.retry.addEventListener('click', () => {
    const failed = state.failedSend;
    if (failed) send(failed.text, failed.kind, failed.inReplyTo);
  });
  ui.input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      sendFromComposer();
    } else if (e.key === 'Escape' && state.replyTo) {
      cancelReply();
      saveState();
    }
  });
  ui.input.addEventListener('input', () => {
    autoGrow();
    saveState();
  });
  ui.kind.addEventListener('change', saveState);
}
