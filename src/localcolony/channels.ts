// Process channels (docs/protocol.md §6): in-memory logs keyed `<processid>_<name>`, two parties, client-chosen
// sequences kept in the server's sort order, a per-process token bucket, and push subscribers.
import { formatNs, nowNs } from './clock';

export const MAX_MESSAGE_SIZE = 10 * 1024 * 1024;
export const MAX_LOG_ENTRIES = 10_000;
export const MAX_CHANNELS_PER_PROCESS = 100;
export const RATE_LIMIT_BURST = 500;
export const RATE_LIMIT_PER_SECOND = 100;

export class ChannelError extends Error {
  override readonly name = 'ChannelError';
  constructor(readonly code: 'notfound' | 'unauthorized' | 'toolarge' | 'ratelimit' | 'full' | 'toomany', message: string) {
    super(message);
  }
}

const notFound = (): ChannelError => new ChannelError('notfound', 'channel not found');

export interface StoredChannelEntry {
  sequence: bigint;
  inreplyto: bigint;
  timestamp: bigint;
  senderid: string;
  payload: Buffer | null;
  type: string;
  error: string;
}

export interface Channel {
  id: string;
  processId: string;
  name: string;
  submitterId: string;
  executorId: string;
  log: StoredChannelEntry[];
}

export interface ChannelSubscriber {
  push(entry: StoredChannelEntry): void;
  /** The channel was removed (process closed, failed or cancelled): end silently. */
  end(): void;
}

export interface ChannelRateLimits {
  rateLimitBurst: number;
  rateLimitPerSecond: number;
}

export const DEFAULT_CHANNEL_RATE_LIMITS: ChannelRateLimits = { rateLimitBurst: RATE_LIMIT_BURST, rateLimitPerSecond: RATE_LIMIT_PER_SECOND };

class TokenBucket {
  private tokens: number;
  private last = process.hrtime.bigint();

  constructor(private readonly limits: ChannelRateLimits) {
    this.tokens = limits.rateLimitBurst;
  }

  allow(): boolean {
    const now = process.hrtime.bigint();
    this.tokens = Math.min(this.limits.rateLimitBurst, this.tokens + (Number(now - this.last) / 1e9) * this.limits.rateLimitPerSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}

export function entryJson(e: StoredChannelEntry): Record<string, unknown> {
  const out: Record<string, unknown> = { sequence: e.sequence };
  if (e.inreplyto !== 0n) out.inreplyto = e.inreplyto;
  out.timestamp = formatNs(e.timestamp);
  out.senderid = e.senderid;
  out.payload = e.payload === null ? null : e.payload.toString('base64');
  if (e.type) out.type = e.type;
  if (e.error) out.error = e.error;
  return out;
}

export class ChannelRouter {
  private readonly channels = new Map<string, Channel>();
  private readonly byProcess = new Map<string, string[]>();
  private readonly subscribers = new Map<string, Set<ChannelSubscriber>>();
  private readonly limiters = new Map<string, TokenBucket>();

  constructor(private readonly limits: ChannelRateLimits = DEFAULT_CHANNEL_RATE_LIMITS) {}

  /** Creates the channel unless it exists; silently ignores duplicates (as submit does). */
  createIfMissing(processId: string, name: string, submitterId: string, executorId: string): void {
    const id = `${processId}_${name}`;
    if (this.channels.has(id)) return;
    const ids = this.byProcess.get(processId) ?? [];
    if (ids.length >= MAX_CHANNELS_PER_PROCESS) throw new ChannelError('toomany', 'process has too many channels');
    this.channels.set(id, { id, processId, name, submitterId, executorId, log: [] });
    ids.push(id);
    this.byProcess.set(processId, ids);
  }

  get(processId: string, name: string): Channel | undefined {
    for (const id of this.byProcess.get(processId) ?? []) {
      const ch = this.channels.get(id);
      if (ch && ch.name === name) return ch;
    }
    return undefined;
  }

  private authorize(ch: Channel, callerId: string): void {
    if (callerId !== ch.submitterId && callerId !== ch.executorId) {
      throw new ChannelError('unauthorized', 'unauthorized access to channel');
    }
  }

  append(channelId: string, senderId: string, sequence: bigint, inReplyTo: bigint, payload: Buffer | null, type: string): void {
    if (payload && payload.length > MAX_MESSAGE_SIZE) throw new ChannelError('toolarge', 'message payload exceeds maximum size');
    const ch = this.channels.get(channelId);
    if (!ch) throw notFound();
    this.authorize(ch, senderId);
    let limiter = this.limiters.get(ch.processId);
    if (!limiter) {
      limiter = new TokenBucket(this.limits);
      this.limiters.set(ch.processId, limiter);
    }
    if (!limiter.allow()) throw new ChannelError('ratelimit', 'rate limit exceeded');
    if (ch.log.length >= MAX_LOG_ENTRIES) throw new ChannelError('full', 'channel log is full');
    const entry: StoredChannelEntry = { sequence, inreplyto: inReplyTo, timestamp: nowNs(), senderid: senderId, payload, type, error: '' };
    ch.log.push(entry);
    // The server's comparator: same sender by sequence, otherwise by arrival time (not a total order).
    ch.log.sort((a, b) => {
      if (a.senderid === b.senderid) return a.sequence < b.sequence ? -1 : a.sequence > b.sequence ? 1 : 0;
      return a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0;
    });
    for (const sub of [...(this.subscribers.get(channelId) ?? [])]) sub.push(entry);
  }

  /** `afterIndex` is an index into the sorted log, not a sequence number. */
  readAfter(channelId: string, callerId: string, afterIndex: bigint, limit: number): StoredChannelEntry[] {
    const ch = this.channels.get(channelId);
    if (!ch) throw notFound();
    this.authorize(ch, callerId);
    const start = afterIndex < 0n ? 0 : afterIndex >= BigInt(ch.log.length) ? ch.log.length : Number(afterIndex);
    const end = limit > 0 && start + limit < ch.log.length ? start + limit : ch.log.length;
    return ch.log.slice(start, end);
  }

  /** Live channel subscriptions, all channels together (tests wait on it instead of sleeping). */
  get subscriberCount(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  subscribe(channelId: string, callerId: string, sub: ChannelSubscriber): () => void {
    const ch = this.channels.get(channelId);
    if (!ch) throw notFound();
    this.authorize(ch, callerId);
    let set = this.subscribers.get(channelId);
    if (!set) {
      set = new Set();
      this.subscribers.set(channelId, set);
    }
    set.add(sub);
    return () => {
      const s = this.subscribers.get(channelId);
      if (!s) return;
      s.delete(sub);
      if (s.size === 0) this.subscribers.delete(channelId);
    };
  }

  setExecutor(processId: string, executorId: string): void {
    for (const id of this.byProcess.get(processId) ?? []) {
      const ch = this.channels.get(id);
      if (ch) ch.executorId = executorId;
    }
  }

  /** Deletes the process's channels, ends their subscriptions silently and forgets its rate limiter. */
  cleanupProcess(processId: string): void {
    const ids = this.byProcess.get(processId);
    this.limiters.delete(processId);
    if (!ids) return;
    this.byProcess.delete(processId);
    for (const id of ids) {
      this.channels.delete(id);
      const subs = this.subscribers.get(id);
      this.subscribers.delete(id);
      for (const sub of subs ?? []) sub.end();
    }
  }

  clear(): void {
    for (const processId of [...this.byProcess.keys()]) this.cleanupProcess(processId);
    this.limiters.clear();
  }
}
