// The transcript file format, line by line, and the file helpers it needs. Plain Node, no `vscode`.
// The format (JSON Lines, one file per (process, channel), `<channel>.jsonl` beside `<channel>.meta.json`):
// - an entry line: {"sequence","inreplyto","timestamp","senderid","type","error","payload"(base64)}, in ARRIVAL order;
// - a drop record: {"dropped": n}, n entries were removed by the caps before they were written;
// - a header (first line, written by compaction only): {"v": 2, "dropped": n}, n entries were removed before it.
// The file is only ever appended to: an entry that arrives out of order is appended like any other, and the order is
// made on load by inserting each entry as it was inserted live (the server's log order). Entries removed by the caps
// stay in the file until it holds more than twice what is kept, when it is compacted once (temp file + rename), so
// the bytes written stay within three times what arrived. A transcript written by an older version (entries only, in
// display order) is a valid file of this format and loads unchanged; its first compaction adds the header.
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import type { ChannelEntry } from '../colonies/types';

interface StoredLine {
  sequence: number;
  inreplyto: number;
  timestamp: string;
  senderid: string;
  type: string;
  error: string;
  payload: string; // base64
}

export function encodeEntryLine(e: ChannelEntry): string {
  const line: StoredLine = {
    sequence: e.sequence,
    inreplyto: e.inreplyto || 0,
    timestamp: e.timestamp,
    senderid: e.senderid,
    type: e.type || 'data',
    error: e.error || '',
    payload: Buffer.from(e.payload ?? new Uint8Array()).toString('base64'),
  };
  return JSON.stringify(line);
}

export function entryFromObject(o: Record<string, unknown>): ChannelEntry | undefined {
  if (typeof o.sequence !== 'number' || typeof o.senderid !== 'string' || typeof o.timestamp !== 'string' || typeof o.payload !== 'string') {
    return undefined;
  }
  return {
    sequence: o.sequence,
    inreplyto: typeof o.inreplyto === 'number' ? o.inreplyto : 0,
    timestamp: o.timestamp,
    senderid: o.senderid,
    type: typeof o.type === 'string' && o.type ? o.type : 'data',
    error: typeof o.error === 'string' ? o.error : '',
    payload: new Uint8Array(Buffer.from(o.payload, 'base64')),
  };
}

export function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The count of a drop record or header, or undefined when the line is not one. */
export function droppedCount(o: Record<string, unknown>): number | undefined {
  if ('payload' in o) return undefined;
  const n = o.dropped;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** The lines of a file, read in chunks (a line holds up to a 10 MiB payload in base64). Nothing when it is missing. */
export async function* readLines(file: string): AsyncGenerator<{ line: string; bytes: number; terminated: boolean }> {
  const stream = createReadStream(file, { highWaterMark: 1024 * 1024 });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, nl);
        const whole = pending.length ? Buffer.concat([...pending, piece]) : piece;
        pending = [];
        pendingBytes = 0;
        yield { line: whole.toString('utf8'), bytes: whole.length + 1, terminated: true };
        start = nl + 1;
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
      }
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  } finally {
    stream.destroy();
  }
  if (pendingBytes > 0) {
    const whole = Buffer.concat(pending);
    yield { line: whole.toString('utf8'), bytes: whole.length, terminated: false };
  }
}

/**
 * A file-system-safe name that cannot escape the directory (channel names are free text). Unlike base/format.ts
 * safeFileName (a readable name for a file the user saves), two names never map to the same one.
 */
export function storageName(name: string): string {
  const encoded = name.replace(/[^A-Za-z0-9_-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return encoded.length > 150 ? `${encoded.slice(0, 120)}~${simpleHash(name)}` : encoded || '%empty';
}

function simpleHash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h.toString(16);
}

export async function writeAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, content, 'utf8');
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}
