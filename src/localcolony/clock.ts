// Server time in nanoseconds: Go stamps entries with ns precision, and the channel sort, log `since` cursors and
// list orders depend on distinct, increasing stamps, so the clock never repeats a value.
import { randomUUID } from 'node:crypto';
import { sha3Hex } from '../colonies/crypto';
import { GO_ZERO_TIME, formatTime } from '../colonies/time';

let lastNs = 0n;
const hrBase = process.hrtime.bigint();
const wallBaseNs = BigInt(Date.now()) * 1_000_000n;

export function nowNs(): bigint {
  let ns = wallBaseNs + (process.hrtime.bigint() - hrBase);
  if (ns <= lastNs) ns = lastNs + 1n;
  lastNs = ns;
  return ns;
}

/** RFC 3339 with nanoseconds (UTC); an unset time renders as Go's zero time. */
export function formatNs(ns: bigint | undefined): string {
  if (ns === undefined) return GO_ZERO_TIME;
  return formatTime(Number(ns / 1_000_000n), Number(ns % 1_000_000n));
}

/** Go's time.Unix(): whole seconds, floored; an unset time is year 1. */
export function unixSeconds(ns: bigint | undefined): bigint {
  if (ns === undefined) return -62135596800n;
  return ns >= 0n ? ns / 1_000_000_000n : -((-ns + 999_999_999n) / 1_000_000_000n);
}

/** A fresh 64-hex id, as the server makes them (SHA3-256 of a random UUID). */
export function newId(): string {
  return sha3Hex(randomUUID());
}

export const SECOND_NS = 1_000_000_000n;
