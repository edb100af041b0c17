// Turns channel entries (bytes and fields from an untrusted executor or server) into what the webview renders.
// Every row is bounded here (ROW_LIMITS): payload text is cut, JSON is indented only within an output cap, labels are
// cut and their control characters made visible, and values a row cannot carry as they are (sequences beyond 2^53,
// unreadable times) are replaced, with a note on the row saying what was changed. No `vscode`, no Node.
import { parseTime } from '../colonies/time';
import { shortId } from '../base/format';
import type { ChannelEntry } from '../colonies/types';
import { MAX_SHOWN_ERROR, MAX_SHOWN_TYPE, displayLabel, formatBytes, formatCount, safeSlice, visibleControls } from './entryLimits';
import { prettyJson } from './jsonPretty';
import { ROW_LIMITS, numberText, type EntryBody, type EntryView, type SenderKind } from './protocol';

/** Text longer than this is shown truncated; the full payload can be saved. */
export const MAX_SHOWN_TEXT = ROW_LIMITS.text;
/** JSON larger than this is not re-indented (it is shown as sent, cut like any text). */
export const MAX_PRETTY_JSON_INPUT = 256 * 1024;
/** Indented JSON may be at most this many times longer than the payload (plus 1 KiB), and at most MAX_SHOWN_TEXT. */
const PRETTY_GROWTH = 3;
const HEX_PREVIEW_BYTES = 64;
/** Payloads up to this size are decoded in one go; larger ones in chunks, keeping only what is shown. */
const DECODE_AT_ONCE = 1024 * 1024;

/**
 * A row's key in the panel and the webview (a DOM attribute, so printable; colonies/entries.ts entryKey is the
 * stream's identity of an entry, NUL-separated and hashed when long).
 */
export function rowKey(e: Pick<ChannelEntry, 'senderid' | 'sequence' | 'timestamp'>): string {
  return `${e.senderid}:${e.sequence}:${e.timestamp}`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function hasControlBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) return true;
  }
  return false;
}

