// Hostile clients against the local colony's per-client bounds (src/localcolony/limits.ts), over raw sockets: bodies
// over the cap, bodies and headers trickled in, more connections than allowed, one socket replaying one subscription
// envelope thousands of times. Each test asserts the bound and its error text, and that the server keeps serving
// everyone else. Deadlines are the server's own (shortened through startLocalColony's `limits`); the tests wait for
// them with generous margins and never measure speed.
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import WebSocket from 'ws';
import { createEnvelope } from '../../../src/colonies/rpc';
import { DEFAULT_LIMITS, MAX_BODY_BYTES } from '../../../src/localcolony';
import { decodeBody, eventually, funcSpec, openWs, startTestColony, type TestColony, type WsProbe } from './helpers';

interface RawExchange {
  /** Everything the server sent before it closed the connection. */
  text: string;
  socket: net.Socket;
  closed: Promise<void>;
}

/** A raw TCP connection; `drive` writes whatever the test wants once connected. */
async function rawConnection(port: number, drive?: (s: net.Socket) => void): Promise<RawExchange> {
  const socket = net.connect(port, '127.0.0.1');
  const ex: RawExchange = { text: '', socket, closed: Promise.resolve() };
  socket.on('data', (d: Buffer) => (ex.text += d.toString('latin1')));
  socket.on('error', () => undefined); // a reset while still writing is one of the expected endings
  ex.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  drive?.(socket);
  return ex;
}

