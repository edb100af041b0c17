// Writes one panel's transcript to its file (transcriptStore.ts): new entries are appended after the rows are posted,
// so encoding them never delays the view; entries the caps removed are marked dropped; a failed write is reported.
import type { ChannelEntry } from '../colonies/types';
import type { TranscriptFile } from './transcriptFile';
import type { TranscriptMeta } from './transcriptLimits';

export class TranscriptWriter {
  /** Entries to append, in arrival order. */
  private pending: ChannelEntry[] = [];
  private writeScheduled = false;

  constructor(
    private readonly file: TranscriptFile,
    /** Whether `entry` is still kept (the caps may have removed it before it was written). */
    private readonly isKept: (entry: ChannelEntry) => boolean,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** How many older entries the caps removed from this transcript. */
  get dropped(): number {
    return this.file.dropped;
  }

  /** Remembers entries to append at the next write. */
  queue(entries: readonly ChannelEntry[]): void {
    for (const e of entries) this.pending.push(e);
  }

  /** Writes the queued entries on a later turn of the event loop (once for a burst). */
  scheduleWrite(): void {
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    setTimeout(() => {
      this.writeScheduled = false;
      this.writePending();
    }, 0);
  }

  /** Appends the entries that arrived since the last write and are still kept. */
  writePending(): void {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    this.track(this.file.append(pending.filter((e) => this.isKept(e))));
  }

  drop(keys: readonly string[]): void {
    this.track(this.file.drop(keys));
  }

  saveMeta(meta: TranscriptMeta): void {
    this.track(this.file.saveMeta(meta));
  }

  /** Resolves when every write so far has reached the disk. */
  async flush(): Promise<void> {
    this.writePending();
    await this.file.flush();
  }

  close(): void {
    this.writePending();
    void this.file.close();
  }

  /** Reports a failed write; the file's own queue keeps the order, and flush() waits on that queue. */
  private track(write: Promise<unknown>): void {
    write.catch((err: unknown) => this.onError(err));
  }
}
