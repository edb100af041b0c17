// Caps concurrent requests per server (docs/protocol.md P1: a real server deadlocks under ~100 concurrent RPCs).
// The cap is per origin and shared by every client in the process, so two clients pointing at the same
// server can never add up to more than the cap. Each client may additionally hold itself to a lower cap.

import { ColoniesTransportError } from './rpc';

export const DEFAULT_MAX_IN_FLIGHT = 16;

interface Waiter {
  owner: object;
  ownerMax: number;
  grant: () => void;
  reject: (err: Error) => void;
}

export class InFlightLimiter {
  private active = 0;
  private highWater = 0;
  private readonly perOwner = new Map<object, number>();
  private readonly queue: Waiter[] = [];

  constructor(readonly limit: number) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Highest number of simultaneously granted slots seen so far. */
  get highWaterMark(): number {
    return this.highWater;
  }

  /**
   * Resolves with a release function once a slot is free (FIFO among waiters that can run).
   * Aborting while queued removes the waiter. `owner` lets a disposed client reject only its own waiters.
   */
  acquire(owner: object, ownerMax: number, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) {
          this.queue.splice(i, 1);
          reject(abortReason(signal!));
        }
      };
      const waiter: Waiter = {
        owner,
        ownerMax: Math.max(1, Math.floor(ownerMax)),
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          this.active++;
          this.perOwner.set(owner, (this.perOwner.get(owner) ?? 0) + 1);
          this.highWater = Math.max(this.highWater, this.active);
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            this.active--;
            const left = (this.perOwner.get(owner) ?? 1) - 1;
            if (left > 0) this.perOwner.set(owner, left);
            else this.perOwner.delete(owner);
            this.pump();
          });
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  /** Rejects every queued waiter of `owner` (client disposal). */
  rejectOwner(owner: object, err: Error): void {
    const theirs = this.queue.filter((w) => w.owner === owner);
    if (theirs.length === 0) return;
    const rest = this.queue.filter((w) => w.owner !== owner);
    this.queue.splice(0, this.queue.length, ...rest);
    for (const w of theirs) w.reject(err);
  }

  private pump(): void {
    for (let i = 0; i < this.queue.length && this.active < this.limit; ) {
      const w = this.queue[i];
      if ((this.perOwner.get(w.owner) ?? 0) < w.ownerMax) {
        this.queue.splice(i, 1);
        w.grant();
      } else {
        i++;
      }
    }
  }
}

export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name !== 'AbortError') return reason;
  return new ColoniesTransportError('Request cancelled', 'cancelled');
}

const registry = new Map<string, InFlightLimiter>();

/** The process-wide limiter for a server origin such as `http://127.0.0.1:50080` (16 slots). */
export function limiterFor(origin: string): InFlightLimiter {
  let limiter = registry.get(origin);
  if (!limiter) {
    limiter = new InFlightLimiter(DEFAULT_MAX_IN_FLIGHT);
    registry.set(origin, limiter);
  }
  return limiter;
}
