// What the local colony bounds per client. It runs inside the VS Code extension host, so no client may make it hold
// unbounded memory, sockets or timers. A real ColonyOS server (v1.9.12) bounds less: it reads a request body whole
// with no size cap and no body timeout (only a 10 s header timeout and a 120 s idle timeout), takes any number of
// connections and of subscriptions per WebSocket, and caps only what is stored: a channel message's payload at
// 10 MiB, a channel at 10,000 entries, a channel subscriber's backlog at 10,000 entries (docs/protocol.md §2.1, §5.3, §6).
// Every limit below is therefore the local colony's own, chosen so that anything a real server stores still fits.

/** A channel message's payload limit on a real server (docs/protocol.md §6). */
export const MAX_CHANNEL_MESSAGE_BYTES = 10 * 1024 * 1024;

/**
 * The largest body a legitimate request needs: a channel append of a full 10 MiB payload sent the most verbose way an
 * SDK sends it, as a JSON array of byte values written with ", " between them (up to 5 characters per byte: 50 MiB),
 * then base64-encoded into the envelope (4/3: 66.7 MiB), plus the envelope and the message's other fields.
 */
export const MAX_BODY_BYTES = 72 * 1024 * 1024;

export interface LocalColonyLimits {
  /** Open TCP connections, HTTP (keep-alive included) and WebSocket alike; one more is answered 503 and closed. */
  maxConnections: number;
  /** Largest /api request body in bytes; a larger one is answered 413 and its connection closed. */
  maxBodyBytes: number;
  /** Request bodies held in memory at once, all connections together; over it a request is answered 503. */
  maxBufferedBodyBytes: number;
  /** Time to receive a request's headers (a real server's ReadHeaderTimeout is 10 s); then the connection is closed. */
  headersTimeoutMs: number;
  /** Time to receive a request's whole body once its headers are in; then it is answered 408 and closed. */
  bodyTimeoutMs: number;
  /** Subscriptions one /pubsub socket may hold, counting the subscription frames it sent that wait their turn. */
  maxSubscriptionsPerSocket: number;
  /** Subscriptions held on the whole server (process and channel subscriptions together). */
  maxSubscriptions: number;
  /** Largest WebSocket frame a client may send (a subscription envelope is well under 1 KiB). */
  maxFrameBytes: number;
}

export const DEFAULT_LIMITS: Readonly<LocalColonyLimits> = {
  maxConnections: 256,
  maxBodyBytes: MAX_BODY_BYTES,
  // Three full-size channel appends at once; the extension's own client keeps at most 16 requests in flight.
  maxBufferedBodyBytes: 3 * MAX_BODY_BYTES,
  headersTimeoutMs: 10_000,
  // 72 MiB in 60 s is 1.2 MiB/s: slower than any loopback client, faster than a client that trickles on purpose.
  bodyTimeoutMs: 60_000,
  maxSubscriptionsPerSocket: 100,
  maxSubscriptions: 10_000,
  maxFrameBytes: 1024 * 1024,
};

export function resolveLimits(partial: Partial<LocalColonyLimits> = {}): LocalColonyLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const [k, v] of Object.entries(partial) as Array<[keyof LocalColonyLimits, number | undefined]>) {
    if (v === undefined) continue;
    if (!Number.isFinite(v) || v <= 0) throw new Error(`Local colony limit ${k} must be a positive number (got ${String(v)})`);
    limits[k] = v;
  }
  if (limits.maxBodyBytes > limits.maxBufferedBodyBytes) limits.maxBufferedBodyBytes = limits.maxBodyBytes;
  return limits;
}

/** "75497472 bytes (72 MiB)", or just the bytes when they are not whole MiB. */
function bytesText(bytes: number): string {
  const m = bytes / (1024 * 1024);
  return Number.isInteger(m) ? `${bytes} bytes (${m} MiB)` : `${bytes} bytes`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

// The texts clients see. Each names the limit and what to do about it.
export const limitTexts = {
  tooManyConnections: (max: number): string =>
    `The local colony has too many open connections (its limit is ${max}); close idle connections and try again`,
  bodyTooLarge: (max: number): string =>
    `Request body too large: the local colony accepts at most ${bytesText(max)} per request` +
    (max >= MAX_BODY_BYTES ? `, enough for a ${MAX_CHANNEL_MESSAGE_BYTES / (1024 * 1024)} MiB channel message in any encoding an SDK uses` : ''),
  bodiesBusy: (): string => 'The local colony is receiving too many large requests at once; try again shortly',
  bodyTimeout: (ms: number): string =>
    `Request body not received within ${seconds(ms)}: the local colony stops waiting for a body that arrives this slowly`,
  subscriptionsPerSocket: (max: number): string =>
    `Too many subscriptions on this WebSocket: the local colony allows ${max} per socket (held or waiting); ` +
    'end one or open another socket',
  subscriptionsTotal: (max: number): string =>
    `Too many subscriptions: the local colony holds at most ${max} at once; try again later`,
};

/** Status codes of the error envelopes above (429 and 413 are the local colony's own; a real server never sends them). */
export const LIMIT_STATUS = {
  tooManyConnections: 503,
  bodyTooLarge: 413,
  bodiesBusy: 503,
  bodyTimeout: 408,
  subscriptionsPerSocket: 429,
  subscriptionsTotal: 503,
} as const;

/** One held subscription as the budget sees it. */
export interface HeldSubscription {
  /** True once its socket is gone: a process subscription can outlive its socket until its timeout (docs/protocol.md P4). */
  orphaned(): boolean;
  /** Ends it early; the budget has already forgotten it. */
  evict(): void;
}

/**
 * The server-wide count of subscriptions. Below the cap nothing changes what a real server would do; at the cap, the
 * subscriptions whose socket is already gone (which a real server keeps until their timeout) are ended first, so a
 * client that opens sockets, subscribes and goes away cannot hold the cap for the rest of their timeouts.
 */
export class SubscriptionBudget {
  private readonly held = new Set<HeldSubscription>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.held.size;
  }

  get limit(): number {
    return this.max;
  }

  /** Takes a place for `sub`; returns the function that gives it back, or undefined when the budget is full. */
  acquire(sub: HeldSubscription): (() => void) | undefined {
    if (this.held.size >= this.max) this.evictOrphans();
    if (this.held.size >= this.max) return undefined;
    this.held.add(sub);
    return () => {
      this.held.delete(sub);
    };
  }

  private evictOrphans(): void {
    for (const sub of [...this.held]) {
      if (!sub.orphaned()) continue;
      this.held.delete(sub);
      sub.evict();
    }
  }

  /** Forgets everything (the server stopped; its event hub forgot the registrations too). */
  clear(): void {
    this.held.clear();
  }
}
