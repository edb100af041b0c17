// The messages between the channel panel host and its webview. Imported by both bundles, so: no `vscode`, no Node.
// Every message that crosses the boundary is validated on arrival (the other side is a different process).

/** How a payload is shown. Decided on the host, where the bytes are. */
export type EntryBody =
  | { kind: 'text'; text: string; truncated: boolean; size: number }
  | { kind: 'json'; text: string; size: number }
  | { kind: 'binary'; size: number; hex: string }
  | { kind: 'empty' };

export type SenderKind = 'me' | 'executor' | 'submitter' | 'other';

/** One channel entry, ready to render. */
export interface EntryView {
  /** Unique within the transcript: sender, sequence and server timestamp (how the protocol de-duplicates). */
  key: string;
  sequence: number;
  /** 0 when the entry is not a reply. */
  inReplyTo: number;
  /** The key of the entry it replies to, when that entry is in the transcript. */
  parentKey?: string;
  sender: SenderKind;
  senderId: string;
  /** "You", "Executor", "Submitter" or a short id. */
  senderLabel: string;
  /** ISO time, or '' when the server sent none. */
  time: string;
  /** 'data', 'end', 'error' or any other type verbatim (the server attaches no meaning to types). */
  type: string;
  /** The server's own error text on an entry (e.g. a subscriber buffer overflow). */
  error: string;
  body: EntryBody;
  /** True when the payload can be saved to a file (binary, or text too long to show in full). */
  savable: boolean;
}

export type StatusView =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'waiting' }
  | { kind: 'reconnecting'; attempt: number; reason: string }
  | { kind: 'finished'; state: string }
  | { kind: 'offline'; reason: string }
  | { kind: 'error'; message: string };

export interface ComposerView {
  enabled: boolean;
  /** Why sending is not possible; shown in place of the composer. */
  reason?: string;
  /** A hint shown above the composer while sending is possible (e.g. queued for the executor). */
  hint?: string;
}

export interface PanelInfo {
  processId: string;
  shortId: string;
  channel: string;
  funcname: string;
  colonyName: string;
}

export type SendKind = 'data' | 'end' | 'error';
export const SEND_KINDS: readonly SendKind[] = ['data', 'end', 'error'];

// ---- host -> webview ----
export type HostMessage =
  | { type: 'init'; info: PanelInfo; entries: EntryView[]; status: StatusView; composer: ComposerView }
  | { type: 'entries'; mode: 'append'; entries: EntryView[] }
  | { type: 'entries'; mode: 'replace'; entries: EntryView[] }
  /**
   * Like Array.prototype.splice on the shown list: removes `deleteCount` rows at `start` and puts `entries` there.
   * Sent when entries land before the end (a sender's lower sequence arrived late) or when the view of shown rows
   * changed (a reply whose parent just arrived), so only what changed crosses the boundary.
   */
  | { type: 'entries'; mode: 'splice'; start: number; deleteCount: number; entries: EntryView[] }
  | { type: 'status'; status: StatusView; composer: ComposerView }
  | { type: 'sendResult'; requestId: string; ok: true; sequence: number }
  | { type: 'sendResult'; requestId: string; ok: false; error: string };

// ---- webview -> host ----
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'send'; requestId: string; text: string; kind: SendKind; inReplyTo: number }
  | { type: 'savePayload'; key: string }
  | { type: 'copyMessage'; key: string }
  | { type: 'copyAll' }
  | { type: 'exportTranscript' }
  | { type: 'webviewError'; message: string };

/** The rows shown after `m` when `rows` were shown before: what init and each `entries` mode mean. */
export function applyToRows(rows: readonly EntryView[], m: HostMessage): EntryView[] {
  if (m.type === 'init') return m.entries.slice();
  if (m.type !== 'entries') return rows.slice();
  switch (m.mode) {
    case 'replace':
      return m.entries.slice();
    case 'append':
      return [...rows, ...m.entries];
    case 'splice':
      return [...rows.slice(0, m.start), ...m.entries, ...rows.slice(m.start + m.deleteCount)];
  }
}

/** State the webview keeps across reloads via setState; the serializer reads processId/channel from it. */
export interface WebviewPersistedState {
  processId: string;
  channel: string;
  draft?: string;
  draftKind?: SendKind;
  replyTo?: { key: string; sequence: number };
  /** The key of the first visible message when the user was not following the stream. */
  anchorKey?: string;
}

