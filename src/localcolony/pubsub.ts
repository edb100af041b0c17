// WebSocket /pubsub (docs/protocol.md §5): one signed envelope per subscription, handled in order on each socket.
// A channel subscription blocks the socket's read loop until it ends; process subscriptions run alongside.
import type { RawData, WebSocket } from 'ws';
import { ProcessState } from '../colonies/types';
import { membershipError } from './auth';
import { entryJson } from './channels';
import type { ChannelEntry } from './channels';
import { decodeInner } from './dispatch';
import type { ServerCore } from './dispatch';
import { errorBody, okBody, parseEnvelope, recoverCaller } from './envelope';
import { RpcError } from './errors';
import type { EventHub, Registration } from './events';
import type { GoStruct } from './gojson';
import { channelFailure, channelFor } from './handlers/channels';
import { msg } from './schemas';
import { processJson } from './state';
import type { ProcessRec } from './state';

const SUB_PROCESSES = msg({ colonyname: 'string', executortype: 'string', state: 'int', timeout: 'int' });
const SUB_PROCESS = msg({ colonyname: 'string', processid: 'string', executortype: 'string', state: 'int', timeout: 'int' });
const SUB_CHANNEL = msg({ processid: 'string', name: 'string', afterseq: 'int64', timeout: 'int' });

const MAX_TIMER_MS = 2 ** 31 - 1;
const DEFAULT_CHANNEL_TIMEOUT_S = 30;

class PubsubConnection {
  private chain: Promise<void> = Promise.resolve();
  private readonly cleanups = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly core: ServerCore,
    private readonly events: EventHub,
  ) {
    ws.on('message', (data: RawData, isBinary: boolean) => {
      this.chain = this.chain.then(() => this.handle(data, isBinary)).catch((err) => {
        core.log(`local colony: pubsub frame failed: ${(err as Error)?.stack ?? String(err)}`);
        this.drop();
      });
    });
    ws.on('close', () => this.dispose());
    ws.on('error', () => this.drop());
  }

  private send(text: string, binary: boolean): void {
    if (!this.closed && this.ws.readyState === this.ws.OPEN) this.ws.send(binary ? Buffer.from(text, 'utf8') : text, { binary });
  }

  private sendError(status: number, message: string, binary: boolean): void {
    this.send(errorBody(status, message), binary);
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

  /** Timeout ends every subscription on the socket: the server closes the whole connection. */
  private processTimeout(timeoutS: number): boolean {
    if (timeoutS <= 0) {
      this.drop();
      return false;
    }
    const timer = setTimeout(() => this.drop(), Math.min(timeoutS * 1000, MAX_TIMER_MS));
    this.track(() => clearTimeout(timer));
    return true;
  }

  private listen(executorType: string, state: number, processId: string | undefined, binary: boolean): Registration {
    const reg = this.events.register(executorType, state, '', {
      processId,
      deliver: (p: ProcessRec) => this.send(okBody('subscribeprocessmsg', processJson(p)), binary),
    });
    this.track(() => reg.dispose());
    return reg;
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
    if (!this.processTimeout(m.timeout)) return;
    this.listen(m.executortype, m.state, undefined, binary);
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
    if (!this.processTimeout(m.timeout)) return;
    this.listen(m.executortype || p.spec.conditions.executortype, m.state, p.processid, binary);
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
      let finish = (): void => resolve();
      let unsubscribe: () => void;
      try {
        unsubscribe = channels.subscribe(chId, callerId, {
          push: (e: ChannelEntry) => this.send(okBody('subscribechannelmsg', [entryJson(e)]), binary),
          end: () => finish(),
        });
      } catch (err) {
        const failure = channelFailure(err, 'Not authorized to subscribe to channel');
        this.sendError(failure instanceof RpcError ? failure.status : 500, failure.message, binary);
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
        resolve();
      };
    });
  }
}

export function attachPubsub(ws: WebSocket, core: ServerCore, events: EventHub): PubsubConnection {
  return new PubsubConnection(ws, core, events);
}
