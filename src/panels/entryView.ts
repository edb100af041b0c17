// Turns channel entries (bytes from an untrusted executor) into what the webview renders. No `vscode`, no Node.
import { parseJson, stringifyJson } from '../colonies/json';
import { parseTime } from '../colonies/time';
import type { ChannelEntry } from '../colonies/types';
import type { EntryBody, EntryView, SenderKind } from './protocol';

/** Text longer than this is shown truncated; the full payload can be saved. */
export const MAX_SHOWN_TEXT = 64 * 1024;
/** JSON larger than this is not re-indented (parsing megabytes on every render is not worth it). */
const MAX_PRETTY_JSON = 256 * 1024;
const HEX_PREVIEW_BYTES = 64;

export function entryKey(e: Pick<ChannelEntry, 'senderid' | 'sequence' | 'timestamp'>): string {
  return `${e.senderid}:${e.sequence}:${e.timestamp}`;
}

export function shortId(id: string): string {
  return id.length > 12 ? id.slice(0, 12) : id;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The payload as text, or undefined when it is not valid UTF-8 or holds control bytes other than tab/newline/CR. */
export function payloadText(bytes: Uint8Array): string | undefined {
  for (const b of bytes) {
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) return undefined;
  }
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

export function hexPreview(bytes: Uint8Array, max = HEX_PREVIEW_BYTES): string {
  const parts: string[] = [];
  for (let i = 0; i < Math.min(bytes.length, max); i++) parts.push(bytes[i].toString(16).padStart(2, '0'));
  return parts.join(' ') + (bytes.length > max ? ' …' : '');
}

export function describeBody(bytes: Uint8Array): EntryBody {
  if (bytes.length === 0) return { kind: 'empty' };
  const text = payloadText(bytes);
  if (text === undefined) return { kind: 'binary', size: bytes.length, hex: hexPreview(bytes) };
  const trimmed = text.trim();
  if (bytes.length <= MAX_PRETTY_JSON && (trimmed.startsWith('{') || trimmed.startsWith('['))) {
    try {
      // The project's JSON keeps integers beyond 2^53 exact (ids, nanosecond times); JSON.parse would round them.
      return { kind: 'json', text: stringifyJson(parseJson(trimmed), 2), size: bytes.length };
    } catch {
      // Not JSON after all: shown as typed.
    }
  }
  const truncated = text.length > MAX_SHOWN_TEXT;
  return { kind: 'text', text: truncated ? text.slice(0, MAX_SHOWN_TEXT) : text, truncated, size: bytes.length };
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
 * (protocol §6); the parent is the closest earlier entry with that sequence from another sender, else from the same one.
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
    const key = entryKey(e);
    const parentKey = this.findParent(e);
    const view = previous && previous.key === key && previous.parentKey === parentKey ? previous : toEntryView(e, key, this.parties, parentKey);
    this.note(e, key);
    return view;
  }

  /** Records `e` as the next entry in order without building its view (a rebuild replaying the unchanged start). */
  note(e: ChannelEntry, key = entryKey(e)): void {
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
    if (!e.inreplyto) return undefined;
    const senders = this.bySeq.get(e.inreplyto);
    if (!senders) return undefined;
    for (const [sender, key] of senders) if (sender !== e.senderid) return key;
    return senders.get(e.senderid);
  }
}

function toEntryView(e: ChannelEntry, key: string, parties: Parties, parentKey: string | undefined): EntryView {
  const { sender, label } = senderOf(e.senderid, parties);
  const body = describeBody(e.payload ?? new Uint8Array());
  const view: EntryView = {
    key,
    sequence: e.sequence,
    inReplyTo: e.inreplyto || 0,
    sender,
    senderId: e.senderid,
    senderLabel: label,
    time: parseTime(e.timestamp)?.toISOString() ?? '',
    type: e.type || 'data',
    error: e.error || '',
    body,
    savable: body.kind === 'binary' || (body.kind === 'text' && body.truncated),
  };
  if (parentKey) view.parentKey = parentKey;
  return view;
}
