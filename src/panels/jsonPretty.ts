// Re-indents JSON text for display without building a value: tokens are copied as they are (so int64 values stay
// exact and nothing is re-escaped), nesting is tracked on an explicit stack (no recursion, any depth), and the OUTPUT
// is capped while it is produced. Indenting multiplies the size of deeply nested input: 4 KB of `[[[…]]]` becomes
// megabytes, so the cap is checked on every piece written, never on the finished string. No `vscode`, no Node.

export type PrettyJson =
  /** Not JSON (or not an object/array at the top). */
  | { valid: false }
  /** JSON, indented within the cap. */
  | { valid: true; text: string }
  /** JSON, but indented it would be longer than the cap; nothing of it was kept. */
  | { valid: true; tooLong: true };

/** Indentation stops growing at this depth, so a line never starts with more than 2 × this many spaces. */
export const MAX_INDENT_DEPTH = 32;

const INDENTS = Array.from({ length: MAX_INDENT_DEPTH + 1 }, (_, d) => `\n${'  '.repeat(d)}`);
const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX_RE = /^[0-9a-fA-F]{4}$/;
const [OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY, QUOTE, BACKSLASH, COLON, COMMA] = [...'{}[]"\\:,'].map((c) => c.charCodeAt(0));

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * `src` indented by two spaces per level like JSON.stringify(value, null, 2), or why not. `maxChars` bounds the
 * output; the input is still read to its end to tell JSON from text, in one pass and O(depth) extra memory.
 */
export function prettyJson(src: string, maxChars: number): PrettyJson {
  const n = src.length;
  const parts: string[] = [];
  let length = 0;
  let over = false;
  const emit = (s: string): void => {
    if (over) return;
    length += s.length;
    if (length > maxChars) {
      over = true;
      parts.length = 0;
      return;
    }
    parts.push(s);
  };
  const newline = (depth: number): void => emit(INDENTS[Math.min(depth, MAX_INDENT_DEPTH)]);

  let i = 0;
  const skipWs = (): void => {
    while (i < n && isWs(src.charCodeAt(i))) i++;
  };
  /** Reads a string token at i (which is a quote); returns false when it is malformed. */
  const readString = (): boolean => {
    const start = i;
    i++;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === QUOTE) {
        i++;
        emit(src.slice(start, i));
        return true;
      }
      if (c < 0x20) return false;
      if (c === BACKSLASH) {
        const e = src[i + 1];
        if (e === 'u') {
          if (!HEX_RE.test(src.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          return false;
        }
      } else {
        i++;
      }
    }
    return false;
  };

  // Containers still open: true for an object, false for an array.
  const stack: boolean[] = [];
  skipWs();
  const first = src.charCodeAt(i);
  if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) return { valid: false };

  // 'value': a value must follow; 'key': an object key must follow; 'after': a value just ended.
  let mode: 'value' | 'key' | 'after' = 'value';
  for (;;) {
    skipWs();
    if (mode === 'key') {
      if (src.charCodeAt(i) !== QUOTE || !readString()) return { valid: false };
      skipWs();
      if (src.charCodeAt(i) !== COLON) return { valid: false };
      i++;
      emit(': ');
      mode = 'value';
      continue;
    }
    if (mode === 'value') {
      const c = src.charCodeAt(i);
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        const isObject = c === OPEN_OBJECT;
        i++;
        skipWs();
        if (src.charCodeAt(i) === (isObject ? CLOSE_OBJECT : CLOSE_ARRAY)) {
          i++;
          emit(isObject ? '{}' : '[]');
          mode = 'after';
        } else {
          emit(isObject ? '{' : '[');
          stack.push(isObject);
          newline(stack.length);
          mode = isObject ? 'key' : 'value';
        }
        continue;
      }
      if (c === QUOTE) {
        if (!readString()) return { valid: false };
      } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
        const word = c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null';
        if (!src.startsWith(word, i)) return { valid: false };
        i += word.length;
        emit(word);
      } else {
        NUMBER_RE.lastIndex = i;
        const m = NUMBER_RE.exec(src);
        if (!m || m[0].length === 0) return { valid: false };
        i += m[0].length;
        emit(m[0]);
      }
      mode = 'after';
      continue;
    }
    // mode === 'after'
    if (stack.length === 0) {
      return i === n ? (over ? { valid: true, tooLong: true } : { valid: true, text: parts.join('') }) : { valid: false };
    }
    const isObject = stack[stack.length - 1];
    const c = src.charCodeAt(i);
    if (c === COMMA) {
      i++;
      emit(',');
      newline(stack.length);
      mode = isObject ? 'key' : 'value';
    } else if (c === (isObject ? CLOSE_OBJECT : CLOSE_ARRAY)) {
      i++;
      stack.pop();
      newline(stack.length);
      emit(isObject ? '}' : ']');
    } else {
      return { valid: false };
    }
  }
}
