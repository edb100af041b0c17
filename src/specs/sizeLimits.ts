// How much of a JSON document the spec features read while you type. Every JSON document changes on each keystroke,
// and a full parse of a large one blocks the extension host (1.4 s for 6.5 MB), so: only spec files are parsed
// (by name, by `colonyos.specFileGlobs`, or small documents that mention a spec's keys), at most once per version,
// and not at all past a size, with a note saying so.

/** Spec files (by name or glob) longer than this (UTF-16 characters) are not checked while typing. */
export const MAX_CHECKED_CHARS = 512 * 1024;

/** Other JSON documents are looked at as possible specs only below this length: larger ones are data. */
export const MAX_SNIFFED_CHARS = 256 * 1024;

/**
 * A cheap test before parsing a document that is not named as a spec: every function spec, workflow and `$schema`
 * of ours has one of these keys. A document without any of them is not parsed at all.
 */
export function mayBeSpecText(text: string): boolean {
  return /"(?:funcname|conditions|functionspecs|nodename|\$schema)"\s*:/.test(text);
}

export interface DocumentFacts {
  /** Length in UTF-16 characters. */
  length: number;
  /** Named as a spec (`*.colonyos.json`, …) or matched by `colonyos.specFileGlobs`. */
  namedAsSpec: boolean;
  /** The text, built only when it is needed. */
  text(): string;
}

/**
 * Whether the spec features parse a JSON document while typing: `parse`, `skip` (not a spec, or too large to tell), or
 * `too-large` (a spec file past MAX_CHECKED_CHARS, which gets a note instead). The text is read only to sniff a small
 * document that is not named as a spec.
 */
export function parseDecision(doc: DocumentFacts): 'parse' | 'skip' | 'too-large' {
  if (doc.length > MAX_CHECKED_CHARS) return doc.namedAsSpec ? 'too-large' : 'skip';
  if (doc.namedAsSpec) return 'parse';
  return doc.length <= MAX_SNIFFED_CHARS && mayBeSpecText(doc.text()) ? 'parse' : 'skip';
}

function sizeText(chars: number): string {
  if (chars >= 1024 * 1024) return `${(chars / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.round(chars / 1024)} KB`;
}

/** The note shown on a spec file too large to check while typing. */
export function tooLargeToCheckText(chars: number): string {
  return (
    `This file is ${sizeText(chars)}: ColonyOS checks spec files while you type only up to ${sizeText(MAX_CHECKED_CHARS)}. ` +
    'Submitting it still checks it in full.'
  );
}
