// Keeps one channel subscription alive across subscription timeouts, dropped sockets and server restarts,
// delivering every entry exactly once. Why each piece exists (docs/protocol.md §5.3, §6):
// - the resume cursor is an index into the server's log (entries held), never a sequence number;
// - the history frame and live pushes can overlap, so entries are de-duplicated by (sender, sequence, time);
// - the server ends a subscription silently when the process finishes, so the process state is watched: fed by the
//   caller (the extension's process store, store/processStore.ts) when it gives `processState`, else polled here;
// - channels live only in server memory: after a restart the log is shorter (or different), so after every drop
//   the cursor is checked against the server's log before resuming, or a resume would skip new entries;
// - a history frame can be too large for one reply; the backlog is then read in pages before subscribing;
// - a server that ends every subscription at once (a `[]` timeout frame, or none) is asked again after a growing
//   delay, not in a tight loop.

import type { ColoniesClient } from './client';
import { isTerminal } from './client';
import { Emitter, type Disposable } from './events';
import { entryKey, isOverflowMarker } from './entries';
import { ColoniesError, ColoniesTransportError } from './rpc';
import { ReplyTooLargeError } from './transport';
import { backoffMs, delay, type BackoffOptions } from './retry';
import { errorMessage } from './rpc';
import { ProcessState, type ChannelEntry } from './types';

export type StreamStatus =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'reconnecting'; attempt: number; reason: string }
  | { kind: 'ended'; processState: ProcessState }
  | { kind: 'error'; message: string; fatal: boolean };

/** The process's state as someone else (the process store) keeps it: the stream then runs no poll of its own. */
export interface ProcessStateFeed {
  /** The state known now, if any. */
  current(): ProcessState | undefined;
  /** One fresh read (after a subscription ran out, or a `Channel not found`); undefined when it fails. */
  read(): Promise<ProcessState | undefined>;
  onChange(listener: (state: ProcessState) => void): Disposable;
}

export interface ChannelStreamOptions {
  processId: string;
  channel: string;
  prvkey: string;
  /** Entries already held by the caller: the stream resumes after them. Defaults to knownEntries.length. */
  afterIndex?: number;
  /** Entries already held, so a re-delivery of any of them is dropped. */
  knownEntries?: readonly ChannelEntry[];
  /** How often the process state is checked while subscribed (without `processState`). */
  pollStateMs?: number;
  /** Where the process state comes from; without it the stream polls getProcess every `pollStateMs`. */
  processState?: ProcessStateFeed;
  /** Seconds per server-side subscription before it is renewed. */
  subscribeTimeoutSec?: number;
  backoff?: BackoffOptions;
  /** Wait after seeing the process finish, for pushes still on the wire. */
  endGraceMs?: number;
}

/** A subscription that ends sooner than this (and than half its timeout) with nothing new "ended at once". */
const QUICK_END_MS = 1000;

class ProcessEnded extends Error {
  constructor(readonly state: ProcessState) {
    super('process ended');
  }
}

export class ChannelStream implements Disposable {
  private readonly entriesEmitter = new Emitter<ChannelEntry[]>();
  private readonly statusEmitter = new Emitter<StreamStatus>();
  private readonly seen = new Set<string>();
  private readonly stop = new AbortController();
  private index: number;
  /** Set after a drop (and at start when resuming): the server may have lost or replaced its log meanwhile. */
  private verifyCursor: boolean;
  /** Set when the last history frame was over the reply cap: read the backlog in pages first. */
  private readBacklog = false;
  private current: StreamStatus = { kind: 'connecting' };
  private started = false;

  readonly onEntries = this.entriesEmitter.event;
  readonly onStatus = this.statusEmitter.event;

  constructor(
    private readonly client: ColoniesClient,
    private readonly opts: ChannelStreamOptions,
  ) {
    for (const e of opts.knownEntries ?? []) this.seen.add(entryKey(e));
    this.index = opts.afterIndex ?? opts.knownEntries?.length ?? 0;
    this.verifyCursor = this.index > 0;
  }

