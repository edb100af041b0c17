// HTTP routing as the server's gin setup answers (docs/protocol.md §2.1): POST /api, GET /health, /pubsub upgrades,
// CORS defaults, text/plain on every reply.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorReply } from './envelope';
import type { Reply } from './envelope';
import { LIMIT_STATUS, limitTexts } from './limits';

/** How long a connection refused mid-body stays open for its client to read the answer (the rest is discarded). */
const LINGER_MS = 1000;

const BASE_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Content-Type': 'text/plain; charset=utf-8',
} as const;

const PREFLIGHT_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS',
  'Access-Control-Allow-Headers': 'Origin,Content-Length,Content-Type',
  'Access-Control-Max-Age': '43200',
} as const;

export function writeReply(res: ServerResponse, reply: Reply): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(reply.status, { ...BASE_HEADERS, 'Content-Length': Buffer.byteLength(reply.body) });
  res.end(reply.body);
}

/** Request bodies held in memory right now, across connections, against their cap. */
export interface BodyBudget {
  held: number;
}

export interface BodyLimits {
  maxBodyBytes: number;
  maxBufferedBodyBytes: number;
  bodyTimeoutMs: number;
  budget: BodyBudget;
}

/** The body, or the refusal to answer with (undefined when the client went away first). */
export type BodyResult = { ok: true; body: Buffer } | { ok: false; reply?: Reply };

/** Reads a request body within the size, memory and time limits; never holds more than `maxBodyBytes` of it. */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
      resolve({ ok: false, reply: errorReply(LIMIT_STATUS.bodyTooLarge, limitTexts.bodyTooLarge(limits.maxBodyBytes)) });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      limits.budget.held -= size;
      req.off('data', onData);
      if (!result.ok) chunks.length = 0;
      resolve(result);
    };
    const refuse = (status: number, message: string): void => finish({ ok: false, reply: errorReply(status, message) });
    const onData = (chunk: Buffer): void => {
      if (size + chunk.length > limits.maxBodyBytes) {
        return refuse(LIMIT_STATUS.bodyTooLarge, limitTexts.bodyTooLarge(limits.maxBodyBytes));
      }
      if (limits.budget.held + chunk.length > limits.maxBufferedBodyBytes) return refuse(LIMIT_STATUS.bodiesBusy, limitTexts.bodiesBusy());
      size += chunk.length;
      limits.budget.held += chunk.length;
      chunks.push(chunk);
    };
    const timer = setTimeout(() => refuse(LIMIT_STATUS.bodyTimeout, limitTexts.bodyTimeout(limits.bodyTimeoutMs)), limits.bodyTimeoutMs);
    req.on('data', onData);
    req.on('end', () => finish({ ok: true, body: Buffer.concat(chunks) }));
    req.on('error', () => finish({ ok: false }));
    req.on('close', () => finish({ ok: false }));
  });
}

/**
 * Answers a request whose body was refused, then closes its connection after a moment, during which the rest of the
 * body is read and thrown away: closing at once, with unread bytes, would reset the connection, and the client could
 * lose the answer.
 */
function refuseBody(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  const socket = req.socket;
  req.resume();
  writeReply(res, reply);
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/** `peer` is the connection the request came on (a hint for signature recovery: one client, one key, usually). */
export type ApiHandler = (body: Buffer, clientGone: AbortSignal, peer: object) => Promise<Reply>;

export interface RouteHooks {
  api: ApiHandler;
  body: BodyLimits;
  onApiStart(): void;
  onApiEnd(): void;
  onError(err: unknown): void;
}

/** Routes one request; /pubsub upgrades are handled by the server's 'upgrade' listener. */
export function route(req: IncomingMessage, res: ServerResponse, hooks: RouteHooks): void {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'OPTIONS') {
    res.writeHead(204, PREFLIGHT_HEADERS);
    res.end();
    return;
  }
  if (path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
    res.writeHead(200, { ...BASE_HEADERS, 'Content-Length': 0 });
    res.end();
    return;
  }
  if (path === '/api' && req.method === 'POST') {
    void serveApi(req, res, hooks);
    return;
  }
  if (path === '/pubsub' && req.method === 'GET') {
    writeReply(res, { status: 400, body: 'Bad Request' });
    return;
  }
  writeReply(res, { status: 404, body: '404 page not found' });
}

async function serveApi(req: IncomingMessage, res: ServerResponse, hooks: RouteHooks): Promise<void> {
  const gone = new AbortController();
  res.on('close', () => {
    if (!res.writableEnded) gone.abort();
  });
  hooks.onApiStart();
  try {
    const read = await readBody(req, hooks.body);
    if (!read.ok) {
      if (read.reply) refuseBody(req, res, read.reply);
      return;
    }
    const reply = await hooks.api(read.body, gone.signal, req.socket);
    writeReply(res, reply);
  } catch (err) {
    hooks.onError(err);
    writeReply(res, { status: 500, body: '' });
  } finally {
    hooks.onApiEnd();
  }
}
