// A purpose-built ColonyOS wire server for unit tests: real HTTP and WebSocket sockets whose replies each
// test scripts exactly (byte-level frames, drops, delays), so client edge cases can be produced on demand.

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { recoverId } from '../../../src/colonies/crypto';
import { encodeBase64 } from '../../../src/colonies/rpc';
import { stringifyJson } from '../../../src/colonies/json';

export interface WireRequest {
  payloadtype: string;
  msg: Record<string, unknown>;
  signer: string;
  raw: string;
}

export interface WireReply {
  status?: number;
  /** Raw body, sent verbatim (overrides value/error). */
  body?: string;
  value?: unknown;
  error?: { status: number; message: string };
  delayMs?: number;
}

export type ApiHandler = (req: WireRequest) => WireReply | Promise<WireReply>;
export type SocketHandler = (req: WireRequest, ws: WebSocket) => void;

export function okEnvelope(payloadtype: string, value: unknown): string {
  return JSON.stringify({ payloadtype, payload: encodeBase64(stringifyJson(value)), error: false });
}

export function errorEnvelope(status: number, message: string): string {
  return JSON.stringify({ payloadtype: 'error', payload: encodeBase64(JSON.stringify({ status, message })), error: true });
}

function parseRequest(text: string): WireRequest {
  const env = JSON.parse(text) as { payloadtype: string; payload: string; signature: string };
  const msg = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as Record<string, unknown>;
  const signer = env.signature ? recoverId(env.payload, env.signature) : '';
  return { payloadtype: env.payloadtype, msg, signer, raw: text };
}

export class WireServer {
  readonly requests: WireRequest[] = [];
  readonly subscriptions: WireRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  api: ApiHandler = () => ({ error: { status: 500, message: 'no handler' } });
  socket: SocketHandler = () => undefined;
  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  readonly sockets = new Set<WebSocket>();

  constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        try {
          const parsed = parseRequest(Buffer.concat(chunks).toString('utf8'));
          this.requests.push(parsed);
          const reply = await this.api(parsed);
          if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
          let status = reply.status ?? 200;
          let body = reply.body;
          if (body === undefined) {
            if (reply.error) {
              status = reply.status ?? reply.error.status;
              body = errorEnvelope(reply.error.status, reply.error.message);
            } else {
              body = okEnvelope(parsed.payloadtype, reply.value ?? {});
            }
          }
          if (!res.destroyed) {
            res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
            res.end(body);
          }
        } finally {
          this.inFlight--;
        }
      });
    });
    this.wss = new WebSocketServer({ server: this.server, path: '/pubsub' });
    this.wss.on('connection', (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => this.sockets.delete(ws));
      ws.on('message', (data) => {
        const req = parseRequest(data.toString());
        this.subscriptions.push(req);
        this.socket(req, ws);
      });
    });
  }

  async listen(port = 0): Promise<number> {
    await new Promise<void>((r) => this.server.listen(port, '127.0.0.1', r));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

export function frame(payloadtype: string, value: unknown): string {
  return okEnvelope(payloadtype, value);
}

export function wireEntry(senderid: string, sequence: number, text: string, extra: Record<string, unknown> = {}) {
  return {
    inreplyto: undefined as number | undefined,
    sequence,
    timestamp: `2026-11-26T19:05:09.${String(sequence).padStart(9, '0')}+01:00`,
    senderid,
    payload: Buffer.from(text).toString('base64'),
    type: 'data',
    ...extra,
  };
}
