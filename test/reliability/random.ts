// Seeded random inputs for the fuzz tests: a failure prints its seed and replays exactly.

/** xorshift32: tiny, deterministic, good enough to pick shapes. */
export class Random {
  private s: number;
  constructor(readonly seed: number) {
    this.s = seed >>> 0 || 1;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const NASTY_STRINGS = [
  '',
  ' ',
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=1</script>',
  'javascript:window.__pwned=1',
  '\u0000\u0001\u202e\ud800',
  '__proto__',
  'constructor',
  'a'.repeat(200_000),
  '{"type":"init"}',
  '%s%n%x',
  '../../etc/passwd',
  '\n'.repeat(500),
];

/** A random JSON-like value, biased towards the shapes (and field names) a protocol handler looks at. */
export function randomValue(r: Random, fields: readonly string[], depth = 0): unknown {
  switch (r.int(depth > 3 ? 8 : 11)) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return r.chance(0.5);
    case 3:
      return r.pick([0, -1, 1, 2 ** 53, -(2 ** 60), 1.5, NaN, Infinity, -0]);
    case 4:
    case 5:
      return r.pick(NASTY_STRINGS);
    case 6:
      return r.pick(fields);
    case 7:
      return String.fromCharCode(...Array.from({ length: r.int(30) }, () => r.int(0xffff)));
    case 8:
      return Array.from({ length: r.int(5) }, () => randomValue(r, fields, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = r.int(6); i > 0; i--) o[r.pick(fields)] = randomValue(r, fields, depth + 1);
      return o;
    }
  }
}

/** Mutates text the way a broken proxy or a buggy peer would: flips, cuts, duplicates, splices. */
export function mutateText(r: Random, text: string): string {
  const at = r.int(text.length + 1);
  switch (r.int(6)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + String.fromCharCode(r.int(256)) + text.slice(at + 1);
    case 2:
      return text.slice(0, at) + text.slice(r.int(text.length));
    case 3:
      return text.slice(at) + text.slice(0, at);
    case 4:
      return text.replace(/"[a-z]+"/, `"${r.pick(['payloadtype', 'payload', 'signature', 'x', ''])}"`);
    default:
      return text.slice(0, at) + r.pick(['null', '[]', '{}', '"', '\\', '\u0000', '9'.repeat(400)]) + text.slice(at);
  }
}
