// Small text and value helpers shared by every layer (this is the lowest one). No `vscode` import.

/** `text` cut to `max` characters, saying how many were left out; `separator` goes between the kept part and the note. */
export function truncate(text: string, max: number, separator = ' '): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}${separator}… (${(text.length - max).toLocaleString('en-US')} more characters)`;
}

/** A plain JSON object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
