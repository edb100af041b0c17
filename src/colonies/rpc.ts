import { crypto } from './crypto';
import { truncate } from './text';
import { parseJson, stringifyJson } from './json';
import type { Failure } from './types';

/** An error reported by a ColonyOS server (or by this client on its behalf), with the server's text verbatim. */
export class ColoniesError extends Error {
  override readonly name = 'ColoniesError';
  constructor(
    readonly status: number,
    message: string,
    readonly payloadType?: string,
  ) {
    super(message);
  }
}

/** Client-side failures that never reached a server answer: timeouts, refused connections, garbage replies. */
export class ColoniesTransportError extends Error {
  override readonly name = 'ColoniesTransportError';
  constructor(
    message: string,
    readonly code: 'timeout' | 'network' | 'cancelled' | 'protocol' | 'disposed',
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

export interface RpcEnvelope {
  payloadtype: string;
  payload: string;
  signature: string;
}

export interface ReplyEnvelope {
  payloadtype: string;
  payload: string;
  error: boolean;
}

export function encodeBase64(text: string | Uint8Array): string {
  return Buffer.from(typeof text === 'string' ? Buffer.from(text, 'utf8') : text).toString('base64');
}

export function decodeBase64(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

const NON_B64_CHAR_RE = /[^A-Za-z0-9+/]/;

/**
 * Go's base64.StdEncoding: padding required, no whitespace. Written without a quantified group because
 * such a regex overflows the stack on multi-megabyte payloads (10 MiB channel messages).
 */
export function isStrictBase64(b64: string): boolean {
  if (b64.length % 4 !== 0) return false;
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return !NON_B64_CHAR_RE.test(pad ? b64.slice(0, -pad) : b64);
}

/** Builds a signed envelope; `msg.msgtype` is set to `payloadType` so the signed text protects the routing. */
export function createEnvelope(payloadType: string, msg: Record<string, unknown>, prvkey: string | undefined): RpcEnvelope {
  const payload = encodeBase64(stringifyJson({ ...msg, msgtype: payloadType }));
  const signature = prvkey ? crypto.sign(payload, prvkey) : '';
  return { payloadtype: payloadType, payload, signature };
}

/** The reply envelope in a parsed JSON value (HTTP body or WebSocket frame), or undefined when it is not one. */
export function asReplyEnvelope(value: unknown): ReplyEnvelope | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.payloadtype !== 'string' || typeof v.payload !== 'string') return undefined;
  return { payloadtype: v.payloadtype, payload: v.payload, error: v.error === true };
}

/**
 * Decodes a reply body into its inner value.
 * - empty body (some endpoints' silent auth failure) → undefined
 * - error envelope → ColoniesError(status, message)
 * - anything that is not an envelope → ColoniesTransportError('protocol')
 */
export function decodeReply(body: string, httpStatus: number, expectedType?: string): unknown {
  if (body.trim() === '') {
    if (httpStatus >= 400) throw new ColoniesError(httpStatus, `Server answered HTTP ${httpStatus} with an empty body`);
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ColoniesTransportError(
      `Server reply is not a ColonyOS envelope (HTTP ${httpStatus}): ${truncate(body, 200)}`,
      'protocol',
    );
  }
  const env = asReplyEnvelope(parsed);
  if (!env) {
    throw new ColoniesTransportError(`Server reply is not a ColonyOS envelope (HTTP ${httpStatus}): ${truncate(body, 200)}`, 'protocol');
  }
  return decodeEnvelope(env, httpStatus, expectedType);
}

export function decodeEnvelope(env: ReplyEnvelope, httpStatus: number, expectedType?: string): unknown {
  if (!isStrictBase64(env.payload)) {
    throw new ColoniesTransportError(`Server reply payload is not valid base64 (payloadtype ${truncate(env.payloadtype, 60)})`, 'protocol');
  }
  const inner = Buffer.from(env.payload, 'base64').toString('utf8');
  if (env.error || env.payloadtype === 'error') {
    let failure: Partial<Failure> = {};
    try {
      failure = (JSON.parse(inner) ?? {}) as Partial<Failure>;
    } catch {
      // fall through: report what we got
    }
    const status = typeof failure.status === 'number' ? failure.status : Number(failure.status) || httpStatus || 500;
    const message = typeof failure.message === 'string' ? failure.message : truncate(inner, 200);
    throw new ColoniesError(status, message, env.payloadtype);
  }
  if (httpStatus >= 400) {
    throw new ColoniesError(httpStatus, `Server answered HTTP ${httpStatus}: ${truncate(inner, 200)}`);
  }
  if (expectedType && env.payloadtype !== expectedType && !(expectedType === 'getpausestatusmsg')) {
    throw new ColoniesTransportError(
      `Server reply has payloadtype "${truncate(env.payloadtype, 60)}", expected "${expectedType}"`,
      'protocol',
    );
  }
  try {
    return parseJson(inner);
  } catch {
    throw new ColoniesTransportError(`Server reply payload is not JSON: ${truncate(inner, 200)}`, 'protocol');
  }
}

/** The message of anything thrown (an Error's message, anything else as text). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
