// Local copies of channel transcripts: the server deletes a channel when its process closes (protocol §6), so this is
// the only record afterwards. One JSONL file per (process, channel), appended to as entries arrive and rewritten
// atomically (temp file + rename) only when the order changes or the file was damaged. Plain Node, no `vscode`.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { ChannelEntry } from '../colonies/types';
import { entryKey } from './entryView';

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

export function decodeEntryLine(line: string): ChannelEntry | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
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

export class TranscriptStore {
  constructor(readonly rootDir: string) {}

  private base(processId: string, channel: string): string {
    return path.join(this.rootDir, 'transcripts', safeName(processId), safeName(channel));
  }

  transcriptFile(processId: string, channel: string): string {
    return `${this.base(processId, channel)}.jsonl`;
  }

  open(processId: string, channel: string): TranscriptFile {
    return new TranscriptFile(this.transcriptFile(processId, channel), `${this.base(processId, channel)}.meta.json`);
  }
}

/** One transcript. Writes are serialised so appends and rewrites never interleave. */
export class TranscriptFile {
  private queue: Promise<void> = Promise.resolve();
  private damaged = false;

  constructor(
    readonly file: string,
    readonly metaFile: string,
  ) {}

  /** The stored entries (damaged lines, e.g. a half-written last line after a crash, are dropped and repaired on the next write). */
  async load(): Promise<ChannelEntry[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const entries: ChannelEntry[] = [];
    const seen = new Set<string>();
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const e = decodeEntryLine(line);
      if (!e || seen.has(entryKey(e))) {
        this.damaged = true;
        continue;
      }
      seen.add(entryKey(e));
      entries.push(e);
    }
    if (text.length > 0 && !text.endsWith('\n')) this.damaged = true;
    return entries;
  }

  /** Adds entries at the end; `all` (the whole transcript) is used instead when the file needs repair. */
  append(added: readonly ChannelEntry[], all: readonly ChannelEntry[]): Promise<void> {
    if (this.damaged) return this.rewrite(all);
    const tail = added.map((e) => `${encodeEntryLine(e)}\n`).join('');
    if (!tail) return this.queue;
    return this.enqueue(async () => {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await fs.appendFile(this.file, tail, 'utf8');
    });
  }

  /** Replaces the file's content atomically (the order changed, or the file was damaged). */
  rewrite(all: readonly ChannelEntry[]): Promise<void> {
    const content = all.map((e) => `${encodeEntryLine(e)}\n`).join('');
    this.damaged = false;
    return this.enqueue(async () => {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await writeAtomic(this.file, content);
    });
  }

  /** True when load() found damaged lines; the next append rewrites the file. */
  get needsRepair(): boolean {
    return this.damaged;
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
    return this.enqueue(async () => {
      await fs.mkdir(path.dirname(this.metaFile), { recursive: true });
      await writeAtomic(this.metaFile, `${JSON.stringify(meta, null, 2)}\n`);
    });
  }

  /** Resolves when every queued write has finished. */
  flush(): Promise<void> {
    return this.queue;
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    // The queue continues after a failed write; the caller still sees the failure.
    this.queue = run.catch(() => undefined);
    return run;
  }
}
