// One party's side of a channel conversation: its own sequence counter, ordered sends with rate-limit
// retries, and the merged transcript of both parties as the server orders it.

import type { ColoniesClient } from './client';
import { crypto } from './crypto';
import { Emitter, type Disposable } from './events';
import { checkPayloadSize, payloadBytes } from './entries';
import { ColoniesTransportError } from './rpc';
import { backoffMs, delay, isRateLimited, type BackoffOptions } from './retry';
import { ChannelStream, type ProcessStateFeed, type StreamStatus } from './stream';
import { OrderedTranscript, type TranscriptChangeEvent } from './transcript';
import type { ChannelEntry, ChannelMessageType } from './types';

export interface ChannelSessionOptions {
  processId: string;
  channel: string;
  prvkey: string;
  /** Entries already held (e.g. restored after a reload); the stream resumes after them. */
  initialEntries?: ChannelEntry[];
  pollStateMs?: number;
  /** Where the process state comes from (the process store); without it the stream polls. */
  processState?: ProcessStateFeed;
  /** Backoff between `rate limit exceeded` retries. */
  retryBackoff?: BackoffOptions;
  /** Attempts per message before a rate-limited send is given up. */
  maxSendAttempts?: number;
  /**
   * Index into the server's log after which the stream resumes; defaults to initialEntries.length. A caller that
   * keeps only the newest entries passes how many it has received in all.
   */
  afterIndex?: number;
  /** Caps on what `entries` keeps (the oldest go first): a panel bounds its memory; unbounded when absent. */
  retain?: { maxEntries: number; maxBytes: number };
  /**
   * A transcript the caller owns and keeps across sessions (a panel's): the session adds what arrives to it instead of
   * keeping its own, and the stream resumes after its entries. `initialEntries` and `retain` are then not used.
   */
  transcript?: OrderedTranscript;
}

export interface SendOptions {
  inReplyTo?: number;
  type?: ChannelMessageType;
}

export class ChannelSession implements Disposable {
  readonly myId: string;
  /** The one ordered copy of the conversation: the caller's when given, else the session's own. */
  readonly transcript: OrderedTranscript;
  private readonly ownsTranscript: boolean;
  private readonly transcriptSub: Disposable;
  private readonly changeEmitter = new Emitter<TranscriptChangeEvent>();
  private readonly stream: ChannelStream;
  private readonly stop = new AbortController();
  private lastOwnSequence = 0;
  private sendQueue: Promise<unknown> = Promise.resolve();
  private synced: Promise<void> | undefined;

  readonly onDidChange = this.changeEmitter.event;
  readonly onStatus: ChannelStream['onStatus'];

  constructor(
    private readonly client: ColoniesClient,
    private readonly opts: ChannelSessionOptions,
  ) {
    this.myId = crypto.id(opts.prvkey);
    this.ownsTranscript = !opts.transcript;
    const retain = opts.retain;
    this.transcript = opts.transcript ?? new OrderedTranscript({ cap: () => retain });
    if (this.ownsTranscript) this.transcript.add(opts.initialEntries ?? []);
    for (const e of this.transcript.entries) this.noteOwn(e);
    this.transcriptSub = this.transcript.onDidChange((change) => {
      for (const e of change.added) this.noteOwn(e);
      if (change.added.length > 0) this.changeEmitter.fire(change);
    });
    this.stream = new ChannelStream(client, {
      processId: opts.processId,
      channel: opts.channel,
      prvkey: opts.prvkey,
      knownEntries: opts.transcript ? opts.transcript.entries.slice() : opts.initialEntries,
      afterIndex: opts.afterIndex,
      pollStateMs: opts.pollStateMs,
      processState: opts.processState,
    });
    this.onStatus = this.stream.onStatus;
    this.stream.onEntries((batch) => {
      this.transcript.add(batch);
    });
  }

  /** The merged transcript of both parties, de-duplicated, in the server's log order. */
  get entries(): readonly ChannelEntry[] {
    return this.transcript.entries;
  }

  get status(): StreamStatus {
    return this.stream.status;
  }

  /** The first `end` entry (from either party), if any; the conversation convention for "done". */
  get endEntry(): ChannelEntry | undefined {
    return this.transcript.entries.find((e) => e.type === 'end');
  }

  get errorEntries(): ChannelEntry[] {
    return this.transcript.entries.filter((e) => e.type === 'error');
  }

  start(): void {
    this.stream.start();
  }

  dispose(): void {
    this.stop.abort();
    this.stream.dispose();
    this.transcriptSub.dispose();
    this.changeEmitter.dispose();
    if (this.ownsTranscript) this.transcript.dispose();
  }

  /**
   * Sends with this party's next sequence number. Sends are serialized, so they reach the server in call
   * order even when `rate limit exceeded` forces retries. Resolves with the sequence used.
   */
  send(payload: string | Uint8Array, opts: SendOptions = {}): Promise<number> {
    let bytes: Uint8Array;
    try {
      if (this.stop.signal.aborted) throw new ColoniesTransportError('The channel session was closed', 'disposed');
      bytes = payloadBytes(payload);
      checkPayloadSize(bytes);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const job = this.sendQueue.then(() => this.sendNow(bytes, opts));
    this.sendQueue = job.catch(() => undefined);
    return job;
  }

  private noteOwn(e: ChannelEntry): void {
    if (e.senderid === this.myId) this.lastOwnSequence = Math.max(this.lastOwnSequence, e.sequence);
  }

  /**
   * Reads the whole log once before the first send so a restarted party never reuses a sequence. The counter only
   * ever grows: after a server restart the log is empty, but the transcript still holds this party's earlier entries
   * (and a stream realigning to the new log never removes any), so numbering continues after them.
   */
  private syncOwnSequence(): Promise<void> {
    this.synced ??= this.client
      .channelReadAll(this.opts.processId, this.opts.channel, this.opts.prvkey, { signal: this.stop.signal })
      .then((all) => {
        for (const e of all) if (e.senderid === this.myId) this.lastOwnSequence = Math.max(this.lastOwnSequence, e.sequence);
      })
      .catch((err) => {
        this.synced = undefined;
        throw err;
      });
    return this.synced;
  }

  private async sendNow(bytes: Uint8Array, opts: SendOptions): Promise<number> {
    await this.syncOwnSequence();
    // Taken before the first attempt and never handed out again, even if this send fails.
    const sequence = ++this.lastOwnSequence;
    const maxAttempts = this.opts.maxSendAttempts ?? 12;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.channelAppend(this.opts.processId, this.opts.channel, sequence, bytes, this.opts.prvkey, {
          inReplyTo: opts.inReplyTo,
          payloadType: opts.type && opts.type !== 'data' ? opts.type : undefined,
          signal: this.stop.signal,
        });
        return sequence;
      } catch (err) {
        // A rate-limited append was not stored, so retrying with the same number cannot duplicate it.
        if (!isRateLimited(err) || attempt >= maxAttempts || this.stop.signal.aborted) throw err;
        await delay(backoffMs(attempt, this.opts.retryBackoff ?? { initialMs: 100, maxMs: 2000 }), this.stop.signal);
      }
    }
  }
}
