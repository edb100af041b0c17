// The core of ColoniesClient (src/colonies/client.ts): connection settings, the HTTP transport, signed RPCs, disposal.

import type WebSocket from 'ws';
import { asList } from './normalize';
import { ColoniesTransportError, createEnvelope, decodeReply, type RpcEnvelope } from './rpc';
import { HttpTransport, type CallOptions } from './transport';
import { DEFAULT_MAX_IN_FLIGHT } from './limiter';
import { subscriber, type Subscribe } from './subscriptions';
import type { ColoniesClientOptions, ColoniesLogger } from './clientOptions';

export class ClientCore {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  protected readonly transport: HttpTransport;
  protected readonly timeoutMs: number;
  protected readonly assignMarginMs: number;
  private readonly sockets = new Set<WebSocket>();
  private readonly logger?: ColoniesLogger;
  protected readonly subscriber: Subscribe;

  constructor(options: ColoniesClientOptions) {
    if (!options.host) throw new Error('ColoniesClient needs a host');
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
      throw new Error(`ColoniesClient needs a port between 1 and 65535 (got ${String(options.port)})`);
    }
    this.host = options.host;
    this.port = options.port;
    this.tls = options.tls === true;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.assignMarginMs = options.assignMarginMs ?? 5_000;
    this.logger = options.logger;
    this.transport = new HttpTransport({
      host: this.host,
      port: this.port,
      tls: this.tls,
      maxInFlight: options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
      rejectUnauthorized: options.rejectUnauthorized,
      ca: options.ca,
      maxReplyBytes: options.maxReplyBytes,
    });
    this.subscriber = subscriber({
      origin: this.transport.origin,
      tls: this.tls,
      timeoutMs: this.timeoutMs,
      rejectUnauthorized: options.rejectUnauthorized,
      ca: options.ca,
      maxPayloadBytes: this.transport.maxReplyBytes,
      disposeSignal: this.transport.disposeSignal,
      sockets: this.sockets,
    });
  }

  /** `http://host:port` (or https); the key of the shared in-flight cap. */
  get origin(): string {
    return this.transport.origin;
  }

  /** Requests currently in flight to this server from the whole process, and the highest count seen. */
  get inFlightStats(): { inFlight: number; queued: number; highWaterMark: number; limit: number } {
    const l = this.transport.limiter;
    return { inFlight: l.inFlight, queued: l.queued, highWaterMark: l.highWaterMark, limit: l.limit };
  }

  get disposed(): boolean {
    return this.transport.disposed;
  }

  /** Rejects queued calls, aborts calls in flight and closes every WebSocket. */
  dispose(): void {
    this.transport.dispose();
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
  }

  // ---- RPC core ----

  /** Sends one signed RPC and returns the decoded inner value (undefined for an empty 200 body). */
  rpc(payloadType: string, msg: Record<string, unknown>, prvkey: string | undefined, opts: CallOptions = {}): Promise<unknown> {
    return this.sendEnvelope(createEnvelope(payloadType, msg, prvkey), opts);
  }

  /**
   * Sends an already signed envelope (signatures are deterministic, so a prepared envelope can be resent
   * as is) under the same cap, timeout and cancellation as every other call.
   */
  async sendEnvelope(envelope: RpcEnvelope, opts: CallOptions = {}): Promise<unknown> {
    const payloadType = envelope.payloadtype;
    const what = `ColonyOS request ${payloadType} to ${this.origin}`;
    const started = Date.now();
    try {
      const reply = await this.transport.post('/api', JSON.stringify(envelope), what, opts.timeoutMs ?? this.timeoutMs, opts.signal);
      const value = decodeReply(reply.body, reply.status, payloadType);
      this.logger?.debug(`${payloadType} → ${reply.status} in ${Date.now() - started} ms`);
      return value;
    } catch (err) {
      this.logger?.debug(`${payloadType} failed after ${Date.now() - started} ms: ${(err as Error).message}`);
      throw err;
    }
  }

  protected async rpcValue(payloadType: string, msg: Record<string, unknown>, prvkey: string | undefined, opts?: CallOptions): Promise<unknown> {
    const value = await this.rpc(payloadType, msg, prvkey, opts);
    if (value === undefined) {
      throw new ColoniesTransportError(`Server sent an empty reply to ${payloadType}`, 'protocol');
    }
    return value;
  }

  protected async rpcList<T>(payloadType: string, msg: Record<string, unknown>, prvkey: string, opts?: CallOptions, map?: (v: unknown) => T): Promise<T[]> {
    return asList(await this.rpc(payloadType, msg, prvkey, opts), payloadType, map);
  }

  protected async rpcVoid(payloadType: string, msg: Record<string, unknown>, prvkey: string, opts?: CallOptions): Promise<void> {
    await this.rpc(payloadType, msg, prvkey, opts);
  }
}
