// Relative times ("3 min ago") with the absolute time kept for the tooltip.
import { relativeTime as relativeTimeMs } from '../../src/base/format';

/** The shared rule (src/base/format.ts), for the ISO times of channel entries. */
export function relativeTime(iso: string, now: number): string {
  return relativeTimeMs(Date.parse(iso), now);
}

export function absoluteTime(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : `${t.toLocaleString()} (${iso})`;
}