/** Host-side limit for one composer message; the server's own limit is 10 MiB of bytes. */
export const MAX_COMPOSER_CHARS = 1_000_000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max = 10_000): v is string => typeof v === 'string' && v.length <= max;
const isSeq = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isIndex = (v: unknown): v is number => isSeq(v) && v >= 0;

/** A message from the webview, or undefined with the reason when it is unknown or malformed. */
export function parseWebviewMessage(raw: unknown): { ok: true; message: WebviewMessage } | { ok: false; reason: string } {
  if (!isObj(raw) || typeof raw.type !== 'string') return { ok: false, reason: 'not an object with a string "type"' };
  const m = raw;
  switch (m.type) {
    case 'ready':
    case 'copyAll':
    case 'exportTranscript':
      return { ok: true, message: { type: m.type } };
    case 'send':
      if (!isStr(m.requestId, 100)) return { ok: false, reason: 'send: requestId must be a short string' };
      if (!isStr(m.text, MAX_COMPOSER_CHARS)) return { ok: false, reason: `send: text must be a string of at most ${MAX_COMPOSER_CHARS} characters` };
      if (!SEND_KINDS.includes(m.kind as SendKind)) return { ok: false, reason: 'send: kind must be data, end or error' };
      if (!isSeq(m.inReplyTo) || m.inReplyTo < 0) return { ok: false, reason: 'send: inReplyTo must be a non-negative integer' };
      return { ok: true, message: { type: 'send', requestId: m.requestId, text: m.text, kind: m.kind as SendKind, inReplyTo: m.inReplyTo } };
    case 'savePayload':
    case 'copyMessage':
      if (!isStr(m.key, 1000)) return { ok: false, reason: `${m.type}: key must be a string` };
      return { ok: true, message: { type: m.type, key: m.key } };
    case 'webviewError':
      if (!isStr(m.message, 100_000)) return { ok: false, reason: 'webviewError: message must be a string' };
      return { ok: true, message: { type: 'webviewError', message: m.message.slice(0, 2000) } };
    default:
      return { ok: false, reason: `unknown message type ${JSON.stringify(String(m.type).slice(0, 50))}` };
  }
}

function isEntryView(v: unknown): v is EntryView {
  if (!isObj(v) || !isObj(v.body)) return false;
  return isStr(v.key, 1000) && isSeq(v.sequence) && isSeq(v.inReplyTo) && isStr(v.senderLabel) && isStr(v.type) &&
    typeof v.time === 'string' && typeof v.error === 'string' && typeof v.body.kind === 'string';
}

/** The webview's check on what the host sends (defence in depth; the host is trusted but may be newer or older). */
export function isHostMessage(raw: unknown): raw is HostMessage {
  if (!isObj(raw)) return false;
  switch (raw.type) {
    case 'init':
      return isObj(raw.info) && Array.isArray(raw.entries) && raw.entries.every(isEntryView) && isObj(raw.status) && isObj(raw.composer);
    case 'entries':
      if (!Array.isArray(raw.entries) || !raw.entries.every(isEntryView)) return false;
      if (raw.mode === 'splice') return isIndex(raw.start) && isIndex(raw.deleteCount);
      return raw.mode === 'append' || raw.mode === 'replace';
    case 'status':
      return isObj(raw.status) && isObj(raw.composer);
    case 'sendResult':
      return typeof raw.requestId === 'string' && typeof raw.ok === 'boolean';
    default:
      return false;
  }
}

/** Reads a persisted webview state defensively (it comes from storage written by an older version, maybe). */
export function parsePersistedState(raw: unknown): WebviewPersistedState | undefined {
  if (!isObj(raw) || !isStr(raw.processId, 200) || !isStr(raw.channel, 1000) || !raw.processId || !raw.channel) return undefined;
  const state: WebviewPersistedState = { processId: raw.processId, channel: raw.channel };
  if (isStr(raw.draft, MAX_COMPOSER_CHARS)) state.draft = raw.draft;
  if (SEND_KINDS.includes(raw.draftKind as SendKind)) state.draftKind = raw.draftKind as SendKind;
  if (isObj(raw.replyTo) && isStr(raw.replyTo.key, 1000) && isSeq(raw.replyTo.sequence)) {
    state.replyTo = { key: raw.replyTo.key, sequence: raw.replyTo.sequence };
  }
  if (isStr(raw.anchorKey, 1000)) state.anchorKey = raw.anchorKey;
  return state;
}
