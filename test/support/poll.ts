// The one bounded polling loop behind the tests' condition waits (never a timing assertion: only how long to try).
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface PollOptions {
  /** Named in the failure message. */
  what: string;
  limitMs: number;
  stepMs: number;
  /** Keep polling when `check` throws (the last error is reported); otherwise the error fails at once. */
  retryErrors: boolean;
}

/** Polls `check` until it returns something other than undefined. */
export async function poll<T>(check: () => T | undefined | Promise<T | undefined>, o: PollOptions): Promise<T> {
  const end = Date.now() + o.limitMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      if (!o.retryErrors) throw err;
      last = err;
    }
    if (Date.now() > end) throw new Error(`gave up after ${o.limitMs} ms waiting for ${o.what}${last ? `: ${String(last)}` : ''}`);
    await sleep(o.stepMs);
  }
}

/** Waits for `check` to return a value, retrying through errors (tests against real servers and hosts). */
export function waitFor<T>(what: string, check: () => Promise<T | undefined>, limitMs = 20_000, stepMs = 150): Promise<T> {
  return poll(check, { what, limitMs, stepMs, retryErrors: true });
}

/** Waits for a synchronous condition; a throwing condition fails at once. */
export async function until(cond: () => boolean, what: string, limitMs = 15_000, stepMs = 10): Promise<void> {
  await poll(() => (cond() ? true : undefined), { what, limitMs, stepMs, retryErrors: false });
}
