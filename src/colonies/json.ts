// JSON helpers that keep int64 values (prioritytime, log timestamps) exact.

const UNSAFE_INT_RE = /-?\d{16,}/;

function markerFor(text: string): string {
  let marker = '__colonyos_int64__';
  while (text.includes(marker)) marker += '_';
  return marker;
}

/**
 * Parses JSON; integer literals beyond Number.MAX_SAFE_INTEGER become bigint.
 * Fast path: plain JSON.parse when no 16+ digit run exists at all.
 */
export function parseJson(text: string): unknown {
  if (!UNSAFE_INT_RE.test(text)) return JSON.parse(text);
  const marker = markerFor(text);
  let out = '';
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i += 2;
        else if (d === 34) break;
        else i++;
      }
      i++;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      i++;
      while (i < n && /[0-9.eE+-]/.test(text[i])) i++;
      const token = text.slice(start, i);
      if (/^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token))) {
        out += text.slice(last, start) + `"${marker}${token}"`;
        last = i;
      }
    } else {
      i++;
    }
  }
  out += text.slice(last);
  return JSON.parse(out, (_key, value) =>
    typeof value === 'string' && value.startsWith(marker) ? BigInt(value.slice(marker.length)) : value,
  );
}

/** JSON.stringify that writes bigint values as plain JSON numbers. */
export function stringifyJson(value: unknown, indent?: number): string {
  let hasBig = false;
  const probe = JSON.stringify(value, (_k, v) => {
    if (typeof v === 'bigint') hasBig = true;
    return typeof v === 'bigint' ? v.toString() : v;
  }, indent);
  if (!hasBig) return probe;
  const marker = markerFor(probe);
  const text = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${marker}${v.toString()}` : v), indent);
  return text.replace(new RegExp(`"${marker}(-?\\d+)"`, 'g'), '$1');
}

/** Coerces a decoded int64 field to bigint (servers may send small values that parsed as numbers). */
export function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value));
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  return 0n;
}
