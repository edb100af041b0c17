// One transcript file (the format is in transcriptFormat.ts): appends, drop records and compactions in one queue.
// Plain Node, no `vscode`.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { insertInOrder } from '../colonies/entries';
import type { ChannelEntry } from '../colonies/types';
import { boundEntry, entryWeight } from './entryLimits';
import { rowKey } from './entryView';
import { SerialQueue } from './serialQueue';
import { droppedCount, encodeEntryLine, entryFromObject, parseLine, readLines, writeAtomic } from './transcriptFormat';
import { DEFAULT_CHANNEL_LIMITS, type ChannelLimits, type TranscriptMeta } from './transcriptLimits';

/** A file is compacted when it holds more than twice the bytes of what it keeps, plus this much. */
const COMPACT_SLACK_BYTES = 1024 * 1024;

/** What a transcript file wrote, for the tests and the benchmarks. */
export interface TranscriptWriteStats {
  appends: number;
  appendedBytes: number;
  compactions: number;
  compactedBytes: number;
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
