// Find in the channel panel: searches every message of the transcript, not only the rows on screen (the list is
// virtualized, so VS Code's own find widget would only see those). Pure logic here; findBar.ts wires the find bar.
import type { EntryView } from '../../src/panels/protocol';

export interface FindQuery {
  text: string;
  matchCase: boolean;
}

/** One occurrence: the row it is in and where in that row's searchable text. */
export interface FindMatch {
  key: string;
  index: number;
  start: number;
}

/** Counting stops here: "10000+ results" is enough to say "refine the search", and the scan stays bounded. */
export const MAX_FIND_MATCHES = 10_000;

/** What Find looks at in a row: the text its body shows (text and JSON payloads; binary payloads show only hex). */
export function searchableText(view: EntryView): string {
  const b = view.body;
  return b.kind === 'text' || b.kind === 'json' ? b.text : '';
}

function fold(text: string, matchCase: boolean): string {
  return matchCase ? text : text.toLowerCase();
}

/** Offsets of every non-overlapping occurrence of the query in one text. */
export function occurrences(text: string, q: FindQuery, limit = MAX_FIND_MATCHES): number[] {
  if (!q.text) return [];
  const hay = fold(text, q.matchCase);
  const needle = fold(q.text, q.matchCase);
  // Lower-casing can change a string's length (e.g. 'İ'); then offsets would not line up with the shown text.
  if (hay.length !== text.length || needle.length !== q.text.length) return [];
  const out: number[] = [];
  for (let at = hay.indexOf(needle); at >= 0 && out.length < limit; at = hay.indexOf(needle, at + needle.length)) out.push(at);
  return out;
}

/** Every occurrence in the transcript, in display order, up to MAX_FIND_MATCHES. */
export function findAll(items: readonly EntryView[], q: FindQuery): { matches: FindMatch[]; capped: boolean } {
  const matches: FindMatch[] = [];
  if (!q.text) return { matches, capped: false };
  // One past the cap, to know whether there are more.
  for (let index = 0; index < items.length && matches.length <= MAX_FIND_MATCHES; index++) {
    const view = items[index];
    for (const start of occurrences(searchableText(view), q, MAX_FIND_MATCHES + 1 - matches.length)) {
      matches.push({ key: view.key, index, start });
    }
  }
  const capped = matches.length > MAX_FIND_MATCHES;
  if (capped) matches.length = MAX_FIND_MATCHES;
  return { matches, capped };
}

/** The match to show after the list changed: the same occurrence if it is still there, else the nearest one after it. */
export function keepPosition(matches: readonly FindMatch[], previous: FindMatch | undefined, indexOfKey: (key: string) => number): number {
  if (matches.length === 0) return -1;
  if (!previous) return matches.length - 1;
  const same = matches.findIndex((m) => m.key === previous.key && m.start === previous.start);
  if (same >= 0) return same;
  const row = indexOfKey(previous.key);
  const after = row < 0 ? -1 : matches.findIndex((m) => m.index >= row);
  return after >= 0 ? after : matches.length - 1;
}

/** "3 of 17", "No results", "1 of 10000+". */
export function countLabel(current: number, total: number, capped: boolean): string {
  if (total === 0) return 'No results';
  return `${current + 1} of ${total}${capped ? '+' : ''}`;
}

/**
 * Appends `text` to `parent` as text nodes, with each occurrence of the query wrapped in <mark> (the current one
 * marked as such). Only text nodes and textContent: the payload is never parsed as HTML.
 */
export function appendHighlighted(parent: HTMLElement, text: string, q: FindQuery | undefined, currentStart: number | undefined): void {
  const starts = q ? occurrences(text, q) : [];
  if (starts.length === 0) {
    parent.appendChild(document.createTextNode(text));
    return;
  }
  let at = 0;
  for (const start of starts) {
    if (start > at) parent.appendChild(document.createTextNode(text.slice(at, start)));
    const mark = document.createElement('mark');
    mark.className = start === currentStart ? 'find-hit find-current' : 'find-hit';
    mark.textContent = text.slice(start, start + q!.text.length);
    parent.appendChild(mark);
    at = start + q!.text.length;
  }
  if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
}
