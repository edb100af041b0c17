// The ordered transcript of one channel: entries de-duplicated and kept in the server's log order (compareEntries in
// entries.ts), optionally capped to the newest ones, and an event that says exactly what changed, so a consumer
// updates its own rows without re-deriving where entries went.

import { Emitter, type Disposable } from './events';
import { compareEntries, entryKey } from './entries';
import type { ChannelEntry } from './types';

/**
 * One change to the list, in the order they happened; each index is into the list as it was just before that change.
 * `remove` takes the oldest entries when a cap is exceeded.
 */
export type TranscriptChange =
  | { kind: 'insert'; index: number; entries: ChannelEntry[] }
  | { kind: 'replace'; index: number; entry: ChannelEntry }
  | { kind: 'remove'; index: number; entries: ChannelEntry[] }
  | { kind: 'reset' };

export interface TranscriptChangeEvent {
  changes: TranscriptChange[];
  /** The entries this change added, in arrival order (some may have been removed again by the cap). */
  added: ChannelEntry[];
}

export interface TranscriptCap {
  maxEntries: number;
  maxBytes: number;
}

export interface OrderedTranscriptOptions {
  /** Identity for de-duplication; entryKey (entries.ts) by default. */
  key?: (entry: ChannelEntry) => string;
  /** Applied to each arriving entry before it is keyed and kept (e.g. bounding its fields). */
  map?: (entry: ChannelEntry) => ChannelEntry;
  /** What one entry counts against `maxBytes`; its payload length plus 100 by default. */
  weight?: (entry: ChannelEntry) => number;
  /** Caps on what is kept (the oldest go first), read at each add; unbounded when absent. */
  cap?: () => TranscriptCap | undefined;
}

export class OrderedTranscript implements Disposable {
  private list: ChannelEntry[] = [];
  private byKey = new Map<string, ChannelEntry>();
  /** Every key ever added since the last reset, so an entry the cap removed is not taken again when it is resent. */
  private seen = new Set<string>();
  private bytes = 0;
  private readonly changeEmitter = new Emitter<TranscriptChangeEvent>();
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly opts: OrderedTranscriptOptions = {},
    initial: readonly ChannelEntry[] = [],
  ) {
    this.load(initial);
  }

  /** The kept entries in the server's log order. */
  get entries(): readonly ChannelEntry[] {
    return this.list;
  }

  get length(): number {
    return this.list.length;
  }

  /** The kept entry with this key, if any. */
  get(key: string): ChannelEntry | undefined {
    return this.byKey.get(key);
  }

  keyOf(entry: ChannelEntry): string {
    return (this.opts.key ?? entryKey)(entry);
  }

  /** Adds the entries not seen before at their places in the log order, then applies the cap; returns those added. */
  add(batch: readonly ChannelEntry[]): ChannelEntry[] {
    const changes: TranscriptChange[] = [];
    const added: ChannelEntry[] = [];
    for (const raw of batch) {
      const e = this.opts.map ? this.opts.map(raw) : raw;
      const key = this.keyOf(e);
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.byKey.set(key, e);
      this.bytes += this.weight(e);
      let i = this.list.length;
      while (i > 0 && compareEntries(this.list[i - 1], e) > 0) i--;
      this.list.splice(i, 0, e);
      added.push(e);
      const last = changes[changes.length - 1];
      if (last?.kind === 'insert' && last.index + last.entries.length === i) last.entries.push(e);
      else changes.push({ kind: 'insert', index: i, entries: [e] });
    }
    if (added.length === 0) return added;
    const removed = this.applyCap();
    if (removed.length > 0) changes.push({ kind: 'remove', index: 0, entries: removed });
    this.changeEmitter.fire({ changes, added });
    return added;
  }

  /** Puts `entry` in place of the entry at `index` (same position in the order; its key may differ). */
  replace(index: number, entry: ChannelEntry): void {
    const old = this.list[index];
    if (!old) throw new RangeError(`No transcript entry at ${index}`);
    const oldKey = this.keyOf(old);
    this.byKey.delete(oldKey);
    this.bytes -= this.weight(old);
    const key = this.keyOf(entry);
    this.seen.add(key);
    this.byKey.set(key, entry);
    this.bytes += this.weight(entry);
    this.list[index] = entry;
    this.changeEmitter.fire({ changes: [{ kind: 'replace', index, entry }], added: [] });
  }

  /** Replaces the whole list with `entries` (already in order, as a stored transcript is) and forgets what was seen. */
  reset(entries: readonly ChannelEntry[]): void {
    this.load(entries);
    this.changeEmitter.fire({ changes: [{ kind: 'reset' }], added: [] });
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }

  private load(entries: readonly ChannelEntry[]): void {
    this.list = entries.slice();
    this.byKey = new Map(this.list.map((e) => [this.keyOf(e), e]));
    this.seen = new Set(this.byKey.keys());
    this.bytes = this.list.reduce((n, e) => n + this.weight(e), 0);
  }

  private weight(e: ChannelEntry): number {
    return this.opts.weight ? this.opts.weight(e) : e.payload.length + 100;
  }

  /** Removes the oldest entries beyond the cap; returns them. */
  private applyCap(): ChannelEntry[] {
    const cap = this.opts.cap?.();
    if (!cap) return [];
    let cut = 0;
    let bytes = this.bytes;
    while (this.list.length - cut > cap.maxEntries || (bytes > cap.maxBytes && cut < this.list.length)) {
      bytes -= this.weight(this.list[cut]);
      cut++;
    }
    if (cut === 0) return [];
    this.bytes = bytes;
    const removed = this.list.splice(0, cut);
    for (const e of removed) this.byKey.delete(this.keyOf(e));
    return removed;
  }
}
