// Go encoding/json semantics for what the local colony receives: the syntax errors carry Go's exact texts
// (the envelope's 400 body shows them; src/localcolony/goparse.ts parses), and decoding into a schema follows Go's
// rules (unknown keys ignored, missing keys keep zero values, case-insensitive key matching, null leaves the zero
// value, strict types).
import { isStrictBase64 } from '../colonies/rpc';
import { GoJsonError, goParse, type GoValue } from './goparse';

export { GoJsonError, goParse, isPrintable } from './goparse';
export type { GoValue } from './goparse';

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
/** What Go's time.Time accepts from JSON (a four-digit year, RFC 3339); colonies/time.ts parses wider input. */
const GO_TIME_RE = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

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
        if (!GO_TIME_RE.test(v.v) || Number.isNaN(Date.parse(v.v))) {
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
