// Go's zero time comes back as "0001-01-01T00:00:00Z" or in local mean time such as
// "0001-01-01T01:12:12+01:12" (protocol P12): any year <= 1 means "unset".

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
