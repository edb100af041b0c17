// Owns the panel's title, the status strip and the note shown while the transcript is empty.
import type { ComposerView, StatusView } from '../../src/panels/protocol';
import { renderComposer } from './composer';
import { list } from './list';
import { ui } from './page';
import { state } from './state';

export function renderTitle(): void {
  const info = state.info;
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
      return s.why
        ? `Waiting: ${s.why} Messages you send are queued; the executor reads the channel history when it starts.`
        : 'Waiting for an executor: messages you send are queued; the executor reads the channel history when it starts.';
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

/** Shows the host's connection state and what the composer allows now (rendering the composer and its reply chip). */
export function setStatus(s: StatusView, c: ComposerView): void {
  state.status = s;
  state.composer = c;
  ui.status.className = `status status-${s.kind}`;
  ui.statusText.textContent = statusText(s);
  renderComposer();
}

export function renderEmpty(): void {
  const empty = list.length === 0;
  ui.empty.hidden = !empty;
  if (!empty) return;
  if (state.status.kind === 'finished') {
    ui.empty.textContent =
      'No messages were kept for this channel. The server deletes a channel when its process closes, and this channel was not open in this workspace while the process ran.';
  } else if (state.status.kind === 'waiting') {
    ui.empty.textContent =
      'No messages yet. The process is waiting for an executor. You can write now: your messages are queued on the channel and the executor reads the history when it starts.';
  } else {
    ui.empty.textContent = 'No messages yet.';
  }
}
