// Request envelopes and reply envelopes, byte for byte as the server writes them (docs/protocol.md §2.2, §2.3).
import { recoverId } from '../colonies/crypto';
import { stringifyJson } from '../colonies/json';
import { GoJsonError, goBase64, goUnmarshal, isPrintable } from './gojson';
import type { GoStruct } from './gojson';
import { RPC_MSG } from './schemas';

export interface Reply {
  status: number;
  body: string;
}

/** Go's encoder escapes these inside strings; they can only occur inside strings in JSON text. */
const GO_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** JSON text as Go's json.Marshal writes it (bigint kept exact, HTML characters escaped). */
export function goJson(value: unknown): string {
  return stringifyJson(value).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]);
}

function envelope(payloadType: string, innerJson: string, error: boolean): string {
  return goJson({ payloadtype: payloadType, payload: Buffer.from(innerJson, 'utf8').toString('base64'), error });
}

/** A success envelope's text: the body of an HTTP reply and a WebSocket frame alike. */
export function okBody(payloadType: string, inner: unknown): string {
  return envelope(payloadType, goJson(inner), false);
}

export function okReply(payloadType: string, inner: unknown): Reply {
  return { status: 200, body: okBody(payloadType, inner) };
}

/** "Empty" successes carry `{}` (payload "e30="). */
export function emptyReply(payloadType: string): Reply {
  return { status: 200, body: envelope(payloadType, '{}', false) };
}

export function errorBody(status: number, message: string): string {
  return envelope('error', goJson({ status, message }), true);
}

export function errorReply(status: number, message: string): Reply {
  return { status, body: errorBody(status, message) };
}

/** What a Go panic inside a handler produces behind gin's recovery middleware. */
export const PANIC_REPLY: Reply = { status: 500, body: '' };

/** The silent failure of getcolonystatsmsg / getprocesshistmsg for non-members. */
export const EMPTY_200: Reply = { status: 200, body: '' };

export interface Envelope {
  payloadtype: string;
  payload: string;
  signature: string;
}

export type EnvelopeResult = { ok: true; env: Envelope } | { ok: false; reply: Reply };

export function parseEnvelope(body: Uint8Array | string): EnvelopeResult {
  try {
    const env = goUnmarshal(body, RPC_MSG) as GoStruct | null;
    if (env === null) return { ok: false, reply: PANIC_REPLY };
    return { ok: true, env: { payloadtype: env.payloadtype, payload: env.payload, signature: env.signature } };
  } catch (err) {
    if (err instanceof GoJsonError) return { ok: false, reply: errorReply(400, err.message) };
    throw err;
  }
}

/** base64.StdEncoding.DecodeString; on error the server proceeds with an empty string. */
export function decodePayload(payload: string): Buffer {
  return goBase64(payload) ?? Buffer.alloc(0);
}

function isHexByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** Go's %#U of a byte, for encoding/hex errors. */
function goRuneU(c: number): string {
  const hex = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return isPrintable(c) ? `${hex} '${String.fromCodePoint(c)}'` : hex;
}

/** hex.DecodeString's error text, or undefined when the text is valid hex. */
function hexError(text: string): string | undefined {
  const b = Buffer.from(text, 'utf8');
  const pairs = b.length >> 1;
  for (let i = 0; i < pairs; i++) {
    if (!isHexByte(b[2 * i])) return `encoding/hex: invalid byte: ${goRuneU(b[2 * i])}`;
    if (!isHexByte(b[2 * i + 1])) return `encoding/hex: invalid byte: ${goRuneU(b[2 * i + 1])}`;
  }
  if (b.length % 2 === 1) {
    if (!isHexByte(b[b.length - 1])) return `encoding/hex: invalid byte: ${goRuneU(b[b.length - 1])}`;
    return 'encoding/hex: odd length hex string';
  }
  return undefined;
}

/** The caller's id, or the server's failure text (all reported as 403). `peer`: see recoverId. */
export function recoverCaller(env: Envelope, peer?: object): { id: string } | { error: string } {
  const hexErr = hexError(env.signature);
  if (hexErr) return { error: hexErr };
  try {
    return { id: recoverId(env.payload, env.signature, peer) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}
