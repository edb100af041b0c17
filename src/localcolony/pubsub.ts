// WebSocket /pubsub (docs/protocol.md §5): one signed envelope per subscription, handled in order on each socket.
// A channel subscription blocks the socket's read loop until it ends; process subscriptions run alongside.
// A client's close frame is read by that same loop, so it is answered only once every frame before it has
// been handled: at once on an idle socket or one with process subscriptions, but only when a channel
// subscription ends (its timeout, or its process finishing) if one is running. A real server does the same.
// Process subscriptions are registered with the server's event hub for their whole timeout, socket or not.
import type { RawData, WebSocket } from 'ws';
import { ProcessState } from '../colonies/types';
import { membershipError } from './auth';
import { entryJson } from './channels';
import type { StoredChannelEntry } from './channels';
import { decodeInner } from './dispatch';
import type { ServerCore } from './dispatch';
import { errorBody, okBody, parseEnvelope, recoverCaller } from './envelope';
import { RpcError } from './errors';
import type { EventHub, ProcessListener, Registration } from './events';
import type { GoStruct } from './gojson';
import { channelFailure, channelFor } from './handlers/channels';
import { LIMIT_STATUS, limitTexts } from './limits';
import type { HeldSubscription, SubscriptionBudget } from './limits';
import { msg } from './schemas';
import { processJson } from './state';
import type { ProcessRec } from './state';

const SUB_PROCESSES = msg({ colonyname: 'string', executortype: 'string', state: 'int', timeout: 'int' });
const SUB_PROCESS = msg({ colonyname: 'string', processid: 'string', executortype: 'string', state: 'int', timeout: 'int' });
const SUB_CHANNEL = msg({ processid: 'string', name: 'string', afterseq: 'int64', timeout: 'int' });

const MAX_TIMER_MS = 2 ** 31 - 1;
const DEFAULT_CHANNEL_TIMEOUT_S = 30;
/** Unsent bytes past which a client that keeps sending over its cap is dropped instead of sent more refusals. */
const REFUSAL_BACKLOG_BYTES = 1024 * 1024;

/** The subscription caps (limits.ts): this socket's, and the server-wide budget it draws from. */
export interface PubsubLimits {
  budget: SubscriptionBudget;
  maxPerSocket: number;
}

class PubsubConnection {
  private chain: Promise<void> = Promise.resolve();
  private readonly cleanups = new Set<() => void>();
  private closed = false;
  /** Frames received and not handled yet (queued behind a channel subscription, say). */
  private pending = 0;
  /** Subscriptions this socket made that still hold a place in the budget. */
  private held = 0;

