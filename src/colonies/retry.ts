// Waiting and backoff shared by streams, sessions and executors.

import { ColoniesError, ColoniesTransportError } from './rpc';

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
}

/** Exponential backoff with ±20 % jitter, so many clients reconnecting to a restarted server spread out. */
export function backoffMs(attempt: number, opts: BackoffOptions = {}): number {
  const initial = opts.initialMs ?? 250;
  const max = opts.maxMs ?? 10_000;
  const base = Math.min(max, initial * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Resolves after `ms`; rejects with a 'cancelled' transport error as soon as `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancelled = () => new ColoniesTransportError('Cancelled', 'cancelled');
    if (signal?.aborted) return reject(cancelled());
    const onAbort = () => {
      clearTimeout(t);
      reject(cancelled());
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The server's per-process channel rate limit (500 `rate limit exceeded`, docs/protocol.md §6). */
export function isRateLimited(err: unknown): boolean {
  return err instanceof ColoniesError && err.status === 500 && err.message === 'rate limit exceeded';
}
