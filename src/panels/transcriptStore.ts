// Local copies of channel transcripts: the server deletes a channel when its process closes (docs/protocol.md §6), so this is
// the only record afterwards. Plain Node, no `vscode`.
//
// File format (JSON Lines, one file per (process, channel), `<channel>.jsonl` beside `<channel>.meta.json`):
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
import * as path from 'node:path';
import { insertInOrder } from '../colonies/entries';
import type { ChannelEntry } from '../colonies/types';
import { boundEntry, entryWeight } from './entryLimits';
import { rowKey } from './entryView';

/** What we know about the process, kept beside the transcript so a closed process still has a title. */
export interface TranscriptMeta {
  processId: string;
  channel: string;
  funcname?: string;
  colonyName?: string;
  initiatorId?: string;
  executorId?: string;
  /** The final state's name once the process finished. */
  finalState?: string;
}

/** What one channel keeps: the newest entries within both caps (the oldest go first). */
export interface ChannelLimits {
  maxEntries: number;
  /** Compared with entryWeight (about the bytes of the entry's line in the file). */
  maxBytes: number;
}

/** The defaults of the colonyos.transcripts.* settings. */
export const TRANSCRIPT_DEFAULTS = {
  maxEntriesPerChannel: 10_000,
  maxMBPerChannel: 50,
  maxTotalMB: 500,
  maxAgeDays: 90,
} as const;

export const DEFAULT_CHANNEL_LIMITS: ChannelLimits = {
  maxEntries: TRANSCRIPT_DEFAULTS.maxEntriesPerChannel,
  maxBytes: TRANSCRIPT_DEFAULTS.maxMBPerChannel * 1024 * 1024,
};

/** A file is compacted when it holds more than twice the bytes of what it keeps, plus this much. */
const COMPACT_SLACK_BYTES = 1024 * 1024;

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

