// Go's zero time comes back as "0001-01-01T00:00:00Z" or in local mean time such as
// "0001-01-01T01:12:12+01:12" (docs/protocol.md P12): any year <= 1 means "unset".

export function isZeroTime(value: string | undefined | null): boolean {
  if (!value) return true;
  const m = /^(-?\d{1,6})-/.exec(value);
  return !m || Number(m[1]) <= 1;
}

/** A Date for a ColonyOS time, or undefined when it is unset or unparsable. */
export function parseTime(value: string | undefined | null): Date | undefined {
  if (isZeroTime(value)) return undefined;
  const d = new Date(value as string);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** RFC 3339 with nanoseconds, trailing zeros trimmed, like Go's time.RFC3339Nano in UTC. */
export function formatTime(ms: number, nanosWithinMs = 0): string {
  const iso = new Date(ms).toISOString(); // 2026-01-02T03:04:05.678Z
  const frac = (iso.slice(20, 23) + String(nanosWithinMs).padStart(6, '0')).replace(/0+$/, '');
  return iso.slice(0, 19) + (frac ? `.${frac}` : '') + 'Z';
}

const RFC3339_RE = /^(\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Nanoseconds since the Unix epoch for an RFC 3339 time with up to 9 fractional digits, keeping the
 * precision `Date` drops (channel entries from one server differ only in their nanoseconds). Undefined
 * for zero or unparsable times.
 */
export function parseTimeNs(value: string | undefined | null): bigint | undefined {
  if (isZeroTime(value)) return undefined;
  const m = RFC3339_RE.exec(value as string);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3].toUpperCase()}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}
