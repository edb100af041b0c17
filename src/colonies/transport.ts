// HTTP transport: keep-alive agents, the per-server in-flight cap, a deadline on every call, cancellation,
// and disposal that rejects queued calls and aborts the ones in flight.

import * as http from 'node:http';
import * as https from 'node:https';
import { setMaxListeners } from 'node:events';
import { ColoniesTransportError } from './rpc';
import { abortReason, InFlightLimiter, limiterFor } from './limiter';

export interface ServerAddress {
  host: string;
  port: number;
  tls?: boolean;
}

export interface TransportOptions extends ServerAddress {
  maxInFlight: number;
  /** TLS only: set false to accept self-signed certificates (development servers). */
  rejectUnauthorized?: boolean;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface HttpReply {
  status: number;
  body: string;
}

export function originOf(addr: ServerAddress): string {
  const host = addr.host.includes(':') && !addr.host.startsWith('[') ? `[${addr.host}]` : addr.host;
  return `${addr.tls ? 'https' : 'http'}://${host}:${addr.port}`;
}

/**
 * Runs `body` under a deadline and the caller's signal, with an AbortSignal that fires on either
 * (or on `dispose`). The returned promise rejects with a clear transport error in those cases.
 */
export function withDeadline<T>(
  what: string,
  timeoutMs: number,
  outer: AbortSignal | undefined,
  disposeSignal: AbortSignal,
  body: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const ctrl = new AbortController();
  const timeoutErr = new ColoniesTransportError(`${what} timed out after ${formatMs(timeoutMs)}`, 'timeout');
  const disposedErr = new ColoniesTransportError(`${what} was stopped because the ColonyOS client was disposed`, 'disposed');
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
      disposeSignal.removeEventListener('abort', onDispose);
      fn();
    };
    const fail = (err: Error) => {
      ctrl.abort(err);
      finish(() => reject(err));
    };
    const onOuter = () => fail(abortReason(outer!));
    const onDispose = () => fail(disposedErr);
    const timer = setTimeout(() => fail(timeoutErr), Math.max(1, timeoutMs));
    if (outer?.aborted) return onOuter();
    if (disposeSignal.aborted) return onDispose();
    outer?.addEventListener('abort', onOuter, { once: true });
    disposeSignal.addEventListener('abort', onDispose, { once: true });
    body(ctrl.signal).then(
      (v) => finish(() => resolve(v)),
      (e: Error) => finish(() => reject(e)),
    );
  });
}

export function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

class StaleSocketError extends Error {
  constructor(readonly networkError: ColoniesTransportError) {
    super(networkError.message);
  }
}

export class HttpTransport {
  readonly origin: string;
  readonly limiter: InFlightLimiter;
  private readonly agent: http.Agent;
  private readonly disposeCtrl = new AbortController();

  constructor(private readonly opts: TransportOptions) {
    this.origin = originOf(opts);
    this.limiter = limiterFor(this.origin);
    // Every queued or running call listens on this signal; hundreds at once are normal, not a leak.
    setMaxListeners(0, this.disposeCtrl.signal);
    const agentOpts = { keepAlive: true, maxSockets: Math.max(1, opts.maxInFlight) };
    this.agent = opts.tls
      ? new https.Agent({ ...agentOpts, rejectUnauthorized: opts.rejectUnauthorized !== false })
      : new http.Agent(agentOpts);
  }

  get disposed(): boolean {
    return this.disposeCtrl.signal.aborted;
  }

  /** Aborted when the transport is disposed; WebSocket helpers hang their sockets on it. */
  get disposeSignal(): AbortSignal {
    return this.disposeCtrl.signal;
  }

  /** POSTs `body`; the timeout covers waiting for a slot as well as the request itself. */
  post(path: string, body: string, what: string, timeoutMs: number, outer?: AbortSignal): Promise<HttpReply> {
    if (this.disposed) {
      return Promise.reject(new ColoniesTransportError(`${what} refused: the ColonyOS client was disposed`, 'disposed'));
    }
    return withDeadline(what, timeoutMs, outer, this.disposeCtrl.signal, async (signal) => {
      const release = await this.limiter.acquire(this, this.opts.maxInFlight, signal);
      try {
        return await this.send(path, body, what, signal);
      } finally {
        release();
      }
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposeCtrl.abort();
    this.limiter.rejectOwner(this, new ColoniesTransportError('The ColonyOS client was disposed', 'disposed'));
    this.agent.destroy();
  }

  private async send(path: string, body: string, what: string, signal: AbortSignal): Promise<HttpReply> {
    const payload = Buffer.from(body, 'utf8');
    // A pooled keep-alive socket the server already closed (e.g. it restarted) fails before the request is
    // read; Node's documented remedy is to retry on another socket. Several pooled sockets can be stale.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.sendOnce(path, payload, what, signal);
      } catch (err) {
        if (!(err instanceof StaleSocketError)) throw err;
        if (signal.aborted || attempt > this.opts.maxInFlight) throw err.networkError;
      }
    }
  }

  private sendOnce(path: string, payload: Buffer, what: string, signal: AbortSignal): Promise<HttpReply> {
    const mod = this.opts.tls ? https : http;
    return new Promise<HttpReply>((resolve, reject) => {
      const req = mod.request(
        {
          host: this.opts.host,
          port: this.opts.port,
          method: 'POST',
          path,
          agent: this.agent,
          headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': payload.length },
          signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (err) => reject(this.networkError(what, err)));
          res.on('aborted', () => reject(this.networkError(what, new Error('response aborted'))));
        },
      );
      req.on('error', (err: Error & { code?: string }) => {
        if (signal.aborted) return reject(signal.reason as Error);
        if (req.reusedSocket && err.code === 'ECONNRESET') return reject(new StaleSocketError(this.networkError(what, err)));
        reject(this.networkError(what, err));
      });
      req.end(payload);
    });
  }

  private networkError(what: string, err: Error & { code?: string }): ColoniesTransportError {
    const detail = err.code ? `${err.code}${err.message && !err.message.includes(err.code) ? ` ${err.message}` : ''}` : err.message;
    return new ColoniesTransportError(`${what} failed: cannot reach the ColonyOS server at ${this.origin} (${detail})`, 'network', err);
  }
}
