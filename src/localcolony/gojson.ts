// Go encoding/json semantics for what the local colony receives: the syntax errors carry Go's exact texts
// (the envelope's 400 body shows them), and decoding into a schema follows Go's rules (unknown keys ignored,
// missing keys keep zero values, case-insensitive key matching, null leaves the zero value, strict types).
import { isStrictBase64 } from '../colonies/rpc';

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
 * recursive decode and encode after it) would overflow the JS stack well before that, so the local colony
 * draws the same line at 1 000 levels; no real message nests anywhere near that.
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

// ---------------------------------------------------------------------------------------------------------
// Typed decoding

export type Schema =
  | 'string'
  | 'int' // Go int: JS number
  | 'int64' // Go int64: bigint, exact
  | 'float'
  | 'bool'
  | 'bytes' // Go []byte: base64 string or array of 0..255; Buffer or null
  | 'time' // Go time.Time: RFC 3339 string
  | 'any' // interface{}: plain JS value, numbers as float64
  | { arr: Schema }
  | { map: Schema }
  | { struct: { [jsonKey: string]: Schema }; name?: string }
  | { ptr: Schema };

/** A decoded Go struct; fields typed loosely, the handlers know their shapes. */
export type GoStruct = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function kindName(v: GoValue): string {
  switch (v.k) {
    case 'obj':
      return 'object';
    case 'arr':
      return 'array';
    case 'str':
      return 'string';
    case 'num':
      return 'number';
    case 'bool':
      return 'bool';
    default:
      return 'null';
  }
}

function goTypeName(s: Schema): string {
  if (typeof s === 'string') {
    return ({ string: 'string', int: 'int', int64: 'int64', float: 'float64', bool: 'bool', bytes: '[]uint8', time: 'time.Time', any: 'interface {}' } as const)[s];
  }
  if ('arr' in s) return `[]${goTypeName(s.arr)}`;
  if ('map' in s) return `map[string]${goTypeName(s.map)}`;
  if ('ptr' in s) return goTypeName(s.ptr);
  return s.name ?? 'struct';
}

class TypeError_ extends GoJsonError {}

interface Ctx {
  structName?: string;
  path: string[];
}