  constructor(
    private readonly ws: WebSocket,
    private readonly core: ServerCore,
    private readonly events: EventHub,
    private readonly limits: PubsubLimits,
  ) {
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!this.admit(isBinary)) return;
      this.pending++;
      this.chain = this.chain.then(() => {
        this.pending--;
        return this.handle(data, isBinary);
      }).catch((err) => {
        core.log(`local colony: pubsub frame failed: ${(err as Error)?.stack ?? String(err)}`);
        this.drop();
      });
    });
    ws.on('close', () => this.dispose());
    ws.on('error', () => this.drop());
    // ws answers a close frame as soon as it arrives, by calling close() on this socket (nothing else here
    // does: this side only terminates). Queue that answer behind the frames received before it instead.
    const answerClose = ws.close.bind(ws);
    ws.close = (code?: number) => {
      this.chain = this.chain.then(() => {
        if (this.ws.readyState !== this.ws.OPEN) return;
        if (code === undefined || code === 1005) answerClose();
        else answerClose(code);
      }).catch(() => this.drop());
    };
  }

  private send(text: string, binary: boolean): void {
    if (!this.closed && this.ws.readyState === this.ws.OPEN) this.ws.send(binary ? Buffer.from(text, 'utf8') : text, { binary });
  }

  private sendError(status: number, message: string, binary: boolean): void {
    this.send(errorBody(status, message), binary);
  }

  /**
   * The per-socket cap, checked as a frame arrives, before it is parsed or queued: subscriptions held plus frames
   * waiting. A frame over it is answered with an error frame at once and forgotten; the socket and what it holds
   * stay. (A real server has no such cap; one socket replaying one envelope could otherwise hold any number.)
   */
  private admit(binary: boolean): boolean {
    if (this.pending + this.held < this.limits.maxPerSocket) return true;
    if (this.ws.bufferedAmount > REFUSAL_BACKLOG_BYTES) this.drop();
    else this.sendError(LIMIT_STATUS.subscriptionsPerSocket, limitTexts.subscriptionsPerSocket(this.limits.maxPerSocket), binary);
    return false;
  }

  /** A place in the server-wide budget for one subscription; undefined, with an error frame sent, when it is full. */
  private hold(sub: HeldSubscription, binary: boolean): (() => void) | undefined {
    const giveBack = this.limits.budget.acquire(sub);
    if (!giveBack) {
      this.sendError(LIMIT_STATUS.subscriptionsTotal, limitTexts.subscriptionsTotal(this.limits.budget.limit), binary);
      return undefined;
    }
    this.held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held--;
      giveBack();
    };
  }

  /** No close frame: the client sees 1006, as when the real server drops the hijacked connection. */
  drop(): void {
    this.dispose();
    this.ws.terminate();
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of [...this.cleanups]) c();
    this.cleanups.clear();
  }

  /** Runs `cleanup` when the socket goes away; the returned function forgets it. */
  private track(cleanup: () => void): () => void {
    this.cleanups.add(cleanup);
    return () => {
      this.cleanups.delete(cleanup);
    };
  }

  private async handle(data: RawData, binary: boolean): Promise<void> {
    if (this.closed) return;
    const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    const parsed = parseEnvelope(raw);
    if (!parsed.ok) return this.drop();
    const caller = recoverCaller(parsed.env);
    if ('error' in caller) return this.drop();
    const { payloadtype, payload } = parsed.env;
    if (payloadtype === 'subscribeprocessesmsg') this.subscribeProcesses(payload, caller.id, binary);
    else if (payloadtype === 'subscribeprocessmsg') this.subscribeProcess(payload, binary);
    else if (payloadtype === 'subscribechannelmsg') await this.subscribeChannel(payload, caller.id, binary);
    // Any other payloadtype is silently ignored.
  }

  private decode(payload: string, schema: typeof SUB_PROCESS): { msg: GoStruct } | { error: string } | undefined {
    const inner = decodeInner(payload, schema);
    if (inner.ok) return { msg: inner.msg };
    if (inner.error === 'nil') {
      this.drop();
      return undefined;
    }
    return { error: inner.error.message };
  }

  private get isOpen(): boolean {
    return !this.closed && this.ws.readyState === this.ws.OPEN;
  }

  /**
   * Registers a process subscription for `timeoutS` seconds; false when that is 0 or less. As on a real server
   * the registration is the server's, not the socket's: it outlives its socket until its timeout, or until a
   * signal reaches it and goes nowhere, which for a general listener is a wake-up lost to everyone else (P4).
   * Its timeout closes the whole socket. A timeout of 0 or less still takes a listener id, and closes the socket.
   */
  private listen(executorType: string, state: number, processId: string | undefined, timeoutS: number, binary: boolean): boolean {
    // A place in the subscription budget, given back whenever the registration ends (limits.ts). The closures
    // below run only once `reg` exists: nothing signals, expires or evicts a registration while it is being made.
    const held: HeldSubscription = {
      orphaned: () => !this.isOpen,
      evict: () => {
        reg.dispose();
        release?.();
      },
    };
    const release = timeoutS > 0 ? this.hold(held, binary) : undefined;
    if (timeoutS > 0 && !release) return false;
    const listener: ProcessListener = {
      processId,
      deliver: (p: ProcessRec) => {
        if (this.isOpen) this.send(okBody('subscribeprocessmsg', processJson(p)), binary);
        else {
          reg.dispose(); // the write fails on a real server, which ends the subscription
          release?.();
        }
      },
      expired: () => {
        release?.();
        this.drop();
      },
    };
    if (timeoutS <= 0) {
      this.events.register(executorType, state, '', listener).dispose();
      this.drop();
      return false;
    }
    const reg: Registration = this.events.register(executorType, state, '', listener, Math.min(timeoutS * 1000, MAX_TIMER_MS));
    return true;
  }

  private subscribeProcesses(payload: string, callerId: string, binary: boolean): void {
    const d = this.decode(payload, SUB_PROCESSES);
    if (!d) return;
    if ('error' in d) return this.sendError(403, d.error, binary);
    const m = d.msg;
    if (m.msgtype !== 'subscribeprocessesmsg') {
      return this.sendError(403, 'Failed to subscribe to processes, msg.msgType does not match rpcMsg.PayloadType', binary);
    }
    if (!this.core.state.executorById(callerId)) return this.sendError(403, 'executor not found', binary);
    this.listen(m.executortype, m.state, undefined, m.timeout, binary);
  }

  private subscribeProcess(payload: string, binary: boolean): void {
    const d = this.decode(payload, SUB_PROCESS);
    if (!d || 'error' in d) return;
    const m = d.msg;
    if (m.msgtype !== 'subscribeprocessmsg') {
      return this.sendError(403, 'Failed to subscribe to process, msg.msgType does not match rpcMsg.PayloadType', binary);
    }
    const p = this.core.state.processes.get(m.processid);
    if (!p) return this.sendError(403, `Invalid process with Id ${m.processid}`, binary);
    if (!this.listen(m.executortype || p.spec.conditions.executortype, m.state, p.processid, m.timeout, binary)) return;
    if (p.state === (m.state as ProcessState)) this.send(okBody('subscribeprocessmsg', processJson(p)), binary);
  }

  private subscribeChannel(payload: string, callerId: string, binary: boolean): Promise<void> | void {
    const d = this.decode(payload, SUB_CHANNEL);
    if (!d) return;
    if ('error' in d) return this.sendError(400, d.error, binary);
    const m = d.msg;
    if (m.msgtype !== 'subscribechannelmsg') {
      return this.sendError(400, 'Failed to subscribe to channel, msg.MsgType does not match rpcMsg.PayloadType', binary);
    }
    const { state, channels } = this.core;
    const p = state.processes.get(m.processid);
    if (!p) return this.sendError(404, 'Process not found', binary);
    const memberErr = membershipError(state, callerId, p.spec.conditions.colonyname, true);
    if (memberErr !== undefined) return this.sendError(403, memberErr, binary);
    let chId: string;
    try {
      chId = channelFor(state, channels, callerId, m.processid, m.name).id;
    } catch {
      return this.sendError(404, 'Channel not found', binary);
    }
    return new Promise<void>((resolve) => {
      // Its socket going away ends it (dispose), so it is never an orphan for long; evicting it just ends it.
      const release = this.hold({ orphaned: () => !this.isOpen, evict: () => finish() }, binary);
      if (!release) return resolve();
      let finish = (): void => {
        release();
        resolve();
      };
      let unsubscribe: () => void;
      try {
        unsubscribe = channels.subscribe(chId, callerId, {
          push: (e: StoredChannelEntry) => this.send(okBody('subscribechannelmsg', [entryJson(e)]), binary),
          end: () => finish(),
        });
      } catch (err) {
        const failure = channelFailure(err, 'Not authorized to subscribe to channel');
        this.sendError(failure instanceof RpcError ? failure.status : 500, failure.message, binary);
        release();
        return resolve();
      }
      const history = channels.readAfter(chId, callerId, m.afterseq, 0);
      if (history.length > 0) this.send(okBody('subscribechannelmsg', history.map(entryJson)), binary);
      const timeoutS = m.timeout === 0 ? DEFAULT_CHANNEL_TIMEOUT_S : m.timeout;
      const timer = setTimeout(() => {
        this.send(okBody('subscribechannelmsg', []), binary);
        finish();
      }, Math.max(0, Math.min(timeoutS * 1000, MAX_TIMER_MS)));
      const untrack = this.track(() => finish());
      let finished = false;
      finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        unsubscribe();
        untrack();
        release();
        resolve();
      };
    });
  }
}

export function attachPubsub(ws: WebSocket, core: ServerCore, events: EventHub, limits: PubsubLimits): PubsubConnection {
  return new PubsubConnection(ws, core, events, limits);
}