  get status(): StreamStatus {
    return this.current;
  }

  /** Entries received so far (including the ones held before start): the next subscription's afterseq. */
  get receivedCount(): number {
    return this.index;
  }

  start(): void {
    if (this.started || this.stop.signal.aborted) return;
    this.started = true;
    this.run().catch((err) => this.setStatus({ kind: 'error', message: errorMessage(err), fatal: true }));
  }

  dispose(): void {
    this.stop.abort();
    this.entriesEmitter.dispose();
    this.statusEmitter.dispose();
  }

  private get stopped(): boolean {
    return this.stop.signal.aborted;
  }

  private setStatus(status: StreamStatus): void {
    if (this.stopped) return;
    if (status.kind === this.current.kind && (status.kind === 'live' || status.kind === 'connecting')) return;
    this.current = status;
    this.statusEmitter.fire(status);
  }

  /** Emits the entries not seen before; returns how many there were. */
  private accept(batch: readonly ChannelEntry[]): number {
    const fresh: ChannelEntry[] = [];
    for (const e of batch) {
      if (isOverflowMarker(e)) continue;
      const key = entryKey(e);
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      fresh.push(e);
    }
    if (fresh.length > 0 && !this.stopped) this.entriesEmitter.fire(fresh);
    return fresh.length;
  }

  /**
   * Before resubscribing after a drop: if the entry just before the cursor is not one already held, the server's
   * log was replaced (a restart empties it) and the cursor may point past its end. The whole log is then read again,
   * only unseen entries are delivered, and the cursor becomes the server's log length. One small read otherwise,
   * and none at 0 (a subscription from 0 gets the whole log anyway, de-duplicated) or while nothing is held to
   * compare with (a caller-given `afterIndex` alone is taken on trust).
   */
  private async realign(signal: AbortSignal): Promise<void> {
    if (this.index === 0 || this.seen.size === 0) return;
    const { processId, channel, prvkey } = this.opts;
    const [atCursor] = await this.client.channelRead(processId, channel, this.index - 1, 1, prvkey, { signal });
    if (atCursor && this.seen.has(entryKey(atCursor))) return;
    const log = await this.client.channelReadAll(processId, channel, prvkey, { signal });
    this.accept(log);
    this.index = log.length;
  }

  /** Reads the entries after the cursor in pages, so the next subscription's history frame stays small. */
  private async catchUp(signal: AbortSignal): Promise<void> {
    const { processId, channel, prvkey } = this.opts;
    const backlog = await this.client.channelReadAll(processId, channel, prvkey, { from: this.index, signal });
    this.accept(backlog);
    this.index += backlog.length;
  }

  private async run(): Promise<void> {
    const { processId, channel, prvkey } = this.opts;
    let attempt = 0;
    /** Subscriptions in a row that ended at once with nothing new; the second one and later wait before the next. */
    let quickEnds = 0;
    const timeoutSec = this.opts.subscribeTimeoutSec ?? 30;
    const quickMs = Math.min(QUICK_END_MS, (timeoutSec > 0 ? timeoutSec : 30) * 500);
    this.setStatus({ kind: 'connecting' });
    while (!this.stopped) {
      const sub = new AbortController();
      const onStop = () => sub.abort();
      this.stop.signal.addEventListener('abort', onStop, { once: true });
      const watcher = this.watchState(sub);
      try {
        if (this.verifyCursor) {
          await this.realign(sub.signal);
          this.verifyCursor = false;
        }
        if (this.readBacklog) {
          await this.catchUp(sub.signal);
          this.readBacklog = false;
        }
        const subscribedAt = Date.now();
        let fresh = 0;
        await this.client.subscribeChannel(processId, channel, prvkey, {
          afterSeq: this.index,
          timeout: timeoutSec,
          signal: sub.signal,
          onSubscribed: () => this.setStatus({ kind: 'live' }),
          callback: (batch) => {
            attempt = 0;
            const n = this.accept(batch);
            fresh += n;
            this.index += n;
          },
        });
        attempt = 0;
        quickEnds = fresh === 0 && Date.now() - subscribedAt < quickMs ? quickEnds + 1 : 0;
      } catch (err) {
        if (this.stopped) return;
        if (err instanceof ProcessEnded) return this.setStatus({ kind: 'ended', processState: err.state });
        const verdict = await this.classify(err);
        if (verdict === 'retry') {
          this.verifyCursor = true;
          if (err instanceof ReplyTooLargeError) this.readBacklog = true;
          attempt++;
          this.setStatus({ kind: 'reconnecting', attempt, reason: errorMessage(err) });
          await delay(backoffMs(attempt, this.opts.backoff), this.stop.signal).catch(() => undefined);
          continue;
        }
        return this.setStatus(verdict);
      } finally {
        sub.abort();
        this.stop.signal.removeEventListener('abort', onStop);
        await watcher;
      }
      // The subscription ran out (or the server ended it silently): renew it unless the process is done.
      const state = await this.processState();
      if (state !== undefined && isTerminal(state)) return this.setStatus({ kind: 'ended', processState: state });
      if (quickEnds >= 2) await delay(backoffMs(quickEnds - 1, this.opts.backoff), this.stop.signal).catch(() => undefined);
    }
  }

