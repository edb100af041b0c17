// HTTP routing as the server's gin setup answers (docs/protocol.md §2.1): POST /api, GET /health, /pubsub upgrades,
// CORS defaults, text/plain on every reply.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './envelope';

/** Far above anything legitimate (a 10 MiB channel payload sent as a number array, base64'd); guards memory. */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

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

export function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (v: Buffer | undefined): void => {
      if (done) return;
      done = true;
      resolve(v);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        finish(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish(Buffer.concat(chunks)));
    req.on('error', () => finish(undefined));
    req.on('close', () => finish(undefined));
  });
}

export type ApiHandler = (body: Buffer, clientGone: AbortSignal) => Promise<Reply>;

export interface RouteHooks {
  api: ApiHandler;
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
    const body = await readBody(req);
    if (body === undefined) {
      if (!res.destroyed) writeReply(res, { status: 400, body: 'request body too large or aborted' });
      return;
    }
    const reply = await hooks.api(body, gone.signal);
    writeReply(res, reply);
  } catch (err) {
    hooks.onError(err);
    writeReply(res, { status: 500, body: '' });
  } finally {
    hooks.onApiEnd();
  }
}
