// HTTP transport: keep-alive agents, the per-server in-flight cap, a deadline on every call, cancellation,
// and disposal that rejects queued calls and aborts the ones in flight.

import * as http from 'node:http';
import * as https from 'node:https';
import { constants as bufferConstants } from 'node:buffer';
import { setMaxListeners } from 'node:events';
import { ColoniesTransportError } from './rpc';
import { abortReason, InFlightLimiter, limiterFor } from './limiter';

export interface ServerAddress {
  host: string;
  port: number;
  tls?: boolean;
}

/**
 * Default cap on one reply (HTTP body or WebSocket frame): 256 MiB. A channel message holds up to 10 MiB, about
 * 18 MiB on the wire once base64 twice, so a read of ~14 maximal messages still fits; decoding then needs a few
 * times that in memory. It also stays clear of Node's longest string (~512 MiB), past which decoding throws.
 */
export const DEFAULT_MAX_REPLY_BYTES = 256 * 1024 * 1024;

/** Bytes whose UTF-8 text always fits in one JavaScript string. */
const MAX_DECODABLE_BYTES = bufferConstants.MAX_STRING_LENGTH;

/** The effective cap for a requested one: positive, and never past what can be decoded into a string. */
export function replyCap(requested: number | undefined): number {
  const n = requested === undefined || !(requested > 0) ? DEFAULT_MAX_REPLY_BYTES : Math.floor(requested);
  return Math.min(n, MAX_DECODABLE_BYTES);
}

/** A size cap in an error message: whole KiB or MiB when round ("256 KiB", "1 MiB"). */
function formatCap(bytes: number): string {
  const [unit, size] = bytes >= 1024 * 1024 ? ['MiB', bytes / (1024 * 1024)] : ['KiB', bytes / 1024];
  return `${Number.isInteger(size) ? size : size.toFixed(1)} ${unit}`;
}

/** A reply over the size cap. Paged readers shrink their page when they see it. */
export class ReplyTooLargeError extends ColoniesTransportError {
  constructor(
    what: string,
    readonly limitBytes: number,
  ) {
    super(
      `Server reply is larger than ${formatCap(limitBytes)}; the client stopped reading it (${what}). Read channels in smaller pages, or raise maxReplyBytes`,
      'protocol',
    );
  }
}

export interface TransportOptions extends ServerAddress {
  maxInFlight: number;
  /** Largest reply body read, in bytes; see DEFAULT_MAX_REPLY_BYTES. */
  maxReplyBytes?: number;
  /** TLS only: set false to accept self-signed certificates (development servers). */
  rejectUnauthorized?: boolean;
  /** TLS only: the certificate authorities (PEM) to trust instead of Node's bundled list, e.g. a private CA. */
  ca?: TlsCa;
}

/** PEM text (one or more certificates), or several. */
export type TlsCa = string | Buffer | (string | Buffer)[];

/** Node's codes for a server certificate this client does not trust (as opposed to a network failure). */
const CERTIFICATE_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

/** True when `err` (or its cause) is a rejected server certificate. */
export function isCertificateError(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CERTIFICATE_ERROR_CODES.has(code)) return true;
  }
  return false;
}

/** The sentence for a rejected certificate: what Node said, and what fixes it. */
export function certificateErrorText(origin: string, err: Error & { code?: string }): string {
  return (
    `the TLS certificate of ${origin} is not trusted (${err.code}: ${err.message}). If the server uses a private or ` +
    'self-signed certificate authority, give the client that CA certificate (PEM)'
  );
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

/** Calls a transport must stop when it is disposed: each entry fails its call with a "disposed" error. */
export type PendingCalls = Set<() => void>;

/**
 * Runs `body` under a deadline and the caller's signal, with an AbortSignal that fires on either (or when the
 * transport disposes, which walks `pending`). The returned promise rejects with a clear transport error in those
 * cases. Error objects are built only when needed: most calls succeed, and thousands may be queued at once.
 */
export function withDeadline<T>(
  what: string,
  timeoutMs: number,
  outer: AbortSignal | undefined,
  pending: PendingCalls,
  body: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const ctrl = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
      pending.delete(onDispose);
      fn();
    };
    const fail = (err: Error) => {
      ctrl.abort(err);
      finish(() => reject(err));
    };
    const onOuter = () => fail(abortReason(outer!));
    const onDispose = () => fail(new ColoniesTransportError(`${what} was stopped because the ColonyOS client was disposed`, 'disposed'));
    const timer = setTimeout(() => fail(new ColoniesTransportError(`${what} timed out after ${formatMs(timeoutMs)}`, 'timeout')), Math.max(1, timeoutMs));
    if (outer?.aborted) return onOuter();
    outer?.addEventListener('abort', onOuter, { once: true });
    pending.add(onDispose);
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
  readonly maxReplyBytes: number;
  private readonly agent: http.Agent;
  private readonly disposeCtrl = new AbortController();
  private readonly pending: PendingCalls = new Set();

  constructor(private readonly opts: TransportOptions) {
    this.origin = originOf(opts);
    this.limiter = limiterFor(this.origin);
    this.maxReplyBytes = replyCap(opts.maxReplyBytes);
    // Every open WebSocket subscription listens on this signal; dozens at once are normal, not a leak.
    setMaxListeners(0, this.disposeCtrl.signal);
    const agentOpts = { keepAlive: true, maxSockets: Math.max(1, opts.maxInFlight) };
    this.agent = opts.tls
      ? new https.Agent({ ...agentOpts, rejectUnauthorized: opts.rejectUnauthorized !== false, ...(opts.ca ? { ca: opts.ca } : {}) })
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
    return withDeadline(what, timeoutMs, outer, this.pending, async (signal) => {
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
    // Queued calls leave the shared queue in one pass first, so stopping them below finds nothing to remove there.
    this.limiter.rejectOwner(this, new ColoniesTransportError('The ColonyOS client was disposed', 'disposed'));
    for (const stop of [...this.pending]) stop();
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
          // Error listeners first: destroying the request below makes the response emit them.
          res.on('error', (err) => reject(this.networkError(what, err)));
          res.on('aborted', () => reject(this.networkError(what, new Error('response aborted'))));
          const max = this.maxReplyBytes;
          const tooLarge = () => {
            chunks.length = 0;
            reject(new ReplyTooLargeError(what, max));
            req.destroy();
          };
          const chunks: Buffer[] = [];
          let size = 0;
          if (Number(res.headers['content-length']) > max) return tooLarge();
          res.on('data', (c: Buffer) => {
            if (size > max) return;
            size += c.length;
            if (size > max) tooLarge();
            else chunks.push(c);
          });
          res.on('end', () => {
            if (size > max) return;
            // Nothing thrown in an event handler may escape: it would be an uncaught exception.
            try {
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks, size).toString('utf8') });
            } catch (err) {
              reject(new ColoniesTransportError(`${what} failed: the reply could not be decoded (${(err as Error).message})`, 'protocol', err));
            }
          });
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
    if (isCertificateError(err)) return new ColoniesTransportError(`${what} failed: ${certificateErrorText(this.origin, err)}`, 'network', err);
    const detail = err.code ? `${err.code}${err.message && !err.message.includes(err.code) ? ` ${err.message}` : ''}` : err.message;
    return new ColoniesTransportError(`${what} failed: cannot reach the ColonyOS server at ${this.origin} (${detail})`, 'network', err);
  }
}