function typeError(value: string, schema: Schema, ctx: Ctx): never {
  const where = ctx.structName && ctx.path.length
    ? `Go struct field ${ctx.structName}.${ctx.path.join('.')}`
    : 'Go value';
  throw new TypeError_(`json: cannot unmarshal ${value} into ${where} of type ${goTypeName(schema)}`);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const RFC3339_RE = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** Go zero value for a schema (what a missing or null field holds). */
export function zeroValue(s: Schema): unknown {
  if (typeof s === 'string') {
    switch (s) {
      case 'string':
        return '';
      case 'int':
      case 'float':
        return 0;
      case 'int64':
        return 0n;
      case 'bool':
        return false;
      case 'time':
        return undefined;
      default:
        return null;
    }
  }
  if ('struct' in s) {
    const out: GoStruct = {};
    for (const [k, fs] of Object.entries(s.struct)) out[k] = zeroValue(fs);
    return out;
  }
  return null;
}

function decodeInto(v: GoValue, s: Schema, ctx: Ctx, current: unknown): unknown {
  if (v.k === 'null') {
    // null leaves non-nilable values untouched and sets slices, maps, pointers and interfaces to nil.
    if (typeof s === 'string' && s !== 'any' && s !== 'bytes') return current;
    if (typeof s === 'object' && 'struct' in s) return current;
    return null;
  }
  if (typeof s === 'string') {
    switch (s) {
      case 'string':
        if (v.k !== 'str') typeError(kindName(v), s, ctx);
        return v.v;
      case 'bool':
        if (v.k !== 'bool') typeError(kindName(v), s, ctx);
        return v.v;
      case 'int':
      case 'int64': {
        if (v.k !== 'num') typeError(kindName(v), s, ctx);
        if (!/^-?\d+$/.test(v.raw)) typeError(`number ${v.raw}`, s, ctx);
        const n = BigInt(v.raw);
        if (n < INT64_MIN || n > INT64_MAX) typeError(`number ${v.raw}`, s, ctx);
        return s === 'int64' ? n : Number(n);
      }
      case 'float': {
        if (v.k !== 'num') typeError(kindName(v), s, ctx);
        const f = Number(v.raw);
        if (!Number.isFinite(f)) typeError(`number ${v.raw}`, s, ctx);
        return f;
      }
      case 'time':
        if (v.k !== 'str') typeError(kindName(v), s, ctx);
        if (!RFC3339_RE.test(v.v) || Number.isNaN(Date.parse(v.v))) {
          throw new GoJsonError(`parsing time ${JSON.stringify(v.v)} as "2006-01-02T15:04:05Z07:00": cannot parse`);
        }
        return v.v;
      case 'bytes':
        if (v.k === 'str') {
          const bytes = goBase64(v.v);
          if (!bytes) throw new GoJsonError('illegal base64 data at input byte 0');
          return bytes;
        }
        if (v.k === 'arr') {
          const out = Buffer.alloc(v.items.length);
          v.items.forEach((item, idx) => {
            const n = decodeInto(item, 'int', { ...ctx, path: [...ctx.path] }, 0) as number;
            if (n < 0 || n > 255) typeError(`number ${n}`, 'int', ctx);
            out[idx] = n;
          });
          return out;
        }
        return typeError(kindName(v), s, ctx);
      case 'any':
        return toPlain(v, ctx);
    }
  }
  if ('ptr' in s) return decodeInto(v, s.ptr, ctx, current ?? zeroValue(s.ptr));
  if ('arr' in s) {
    if (v.k !== 'arr') typeError(kindName(v), s, ctx);
    return v.items.map((item) => decodeInto(item, s.arr, ctx, zeroValue(s.arr)));
  }
  if ('map' in s) {
    if (v.k !== 'obj') typeError(kindName(v), s, ctx);
    const out: Record<string, unknown> = (current && typeof current === 'object' ? current : {}) as Record<string, unknown>;
    for (const [key, item] of v.entries) out[key] = decodeInto(item, s.map, ctx, zeroValue(s.map));
    return sortKeys(out);
  }
  if (v.k !== 'obj') typeError(kindName(v), s, ctx);
  const out = (current && typeof current === 'object' ? current : zeroValue(s)) as GoStruct;
  const fields = s.struct;
  const structName = ctx.structName ?? s.name?.replace(/^.*\./, '');
  for (const [key, item] of v.entries) {
    let field: string | undefined = Object.prototype.hasOwnProperty.call(fields, key) ? key : undefined;
    if (field === undefined) {
      const lower = key.toLowerCase();
      field = Object.prototype.hasOwnProperty.call(fields, lower) ? lower : undefined;
    }
    if (field === undefined) continue;
    out[field] = decodeInto(item, fields[field], { structName, path: [...ctx.path, field] }, out[field]);
  }
  return out;
}

function sortKeys(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj).sort()) out[k] = obj[k];
  return out;
}

function toPlain(v: GoValue, ctx: Ctx): unknown {
  switch (v.k) {
    case 'obj': {
      const out: Record<string, unknown> = {};
      for (const [key, item] of v.entries) out[key] = toPlain(item, ctx);
      return sortKeys(out);
    }
    case 'arr':
      return v.items.map((item) => toPlain(item, ctx));
    case 'str':
      return v.v;
    case 'num': {
      const f = Number(v.raw);
      if (!Number.isFinite(f)) typeError(`number ${v.raw}`, 'float', ctx);
      return f;
    }
    case 'bool':
      return v.v;
    default:
      return null;
  }
}

/** Decodes a parsed value into a schema with Go's rules; a top-level null gives null (Go's nil pointer). */
export function goDecode(v: GoValue, s: Schema): unknown {
  if (v.k === 'null') return null;
  return decodeInto(v, s, { path: [] }, zeroValue(s));
}

/** base64.StdEncoding decoding as Go does it (line breaks ignored); undefined when the text is not valid. */
export function goBase64(text: string): Buffer | undefined {
  const clean = text.replace(/[\r\n]/g, '');
  return isStrictBase64(clean) ? Buffer.from(clean, 'base64') : undefined;
}

/** Parse + decode; any failure is a GoJsonError (syntax or type). */
export function goUnmarshal(input: Uint8Array | string, s: Schema): unknown {
  return goDecode(goParse(input), s);
}
