import { strict as assert } from 'node:assert';
import {
  ChannelSession,
  ChannelStream,
  ColoniesError,
  MAX_CHANNEL_PAYLOAD_BYTES,
  createEnvelope,
  ProcessState,
  entryText,
  funcSpec,
  isRateLimited,
  type ChannelEntry,
  type ColoniesClient,
  type StreamStatus,
} from '../../src/colonies/index';
import { addUser, CuttableProxy, registerExecutor, runningProcess, startDemoExecutors, until, type DemoExecutors } from './helpers';
import { needKey, unique, useTarget, type Target } from './target';

const isError = (status: number, message: string) => (e: unknown) => e instanceof ColoniesError && e.status === status && e.message === message;

describe('integration: channels', function () {
  const target = useTarget();
  let t: Target;
  let c: ColoniesClient;
  const cleanup: Array<() => unknown> = [];

  before(() => {
    t = target();
    c = t.client();
  });
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  function session(processId: string, channel: string, prvkey: string, client = c) {
    const s = new ChannelSession(client, { processId, channel, prvkey, pollStateMs: 200 });
    cleanup.push(() => s.dispose());
    return s;
  }

  describe('tutorial scenarios with the demo executors', () => {
    let demos: DemoExecutors | undefined;
    let echoType = '';
    let progressType = '';

    before(async function () {
      const colonyKey = needKey(this, t, 'colonyPrvKey', 'the demo executors register themselves with the colony owner key');
      demos = await startDemoExecutors(t, colonyKey);
      ({ echoType, progressType } = demos);
    });
    after(async () => {
      await demos?.stop();
    });

    it('chat: every message is answered "You said: …" as a reply, and `end` closes the process', async function () {
      const userKey = needKey(this, t, 'userPrvKey', 'submitting the chat process');
      const p = await c.submitFuncSpec(funcSpec({ funcname: 'chat', colonyname: t.colonyName, executortype: echoType, channels: ['chat'] }), userKey);
      const s = session(p.processid, 'chat', userKey);
      const statuses: StreamStatus[] = [];
      s.onStatus((st) => statuses.push(st));
      s.start();
      const s1 = await s.send('Hello!');
      const s2 = await s.send('How are you?');
      await until(() => s.entries.filter((e) => e.senderid !== s.myId).length === 2, 'two replies');
      const replies = s.entries.filter((e) => e.senderid !== s.myId);
      assert.deepEqual(replies.map(entryText), ['You said: Hello!', 'You said: How are you?']);
      assert.deepEqual(replies.map((e) => e.inreplyto), [s1, s2]);
      assert.deepEqual(replies.map((e) => e.sequence), [1, 2], 'the executor keeps its own counter');
      await s.send('', { type: 'end' });
      const done = await c.subscribeProcess(p.processid, ProcessState.SUCCESS, 15, userKey);
      assert.deepEqual(done.out, ['Chat ended after 2 messages']);
      await until(() => s.status.kind === 'ended', 'stream end');
      assert.deepEqual(s.status, { kind: 'ended', processState: ProcessState.SUCCESS });
      assert.equal(s.entries.length, 5);
    });

    it('chat: the executor handles many conversations at once', async function () {
      const userKey = needKey(this, t, 'userPrvKey', 'submitting chat processes');
      const procs = await Promise.all(
        Array.from({ length: 5 }, () => c.submitFuncSpec(funcSpec({ funcname: 'chat', colonyname: t.colonyName, executortype: echoType, channels: ['chat'] }), userKey)),
      );
      await Promise.all(
        procs.map(async (p, i) => {
          const s = session(p.processid, 'chat', userKey);
          s.start();
          await s.send(`hi ${i}`);
          await until(() => s.entries.some((e) => entryText(e) === `You said: hi ${i}`), `reply ${i}`);
          await s.send('', { type: 'end' });
          await c.subscribeProcess(p.processid, ProcessState.SUCCESS, 15, userKey);
        }),
      );
    });

    it('progress: "Progress: N%" every 10 %, then "Complete!" typed end, then the process closes with output', async function () {
      const userKey = needKey(this, t, 'userPrvKey', 'submitting the progress process');
      const p = await c.submitFuncSpec(funcSpec({ funcname: 'long', colonyname: t.colonyName, executortype: progressType, channels: ['progress'] }), userKey);
      const seen: ChannelEntry[] = [];
      await c.subscribeChannel(p.processid, 'progress', userKey, {
        timeout: 20,
        callback: (batch) => {
          seen.push(...batch);
          return !batch.some((e) => e.type === 'end');
        },
      });
      const expected = Array.from({ length: 11 }, (_, i) => `Progress: ${i * 10}%`);
      assert.deepEqual(seen.map(entryText), [...expected, 'Complete!']);
      assert.equal(seen[seen.length - 1].type, 'end');
      const done = await c.subscribeProcess(p.processid, ProcessState.SUCCESS, 15, userKey);
      assert.deepEqual(done.out, ['Complete!']);
      const logs = await c.getLogs(t.colonyName, p.processid, 100, userKey);
      assert.deepEqual(logs.map((l) => l.message), expected);
    });
  });

  it('another colony member gets "Not authorized to write to channel" (and read, subscribe)', async function () {
    const colonyKey = needKey(this, t, 'colonyPrvKey', 'adding a second colony member');
    const userKey = needKey(this, t, 'userPrvKey', 'submitting the process');
    const other = await addUser(c, t, colonyKey);
    const p = await c.submitFuncSpec(funcSpec({ funcname: 'x', colonyname: t.colonyName, executortype: unique('nobody'), channels: ['chat'] }), userKey);
    cleanup.push(() => c.cancelProcess(p.processid, userKey).catch(() => undefined));
    await assert.rejects(c.channelAppend(p.processid, 'chat', 1, 'sneaky', other.prvkey), isError(403, 'Not authorized to write to channel'));
    await assert.rejects(c.channelRead(p.processid, 'chat', 0, 0, other.prvkey), isError(403, 'Not authorized to read from channel'));
    await assert.rejects(c.subscribeChannel(p.processid, 'chat', other.prvkey, { timeout: 2 }), isError(403, 'Not authorized to subscribe to channel'));
    const s = session(p.processid, 'chat', other.prvkey);
    await assert.rejects(s.send('x'), isError(403, 'Not authorized to read from channel'));
    const stream = new ChannelStream(c, { processId: p.processid, channel: 'chat', prvkey: other.prvkey });
    cleanup.push(() => stream.dispose());
    stream.start();
    await until(() => stream.status.kind === 'error', 'fatal error status');
    assert.deepEqual(stream.status, { kind: 'error', message: 'Not authorized to subscribe to channel', fatal: true });
  });

  it('a stream survives forced socket drops with no message lost or repeated', async function () {
    const colonyKey = needKey(this, t, 'colonyPrvKey', 'registering an executor');
    const userKey = needKey(this, t, 'userPrvKey', 'submitting the process');
    const { process: p, executor: ex } = await runningProcess(c, t, { colonyPrvKey: colonyKey, userPrvKey: userKey }, 'drop', ['chat']);
    cleanup.push(() => c.close(p.processid, [], ex.prvkey).catch(() => undefined));

    const proxy = new CuttableProxy(t.host, t.port);
    await proxy.listen();
    cleanup.push(() => proxy.close());
    const viaProxy = t.client({ host: '127.0.0.1', port: proxy.port, rejectUnauthorized: false });
    const stream = new ChannelStream(viaProxy, { processId: p.processid, channel: 'chat', prvkey: userKey, pollStateMs: 300, backoff: { initialMs: 50, maxMs: 200 } });
    cleanup.push(() => stream.dispose());
    const got: ChannelEntry[] = [];
    const reconnects: number[] = [];
    stream.onEntries((b) => got.push(...b));
    stream.onStatus((st) => st.kind === 'reconnecting' && reconnects.push(st.attempt));
    stream.start();
    await until(() => stream.status.kind === 'live', 'live');

    const executor = session(p.processid, 'chat', ex.prvkey);
    const total = 30;
    for (let i = 1; i <= total; i++) {
      await executor.send(`m${i}`);
      if (i % 10 === 0) {
        proxy.cutAll();
        if (t.local) t.local.server.dropAllSockets();
      }
    }
    await until(() => got.length >= total, `all ${total} messages (have ${got.length})`);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(got.map(entryText), Array.from({ length: total }, (_, i) => `m${i + 1}`));
    assert.ok(reconnects.length >= 1, 'the stream reconnected');
    assert.equal(stream.receivedCount, total);
  });

  it('rate limit: sends are retried with backoff and stay in order', async function () {
    this.timeout(120000);
    const colonyKey = needKey(this, t, 'colonyPrvKey', 'registering an executor');
    const userKey = needKey(this, t, 'userPrvKey', 'submitting the process');
    const { process: p, executor: ex } = await runningProcess(c, t, { colonyPrvKey: colonyKey, userPrvKey: userKey }, 'rate', ['flood', 'chat']);
    cleanup.push(() => c.close(p.processid, [], ex.prvkey).catch(() => undefined));

    // The executor floods another channel of the same process (the bucket is per process) until the
    // server refuses; the user's session sends meanwhile and must get every message through, in order.
    // The flood resends one signed envelope (no replay protection, duplicates are stored) so that signing
    // does not slow it below the bucket's refill rate.
    const sessionFailures: string[] = [];
    const sessionClient = t.client({ logger: { debug: (m) => /^channelappendmsg failed/.test(m) && sessionFailures.push(m), warn: () => undefined } });
    const s = session(p.processid, 'chat', userKey, sessionClient);
    const floodEnvelope = createEnvelope('channelappendmsg', { processid: p.processid, name: 'flood', sequence: 1, payload: 'eA==' }, ex.prvkey);
    let limited = 0;
    let flooding = true;
    // Workers keep requests queued without pause, so the session's sends compete with the flood, until the
    // session has been refused once; then the flood stops so its retries can get through.
    const deadline = Date.now() + 60000;
    const worker = async () => {
      while (flooding && sessionFailures.length === 0 && Date.now() < deadline) {
        await c.sendEnvelope(floodEnvelope).catch((e) => {
          if (isRateLimited(e)) limited++;
          else if (!(e instanceof ColoniesError && e.message === 'channel log is full')) throw e;
        });
      }
    };
    const flood = Promise.all(Array.from({ length: 16 }, worker));
    await until(() => limited > 0, 'the server to rate-limit', 60000);
    // Whether a given send is refused is up to the server's token bucket; keep sending (in order, through
    // the session's queue) until some were refused and retried, then check nothing was lost or reordered.
    const texts: string[] = [];
    const seqs: number[] = [];
    while (sessionFailures.length === 0 && texts.length < 400 && Date.now() < deadline) {
      const round = Array.from({ length: 20 }, (_, i) => `msg ${texts.length + i}`);
      texts.push(...round);
      seqs.push(...(await Promise.all(round.map((m) => s.send(m)))));
    }
    flooding = false;
    await flood;
    assert.deepEqual(seqs, texts.map((_, i) => i + 1));
    const log = await c.channelRead(p.processid, 'chat', 0, 0, userKey);
    assert.deepEqual(log.map(entryText), texts);
    assert.ok(sessionFailures.length > 0, `some of ${texts.length} session sends were rate-limited and retried`);
    assert.ok(sessionFailures.every((m) => m.endsWith('rate limit exceeded')), sessionFailures[0]);
  });

  it('10 MiB limit: exactly 10 MiB round-trips, one byte more is refused by the client and by the server', async function () {
    this.timeout(60000);
    const userKey = needKey(this, t, 'userPrvKey', 'submitting the process');
    const p = await c.submitFuncSpec(funcSpec({ funcname: 'x', colonyname: t.colonyName, executortype: unique('big'), channels: ['chat'] }), userKey);
    cleanup.push(() => c.cancelProcess(p.processid, userKey).catch(() => undefined));
    const max = new Uint8Array(MAX_CHANNEL_PAYLOAD_BYTES).fill(7);
    await c.channelAppend(p.processid, 'chat', 1, max, userKey);
    const [back] = await c.channelRead(p.processid, 'chat', 0, 1, userKey);
    assert.equal(back.payload.length, MAX_CHANNEL_PAYLOAD_BYTES);
    const s = session(p.processid, 'chat', userKey);
    await assert.rejects(s.send(new Uint8Array(MAX_CHANNEL_PAYLOAD_BYTES + 1)), (e: unknown) => e instanceof ColoniesError && /at most 10485760 bytes/.test(e.message));
    // Bypassing the client-side check shows what the server itself says.
    const tooBig = Buffer.alloc(MAX_CHANNEL_PAYLOAD_BYTES + 1, 7).toString('base64');
    await assert.rejects(
      c.rpc('channelappendmsg', { processid: p.processid, name: 'chat', sequence: 2, payload: tooBig }, userKey),
      isError(500, 'message payload exceeds maximum size'),
    );
  });

  it('channels are gone after close: 404 for read, append and subscribe; a stream reports the end', async function () {
    const colonyKey = needKey(this, t, 'colonyPrvKey', 'registering an executor');
    const userKey = needKey(this, t, 'userPrvKey', 'submitting the process');
    const type = unique('gone');
    const ex = await registerExecutor(c, t, colonyKey, type);
    const p = await c.submitFuncSpec(funcSpec({ funcname: 'x', colonyname: t.colonyName, executortype: type, channels: ['chat'] }), userKey);
    await c.channelAppend(p.processid, 'chat', 1, 'before', userKey);
    await c.assign(t.colonyName, 5, ex.prvkey);
    const stream = new ChannelStream(c, { processId: p.processid, channel: 'chat', prvkey: userKey, pollStateMs: 200 });
    cleanup.push(() => stream.dispose());
    const got: ChannelEntry[] = [];
    stream.onEntries((b) => got.push(...b));
    stream.start();
    await until(() => got.length === 1, 'history');
    await c.close(p.processid, ['ok'], ex.prvkey);
    await until(() => stream.status.kind === 'ended', 'ended');
    assert.deepEqual(stream.status, { kind: 'ended', processState: ProcessState.SUCCESS });
    await assert.rejects(c.channelRead(p.processid, 'chat', 0, 0, userKey), isError(404, 'Channel not found'));
    await assert.rejects(c.channelAppend(p.processid, 'chat', 2, 'after', userKey), isError(404, 'Channel not found'));
    await assert.rejects(c.subscribeChannel(p.processid, 'chat', userKey, { timeout: 2 }), isError(404, 'Channel not found'));
    const late = new ChannelStream(c, { processId: p.processid, channel: 'chat', prvkey: userKey });
    cleanup.push(() => late.dispose());
    late.start();
    await until(() => late.status.kind === 'ended', 'late stream ended');
  });
});
