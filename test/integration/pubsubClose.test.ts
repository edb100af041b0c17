// Closing /pubsub sockets, on the suite's target (local colony or a real server). A ColonyOS server answers a
// client's close frame only when its read loop reads it: at once on an idle socket or one holding process
// subscriptions, but a channel subscription holds that loop until it ends (its timeout, or its process
// finishing). Our client therefore never waits for the closing handshake: it terminates the socket.

import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import WebSocket from 'ws';
import { ChannelStream, funcSpec, ProcessState, type ColoniesClient, type Process } from '../../src/colonies/index';
import { createEnvelope } from '../../src/colonies/rpc';
import { registerExecutor } from './helpers';
import { needKey, unique, useTarget, type Target } from './target';
import { until } from '../support/poll';

/** A raw WebSocket to /pubsub that notes when each frame and the close arrived. */
class RawPubsub {
  readonly ws: WebSocket;
  readonly frames: { at: number; payload: unknown }[] = [];
  readonly closed: Promise<{ code: number; at: number }>;
  readonly opened: Promise<void>;
  closeCode: number | undefined;

  constructor(t: Target) {
    this.ws = new WebSocket(`${t.tls ? 'wss' : 'ws'}://${t.host}:${t.port}/pubsub`, { perMessageDeflate: false });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      this.ws.on('close', (code: number) => {
        this.closeCode = code;
        resolve({ code, at: Date.now() });
      }),
    );
    this.ws.on('error', () => undefined);
    this.ws.on('message', (data: Buffer) => {
      const env = JSON.parse(data.toString('utf8')) as { payload: string };
      this.frames.push({ at: Date.now(), payload: JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) });
    });
  }

  send(type: string, msg: Record<string, unknown>, prvkey: string): number {
    this.ws.send(JSON.stringify(createEnvelope(type, msg, prvkey)));
    return Date.now();
  }

  dispose(): void {
    this.ws.terminate();
  }
}

/**
 * A TCP relay in front of the server that counts the client connections it carries, so a test sees when the
 * client's side of a socket is really gone. The tests send only WebSocket traffic through it.
 */
class CountingRelay {
  private readonly server: net.Server;
  private readonly inbound = new Set<net.Socket>();
  private readonly all = new Set<net.Socket>();
  port = 0;

  constructor(host: string, port: number) {
    this.server = net.createServer((inbound) => {
      const outbound = net.connect(port, host);
      this.inbound.add(inbound);
      this.all.add(inbound).add(outbound);
      const drop = () => {
        inbound.destroy();
        outbound.destroy();
        this.inbound.delete(inbound);
        this.all.delete(inbound);
        this.all.delete(outbound);
      };
      inbound.on('error', drop).on('close', drop);
      outbound.on('error', drop).on('close', drop);
      inbound.pipe(outbound);
      outbound.pipe(inbound);
    });
  }

  get open(): number {
    return this.inbound.size;
  }

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const s of this.all) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** The seconds a channel subscription lasts in the client tests: far beyond every wait below. */
const LONG_SUBSCRIPTION_S = 60;
/** How long the client may take to drop its socket: generous, and still well under ws's 30 s close wait. */
const PROMPT_MS = 10_000;

