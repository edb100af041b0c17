// One WebSocket to /pubsub carrying one subscription. Every subscription gets its own socket because a
// process-subscription timeout closes the whole socket (docs/protocol.md P9). Ending a subscription terminates its
// socket at once (no close frame, nothing to wait for).

import WebSocket from 'ws';
import { asReplyEnvelope, ColoniesTransportError, decodeEnvelope, type ReplyEnvelope, type RpcEnvelope } from './rpc';
import { abortReason } from './limiter';
import { certificateErrorText, formatMs, isCertificateError, ReplyTooLargeError, type TlsCa } from './transport';

export interface PubsubHandlers {
  /** Return true to finish (the socket is then closed). Throwing rejects the subscription. */
  onValue(value: unknown): boolean;
  /** The socket closed without onValue finishing: return a value to resolve with, or an Error to reject. */
  onClose(code: number, elapsedMs: number): Error | undefined;
  /** Client-side guard for subscriptions the server may end without a frame. */
  onGuardTimeout(): Error | undefined;
  onOpen?(): void;
}

export interface PubsubOptions {
  url: string;
  envelope: RpcEnvelope;
  what: string;
  connectTimeoutMs: number;
  guardMs: number;
  rejectUnauthorized?: boolean;
  /** wss only: the certificate authorities (PEM) to trust instead of Node's bundled list. */
  ca?: TlsCa;
  /** Largest frame accepted; a bigger one ends the subscription with ReplyTooLargeError. */
  maxPayloadBytes: number;
  signal?: AbortSignal;
  disposeSignal: AbortSignal;
  sockets: Set<WebSocket>;
}

function describeClose(code: number): string {
  if (code === 1006) return 'closed abruptly (1006)';
  return `closed (${code})`;
}

export function closeError(what: string, code: number): ColoniesTransportError {
  const hint = code === 1006 ? '; the server drops the socket on an invalid envelope or signature, or it went away' : '';
  return new ColoniesTransportError(`${what}: the WebSocket was ${describeClose(code)}${hint}`, 'network');
}

/** Opens the socket, sends the signed envelope, feeds decoded frames to `handlers` until done. */
export function runSubscription(opts: PubsubOptions, handlers: PubsubHandlers): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const started = Date.now();
    let settled = false;
    let opened = false;
    const ws = new WebSocket(opts.url, {
      handshakeTimeout: opts.connectTimeoutMs,
      rejectUnauthorized: opts.rejectUnauthorized !== false,
      ...(opts.ca ? { ca: opts.ca } : {}),
      perMessageDeflate: false,
      // ws stops reading such a frame and closes with 1009 instead of buffering it.
      maxPayload: opts.maxPayloadBytes,
    });
    opts.sockets.add(ws);

    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(guard);
      opts.signal?.removeEventListener('abort', onAbort);
      opts.disposeSignal.removeEventListener('abort', onDispose);
      opts.sockets.delete(ws);
      // Never a closing handshake: a ColonyOS server answers a close frame only when its read loop gets to it,
      // which a channel subscription delays until it ends (up to its whole timeout). ws would keep the
      // socket open that long (30 s) waiting for the answer.
      ws.terminate();
      if (err) reject(err);
      else resolve();
    };
    const onAbort = () => finish(abortReason(opts.signal!));
    const onDispose = () =>
      finish(new ColoniesTransportError(`${opts.what} was stopped because the ColonyOS client was disposed`, 'disposed'));
    const connectTimer = setTimeout(
      () => finish(new ColoniesTransportError(`${opts.what}: WebSocket connection timed out after ${formatMs(opts.connectTimeoutMs)}`, 'timeout')),
      opts.connectTimeoutMs,
    );
    let guard: ReturnType<typeof setTimeout> | undefined;

    if (opts.signal?.aborted) return onAbort();
    if (opts.disposeSignal.aborted) return onDispose();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    opts.disposeSignal.addEventListener('abort', onDispose, { once: true });

    ws.on('open', () => {
      opened = true;
      clearTimeout(connectTimer);
      guard = setTimeout(() => finish(handlers.onGuardTimeout()), opts.guardMs);
      ws.send(JSON.stringify(opts.envelope), (err) => {
        if (err) finish(new ColoniesTransportError(`${opts.what}: could not send the subscription (${err.message})`, 'network', err));
        else if (!settled) handlers.onOpen?.();
      });
    });
    ws.on('message', (data: WebSocket.RawData) => {
      if (settled) return;
      try {
        const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
        const env = parseFrame(text, opts.what);
        if (handlers.onValue(decodeEnvelope(env, 200, opts.envelope.payloadtype))) finish();
      } catch (err) {
        finish(err as Error);
      }
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return finish(new ReplyTooLargeError(opts.what, opts.maxPayloadBytes));
      if (!opened && isCertificateError(err)) {
        finish(new ColoniesTransportError(`${opts.what}: cannot open a WebSocket: ${certificateErrorText(opts.url, err)}`, 'network', err));
      } else if (!opened) {
        finish(new ColoniesTransportError(`${opts.what}: cannot open a WebSocket to ${opts.url} (${err.code ?? err.message})`, 'network', err));
      }
      // After open, 'close' follows and decides.
    });
    ws.on('close', (code: number) => {
      if (!opened) {
        finish(new ColoniesTransportError(`${opts.what}: the WebSocket to ${opts.url} ${describeClose(code)} before opening`, 'network'));
        return;
      }
      finish(handlers.onClose(code, Date.now() - started));
    });
  });
}

function parseFrame(text: string, what: string): ReplyEnvelope {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ColoniesTransportError(`${what}: the server sent a frame that is not JSON`, 'protocol');
  }
  const env = asReplyEnvelope(v);
  if (!env) throw new ColoniesTransportError(`${what}: the server sent a frame that is not a ColonyOS envelope`, 'protocol');
  return env;
}