  /** What a failed subscription means: retry, the process has ended, or a fatal error. */
  private async classify(err: unknown): Promise<'retry' | StreamStatus> {
    if (!(err instanceof ColoniesError)) {
      return err instanceof ColoniesTransportError || err instanceof Error ? 'retry' : { kind: 'error', message: errorMessage(err), fatal: true };
    }
    if (err.status === 404) {
      // `Channel not found` after close/fail: report the process's final state rather than an error.
      const state = await this.processState();
      if (state !== undefined && isTerminal(state)) return { kind: 'ended', processState: state };
      return { kind: 'error', message: err.message, fatal: true };
    }
    if (err.status === 403 || err.status === 400) return { kind: 'error', message: err.message, fatal: true };
    return 'retry';
  }

  private async processState(): Promise<ProcessState | undefined> {
    if (this.opts.processState) return this.opts.processState.read().catch(() => undefined);
    try {
      return (await this.client.getProcess(this.opts.processId, this.opts.prvkey, { signal: this.stop.signal })).state;
    } catch {
      return undefined;
    }
  }

  /** Polls the process while subscribed; on a finished process, aborts the subscription with ProcessEnded. */
  private async watchState(sub: AbortController): Promise<void> {
    if (this.opts.processState) return this.followState(sub, this.opts.processState);
    const every = this.opts.pollStateMs ?? 2000;
    while (!sub.signal.aborted) {
      try {
        await delay(every, sub.signal);
      } catch {
        return;
      }
      let state: ProcessState;
      try {
        state = (await this.client.getProcess(this.opts.processId, this.opts.prvkey, { signal: sub.signal })).state;
      } catch {
        continue; // connectivity problems surface through the subscription itself
      }
      if (isTerminal(state)) {
        await delay(this.opts.endGraceMs ?? 300, sub.signal).catch(() => undefined);
        sub.abort(new ProcessEnded(state));
        return;
      }
    }
  }

  /** Like watchState, from the caller's feed: resolves when the subscription ends or the process finished. */
  private async followState(sub: AbortController, feed: ProcessStateFeed): Promise<void> {
    if (sub.signal.aborted) return;
    const ended = await new Promise<ProcessState | undefined>((resolve) => {
      const onAbort = () => finish(undefined);
      const listener = feed.onChange((state) => isTerminal(state) && finish(state));
      function finish(state: ProcessState | undefined) {
        listener.dispose();
        sub.signal.removeEventListener('abort', onAbort);
        resolve(state);
      }
      sub.signal.addEventListener('abort', onAbort);
      const now = feed.current();
      if (now !== undefined && isTerminal(now)) finish(now);
    });
    if (ended === undefined) return;
    await delay(this.opts.endGraceMs ?? 300, sub.signal).catch(() => undefined);
    sub.abort(new ProcessEnded(ended));
  }
}