describe('integration: closing /pubsub sockets', function () {
  this.timeout(60000);
  const target = useTarget();
  const cleanups: (() => Promise<unknown> | void)[] = [];

  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
  });

  /** A waiting process with a `chat` channel (nobody serves its executor type) and one entry in it. */
  async function processWithChannel(client: ColoniesClient, t: Target, userPrvKey: string, executorType = unique('close')): Promise<Process> {
    const p = await client.submitFuncSpec(funcSpec({ funcname: 'close', colonyname: t.colonyName, executortype: executorType, channels: ['chat'] }), userPrvKey);
    cleanups.push(async () => {
      await client.cancelProcess(p.processid, userPrvKey).catch(() => undefined);
      await client.removeProcess(p.processid, userPrvKey).catch(() => undefined);
    });
    await client.channelAppend(p.processid, 'chat', 1, 'hello', userPrvKey);
    return p;
  }

  function raw(t: Target): RawPubsub {
    const r = new RawPubsub(t);
    cleanups.push(() => r.dispose());
    return r;
  }

  /** A full close handshake on a fresh idle socket: a round trip through the server after what we sent before. */
  async function closeRoundTrip(t: Target): Promise<void> {
    const other = raw(t);
    await other.opened;
    other.ws.close(1000);
    assert.equal((await other.closed).code, 1000);
  }

  it('the server answers a close frame at once on an idle socket and on one holding process subscriptions', async function () {
    const t = target();
    const userPrvKey = needKey(this, t, 'userPrvKey', 'submitting a process');
    const colonyPrvKey = needKey(this, t, 'colonyPrvKey', 'registering an executor for subscribeprocessesmsg');
    const client = t.client();
    const type = unique('close');
    const p = await processWithChannel(client, t, userPrvKey, type);
    const executor = await registerExecutor(client, t, colonyPrvKey, type);
    cleanups.push(() => client.removeExecutor(t.colonyName, executor.name, colonyPrvKey));

    const idle = raw(t);
    await idle.opened;
    idle.ws.close(1000);
    const withSubs = raw(t);
    await withSubs.opened;
    withSubs.send('subscribeprocessmsg', { colonyname: t.colonyName, processid: p.processid, executortype: '', state: ProcessState.SUCCESS, timeout: LONG_SUBSCRIPTION_S }, userPrvKey);
    withSubs.send('subscribeprocessesmsg', { colonyname: t.colonyName, executortype: type, state: ProcessState.SUCCESS, timeout: LONG_SUBSCRIPTION_S }, executor.prvkey);
    withSubs.ws.close(1000);
    // 1000 is the server's answer; an unanswered close would end in 1006 when ws gives up waiting (30 s).
    assert.equal((await idle.closed).code, 1000);
    assert.equal((await withSubs.closed).code, 1000);
    assert.deepEqual(withSubs.frames, []);
  });

  it('during a channel subscription the close frame is answered only when the subscription times out', async function () {
    const t = target();
    const userPrvKey = needKey(this, t, 'userPrvKey', 'submitting a process');
    const client = t.client();
    const p = await processWithChannel(client, t, userPrvKey);
    const r = raw(t);
    await r.opened;
    const subscribedAt = r.send('subscribechannelmsg', { processid: p.processid, name: 'chat', afterseq: 0, timeout: 3 }, userPrvKey);
    await until(() => r.frames.length === 1, 'the history frame');
    r.ws.close(1000);

    const closed = await r.closed;
    assert.equal(closed.code, 1000, 'the server answered in the end');
    assert.equal(r.frames.length, 2, JSON.stringify(r.frames));
    assert.deepEqual(r.frames[1].payload, [], 'the subscription timed out first ([] frame)');
    assert.ok(r.frames[1].at <= closed.at);
    // The server's 3 s timer starts once it has read the subscription, which is after we sent it.
    assert.ok(closed.at - subscribedAt >= 2500, `answered ${closed.at - subscribedAt} ms after subscribing`);
  });

  it('during a channel subscription the close frame is answered when the process finishes (silent end)', async function () {
    const t = target();
    const userPrvKey = needKey(this, t, 'userPrvKey', 'submitting a process');
    const colonyPrvKey = needKey(this, t, 'colonyPrvKey', 'registering the executor that closes the process');
    const client = t.client();
    const type = unique('close');
    const p = await processWithChannel(client, t, userPrvKey, type);
    const executor = await registerExecutor(client, t, colonyPrvKey, type);
    cleanups.push(() => client.removeExecutor(t.colonyName, executor.name, colonyPrvKey));
    const r = raw(t);
    await r.opened;
    r.send('subscribechannelmsg', { processid: p.processid, name: 'chat', afterseq: 0, timeout: LONG_SUBSCRIPTION_S }, userPrvKey);
    await until(() => r.frames.length === 1, 'the history frame');
    r.ws.close(1000);
    await closeRoundTrip(t);
    assert.equal(r.closeCode, undefined, 'the close was answered while the subscription ran');
    // Ending the process ends the subscription, and that is what releases the answer.
    const assigned = await client.assign(t.colonyName, 10, executor.prvkey);
    assert.equal(assigned.processid, p.processid);
    const closingAt = Date.now();
    await client.close(p.processid, [], executor.prvkey);

    const closed = await r.closed;
    assert.equal(closed.code, 1000);
    assert.ok(closed.at >= closingAt, 'answered only once the process was closed');
    assert.equal(r.frames.length, 1, 'no frame at a silent end');
  });

  describe('our client terminates instead of waiting for the answer', () => {
    let relay: CountingRelay | undefined;
    afterEach(async () => {
      await relay?.close();
      relay = undefined;
    });

    /** A client that reaches the target through a counting relay (TLS passes through it untouched). */
    async function relayed(t: Target): Promise<{ relay: CountingRelay; client: ColoniesClient }> {
      relay = new CountingRelay(t.host, t.port);
      await relay.listen();
      return { relay, client: t.client({ host: '127.0.0.1', port: relay.port, tls: t.tls, rejectUnauthorized: false }) };
    }

    it('ChannelStream.dispose() drops its socket at once, mid-subscription', async function () {
      const t = target();
      const userPrvKey = needKey(this, t, 'userPrvKey', 'submitting a process');
      const p = await processWithChannel(t.client(), t, userPrvKey);
      const { relay: r, client } = await relayed(t);
      const stream = new ChannelStream(client, { processId: p.processid, channel: 'chat', prvkey: userPrvKey, subscribeTimeoutSec: LONG_SUBSCRIPTION_S, pollStateMs: 60_000 });
      cleanups.push(() => stream.dispose());
      let got = 0;
      stream.onEntries((batch) => (got += batch.length));
      stream.start();
      await until(() => got === 1 && r.open === 1, 'the stream to be subscribed and hold its history', 20_000);

      stream.dispose();
      await until(() => r.open === 0, 'the stream socket to be gone', PROMPT_MS);
    });

    it('a channel subscription its callback ends drops its socket at once', async function () {
      const t = target();
      const userPrvKey = needKey(this, t, 'userPrvKey', 'submitting a process');
      const p = await processWithChannel(t.client(), t, userPrvKey);
      const { relay: r, client } = await relayed(t);
      const entries = await client.subscribeChannel(p.processid, 'chat', userPrvKey, { timeout: LONG_SUBSCRIPTION_S, callback: () => false });
      assert.equal(entries.length, 1);
      await until(() => r.open === 0, 'the subscription socket to be gone', PROMPT_MS);
    });
  });
});
