// Local copies of channel transcripts: the server deletes a channel when its process closes (docs/protocol.md §6), so this is
// the only record afterwards.
// Where transcripts live, and pruning and clearing them; one file is a TranscriptFile (transcriptFile.ts) in the
// format of transcriptFormat.ts. Plain Node, no `vscode`.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { TranscriptFile } from './transcriptFile';
import { storageName } from './transcriptFormat';

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
    return path.join(this.dir, storageName(processId), storageName(channel));
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
