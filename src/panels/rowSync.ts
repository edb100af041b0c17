// The rows of one channel panel: the views of the transcript's entries (entryView.ts) kept in step with the changes the
// ordered transcript reports (src/colonies/transcript.ts), and what the webview shows, brought up to date with the
// smallest message (an append, or one splice around the changes), the newest rows first.
import type { ChannelEntry } from '../colonies/types';
import type { TranscriptChange } from '../colonies/transcript';
import { EntryViewBuilder, rowKey, viewWeight, type Parties } from './entryView';
import { MAX_MESSAGE_CHARS, type EntryView, type HostMessage } from './protocol';

/**
 * A long transcript goes to the webview newest first: the first message holds the newest rows, so they show at once;
 * the older rows follow in messages of at most LATER_CHUNK_ROWS, each inserted above the rows already sent. Every
 * message also stays within MAX_MESSAGE_CHARS of row data (rows are bounded, so one always fits).
 */
export const FIRST_CHUNK_ROWS = 500;
export const LATER_CHUNK_ROWS = 5000;

export class RowSync {
  private views: EntryView[] = [];
  private builder = new EntryViewBuilder({ myId: '' });
  /** The rows the webview was last sent; the next flush posts only what differs from `views`. */
  private shown: EntryView[] = [];
  /** views[0..dirtyFrom) are the very objects in shown[0..dirtyFrom). */
  private dirtyFrom = 0;

  constructor(private readonly post: (message: HostMessage) => void) {}

  get parties(): Parties {
    return this.builder.parties;
  }

  /** Sender labels depend on who is who: a new builder; call rebuild() after it. */
  setParties(parties: Parties): void {
    this.builder = new EntryViewBuilder(parties);
  }

  /** Builds every view anew from `entries` (nothing is posted). */
  rebuild(entries: readonly ChannelEntry[]): void {
    this.views = this.builder.all(entries);
    this.dirtyFrom = 0;
  }

  /**
   * Brings the views up to date with one batch of changes; `entries` is the transcript after them. A view depends only
   * on the entries before it (its reply parent), so the views before the first change stand; when everything landed at
   * the end only the new views are built, else the later views are rebuilt, reusing those whose parent did not change.
   */
  apply(entries: readonly ChannelEntry[], changes: readonly TranscriptChange[]): void {
    let inserted = 0;
    let cut = 0;
    let start = Infinity;
    for (const c of changes) {
      if (c.kind === 'reset') return this.rebuild(entries);
      if (c.kind === 'insert') {
        inserted += c.entries.length;
        start = Math.min(start, c.index);
      } else if (c.kind === 'replace') {
        start = Math.min(start, c.index);
      } else {
        // The cap removes only the oldest entries, after the inserts of the batch.
        cut += c.entries.length;
      }
    }
    const before = entries.length + cut - inserted;
    const oldViews = this.views;
    if (start === Infinity) start = before;
    if (start === before) {
      for (let i = Math.max(0, before - cut); i < entries.length; i++) oldViews.push(this.builder.add(entries[i]));
      if (cut > 0) oldViews.splice(0, Math.min(cut, before));
      this.views = oldViews;
    } else {
      this.rebuildFrom(entries, oldViews, start, cut);
    }
    if (cut > 0) this.dirtyFrom = 0;
  }

  /** Sends every view through `postFirst` (init or replace), the older rows after it. */
  postAll(postFirst: (rows: EntryView[]) => void): void {
    this.shown = this.views.slice();
    this.dirtyFrom = this.views.length;
    this.postNewestFirst(0, this.shown, postFirst);
  }

  /** Posts the difference between what the webview shows and the views; `isKept` says which rows' entries remain. */
  flush(isKept: (key: string) => boolean): void {
    // Rows the caps dropped are the first rows shown (only the oldest entries are dropped): remove them first.
    let gone = 0;
    while (gone < this.shown.length && !isKept(this.shown[gone].key)) gone++;
    if (gone > 0) {
      this.shown.splice(0, gone);
      this.dirtyFrom = 0;
      this.post({ type: 'entries', mode: 'splice', start: 0, deleteCount: gone, entries: [] });
    }
    const { shown, views } = this;
    let start = Math.min(this.dirtyFrom, shown.length);
    while (start < shown.length && start < views.length && shown[start] === views[start]) start++;
    let shownEnd = shown.length;
    let viewsEnd = views.length;
    while (shownEnd > start && viewsEnd > start && shown[shownEnd - 1] === views[viewsEnd - 1]) {
      shownEnd--;
      viewsEnd--;
    }
    this.dirtyFrom = views.length;
    if (start === shownEnd && start === viewsEnd) return;
    const rows = views.slice(start, viewsEnd);
    if (start === shown.length) {
      for (const v of rows) shown.push(v);
      this.postNewestFirst(start, rows, (tail) => this.post({ type: 'entries', mode: 'append', entries: tail }));
    } else {
      this.shown = views.slice();
      const deleteCount = shownEnd - start;
      this.postNewestFirst(start, rows, (tail) => this.post({ type: 'entries', mode: 'splice', start, deleteCount, entries: tail }));
    }
  }

  /**
   * After entries were inserted at or after `start` of the old list and then the first `cut` entries dropped: the old
   * views of the entries still before `start` stand, and later views are rebuilt.
   */
  private rebuildFrom(entries: readonly ChannelEntry[], previous: readonly EntryView[], start: number, cut: number): void {
    const from = Math.max(0, start - cut);
    const reusable = new Map(previous.slice(start).map((v) => [v.key, v]));
    this.builder.reset();
    const views = previous.slice(cut, cut + from);
    for (let i = 0; i < from; i++) this.builder.note(entries[i], views[i].key);
    for (let i = from; i < entries.length; i++) {
      const v = reusable.get(rowKey(entries[i]));
      views.push(this.builder.add(entries[i], v));
    }
    this.views = views;
    this.dirtyFrom = Math.min(this.dirtyFrom, from);
  }

  /**
   * Posts `rows`, which belong at `start` in the shown list: the newest rows through `postFirst` (at most
   * FIRST_CHUNK_ROWS and MAX_MESSAGE_CHARS), then the older ones as splices at `start`, nearest first (at most
   * LATER_CHUNK_ROWS and MAX_MESSAGE_CHARS each), so each lands above the rows sent before it and the order holds.
   */
  private postNewestFirst(start: number, rows: readonly EntryView[], postFirst: (rows: EntryView[]) => void): void {
    let end = rows.length;
    let first = true;
    do {
      const maxRows = first ? FIRST_CHUNK_ROWS : LATER_CHUNK_ROWS;
      let begin = end;
      let chars = 0;
      while (begin > 0 && end - begin < maxRows) {
        const w = viewWeight(rows[begin - 1]);
        if (begin < end && chars + w > MAX_MESSAGE_CHARS) break;
        chars += w;
        begin--;
      }
      const chunk = rows.slice(begin, end);
      if (first) postFirst(chunk);
      else this.post({ type: 'entries', mode: 'splice', start, deleteCount: 0, entries: chunk });
      first = false;
      end = begin;
    } while (end > 0);
  }
}
