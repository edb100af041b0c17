// The messages between the channel panel host and its webview. Imported by both bundles, so: no `vscode`, no Node.
// Every message that crosses the boundary is validated on arrival (the other side is a different process).
import { isRecord } from '../colonies/text';


/** How a payload is shown. Decided on the host, where the bytes are. */
export type EntryBody =
  /** `note` says why a JSON payload is shown as sent rather than indented. */
  | { kind: 'text'; text: string; truncated: boolean; size: number; note?: string }
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
  /** The sequence as received when `sequence` cannot hold it (beyond 2^53); `sequence` is 0 then. */
  sequenceText?: string;
  /** Why Reply is not offered on this row (a sequence no reply can name). */
  noReply?: string;
  /** What the host changed to show the entry (a type cut short, a time it could not read…), shown on the row. */
  notes?: string[];
}

/**
 * Caps on one row as the host sends it (characters). The host builds rows within them; the webview enforces them
 * again on arrival, so a row over them is cut, never dropped with its batch.
 */
export const ROW_LIMITS = {
  key: 1000,
  text: 64 * 1024,
  hex: 400,
  label: 300,
  type: 100,
  error: 1100,
  time: 40,
  note: 300,
  notes: 6,
} as const;

/** A host -> webview message with rows stays under about this many characters of row data (at least one row). */
export const MAX_MESSAGE_CHARS = 1024 * 1024;

export type StatusView =
  | { kind: 'connecting' }
  | { kind: 'live' }
  /** `why`: one sentence from the colony catalog (plain text, server names in it). */
  | { kind: 'waiting'; why?: string }
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
  /** How many older entries the transcript no longer holds (caps per channel), and the sentence that says so. */
  | { type: 'dropped'; count: number; text: string }
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
  /** The server the panel was opened on (connection/identity.ts identityKey): a reload reconnects to it. */
  connection?: string;
  draft?: string;
  draftKind?: SendKind;
  replyTo?: { key: string; sequence: number };
  /** The key of the first visible message when the user was not following the stream. */
  anchorKey?: string;
}

/** Host-side limit for one composer message; the server's own limit is 10 MiB of bytes. */
export const MAX_COMPOSER_CHARS = 1_000_000;

type Obj = Record<string, unknown>;
const isObj: (v: unknown) => v is Obj = isRecord;
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
      // Any integer: the server stores sequences verbatim, negative ones included (docs/protocol.md §6), and 0 means "no reply".
      if (!isSeq(m.inReplyTo)) return { ok: false, reason: 'send: inReplyTo must be an integer' };
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

/** The requestId of a `send` that failed parseWebviewMessage, so the composer still gets its answer. */
export function sendRequestId(raw: unknown): string | undefined {
  return isObj(raw) && raw.type === 'send' && isStr(raw.requestId, 100) ? raw.requestId : undefined;
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
    case 'dropped':
      return isIndex(raw.count) && typeof raw.text === 'string';
    case 'sendResult':
      return typeof raw.requestId === 'string' && typeof raw.ok === 'boolean';
    default:
      return false;
  }
}

/** A number as exact decimal digits (2^60 as 1152921504606846976, not 1152921504606847000), at most 30 characters. */
export function numberText(v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '?';
  const text = Number.isInteger(v) ? BigInt(v).toString() : String(v);
  return text.length > 30 ? `${text.slice(0, 29)}…` : text;
}

