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
