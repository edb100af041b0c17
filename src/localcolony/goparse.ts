// Go encoding/json's scanner for the local colony: JSON syntax checked as Go checks it, with Go's exact error texts.

export type GoValue =
  | { k: 'obj'; entries: Array<[string, GoValue]> }
  | { k: 'arr'; items: GoValue[] }
  | { k: 'str'; v: string }
  | { k: 'num'; raw: string }
  | { k: 'bool'; v: boolean }
  | { k: 'null' };

export class GoJsonError extends Error {
  override readonly name = 'GoJsonError';
}

/** strconv.IsPrint for a byte-sized code point (what Go's error texts quote as a character). */
export function isPrintable(cp: number): boolean {
  if (cp >= 0x20 && cp < 0x7f) return true;
  if (cp < 0xa1) return false;
  return cp !== 0xad;
}

/** Go's quoteChar for a byte in a syntax error. */
function quoteByte(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v', 0x5c: '\\\\' };
  if (named[c]) return `'${named[c]}'`;
  if (isPrintable(c)) return `'${String.fromCodePoint(c)}'`;
  if (c < 0x80) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  return `'\\u${c.toString(16).padStart(4, '0')}'`;
}

const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Go's scanner refuses nesting deeper than 10 000 with "exceeded max depth". This recursive parser (and the
 * recursive decode and encode after it, src/localcolony/gojson.ts) would overflow the JS stack well before that,
 * so the local colony draws the same line at 1 000 levels; no real message nests anywhere near that.
 */
const MAX_NESTING_DEPTH = 1_000;

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly b: Uint8Array) {}

  private fail(context: string): never {
    if (this.i >= this.b.length) throw new GoJsonError('unexpected end of JSON input');
    throw new GoJsonError(`invalid character ${quoteByte(this.b[this.i])} ${context}`);
  }

  private ws(): void {
    const b = this.b;
    while (this.i < b.length) {
      const c = b[this.i];
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.i++;
      else break;
    }
  }

  parseTop(): GoValue {
    this.ws();
    const v = this.value('looking for beginning of value');
    this.ws();
    if (this.i < this.b.length) this.fail('after top-level value');
    return v;
  }

  private value(context: string): GoValue {
    const b = this.b;
    if (this.i >= b.length) this.fail(context);
    const c = b[this.i];
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x22) return { k: 'str', v: this.string() };
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return { k: 'num', raw: this.number() };
    if (c === 0x74) return this.literal('true', { k: 'bool', v: true });
    if (c === 0x66) return this.literal('false', { k: 'bool', v: false });
    if (c === 0x6e) return this.literal('null', { k: 'null' });
    return this.fail(context);
  }

  private literal(word: string, v: GoValue): GoValue {
    this.i++;
    for (let j = 1; j < word.length; j++) {
      if (this.i >= this.b.length || this.b[this.i] !== word.charCodeAt(j)) {
        this.fail(`in literal ${word} (expecting '${word[j]}')`);
      }
      this.i++;
    }
    return v;
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING_DEPTH) this.fail('exceeded max depth');
  }

  private object(): GoValue {
    this.enter();
    this.i++;
    const entries: Array<[string, GoValue]> = [];
    this.ws();
    if (this.b[this.i] === 0x7d) {
      this.i++;
      this.depth--;
      return { k: 'obj', entries };
    }
    for (;;) {
      this.ws();
      if (this.b[this.i] !== 0x22) this.fail('looking for beginning of object key string');
      const key = this.string();
      this.ws();
      if (this.b[this.i] !== 0x3a) this.fail('after object key');
      this.i++;
      this.ws();
      entries.push([key, this.value('looking for beginning of value')]);
      this.ws();
      const c = this.b[this.i];
      if (c === 0x2c) {
        this.i++;
        continue;
      }
      if (c === 0x7d) {
        this.i++;
        this.depth--;
        return { k: 'obj', entries };
      }
      this.fail('after object key:value pair');
    }
  }

  private array(): GoValue {
    this.enter();
    this.i++;
    const items: GoValue[] = [];
    this.ws();
    if (this.b[this.i] === 0x5d) {
      this.i++;
      this.depth--;
      return { k: 'arr', items };
    }
    for (;;) {
      this.ws();
      items.push(this.value('looking for beginning of value'));
      this.ws();
      const c = this.b[this.i];
      if (c === 0x2c) {
        this.i++;
        continue;
      }
      if (c === 0x5d) {
        this.i++;
        this.depth--;
        return { k: 'arr', items };
      }
      this.fail('after array element');
    }
  }

  private string(): string {
    const b = this.b;
    this.i++;
    let out = '';
    let start = this.i;
    for (;;) {
      if (this.i >= b.length) this.fail('in string literal');
      const c = b[this.i];
      if (c === 0x22) {
        out += Buffer.from(b.buffer, b.byteOffset + start, this.i - start).toString('utf8');
        this.i++;
        break;
      }
      if (c < 0x20) this.fail('in string literal');
      if (c === 0x5c) {
        out += Buffer.from(b.buffer, b.byteOffset + start, this.i - start).toString('utf8');
        this.i++;
        if (this.i >= b.length) this.fail('in string escape code');
        const e = b[this.i];
        const simple: Record<number, string> = { 0x22: '"', 0x5c: '\\', 0x2f: '/', 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t' };
        if (simple[e] !== undefined) {
          out += simple[e];
          this.i++;
        } else if (e === 0x75) {
          this.i++;
          let code = 0;
          for (let j = 0; j < 4; j++) {
            const h = this.i < b.length ? b[this.i] : -1;
            const d = h >= 0x30 && h <= 0x39 ? h - 0x30 : h >= 0x61 && h <= 0x66 ? h - 0x57 : h >= 0x41 && h <= 0x46 ? h - 0x37 : -1;
            if (d < 0) this.fail('in \\u hexadecimal character escape');
            code = code * 16 + d;
            this.i++;
          }
          out += String.fromCharCode(code);
        } else {
          this.fail('in string escape code');
        }
        start = this.i;
        continue;
      }
      this.i++;
    }
    return out.includes('\\') || /[\uD800-\uDFFF]/.test(out) ? out.replace(LONE_SURROGATE_RE, '\uFFFD') : out;
  }

  private number(): string {
    const b = this.b;
    const start = this.i;
    const digit = (): boolean => this.i < b.length && b[this.i] >= 0x30 && b[this.i] <= 0x39;
    if (b[this.i] === 0x2d) {
      this.i++;
      if (!digit()) this.fail('in numeric literal');
    }
    if (b[this.i] === 0x30) this.i++;
    else while (digit()) this.i++;
    if (b[this.i] === 0x2e) {
      this.i++;
      if (!digit()) this.fail('after decimal point in numeric literal');
      while (digit()) this.i++;
    }
    if (b[this.i] === 0x65 || b[this.i] === 0x45) {
      this.i++;
      if (b[this.i] === 0x2b || b[this.i] === 0x2d) this.i++;
      if (!digit()) this.fail('in exponent of numeric literal');
      while (digit()) this.i++;
    }
    return Buffer.from(b.buffer, b.byteOffset + start, this.i - start).toString('latin1');
  }
}

/** Parses JSON bytes or text the way Go's json.Unmarshal validates them; throws GoJsonError with Go's message. */
export function goParse(input: Uint8Array | string): GoValue {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  return new Parser(bytes).parseTop();
}
