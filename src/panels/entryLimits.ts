// Bounds on what an executor or a server can make the channel panel hold. A channel entry arrives with fields of any
// length (`type` is free text, `senderid`, `timestamp` and `error` come from the server); before the panel keeps,
// stores, renders or exports one, its fields are cut to these sizes. No `vscode`, no Node.
import { hashText } from '../colonies/hash';
import type { ChannelEntry } from '../colonies/types';

/** Longest field kept in memory and in the transcript file (characters); longer ones end in "…" and a hash. */
export const STORED_FIELD_LIMITS = { senderid: 256, timestamp: 64, type: 256, error: 4096 } as const;

/** Longest `type` shown in a row (characters). */
export const MAX_SHOWN_TYPE = 64;
/** Longest server error text shown in a row (characters). */
export const MAX_SHOWN_ERROR = 1000;

/** Lone surrogates become U+FFFD, as the UTF-8 file would make them: a stored entry reads back identical. */
export function wellFormed(s: string): string {
  return /[\uD800-\uDFFF]/.test(s) ? s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD') : s;
}

/** The first `max` UTF-16 units of `s`, never ending inside a surrogate pair. */
export function safeSlice(s: string, max: number): string {
  if (s.length <= max) return s;
  const end = max > 0 && /[\uD800-\uDBFF]/.test(s[max - 1]) ? max - 1 : max;
  return s.slice(0, end);
}

/** `s` if it fits, else a prefix, "…" and a hash of the whole, `max` characters at most. Idempotent. */
export function boundField(s: string, max: number): string {
  const clean = wellFormed(s);
  if (clean.length <= max) return clean;
  return `${safeSlice(clean, max - 18)}…#${hashText(clean)}`;
}

const intOr0 = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) ? Math.trunc(n) : 0);

/**
 * The entry as the panel keeps it: every text field within STORED_FIELD_LIMITS, numbers finite. Returns `e` itself
 * when nothing had to change. Bounding a bounded entry changes nothing, so a stored entry keeps its key on reload.
 */
export function boundEntry(e: ChannelEntry): ChannelEntry {
  const L = STORED_FIELD_LIMITS;
  const senderid = boundField(String(e.senderid ?? ''), L.senderid);
  const timestamp = boundField(String(e.timestamp ?? ''), L.timestamp);
  const type = boundField(String(e.type || 'data'), L.type);
  const error = boundField(String(e.error ?? ''), L.error);
  const sequence = intOr0(e.sequence);
  const inreplyto = intOr0(e.inreplyto);
  const payload = e.payload instanceof Uint8Array ? e.payload : new Uint8Array(0);
  if (
    senderid === e.senderid && timestamp === e.timestamp && type === e.type && error === e.error &&
    sequence === e.sequence && inreplyto === e.inreplyto && payload === e.payload
  ) {
    return e;
  }
  return { sequence, inreplyto, timestamp, senderid, type, error, payload };
}

/**
 * What an entry costs against the byte caps: about its line in the transcript file (base64 payload, the other
 * fields, the JSON around them).
 */
export function entryWeight(e: ChannelEntry): number {
  return Math.ceil((e.payload?.length ?? 0) / 3) * 4 + e.senderid.length + e.timestamp.length + e.type.length + e.error.length + 120;
}

// C0 and C1 controls, DEL, bidirectional controls, line and paragraph separators, and BOM/zero-width no-break space:
// none of them belongs in a one-line label, and bidi overrides can make a label read as something else.
const INVISIBLE_RE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** `s` on one line, every control or bidi character shown as `\u{…}` (so a hostile label cannot hide or reorder text). */
export function visibleControls(s: string): string {
  return s.replace(INVISIBLE_RE, (c) => `\\u{${c.charCodeAt(0).toString(16).toUpperCase()}}`);
}

/** One-line display form of an untrusted label: controls made visible, at most `max` characters. */
export function displayLabel(s: string, max: number): { text: string; cut: boolean } {
  const visible = visibleControls(s);
  if (visible.length <= max) return { text: visible, cut: false };
  return { text: `${safeSlice(visible, max - 1)}…`, cut: true };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(1)} GiB`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
