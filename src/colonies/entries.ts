// Channel entries: wire decoding, identity for de-duplication, and the server's log order.

import { ColoniesError, ColoniesTransportError, decodeBase64 } from './rpc';
import { toBigInt } from './json';
import { parseTimeNs } from './time';
import type { ChannelEntry } from './types';
import { hashText } from './hash';

/** Largest decoded payload the server stores per channel message (docs/protocol.md §6). */
export const MAX_CHANNEL_PAYLOAD_BYTES = 10 * 1024 * 1024;

export function payloadBytes(payload: string | Uint8Array): Uint8Array {
  return typeof payload === 'string' ? new Uint8Array(Buffer.from(payload, 'utf8')) : payload;
}

/** Rejects oversized payloads before they are sent, with the numbers a user needs to fix it. */
export function checkPayloadSize(bytes: Uint8Array): void {
  if (bytes.length > MAX_CHANNEL_PAYLOAD_BYTES) {
    throw new ColoniesError(
      413,
      `Channel message is too large: ${bytes.length} bytes, but ColonyOS accepts at most ${MAX_CHANNEL_PAYLOAD_BYTES} bytes (10 MiB) per message`,
    );
  }
}

function int(value: unknown): number {
  return typeof value === 'number' ? value : Number(toBigInt(value));
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Converts one decoded MsgEntry (payload base64 or null) to a ChannelEntry. */
export function toChannelEntry(raw: unknown): ChannelEntry {
  if (!raw || typeof raw !== 'object') {
    throw new ColoniesTransportError('Server sent a channel entry that is not an object', 'protocol');
  }
  const r = raw as Record<string, unknown>;
  const payload = r.payload;
  if (payload !== null && payload !== undefined && typeof payload !== 'string') {
    throw new ColoniesTransportError('Server sent a channel entry whose payload is not a base64 string', 'protocol');
  }
  return {
    sequence: int(r.sequence),
    inreplyto: int(r.inreplyto ?? 0),
    timestamp: str(r.timestamp),
    senderid: str(r.senderid),
    payload: payload ? decodeBase64(payload) : new Uint8Array(0),
    type: str(r.type) || 'data',
    error: str(r.error),
  };
}

export function toChannelEntries(value: unknown): ChannelEntry[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new ColoniesTransportError('Server sent channel entries that are not a list', 'protocol');
  return value.map(toChannelEntry);
}

/** The server's per-subscriber overflow marker, not a log entry (docs/protocol.md §5.3). */
export function isOverflowMarker(entry: ChannelEntry): boolean {
  return entry.error !== '';
}

/** Keys longer than this (a server sending huge ids or times) are shortened to a prefix and a hash. */
const MAX_KEY_CHARS = 512;

/** Identity of an entry across history frames, pushes and re-subscriptions (docs/protocol.md §5.3). */
export function entryKey(entry: ChannelEntry): string {
  const key = `${entry.senderid}\u0000${entry.sequence}\u0000${entry.timestamp}`;
  return key.length <= MAX_KEY_CHARS ? key : `${key.slice(0, 200)}\u0000#${hashText(key)}`;
}

/** The server's log order: one sender by sequence, different senders by receive time. */
export function compareEntries(a: ChannelEntry, b: ChannelEntry): number {
  if (a.senderid === b.senderid) return a.sequence - b.sequence;
  const ta = parseTimeNs(a.timestamp);
  const tb = parseTimeNs(b.timestamp);
  if (ta === undefined || tb === undefined || ta === tb) return 0;
  return ta < tb ? -1 : 1;
}

/** Inserts `entry` after the last element that does not sort after it (stable; usually an append). */
export function insertInOrder(list: ChannelEntry[], entry: ChannelEntry): number {
  let i = list.length;
  while (i > 0 && compareEntries(list[i - 1], entry) > 0) i--;
  list.splice(i, 0, entry);
  return i;
}

export function entryText(entry: ChannelEntry): string {
  return Buffer.from(entry.payload).toString('utf8');
}
