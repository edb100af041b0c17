// Small formatting helpers shared by every feature (and the webview bundle). No `vscode` import.

/**
 * The first characters of a 64-hex ColonyOS id: 12 where a person reads it in text (messages, panel titles, chat
 * senders), 8 in the tree's dense rows.
 */
export function shortId(id: string, length: 8 | 12 = 12): string {
  return id.slice(0, length);
}

/**
 * How long ago `timeMs` was, the same way in the tree and in the chat: "just now", "30 s ago", "5 min ago",
 * "3 h ago", "4 d ago", then the date. A time more than a minute in the future (a skewed server clock) shows as the
 * date too; one that cannot be read shows as nothing.
 */
export function relativeTime(timeMs: number, nowMs: number): string {
  if (!Number.isFinite(timeMs)) return '';
  const s = Math.floor((nowMs - timeMs) / 1000);
  if (s < -60) return new Date(timeMs).toLocaleDateString();
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.floor(h / 24);
  if (d < 7) return `${d} d ago`;
  return new Date(timeMs).toLocaleDateString();
}

/** A name for a file the user saves or opens (process and channel names are free text): [A-Za-z0-9._-] only. */
export function safeFileName(text: string, fallback: string, maxLength = 60): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, maxLength) || fallback;
}

/**
 * A duration given in seconds (ColonyOS keeps function wait and execution times as float seconds) the way a person
 * reads it: "4 ms", "1.5 s", "2 min 5 s", "3 h 20 min", "2 d 4 h". Negative or unreadable values show as "–".
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds === 0) return '0 s';
  if (seconds < 1) {
    const ms = seconds * 1000;
    return ms < 1 ? '<1 ms' : `${Math.round(ms)} ms`;
  }
  if (seconds < 10) return `${Number(seconds.toFixed(1))} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const two = (big: number, bigUnit: string, small: number, smallUnit: string) => (small ? `${big} ${bigUnit} ${small} ${smallUnit}` : `${big} ${bigUnit}`);
  if (s < 3600) return two(Math.floor(s / 60), 'min', s % 60, 's');
  if (s < 86_400) return two(Math.floor(s / 3600), 'h', Math.floor((s % 3600) / 60), 'min');
  return two(Math.floor(s / 86_400), 'd', Math.floor((s % 86_400) / 3600), 'h');
}

/**
 * Text from a server or executor made inert for Markdown: every ASCII punctuation character is backslash-escaped
 * (CommonMark allows it for all of them), so no emphasis, link, autolink, heading, list, HTML or entity survives, and
 * lines are trimmed so indentation cannot start a code block. Unlike vscode.MarkdownString.appendText it keeps plain
 * spaces, so long text still wraps between words. Line breaks become paragraph breaks.
 */
export function escapeMarkdown(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim().replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`))
    .filter((line) => line !== '')
    .join('\n\n');
}

/**
 * A count with its noun in the right number: "1 child", "2 children", "0 processes". `many` defaults to the noun
 * plus "s"; `digits` formats the number (e.g. with thousands separators).
 */
export function countOf(count: number, one: string, many = `${one}s`, digits: (n: number) => string = String): string {
  return `${digits(count)} ${count === 1 ? one : many}`;
}

/** A span of time in words, rounded down: "12 s", "5 min", "3 h", "2 d" (negative spans read as 0 s). */
export function spanText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}