const cut = (v: unknown, max: number): string => {
  const s = typeof v === 'string' ? v : '';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

/**
 * A row as the webview may render it: `v` when it is well-formed and within ROW_LIMITS, else a copy with every field
 * coerced and cut, and a note saying so. Never undefined, so one odd row cannot take its batch down with it.
 */
export function coerceEntryView(v: unknown, fallbackKey: string): EntryView {
  if (isEntryView(v) && withinLimits(v)) return v;
  const o: Obj = isObj(v) ? v : {};
  const b: Obj = isObj(o.body) ? o.body : {};
  const size = isIndex(b.size) ? b.size : 0;
  let body: EntryBody;
  if ((b.kind === 'text' || b.kind === 'json') && typeof b.text === 'string') {
    const truncated = b.text.length > ROW_LIMITS.text || b.truncated === true;
    body = { kind: 'text', text: cut(b.text, ROW_LIMITS.text), truncated, size: Math.max(size, b.text.length) };
  } else if (b.kind === 'binary') {
    body = { kind: 'binary', size, hex: cut(b.hex, ROW_LIMITS.hex) };
  } else {
    body = { kind: 'empty' };
  }
  const key = isStr(o.key, ROW_LIMITS.key) && o.key ? o.key : fallbackKey;
  const sender = (['me', 'executor', 'submitter', 'other'] as const).find((k) => k === o.sender) ?? 'other';
  const notes = (Array.isArray(o.notes) ? o.notes : []).slice(0, ROW_LIMITS.notes - 1).map((n) => cut(n, ROW_LIMITS.note));
  notes.push('This message arrived malformed or over the size limits and is shown cut down.');
  const view: EntryView = {
    key,
    sequence: isSeq(o.sequence) ? o.sequence : 0,
    inReplyTo: isSeq(o.inReplyTo) ? o.inReplyTo : 0,
    sender,
    senderId: cut(o.senderId, ROW_LIMITS.label),
    senderLabel: cut(o.senderLabel, ROW_LIMITS.label) || '?',
    time: isStr(o.time, ROW_LIMITS.time) ? o.time : '',
    type: cut(o.type, ROW_LIMITS.type) || 'data',
    error: cut(o.error, ROW_LIMITS.error),
    body,
    savable: o.savable === true,
    notes,
  };
  if (!isSeq(o.sequence)) {
    view.sequenceText = numberText(o.sequence);
    view.noReply = 'Its sequence number is not one a reply can name.';
  }
  if (isStr(o.parentKey, ROW_LIMITS.key)) view.parentKey = o.parentKey;
  return view;
}

function withinLimits(v: EntryView): boolean {
  const b = v.body;
  if ((b.kind === 'text' || b.kind === 'json') && (typeof b.text !== 'string' || b.text.length > ROW_LIMITS.text)) return false;
  if (b.kind === 'binary' && (typeof b.hex !== 'string' || b.hex.length > ROW_LIMITS.hex)) return false;
  if (v.notes !== undefined && (!Array.isArray(v.notes) || v.notes.length > ROW_LIMITS.notes || !v.notes.every((n) => isStr(n, ROW_LIMITS.note)))) return false;
  if (v.parentKey !== undefined && !isStr(v.parentKey, ROW_LIMITS.key)) return false;
  if (v.sequenceText !== undefined && !isStr(v.sequenceText, 40)) return false;
  if (v.noReply !== undefined && !isStr(v.noReply, ROW_LIMITS.note)) return false;
  return isStr(v.senderId, ROW_LIMITS.label) && isStr(v.senderLabel, ROW_LIMITS.label) && isStr(v.type, ROW_LIMITS.type) &&
    isStr(v.error, ROW_LIMITS.error) && isStr(v.time, ROW_LIMITS.time) && ['me', 'executor', 'submitter', 'other'].includes(v.sender);
}

let fallbackCounter = 0;

/**
 * The webview's reading of a host message: undefined when it is not one, else the message with every row coerced
 * (coerceEntryView), so a row the host should never have sent is shown cut down instead of blanking the batch.
 */
export function parseHostMessage(raw: unknown): HostMessage | undefined {
  if (!isObj(raw)) return undefined;
  const rows = (list: unknown[]): EntryView[] => list.map((v) => coerceEntryView(v, `malformed-row-${++fallbackCounter}`));
  switch (raw.type) {
    case 'init':
      if (!isObj(raw.info) || !Array.isArray(raw.entries) || !isObj(raw.status) || !isObj(raw.composer)) return undefined;
      return { ...(raw as unknown as Extract<HostMessage, { type: 'init' }>), entries: rows(raw.entries) };
    case 'entries': {
      if (!Array.isArray(raw.entries)) return undefined;
      if (raw.mode === 'splice') {
        if (!isIndex(raw.start) || !isIndex(raw.deleteCount)) return undefined;
        return { type: 'entries', mode: 'splice', start: raw.start, deleteCount: raw.deleteCount, entries: rows(raw.entries) };
      }
      if (raw.mode !== 'append' && raw.mode !== 'replace') return undefined;
      return { type: 'entries', mode: raw.mode, entries: rows(raw.entries) };
    }
    case 'dropped':
      return isIndex(raw.count) ? { type: 'dropped', count: raw.count, text: cut(raw.text, 1000) } : undefined;
    default:
      return isHostMessage(raw) ? raw : undefined;
  }
}

/** Reads a persisted webview state defensively (it comes from storage written by an older version, maybe). */
export function parsePersistedState(raw: unknown): WebviewPersistedState | undefined {
  if (!isObj(raw) || !isStr(raw.processId, 200) || !isStr(raw.channel, 1000) || !raw.processId || !raw.channel) return undefined;
  const state: WebviewPersistedState = { processId: raw.processId, channel: raw.channel };
  if (isStr(raw.connection, 1000) && raw.connection) state.connection = raw.connection;
  if (isStr(raw.draft, MAX_COMPOSER_CHARS)) state.draft = raw.draft;
  if (SEND_KINDS.includes(raw.draftKind as SendKind)) state.draftKind = raw.draftKind as SendKind;
  if (isObj(raw.replyTo) && isStr(raw.replyTo.key, 1000) && isSeq(raw.replyTo.sequence)) {
    state.replyTo = { key: raw.replyTo.key, sequence: raw.replyTo.sequence };
  }
  if (isStr(raw.anchorKey, 1000)) state.anchorKey = raw.anchorKey;
  return state;
}
