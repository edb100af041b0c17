// Small direct HTTP / WebSocket helpers for server-level tests (no client library on purpose: these tests pin
// the wire behaviour itself).
import { request } from 'node:http';
import WebSocket from 'ws';
import { crypto } from '../../../src/colonies/crypto';
import { parseJson } from '../../../src/colonies/json';
import { createEnvelope } from '../../../src/colonies/rpc';
import { startLocalColony } from '../../../src/localcolony';
import type { LocalColony, StartLocalColonyOptions } from '../../../src/localcolony';
import { poll } from '../../support/poll';

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function rawRequest(port: number, method: string, path: string, body?: string | Buffer, timeoutMs = 30_000): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, timeout: timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`request timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export interface RpcReply {
  status: number;
  body: string;
  payloadtype?: string;
  error?: boolean;
  /** Decoded inner payload (bigint-safe), or undefined for an empty body. */
  inner?: any;
  /** The raw base64 payload string. */
  payload?: string;
}

export function decodeBody(status: number, body: string): RpcReply {
  if (body === '') return { status, body };
  const env = JSON.parse(body);
  const text = Buffer.from(env.payload, 'base64').toString('utf8');
  return { status, body, payloadtype: env.payloadtype, error: env.error, payload: env.payload, inner: parseJson(text) };
}

export async function postRaw(port: number, body: string | Buffer, timeoutMs?: number): Promise<RpcReply> {
  const r = await rawRequest(port, 'POST', '/api', body, timeoutMs);
  return decodeBody(r.status, r.body);
}

export function rpc(port: number, type: string, msg: Record<string, unknown>, prvkey: string | undefined, timeoutMs?: number): Promise<RpcReply> {
  return postRaw(port, JSON.stringify(createEnvelope(type, msg, prvkey)), timeoutMs);
}

/** Signs an arbitrary inner JSON text (to send exactly what a test wants). */
export function signedEnvelope(type: string, innerJson: string, prvkey: string): string {
  const payload = Buffer.from(innerJson, 'utf8').toString('base64');
  return JSON.stringify({ payloadtype: type, payload, signature: crypto.sign(payload, prvkey) });
}

export interface TestColony extends LocalColony {
  rpc(type: string, msg: Record<string, unknown>, prvkey: string | undefined, timeoutMs?: number): Promise<RpcReply>;
  /** Adds and approves an executor; returns its private key. */
  addExecutor(name: string, type?: string, approve?: boolean): Promise<string>;
  /** Adds a user; returns its private key. */
  addUser(name: string): Promise<string>;
  submit(spec: Record<string, unknown>, prvkey?: string): Promise<any>;
  assign(prvkey: string, timeout?: number): Promise<RpcReply>;
}

export function funcSpec(extra: Record<string, unknown> = {}, conditions: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    funcname: 'echo',
    args: [],
    kwargs: {},
    maxexectime: -1,
    maxwaittime: -1,
    maxretries: 0,
    ...extra,
    conditions: { colonyname: 'dev', executortype: 'echo', ...conditions },
  };
}

export async function startTestColony(opts: StartLocalColonyOptions = {}): Promise<TestColony> {
  const colony = await startLocalColony(opts);
  const port = colony.port;
  const call = (type: string, msg: Record<string, unknown>, prvkey: string | undefined, timeoutMs?: number) => rpc(port, type, msg, prvkey, timeoutMs);
  return {
    ...colony,
    rpc: call,
    async addExecutor(name, type = 'echo', approve = true) {
      const key = crypto.generatePrivateKey();
      const r = await call('addexecutormsg', {
        executor: { executorid: crypto.id(key), executortype: type, executorname: name, colonyname: colony.colonyName },
      }, colony.colonyPrvKey);
      if (r.status !== 200) throw new Error(`addexecutor failed: ${r.body}`);
      if (approve) {
        const a = await call('approveexecutormsg', { colonyname: colony.colonyName, executorname: name }, colony.colonyPrvKey);
        if (a.status !== 200) throw new Error(`approve failed: ${a.body}`);
      }
      return key;
    },
    async addUser(name) {
      const key = crypto.generatePrivateKey();
      const r = await call('addusermsg', { user: { colonyname: colony.colonyName, userid: crypto.id(key), name, email: '', phone: '' } }, colony.colonyPrvKey);
      if (r.status !== 200) throw new Error(`adduser failed: ${r.body}`);
      return key;
    },
    async submit(spec, prvkey = colony.userPrvKey) {
      const r = await call('submitfuncspecmsg', { spec }, prvkey);
      if (r.status !== 200) throw new Error(`submit failed: ${r.status} ${JSON.stringify(r.inner)}`);
      return r.inner;
    },
    assign(prvkey, timeout = -1) {
      return call('assignprocessmsg', { colonyname: colony.colonyName, timeout, availablecpu: '', availablemem: '' }, prvkey, 60_000);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// WebSocket

export interface WsFrame {
  payloadtype: string;
  error: boolean;
  inner: any;
}

export class WsProbe {
  readonly frames: WsFrame[] = [];
  closeCode: number | undefined;
  private waiters: Array<() => void> = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  constructor(readonly ws: WebSocket) {
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code: number) => {
        this.closeCode = code;
        this.wake();
        resolve(code);
      });
    });
    ws.on('error', () => undefined);
    ws.on('message', (data: Buffer) => {
      const env = JSON.parse(data.toString('utf8'));
      this.frames.push({ payloadtype: env.payloadtype, error: env.error, inner: parseJson(Buffer.from(env.payload, 'base64').toString('utf8')) });
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(type: string, msg: Record<string, unknown>, prvkey: string): void {
    this.ws.send(JSON.stringify(createEnvelope(type, msg, prvkey)));
  }

  /** Resolves once `count` frames have arrived (or rejects after timeoutMs / on close). */
  waitFrames(count: number, timeoutMs = 10_000): Promise<WsFrame[]> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.frames.length >= count) {
          clearTimeout(timer);
          resolve(this.frames.slice(0, count));
        } else if (this.closeCode !== undefined) {
          clearTimeout(timer);
          reject(new Error(`socket closed (${this.closeCode}) with ${this.frames.length} of ${count} frames`));
        } else {
          this.waiters.push(check);
        }
      };
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${count} frames (have ${this.frames.length})`)), timeoutMs);
      check();
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

export async function openWs(port: number): Promise<WsProbe> {
  const probe = new WsProbe(new WebSocket(`ws://127.0.0.1:${port}/pubsub`));
  await probe.opened;
  return probe;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `fn` returns a truthy value (no timing assertion: just a bounded wait); errors fail at once. */
export function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 10_000, stepMs = 50): Promise<T> {
  return poll(async () => (await fn()) || undefined, { what: 'the condition', limitMs: timeoutMs, stepMs, retryErrors: false });
}