function entryFromObject(o: Record<string, unknown>): ChannelEntry | undefined {
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

export function decodeEntryLine(line: string): ChannelEntry | undefined {
  const v = parseLine(line);
  return v && !('dropped' in v && !('payload' in v)) ? entryFromObject(v) : undefined;
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The count of a drop record or header, or undefined when the line is not one. */
function droppedCount(o: Record<string, unknown>): number | undefined {
  if ('payload' in o) return undefined;
  const n = o.dropped;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** The lines of a file, read in chunks (a line holds up to a 10 MiB payload in base64). Nothing when it is missing. */
async function* readLines(file: string): AsyncGenerator<{ line: string; bytes: number; terminated: boolean }> {
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

/** A file-system-safe name that cannot escape the directory (channel names are free text). */
function safeName(name: string): string {
  const encoded = name.replace(/[^A-Za-z0-9_-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return encoded.length > 150 ? `${encoded.slice(0, 120)}~${simpleHash(name)}` : encoded || '%empty';
}

function simpleHash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h.toString(16);
}

async function writeAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, content, 'utf8');
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Runs tasks one at a time in the order they were added. A task's failure goes to its own caller only. Nothing is
 * chained: the queue is an array that empties as tasks finish, so it does not grow with the number of writes.
 */
export class SerialQueue {
  private readonly tasks: Array<() => Promise<void>> = [];
  private running = false;
  private idleWaiters: Array<() => void> = [];

  run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.tasks.push(() => task().then(resolve, reject));
      void this.pump();
    });
  }

  /** Resolves when every task added so far has finished. */
  idle(): Promise<void> {
    if (!this.running && this.tasks.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get size(): number {
    return this.tasks.length + (this.running ? 1 : 0);
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    while (this.tasks.length > 0) await this.tasks.shift()!();
    this.running = false;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}

/** What a transcript file wrote, for the tests and the benchmarks. */
export interface TranscriptWriteStats {
  appends: number;
  appendedBytes: number;
  compactions: number;
  compactedBytes: number;
}

export interface PruneOptions {
  /** Delete transcripts not written for this long (0 = never by age). */
  maxAgeMs: number;
  /** Then delete the least recently written until the rest fits. */
  maxTotalBytes: number;
  now?: number;
}

export interface StoreUsage {
  transcripts: number;
  bytes: number;
}

interface StoredTranscript {
  base: string;
  files: string[];
  bytes: number;
  mtimeMs: number;
}

export class TranscriptStore {
  private readonly openFiles = new Set<TranscriptFile>();

  constructor(readonly rootDir: string) {}

  private get dir(): string {
    return path.join(this.rootDir, 'transcripts');
  }

  private base(processId: string, channel: string): string {
    return path.join(this.dir, safeName(processId), safeName(channel));
  }

  transcriptFile(processId: string, channel: string): string {
    return `${this.base(processId, channel)}.jsonl`;
  }

  /** The transcript of one channel; close() it when the panel goes, so pruning may delete it again. */
  open(processId: string, channel: string): TranscriptFile {
    const file = new TranscriptFile(this.transcriptFile(processId, channel), `${this.base(processId, channel)}.meta.json`, (f) => this.openFiles.delete(f));
    this.openFiles.add(file);
    return file;
  }

  /** Every stored transcript, with its files' total size and when it was last written. */
  private async list(): Promise<StoredTranscript[]> {
    const out = new Map<string, StoredTranscript>();
    let dirs: string[];
    try {
      dirs = await fs.readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    for (const d of dirs) {
      const full = path.join(this.dir, d);
      let names: string[];
      try {
        names = await fs.readdir(full);
      } catch {
        continue;
      }
      for (const name of names) {
        const m = /^(.*?)(\.jsonl|\.meta\.json|\.jsonl\.\d+\.\d+\.tmp|\.meta\.json\.\d+\.\d+\.tmp)$/.exec(name);
        if (!m) continue;
        const file = path.join(full, name);
        let st;
        try {
          st = await fs.stat(file);
        } catch {
          continue;
        }
        const base = path.join(full, m[1]);
        const t = out.get(base) ?? { base, files: [], bytes: 0, mtimeMs: 0 };
        t.files.push(file);
        t.bytes += st.size;
        t.mtimeMs = Math.max(t.mtimeMs, st.mtimeMs);
        out.set(base, t);
      }
    }
    return [...out.values()];
  }

  private isOpen(base: string): boolean {
    for (const f of this.openFiles) if (f.file === `${base}.jsonl`) return true;
    return false;
  }

  async usage(): Promise<StoreUsage> {
    const all = await this.list();
    return { transcripts: all.length, bytes: all.reduce((n, t) => n + t.bytes, 0) };
  }

  /**
   * Deletes transcripts not written for `maxAgeMs`, then the least recently written ones until the rest fits
   * `maxTotalBytes`. Transcripts of open panels are kept (their own caps bound them).
   */
  async prune(o: PruneOptions): Promise<{ deleted: number; deletedBytes: number; keptBytes: number }> {
    const now = o.now ?? Date.now();
    const all = (await this.list()).sort((a, b) => a.mtimeMs - b.mtimeMs);
    let total = all.reduce((n, t) => n + t.bytes, 0);
    let deleted = 0;
    let deletedBytes = 0;
    for (const t of all) {
      if (this.isOpen(t.base)) continue;
      const old = o.maxAgeMs > 0 && now - t.mtimeMs > o.maxAgeMs;
      if (!old && total <= o.maxTotalBytes) continue;
      await Promise.all(t.files.map((f) => fs.rm(f, { force: true })));
      total -= t.bytes;
      deleted++;
      deletedBytes += t.bytes;
    }
    await this.removeEmptyDirs();
    return { deleted, deletedBytes, keptBytes: total };
  }

  /**
   * Deletes every stored transcript. Open panels' files are emptied through their own write queues (so no write of
   * theirs lands half in the old file); what the panels show stays, and new messages are saved again from here on.
   */
  async clear(): Promise<StoreUsage> {
    const all = await this.list();
    const before = { transcripts: all.length, bytes: all.reduce((n, t) => n + t.bytes, 0) };
    await Promise.all([...this.openFiles].map((f) => f.reset()));
    for (const t of all) {
      if (this.isOpen(t.base)) continue;
      await Promise.all(t.files.map((f) => fs.rm(f, { force: true })));
    }
    await this.removeEmptyDirs();
    return before;
  }

  private async removeEmptyDirs(): Promise<void> {
    let dirs: string[];
    try {
      dirs = await fs.readdir(this.dir);
    } catch {
      return;
    }
    // rmdir fails on a directory that is not empty, which is what we want.
    await Promise.all(dirs.map((d) => fs.rmdir(path.join(this.dir, d)).catch(() => undefined)));
  }
}

/**
 * One transcript file. Appends, drop records and compactions go through one queue, so they never interleave. The
 * file knows which of its lines are still kept (`live`) and compacts itself when the rest outweighs them.
 */
export class TranscriptFile {
  private readonly queue = new SerialQueue();
  /** Key -> bytes of its line, for the entries the file holds that are still kept. */
  private readonly live = new Map<string, number>();
  private liveBytes = 0;
  /** Bytes in the file now, and in appends queued but not yet written. */
  private diskBytes = 0;
  private queuedBytes = 0;
  /** The last line in the file has no newline (a crash mid-write): the next append ends it first. */
  private unterminated = false;
  private compactQueued = false;
  private closed = false;
  private closing: Promise<void> = Promise.resolve();
  private lastMeta: TranscriptMeta | undefined;
  /** Entries removed by the caps over the transcript's life (until a Clear). */
  dropped = 0;
  readonly stats: TranscriptWriteStats = { appends: 0, appendedBytes: 0, compactions: 0, compactedBytes: 0 };

  constructor(
    readonly file: string,
    readonly metaFile: string,
    private readonly onClose: (f: TranscriptFile) => void = () => undefined,
  ) {}

  /**
   * The stored entries in the server's log order, the newest within `limits`. Damaged lines (a half-written last line
   * after a crash) and repeated entries are skipped; they go at the next compaction.
   */
  async load(limits: ChannelLimits = DEFAULT_CHANNEL_LIMITS): Promise<ChannelEntry[]> {
    await this.queue.idle();
    this.live.clear();
    this.liveBytes = 0;
    this.diskBytes = 0;
    this.unterminated = false;
    let dropped = 0;
    const entries: ChannelEntry[] = [];
    const keys = new Set<string>();
    let keptBytes = 0;
    for await (const { line, bytes, terminated } of readLines(this.file)) {
      this.diskBytes += bytes;
      this.unterminated = !terminated;
      if (!line.trim()) continue;
      const o = parseLine(line);
      if (!o) continue;
      const n = droppedCount(o);
      if (n !== undefined) {
        dropped += n;
        continue;
      }
      const raw = entryFromObject(o);
      if (!raw) continue;
      const e = boundEntry(raw);
      const key = rowKey(e);
      if (keys.has(key)) continue;
      keys.add(key);
      insertInOrder(entries, e);
      this.live.set(key, bytes);
      this.liveBytes += bytes;
      keptBytes += entryWeight(e);
      // Capped as it loads, so an old, uncapped file never sits in memory whole.
      let cut = 0;
      while (entries.length - cut > limits.maxEntries || (keptBytes > limits.maxBytes && cut < entries.length)) {
        keptBytes -= entryWeight(entries[cut]);
        this.forget(rowKey(entries[cut]));
        cut++;
      }
      if (cut > 0) {
        entries.splice(0, cut);
        dropped += cut;
      }
    }
    this.dropped = dropped;
    this.maybeCompact();
    return entries;
  }

  /** Adds entries at the end of the file, in the order given (their arrival order). */
  append(entries: readonly ChannelEntry[]): Promise<void> {
    if (entries.length === 0 || this.closed) return this.queue.idle();
    let text = '';
    for (const e of entries) {
      const line = `${encodeEntryLine(e)}\n`;
      const bytes = Buffer.byteLength(line);
      this.remember(rowKey(e), bytes);
      text += line;
    }
    return this.write(text);
  }

  /**
   * Entries the caps removed. Those already in the file stay there until the next compaction; for those never
   * written a drop record is appended, so the count survives a reload.
   */
  drop(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return this.queue.idle();
    let unwritten = 0;
    for (const k of keys) if (!this.forget(k)) unwritten++;
    this.dropped += keys.length;
    const done = unwritten > 0 && !this.closed ? this.write(`${JSON.stringify({ dropped: unwritten })}\n`) : this.queue.idle();
    this.maybeCompact();
    return done;
  }

  /** Replaces the file with exactly `entries` (fixtures and tools; the panel never rewrites a transcript). */
  async rewrite(entries: readonly ChannelEntry[], dropped = 0): Promise<void> {
    await this.queue.run(async () => {
      this.live.clear();
      this.liveBytes = 0;
      const lines = [JSON.stringify({ v: 2, dropped })];
      for (const e of entries) {
        const line = encodeEntryLine(e);
        this.remember(rowKey(e), Buffer.byteLength(line) + 1);
        lines.push(line);
      }
      const content = `${lines.join('\n')}\n`;
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await writeAtomic(this.file, content);
      this.diskBytes = Buffer.byteLength(content);
      this.dropped = dropped;
      this.unterminated = false;
    });
  }

  async loadMeta(): Promise<TranscriptMeta | undefined> {
    try {
      const v = JSON.parse(await fs.readFile(this.metaFile, 'utf8')) as TranscriptMeta;
      return typeof v === 'object' && v && typeof v.processId === 'string' ? v : undefined;
    } catch {
      return undefined;
    }
  }

  saveMeta(meta: TranscriptMeta): Promise<void> {
    this.lastMeta = { ...meta };
    if (this.closed) return this.queue.idle();
    return this.queue.run(async () => {
      await fs.mkdir(path.dirname(this.metaFile), { recursive: true });
      await writeAtomic(this.metaFile, `${JSON.stringify(meta, null, 2)}\n`);
    });
  }

  /** Empties the file (Clear Saved Transcripts): nothing kept is in it any more; the metadata is written again. */
  reset(): Promise<void> {
    return this.queue.run(async () => {
      await fs.rm(this.file, { force: true });
      this.live.clear();
      this.liveBytes = 0;
      this.diskBytes = 0;
      this.dropped = 0;
      this.unterminated = false;
      if (this.lastMeta && !this.closed) {
        await fs.mkdir(path.dirname(this.metaFile), { recursive: true });
        await writeAtomic(this.metaFile, `${JSON.stringify(this.lastMeta, null, 2)}\n`);
      }
    });
  }

  /** Resolves when every queued write has finished. */
  flush(): Promise<void> {
    return this.queue.idle();
  }

  /** The panel is gone: finish the queued writes, then let pruning delete this transcript again. */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.closing = this.queue.idle().then(() => this.onClose(this));
    }
    return this.closing;
  }

  /** Bytes in the file and bytes of kept entries in it (what compaction would leave). */
  get sizes(): { fileBytes: number; liveBytes: number } {
    return { fileBytes: this.diskBytes + this.queuedBytes, liveBytes: this.liveBytes };
  }

  private remember(key: string, bytes: number): void {
    this.forget(key);
    this.live.set(key, bytes);
    this.liveBytes += bytes;
  }

  private forget(key: string): boolean {
    const bytes = this.live.get(key);
    if (bytes === undefined) return false;
    this.live.delete(key);
    this.liveBytes -= bytes;
    return true;
  }

  /** Appends `text` (whole lines); a line left unterminated by a crash is ended first, so it stays one bad line. */
  private write(lines: string): Promise<void> {
    const text = this.unterminated ? `\n${lines}` : lines;
    this.unterminated = false;
    const bytes = Buffer.byteLength(text);
    this.queuedBytes += bytes;
    const done = this.queue.run(async () => {
      this.queuedBytes -= bytes;
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await fs.appendFile(this.file, text, 'utf8');
      this.diskBytes += bytes;
      this.stats.appends++;
      this.stats.appendedBytes += bytes;
    });
    this.maybeCompact();
    return done;
  }

  private maybeCompact(): void {
    if (this.compactQueued || this.closed || this.diskBytes + this.queuedBytes <= 2 * this.liveBytes + COMPACT_SLACK_BYTES) return;
    this.compactQueued = true;
    this.queue
      .run(() => this.compact())
      .catch(() => undefined) // a failed compaction leaves the (valid, longer) file as it was
      .finally(() => (this.compactQueued = false));
  }

  /** Writes the kept lines (in file order) after a header to a temp file and renames it over the file. */
  private async compact(): Promise<void> {
    const tmp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    const out = await fs.open(tmp, 'w');
    let written = 0;
    const copied = new Set<string>();
    try {
      const header = `${JSON.stringify({ v: 2, dropped: this.dropped })}\n`;
      await out.write(header);
      written += Buffer.byteLength(header);
      let batch: string[] = [];
      let batchBytes = 0;
      for await (const { line } of readLines(this.file)) {
        const o = line.trim() ? parseLine(line) : undefined;
        const raw = o && entryFromObject(o);
        if (!raw) continue;
        const key = rowKey(boundEntry(raw));
        if (!this.live.has(key) || copied.has(key)) continue;
        copied.add(key);
        batch.push(`${line}\n`);
        batchBytes += line.length;
        if (batchBytes > 1024 * 1024) {
          const text = batch.join('');
          await out.write(text);
          written += Buffer.byteLength(text);
          batch = [];
          batchBytes = 0;
        }
      }
      const text = batch.join('');
      await out.write(text);
      written += Buffer.byteLength(text);
    } catch (err) {
      await out.close();
      await fs.rm(tmp, { force: true });
      throw err;
    }
    await out.close();
    try {
      await fs.rename(tmp, this.file);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
    this.diskBytes = written;
    this.unterminated = false;
    this.stats.compactions++;
    this.stats.compactedBytes += written;
  }
}