/** Status and decoded error envelope of the first HTTP response in `text`. */
function parseResponse(text: string): { status: number; message: string; inner: { status: number; message: string } } {
  const head = /^HTTP\/1\.1 (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n/.exec(text);
  assert.ok(head, `an HTTP response, got ${JSON.stringify(text.slice(0, 200))}`);
  const length = Number(/content-length: (\d+)/i.exec(head[2])?.[1]);
  const body = text.slice(head[0].length, head[0].length + length);
  const reply = decodeBody(Number(head[1]), body);
  assert.equal(reply.error, true, `an error envelope: ${body}`);
  return { status: Number(head[1]), message: reply.inner.message, inner: reply.inner };
}

/** Writes one byte every `everyMs` until the socket closes. */
function trickle(socket: net.Socket, everyMs: number, byte = 'x'): void {
  const timer = setInterval(() => {
    if (socket.writable) socket.write(byte);
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

async function stillServes(c: TestColony): Promise<void> {
  const r = await c.rpc('versionmsg', {}, undefined);
  assert.equal(r.status, 200, `the server still answers: ${r.body}`);
}

describe('local colony: bounds on each client (hostile clients over raw sockets)', function () {
  this.timeout(120_000);
  let c: TestColony | undefined;
  const sockets: Array<net.Socket | WsProbe> = [];

  afterEach(async () => {
    for (const s of sockets.splice(0)) {
      if (s instanceof net.Socket) s.destroy();
      else s.close();
    }
    await c?.stop();
    c = undefined;
  });

  describe('request bodies', () => {
    it('answers a body that grows over the cap with 413 and an error envelope while it is still being sent, then closes', async () => {
      c = await startTestColony({ limits: { maxBodyBytes: 256 * 1024 } });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      // No Content-Length: the cap is found while reading. The client keeps sending 4 MiB regardless.
      const ex = await rawConnection(c.port, (s) => {
        s.write('POST /api HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n');
        const pump = (): void => {
          while (sent < 64 && s.writable) {
            sent++;
            s.write(`${chunk.length.toString(16)}\r\n`);
            const more = s.write(Buffer.concat([chunk, Buffer.from('\r\n')]));
            if (!more) return void s.once('drain', pump);
          }
        };
        pump();
      });
      sockets.push(ex.socket);
      await ex.closed;
      const r = parseResponse(ex.text);
      assert.equal(r.status, 413);
      assert.equal(r.inner.status, 413);
      assert.match(r.message, /^Request body too large: the local colony accepts at most 262144 bytes per request$/);
      await stillServes(c);
      assert.equal(c.server.stats.inFlight, 0);
    });

    it('refuses a declared Content-Length over the default cap before reading any of it', async () => {
      c = await startTestColony();
      const ex = await rawConnection(c.port, (s) => s.write(`POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: ${256 * 1024 * 1024}\r\n\r\n`));
      sockets.push(ex.socket);
      await ex.closed;
      const r = parseResponse(ex.text);
      assert.equal(r.status, 413);
      assert.equal(
        r.message,
        'Request body too large: the local colony accepts at most 75497472 bytes (72 MiB) per request, enough for a 10 MiB channel message in any encoding an SDK uses',
      );
      await stillServes(c);
    });

    it('has a default cap that holds a 10 MiB channel message in the most verbose encoding (byte array with ", ", base64)', () => {
      const n = 10 * 1024 * 1024;
      const inner = `{"msgtype": "channelappendmsg", "processid": "${'a'.repeat(64)}", "name": "${'c'.repeat(64)}", "sequence": 9007199254740991, "inreplyto": 9007199254740991, "payloadtype": "${'t'.repeat(256)}", "payload": [`;
      const innerLength = inner.length + 5 * n - 2 + 2; // "255, " per byte, the last without ", ", then "]}"
      const envelopeLength = `{"payloadtype": "channelappendmsg", "payload": "", "signature": "${'f'.repeat(130)}"}`.length + 4 * Math.ceil(innerLength / 3);
      assert.ok(envelopeLength <= MAX_BODY_BYTES, `${envelopeLength} > ${MAX_BODY_BYTES}`);
      assert.equal(DEFAULT_LIMITS.maxBodyBytes, MAX_BODY_BYTES);
    });

    it('answers 503 while other requests hold the memory for bodies, and takes bodies again once they are done', async () => {
      c = await startTestColony({ limits: { maxBodyBytes: 256 * 1024, maxBufferedBodyBytes: 300 * 1024 } });
      const part = 'x'.repeat(200 * 1024);
      const first = await rawConnection(c.port, (s) => s.write(`POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: ${250 * 1024}\r\n\r\n${part}`));
      sockets.push(first.socket);
      const colony = c;
      await eventually(async () => colony.server.bodyBytesHeld === part.length);
      const second = await rawConnection(c.port, (s) => s.write(`POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: ${250 * 1024}\r\n\r\n${part}`));
      sockets.push(second.socket);
      await second.closed;
      const r = parseResponse(second.text);
      assert.equal(r.status, 503);
      assert.equal(r.message, 'The local colony is receiving too many large requests at once; try again shortly');
      // The first body completes (it is garbage: an ordinary 400), and its memory is given back.
      first.socket.write('y'.repeat(50 * 1024));
      await eventually(async () => /^HTTP\/1\.1 400/.test(first.text));
      assert.equal(c.server.bodyBytesHeld, 0);
      await stillServes(c);
    });

    it('answers a body trickled one byte at a time with 408 once the body deadline passes, serving others meanwhile', async () => {
      c = await startTestColony({ limits: { bodyTimeoutMs: 1500 } });
      const ex = await rawConnection(c.port, (s) => {
        s.write('POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{');
        trickle(s, 300);
      });
      sockets.push(ex.socket);
      await stillServes(c);
      await ex.closed;
      const r = parseResponse(ex.text);
      assert.equal(r.status, 408);
      assert.equal(r.message, 'Request body not received within 1.5 s: the local colony stops waiting for a body that arrives this slowly');
      await stillServes(c);
      assert.equal(c.server.stats.inFlight, 0);
    });

    it('closes a connection whose headers are trickled, or that sends nothing, once the header deadline passes', async () => {
      c = await startTestColony({ limits: { headersTimeoutMs: 1000 } });
      const silent = await rawConnection(c.port);
      const slow = await rawConnection(c.port, (s) => {
        s.write('POST /api HTTP/1.1\r\nX-Slow: ');
        trickle(s, 200, 'y');
      });
      sockets.push(silent.socket, slow.socket);
      await stillServes(c);
      await Promise.all([silent.closed, slow.closed]);
      assert.equal(silent.text, '');
      assert.doesNotMatch(slow.text, /^HTTP\/1\.1 200/);
      await stillServes(c);
    });
  });

  describe('connections', () => {
    it('answers a connection over the cap with 503 and an error envelope, HTTP and WebSocket alike, and takes new ones once some close', async () => {
      c = await startTestColony({ limits: { maxConnections: 6 } });
      const held: RawExchange[] = [];
      for (let i = 0; i < 6; i++) held.push(await rawConnection(c.port));
      sockets.push(...held.map((h) => h.socket));
      const colony = c;
      await eventually(async () => colony.server.openConnections === 6);

      const over = await rawConnection(c.port, (s) => s.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n'));
      sockets.push(over.socket);
      await over.closed;
      const r = parseResponse(over.text);
      assert.equal(r.status, 503);
      assert.equal(r.message, 'The local colony has too many open connections (its limit is 6); close idle connections and try again');

      const refusedWs = await new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${colony.port}/pubsub`);
        ws.once('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.once('open', () => reject(new Error('a WebSocket over the cap was accepted')));
        ws.on('error', () => undefined);
      });
      assert.equal(refusedWs, 503);
      assert.equal(c.server.openConnections, 6, 'refused connections are never counted');

      held[0].socket.destroy();
      held[1].socket.destroy();
      await eventually(async () => colony.server.openConnections <= 4);
      await stillServes(c);
      const ws = await openWs(c.port);
      sockets.push(ws);
    });
  });

  describe('subscriptions', () => {
    const sub = (processId: string, state: number, prvkey: string): string =>
      JSON.stringify(createEnvelope('subscribeprocessmsg', { colonyname: 'dev', processid: processId, executortype: '', state, timeout: 60 }, prvkey));

    it('holds at most 100 subscriptions for one socket replaying one envelope 5,000 times, refusing the rest with error frames', async () => {
      c = await startTestColony();
      const exec = await c.addExecutor('replay-exec');
      const p = await c.submit(funcSpec());
      const attacker = await openWs(c.port);
      sockets.push(attacker);
      const envelope = sub(p.processid, 1, c.userPrvKey);
      for (let i = 0; i < 5000; i++) attacker.ws.send(envelope);
      const frames = await attacker.waitFrames(4900, 60_000);
      assert.ok(frames.every((f) => f.error && f.inner.status === 429), 'every frame is a refusal');
      assert.equal(
        frames[0].inner.message,
        `Too many subscriptions on this WebSocket: the local colony allows ${DEFAULT_LIMITS.maxSubscriptionsPerSocket} per socket (held or waiting); end one or open another socket`,
      );
      assert.equal(c.server.subscriptions.size, 100);
      assert.equal(c.server.events.listenerCount, 100);
      assert.equal(attacker.closeCode, undefined, 'the socket and what it holds stay');

      // Someone else subscribes and is served; the attacker's 100 subscriptions fire too, once each.
      const other = await openWs(c.port);
      sockets.push(other);
      other.ws.send(sub(p.processid, 1, c.userPrvKey));
      const colony = c;
      await eventually(async () => colony.server.subscriptions.size === 101);
      assert.equal((await c.assign(exec, 10)).status, 200);
      const [running] = await other.waitFrames(1, 30_000);
      assert.equal(running.error, false);
      assert.equal(running.inner.processid, p.processid);
      const all = await attacker.waitFrames(5000, 30_000);
      assert.equal(all.filter((f) => !f.error).length, 100);
    });

    it('runs one channel subscription per socket and queues at most 99 more; a socket replaying it 3,000 times is refused the rest', async () => {
      c = await startTestColony();
      const p = await c.submit(funcSpec({ channels: ['chat'] }));
      const append = await c.rpc('channelappendmsg', { processid: p.processid, name: 'chat', sequence: 1, payload: [104, 105] }, c.userPrvKey);
      assert.equal(append.status, 200, append.body);
      const envelope = JSON.stringify(createEnvelope('subscribechannelmsg', { processid: p.processid, name: 'chat', afterseq: 0, timeout: 60 }, c.userPrvKey));
      const attacker = await openWs(c.port);
      sockets.push(attacker);
      for (let i = 0; i < 3000; i++) attacker.ws.send(envelope);
      const frames = await attacker.waitFrames(2901, 60_000); // one history frame, 2,900 refusals
      assert.equal(frames.filter((f) => !f.error).length, 1, 'the history frame of the one running subscription');
      assert.equal(frames.filter((f) => f.error && f.inner.status === 429).length, 2900);
      assert.equal(c.server.channels.subscriberCount, 1);
      assert.equal(c.server.subscriptions.size, 1);

      const other = await openWs(c.port);
      sockets.push(other);
      other.ws.send(envelope);
      const [history] = await other.waitFrames(1, 30_000);
      assert.equal(history.error, false);
      assert.equal(history.inner.length, 1);
      attacker.close();
      const colony = c;
      await eventually(async () => colony.server.channels.subscriberCount === 1 && colony.server.subscriptions.size === 1);
    });

    it('caps subscriptions server-wide, and at the cap first ends the ones whose socket is gone', async () => {
      c = await startTestColony({ limits: { maxSubscriptions: 20, maxSubscriptionsPerSocket: 10 } });
      const exec = await c.addExecutor('cap-exec');
      const p = await c.submit(funcSpec());
      const first = await openWs(c.port);
      const second = await openWs(c.port);
      const third = await openWs(c.port);
      sockets.push(first, second, third);
      for (let i = 0; i < 10; i++) {
        first.ws.send(sub(p.processid, 1, c.userPrvKey));
        second.ws.send(sub(p.processid, 1, c.userPrvKey));
      }
      const colony = c;
      await eventually(async () => colony.server.subscriptions.size === 20);
      third.ws.send(sub(p.processid, 1, c.userPrvKey));
      const [refused] = await third.waitFrames(1, 30_000);
      assert.equal(refused.error, true);
      assert.deepEqual(refused.inner, { status: 503, message: 'Too many subscriptions: the local colony holds at most 20 at once; try again later' });

      // The first socket goes away; its subscriptions outlive it (as on a real server) until the cap needs room.
      first.close();
      await eventually(async () => colony.server.openWebSockets === 2);
      assert.equal(c.server.subscriptions.size, 20);
      third.ws.send(sub(p.processid, 1, c.userPrvKey));
      await eventually(async () => colony.server.subscriptions.size === 11);
      assert.equal(c.server.events.listenerCount, 11);

      assert.equal((await c.assign(exec, 10)).status, 200);
      const frames = await third.waitFrames(2, 30_000);
      assert.equal(frames[1].error, false);
      assert.equal(frames[1].inner.processid, p.processid);
      assert.equal((await second.waitFrames(10, 30_000)).filter((f) => !f.error).length, 10);
    });

    it('closes a socket that sends a frame over the frame cap, without buffering it, and serves the next one', async () => {
      c = await startTestColony();
      const ws = await openWs(c.port);
      sockets.push(ws);
      ws.ws.send(Buffer.alloc(DEFAULT_LIMITS.maxFrameBytes + 1, 'x'));
      const code = await ws.closed;
      assert.ok(code === 1009 || code === 1006, `closed with ${code}`);
      const p = await c.submit(funcSpec());
      const next = await openWs(c.port);
      sockets.push(next);
      next.ws.send(sub(p.processid, 0, c.userPrvKey));
      const [waiting] = await next.waitFrames(1, 30_000);
      assert.equal(waiting.inner.processid, p.processid);
    });
  });
});