/** The payload as text, or undefined when it is not valid UTF-8 or holds control bytes other than tab/newline/CR. */
export function payloadText(bytes: Uint8Array): string | undefined {
  if (hasControlBytes(bytes)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The first `maxChars` characters of the payload as text, and whether that is all of it; undefined when the payload
 * is not text (see payloadText). A large payload is validated to its end but never held as one big string.
 */
export function payloadTextPrefix(bytes: Uint8Array, maxChars: number): { text: string; complete: boolean } | undefined {
  if (hasControlBytes(bytes)) return undefined;
  try {
    if (bytes.length <= DECODE_AT_ONCE) {
      const text = utf8.decode(bytes);
      return text.length <= maxChars ? { text, complete: true } : { text: safeSlice(text, maxChars), complete: false };
    }
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const chunk = 64 * 1024;
    let text = '';
    for (let at = 0; at < bytes.length; at += chunk) {
      const part = decoder.decode(bytes.subarray(at, at + chunk), { stream: true });
      if (text.length <= maxChars) text += part;
    }
    text += decoder.decode();
    return { text: safeSlice(text, maxChars), complete: false };
  } catch {
    return undefined;
  }
}

export function hexPreview(bytes: Uint8Array, max = HEX_PREVIEW_BYTES): string {
  const parts: string[] = [];
  for (let i = 0; i < Math.min(bytes.length, max); i++) parts.push(bytes[i].toString(16).padStart(2, '0'));
  return parts.join(' ') + (bytes.length > max ? ' …' : '');
}

/** How many characters indented JSON of an `inputChars`-long payload may take before it is shown as sent instead. */
export function prettyBudget(inputChars: number, cap = MAX_SHOWN_TEXT): number {
  return Math.min(cap, PRETTY_GROWTH * inputChars + 1024);
}

export function describeBody(bytes: Uint8Array): EntryBody {
  if (bytes.length === 0) return { kind: 'empty' };
  const decoded = payloadTextPrefix(bytes, Math.max(MAX_SHOWN_TEXT, bytes.length <= MAX_PRETTY_JSON_INPUT ? MAX_PRETTY_JSON_INPUT : 0));
  if (decoded === undefined) return { kind: 'binary', size: bytes.length, hex: hexPreview(bytes) };
  let note: string | undefined;
  if (decoded.complete && bytes.length <= MAX_PRETTY_JSON_INPUT) {
    const trimmed = decoded.text.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      // Tokens are copied, not re-serialised: integers beyond 2^53 (ids, nanosecond times) stay exact.
      const pretty = prettyJson(trimmed, prettyBudget(trimmed.length));
      if (pretty.valid && 'text' in pretty) return { kind: 'json', text: pretty.text, size: bytes.length };
      if (pretty.valid) note = `JSON shown as sent: indented it would be longer than ${formatBytes(prettyBudget(trimmed.length))}.`;
    }
  }
  const truncated = !decoded.complete || decoded.text.length > MAX_SHOWN_TEXT;
  const body: EntryBody = { kind: 'text', text: truncated ? safeSlice(decoded.text, MAX_SHOWN_TEXT) : decoded.text, truncated, size: bytes.length };
  if (note) body.note = note;
  return body;
}

export interface Parties {
  myId: string;
  initiatorId?: string;
  executorId?: string;
}

export function senderOf(senderId: string, parties: Parties): { sender: SenderKind; label: string } {
  if (senderId === parties.myId) return { sender: 'me', label: 'You' };
  if (parties.executorId && senderId === parties.executorId) return { sender: 'executor', label: 'Executor' };
  if (parties.initiatorId && senderId === parties.initiatorId) return { sender: 'submitter', label: 'Submitter' };
  // An executor that ran the process before a retry, or one we have not been told about yet.
  if (senderId && senderId !== parties.initiatorId && parties.myId === parties.initiatorId) {
    return { sender: 'executor', label: `Executor ${shortId(senderId)}` };
  }
  return { sender: 'other', label: shortId(senderId) || 'Server' };
}

/**
 * Builds views incrementally, resolving reply parents. `inreplyto` names a sequence, normally the other party's
 * (docs/protocol.md §6); the parent is the closest earlier entry with that sequence from another sender, else from the same one.
 */
export class EntryViewBuilder {
  // Latest key per sequence and sender seen so far.
  private bySeq = new Map<number, Map<string, string>>();

  constructor(public parties: Parties) {}

  reset(): void {
    this.bySeq.clear();
  }

  /** The view of `e`, the next entry in order; `previous` (its earlier view) is returned when its parent is unchanged. */
  add(e: ChannelEntry, previous?: EntryView): EntryView {
    const key = rowKey(e);
    const parentKey = this.findParent(e);
    const view = previous && previous.key === key && previous.parentKey === parentKey ? previous : toEntryView(e, key, this.parties, parentKey);
    this.note(e, key);
    return view;
  }

  /** Records `e` as the next entry in order without building its view (a rebuild replaying the unchanged start). */
  note(e: ChannelEntry, key = rowKey(e)): void {
    let senders = this.bySeq.get(e.sequence);
    if (!senders) this.bySeq.set(e.sequence, (senders = new Map()));
    senders.set(e.senderid, key);
  }

  /** Views for a whole transcript, from scratch. */
  all(entries: readonly ChannelEntry[]): EntryView[] {
    this.reset();
    return entries.map((e) => this.add(e));
  }

  private findParent(e: ChannelEntry): string | undefined {
    if (!e.inreplyto || !Number.isSafeInteger(e.inreplyto)) return undefined;
    const senders = this.bySeq.get(e.inreplyto);
    if (!senders) return undefined;
    for (const [sender, key] of senders) if (sender !== e.senderid) return key;
    return senders.get(e.senderid);
  }
}

/** Year 1 or earlier: Go's zero time in any zone (docs/protocol.md P12), which means the server set no time. */
function isGoZeroTime(ts: string): boolean {
  const m = /^(-?\d{1,6})-/.exec(ts);
  return m !== null && Number(m[1]) <= 1;
}

function toEntryView(e: ChannelEntry, key: string, parties: Parties, parentKey: string | undefined): EntryView {
  const { sender, label } = senderOf(e.senderid, parties);
  const body = describeBody(e.payload ?? new Uint8Array());
  const notes: string[] = [];
  const type = displayLabel(e.type || 'data', MAX_SHOWN_TYPE);
  if (type.cut) notes.push(`Type cut to ${MAX_SHOWN_TYPE} characters (it has ${formatCount((e.type || '').length)}).`);
  const error = displayLabel(e.error || '', MAX_SHOWN_ERROR);
  const view: EntryView = {
    key: key.length <= ROW_LIMITS.key ? key : `${key.slice(0, 900)}…`,
    sequence: e.sequence,
    inReplyTo: e.inreplyto || 0,
    sender,
    senderId: visibleControls(e.senderid).slice(0, ROW_LIMITS.label),
    senderLabel: displayLabel(label, 60).text,
    time: '',
    type: type.text,
    error: error.text,
    body,
    savable: body.kind === 'binary' || (body.kind === 'text' && body.truncated),
  };
  if (!Number.isSafeInteger(e.sequence)) {
    view.sequence = 0;
    view.sequenceText = numberText(e.sequence);
    view.noReply = 'Its sequence number is beyond 2^53, so a reply could not name it exactly.';
    notes.push(`Sequence ${view.sequenceText} is beyond 2^53 and shown rounded; Reply is off for this message.`);
  } else if (e.sequence === 0) {
    view.noReply = 'Its sequence number is 0, which means "not a reply" in ColonyOS.';
  }
  if (!Number.isSafeInteger(view.inReplyTo)) {
    notes.push(`Replies to sequence ${numberText(e.inreplyto)}, which is beyond 2^53.`);
    view.inReplyTo = 0;
  }
  const time = parseTime(e.timestamp);
  if (time) {
    view.time = time.toISOString();
  } else if (e.timestamp && !isGoZeroTime(e.timestamp)) {
    // Go's zero time means "no time"; anything else that does not parse is said to be odd.
    notes.push(`The server's time for this message could not be read: "${displayLabel(e.timestamp, 40).text}".`);
  }
  if (body.kind === 'text' && body.note) notes.push(body.note);
  if (notes.length) view.notes = notes.slice(0, ROW_LIMITS.notes).map((n) => safeSlice(n, ROW_LIMITS.note));
  if (parentKey) view.parentKey = parentKey;
  return view;
}

/** About how many characters a row takes in a host -> webview message (what MAX_MESSAGE_CHARS counts). */
export function viewWeight(v: EntryView): number {
  const b = v.body;
  const body = b.kind === 'text' || b.kind === 'json' ? b.text.length : b.kind === 'binary' ? b.hex.length : 0;
  let notes = 0;
  for (const n of v.notes ?? []) notes += n.length;
  return 300 + v.key.length * 2 + v.senderId.length + v.senderLabel.length + v.type.length + v.error.length + body + notes;
}
