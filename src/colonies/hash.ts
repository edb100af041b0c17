// A leaf module (no imports): the webview bundle uses it too, through src/panels/entryLimits.ts.

/** A 64-bit FNV-1a hash (two 32-bit variants) in hex: names a long value that was cut, so two cut values stay apart. */
export function hashText(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x050c5d1f;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 16777619) >>> 0;
    h2 = Math.imul(h2 ^ c, 2246822519) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}
