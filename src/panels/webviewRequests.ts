// What one channel panel does for each message from its webview (protocol.ts): parse, then resync, send, save, copy or
// export. The panel's state stays in channelController.ts; this file only answers requests through the host it is given.
import { safeFileName, shortId } from '../base/format';
import { errorMessage } from '../colonies/rpc';
import type { ChannelEntry } from '../colonies/types';
import { payloadText, type Parties } from './entryView';
import { parseWebviewMessage, sendRequestId, type HostMessage, type WebviewMessage } from './protocol';
import { entryToClipboardText, transcriptToPlainText } from './transcriptExport';

export interface ControllerLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What the controller needs from the editor: dialogs and the clipboard. */
export interface ControllerActions {
  savePayload(bytes: Uint8Array, suggestedName: string): Promise<void>;
  copyText(text: string): Promise<void>;
  exportTranscript(): Promise<void>;
}

export type SendResult = Extract<HostMessage, { type: 'sendResult' }>;

/** The panel as the requests see it. */
export interface RequestHost {
  readonly processId: string;
  readonly channel: string;
  /** How log lines name the panel. */
  readonly label: string;
  readonly actions: ControllerActions;
  readonly log: ControllerLog;
  transcript(): readonly ChannelEntry[];
  parties(): Parties;
  entryByKey(key: string): ChannelEntry | undefined;
  resync(): void;
  send(text: string, kind: 'data' | 'end' | 'error', inReplyTo?: number): Promise<number>;
  /** Posts the answer to a send (and keeps it to post again on resync). */
  answerSend(result: SendResult): void;
}

/**
 * Handles one raw message from the webview; unknown or malformed ones are logged and ignored, except that a
 * malformed `send` is still answered (with an error), so the composer never waits for an answer that cannot come.
 */
export async function handleWebviewMessage(host: RequestHost, raw: unknown): Promise<void> {
  const parsed = parseWebviewMessage(raw);
  if (!parsed.ok) {
    host.log.warn(`Channel panel ${host.label}: ignored a message from the webview (${parsed.reason})`);
    const requestId = sendRequestId(raw);
    if (requestId !== undefined) host.answerSend({ type: 'sendResult', requestId, ok: false, error: `The message could not be sent: ${parsed.reason}.` });
    return;
  }
  try {
    await dispatch(host, parsed.message);
  } catch (err) {
    host.log.error(`Channel panel ${host.label}: ${parsed.message.type} failed: ${errorMessage(err)}`);
  }
}

async function dispatch(host: RequestHost, m: WebviewMessage): Promise<void> {
  switch (m.type) {
    case 'ready':
      host.resync();
      return;
    case 'send':
      try {
        const sequence = await host.send(m.text, m.kind, m.inReplyTo);
        host.answerSend({ type: 'sendResult', requestId: m.requestId, ok: true, sequence });
      } catch (err) {
        host.log.warn(`Channel ${host.label}: send failed: ${errorMessage(err)}`);
        host.answerSend({ type: 'sendResult', requestId: m.requestId, ok: false, error: errorMessage(err) });
      }
      return;
    case 'savePayload': {
      const e = host.entryByKey(m.key);
      if (!e) return host.log.warn(`Channel ${host.label}: no message ${m.key} to save`);
      const ext = payloadText(e.payload) !== undefined ? 'txt' : 'bin';
      await host.actions.savePayload(e.payload, `${shortId(host.processId)}-${safeFileName(host.channel, 'channel')}-${e.sequence}.${ext}`);
      return;
    }
    case 'copyMessage': {
      const e = host.entryByKey(m.key);
      if (e) await host.actions.copyText(entryToClipboardText(e));
      return;
    }
    case 'copyAll':
      await host.actions.copyText(transcriptToPlainText(host.transcript(), host.parties()));
      return;
    case 'exportTranscript':
      await host.actions.exportTranscript();
      return;
    case 'webviewError':
      host.log.error(`Channel panel ${host.label} webview: ${m.message}`);
      return;
  }
}
