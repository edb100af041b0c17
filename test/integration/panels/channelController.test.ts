// The channel panel's host side (ChannelController + TranscriptStore) against a real server over real sockets:
// the local colony by default, or a ColonyOS server from COLONIES_* variables (see ../target.ts).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { crypto, entryText, funcSpec, type ColoniesClient } from '../../../src/colonies/index';
import { startEchoExecutor, startProgressExecutor, type ExecutorHandle } from '../../../src/localcolony/executors/index';
import { ChannelController, FIRST_CHUNK_ROWS } from '../../../src/panels/channelController';
import { applyToRows, type EntryView, type HostMessage, type StatusView } from '../../../src/panels/protocol';
import { TranscriptStore } from '../../../src/panels/transcriptStore';
import { delay, isRateLimited } from '../../../src/colonies/retry';
import { CuttableProxy, addUser, registerExecutor, until } from '../helpers';
import { needKey, unique, useTarget, type Target } from '../target';

interface Harness {
  controller: ChannelController;
  posted: HostMessage[];
  logs: string[];
  copied: string[];
  /** The status most recently posted (init or status). */
  status(): StatusView | undefined;
  /** What the webview would show: init, then appends, splices and replaces applied in order. */
  shown(): EntryView[];
}

describe('integration: channel panel host (controller + transcript store)', function () {
  this.timeout(60_000);
  const target = useTarget();
  let t: Target;
  let c: ColoniesClient;
  let userKey: string;
  let userId: string;
  let dir: string;
  let store: TranscriptStore;
  let echo: ExecutorHandle | undefined;
  let progress: ExecutorHandle | undefined;
  let echoType = '';
  let progressType = '';
  const cleanup: Array<() => unknown> = [];

  before(async function () {
    t = target();
    c = t.client();
    userKey = needKey(this, t, 'userPrvKey', 'submitting processes and chatting');
    const colonyKey = needKey(this, t, 'colonyPrvKey', 'the demo executors register themselves with the colony owner key');
    userId = crypto.id(userKey);
    echoType = unique('echo');
    progressType = unique('progress');
    const base = { host: t.host, port: t.port, tls: t.tls, colonyName: t.colonyName, colonyPrvKey: colonyKey, assignTimeoutSec: 2 };
    echo = await startEchoExecutor({ ...base, executorType: echoType });
    progress = await startProgressExecutor({ ...base, executorType: progressType, stepMs: 30 });
  });
  after(async () => {
    await echo?.stop();
    await progress?.stop();
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-transcripts-'));
    store = new TranscriptStore(dir);
  });
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function harness(processId: string, channel: string): Harness {
    const posted: HostMessage[] = [];
    const logs: string[] = [];
    const copied: string[] = [];
    const controller = new ChannelController({
      processId,
      channel,
      file: store.open(processId, channel),
      post: (m) => posted.push(structuredClone(m)),
      actions: {
        savePayload: async () => undefined,
        copyText: async (text) => void copied.push(text),
        exportTranscript: async () => undefined,
      },
      log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
      waitingPollMs: 100,
      pollStateMs: 200,
    });
    cleanup.push(() => controller.dispose());
    return {
      controller,
      posted,
      logs,
      copied,
      status: () => {
        const last = [...posted].reverse().find((m) => m.type === 'status' || m.type === 'init');
        return last && (last.type === 'status' || last.type === 'init') ? last.status : undefined;
      },
      shown: () => posted.reduce<EntryView[]>(applyToRows, []),
    };
  }

  const texts = (rows: EntryView[]) => rows.map((r) => (r.body.kind === 'text' || r.body.kind === 'json' ? r.body.text : r.body.kind));
  const sendResult = (h: Harness, requestId: string) =>
    h.posted.find((m): m is Extract<HostMessage, { type: 'sendResult' }> => m.type === 'sendResult' && m.requestId === requestId);

  /** A process with an `out` channel for a fresh executor that this test drives by hand (assign, append, close). */
  async function manualProcess(ctx: Mocha.Context) {
    const colonyKey = needKey(ctx, t, 'colonyPrvKey', 'registering a test executor');
    const type = unique('manual');
    const ex = await registerExecutor(c, t, colonyKey, type);
    const p = await c.submitFuncSpec(funcSpec({ funcname: 'job', colonyname: t.colonyName, executortype: type, channels: ['out'] }), userKey);
    return { ex, p };
  }

  async function open(processId: string, channel: string, prvkey = userKey, client = c): Promise<Harness> {
    const h = harness(processId, channel);
    await h.controller.load();
    await h.controller.handleMessage({ type: 'ready' });
    await h.controller.connect({ client, prvkey, myId: crypto.id(prvkey) });
    return h;
  }

  it('chats with the echo executor: replies are threaded, end closes the process, the transcript is kept', async () => {
    const p = await c.submitFuncSpec(funcSpec({ funcname: 'chat', colonyname: t.colonyName, executortype: echoType, channels: ['chat'] }), userKey);
    const h = await open(p.processid, 'chat');
    await h.controller.handleMessage({ type: 'send', requestId: 'r1', text: 'Hello!', kind: 'data', inReplyTo: 0 });
    assert.deepEqual(sendResult(h, 'r1'), { type: 'sendResult', requestId: 'r1', ok: true, sequence: 1 });
    await until(() => h.shown().length === 2, 'the echo reply');
    const [mine, reply] = h.shown();
    assert.deepEqual([mine.sender, mine.senderLabel, reply.sender, reply.senderLabel], ['me', 'You', 'executor', 'Executor']);
    assert.deepEqual(texts(h.shown()), ['Hello!', 'You said: Hello!']);
    assert.equal(reply.inReplyTo, 1);
    assert.equal(reply.parentKey, mine.key, 'the reply quotes my message');

    // Reply to the executor's message, as the composer's Reply does.
    await h.controller.handleMessage({ type: 'send', requestId: 'r2', text: 'Again', kind: 'data', inReplyTo: reply.sequence });
    await until(() => h.shown().length === 4, 'the second echo');
    assert.equal(h.shown()[2].parentKey, reply.key);
    assert.deepEqual(h.status(), { kind: 'live' });

    await h.controller.handleMessage({ type: 'copyAll' });
    assert.match(h.copied[0], /You: Hello!\n.*Executor: You said: Hello!/);

    await h.controller.handleMessage({ type: 'send', requestId: 'r3', text: '', kind: 'end', inReplyTo: 0 });
    await until(() => h.status()?.kind === 'finished', 'the finished status');
    assert.deepEqual(h.status(), { kind: 'finished', state: 'Successful' });
    assert.equal(h.controller.view.composer.enabled, false);
    assert.match(h.controller.view.composer.reason ?? '', /finished \(Successful\).*kept locally/);

    await h.controller.flush();
    const lines = fs.readFileSync(store.transcriptFile(p.processid, 'chat'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 5);
    assert.equal((await store.open(p.processid, 'chat').loadMeta())?.finalState, 'Successful');
  });

  it('follows a progress stream to its end', async () => {
    const p = await c.submitFuncSpec(funcSpec({ funcname: 'long', colonyname: t.colonyName, executortype: progressType, channels: ['progress'] }), userKey);
    const h = await open(p.processid, 'progress');
    await until(() => h.status()?.kind === 'finished', 'the process to finish', 30_000);
    const expected = [...Array.from({ length: 11 }, (_, i) => `Progress: ${i * 10}%`), 'Complete!'];
    assert.deepEqual(texts(h.shown()), expected);
    assert.equal(h.shown().at(-1)?.type, 'end');
    assert.ok(h.shown().every((r) => r.sender === 'executor'));
    // Appends were coalesced: fewer messages than entries is fine, but nothing was sent twice.
    assert.equal(new Set(h.shown().map((r) => r.key)).size, 12);
  });

  it('keeps the transcript when the process closes mid-stream, and shows it again on reopen', async function () {
    const { ex, p } = await manualProcess(this);
    const h = await open(p.processid, 'out');
    await until(() => h.status()?.kind === 'waiting', 'the waiting status');
    assert.equal(h.controller.view.composer.enabled, true, 'the submitter may write before assignment (protocol P3)');
    assert.match(h.controller.view.composer.hint ?? '', /Queued for the executor/);
    await h.controller.handleMessage({ type: 'send', requestId: 'q', text: 'queued before assignment', kind: 'data', inReplyTo: 0 });
    assert.equal(sendResult(h, 'q')?.ok, true);

    await c.assign(t.colonyName, 5, ex.prvkey);
    await until(() => h.status()?.kind === 'live', 'live after assignment');
    const history = await c.channelRead(p.processid, 'out', 0, 0, ex.prvkey);
    assert.deepEqual(history.map(entryText), ['queued before assignment'], 'the executor reads the queued message');
    for (let i = 1; i <= 3; i++) await c.channelAppend(p.processid, 'out', i, `step ${i}`, ex.prvkey);
    await until(() => h.shown().length === 4, 'three executor entries');
    await c.close(p.processid, ['done'], ex.prvkey);
    await until(() => h.status()?.kind === 'finished', 'the finished status');
    await h.controller.flush();
    // The server deleted the channel.
    await assert.rejects(c.channelRead(p.processid, 'out', 0, 0, userKey), /Channel not found/);
    h.controller.dispose();

    // Reopened later (a new window): the stored transcript, nothing lost or repeated, and the finished state.
    const again = harness(p.processid, 'out');
    await again.controller.load();
    await again.controller.handleMessage({ type: 'ready' });
    assert.deepEqual(texts(again.shown()), ['queued before assignment', 'step 1', 'step 2', 'step 3']);
    assert.equal(again.shown()[0].senderLabel, 'Submitter', 'the stored meta knows the parties before connecting');
    await again.controller.connect({ client: c, prvkey: userKey, myId: userId });
    await until(() => again.status()?.kind === 'finished', 'the finished status on reopen');
    assert.deepEqual(texts(again.shown()), ['queued before assignment', 'step 1', 'step 2', 'step 3']);
    assert.deepEqual(again.shown().map((r) => r.senderLabel), ['You', 'Executor', 'Executor', 'Executor']);
  });

  it('resumes after the socket is dropped mid-stream without losing or repeating entries', async function () {
    const { ex, p } = await manualProcess(this);
    await c.assign(t.colonyName, 5, ex.prvkey);
    const proxy = new CuttableProxy(t.host, t.port);
    await proxy.listen();
    cleanup.push(() => proxy.close());
    const viaProxy = t.client({ port: proxy.port, timeoutMs: 5000 });
    const h = await open(p.processid, 'out', userKey, viaProxy);
    for (let i = 1; i <= 3; i++) await c.channelAppend(p.processid, 'out', i, `before ${i}`, ex.prvkey);
    await until(() => h.shown().length === 3, 'entries before the drop');
    assert.ok(proxy.cutAll() > 0, 'there was a live connection to cut');
    for (let i = 4; i <= 6; i++) await c.channelAppend(p.processid, 'out', i, `after ${i}`, ex.prvkey);
    await until(() => h.shown().length === 6, 'entries after the drop', 30_000);
    assert.deepEqual(texts(h.shown()), ['before 1', 'before 2', 'before 3', 'after 4', 'after 5', 'after 6']);
    assert.ok(
      h.posted.some((m) => m.type === 'status' && m.status.kind === 'reconnecting' && m.status.attempt >= 1),
      'the strip showed the reconnect',
    );
    await until(() => h.status()?.kind === 'live', 'live again');
    await h.controller.flush();
    assert.equal(fs.readFileSync(store.transcriptFile(p.processid, 'out'), 'utf8').trim().split('\n').length, 6);
    await c.close(p.processid, [], ex.prvkey);
  });

  it('reopened while the process runs: shows the stored transcript and resumes the live stream after it', async function () {
    const { ex, p } = await manualProcess(this);
    await c.assign(t.colonyName, 5, ex.prvkey);
    cleanup.push(() => c.close(p.processid, [], ex.prvkey).catch(() => undefined));
    const first = await open(p.processid, 'out');
    await c.channelAppend(p.processid, 'out', 1, 'one', ex.prvkey);
    await first.controller.handleMessage({ type: 'send', requestId: 'a', text: 'two', kind: 'data', inReplyTo: 1 });
    await until(() => first.shown().length === 2, 'two entries');
    await first.controller.flush();
    first.controller.dispose(); // VS Code closed

    await c.channelAppend(p.processid, 'out', 2, 'three (while closed)', ex.prvkey);
    const again = harness(p.processid, 'out');
    await again.controller.load();
    await again.controller.handleMessage({ type: 'ready' });
    assert.deepEqual(texts(again.shown()), ['one', 'two']);
    await again.controller.connect({ client: c, prvkey: userKey, myId: userId });
    await until(() => again.shown().length === 3, 'the entry sent while closed');
    await again.controller.handleMessage({ type: 'send', requestId: 'b', text: 'four', kind: 'data', inReplyTo: 0 });
    assert.deepEqual(sendResult(again, 'b'), { type: 'sendResult', requestId: 'b', ok: true, sequence: 2 }, 'my sequence continues after the stored ones');
    await until(() => again.shown().length === 4, 'my new message');
    assert.deepEqual(texts(again.shown()), ['one', 'two', 'three (while closed)', 'four']);
    await again.controller.flush();
    const onDisk = await store.open(p.processid, 'out').load();
    assert.deepEqual(onDisk.map(entryText), ['one', 'two', 'three (while closed)', 'four']);
  });

  it('puts an entry that arrives out of order in place with a splice of what changed, never a full replace', async function () {
    const { ex, p } = await manualProcess(this);
    await c.assign(t.colonyName, 5, ex.prvkey);
    cleanup.push(() => c.close(p.processid, [], ex.prvkey).catch(() => undefined));
    const h = await open(p.processid, 'out');
    for (let i = 1; i <= 3; i++) await c.channelAppend(p.processid, 'out', i, `step ${i}`, ex.prvkey);
    await until(() => h.shown().length === 3, 'three entries');
    // The executor's step 5 lands before its step 4 (concurrent appends); the server orders one sender by sequence.
    await c.channelAppend(p.processid, 'out', 5, 'step 5', ex.prvkey);
    await until(() => h.shown().length === 4, 'step 5');
    const postedBefore = h.posted.length;
    await c.channelAppend(p.processid, 'out', 4, 'step 4', ex.prvkey);
    await until(() => h.shown().length === 5, 'step 4');
    assert.deepEqual(texts(h.shown()), ['step 1', 'step 2', 'step 3', 'step 4', 'step 5']);
    const entryMessages = h.posted.slice(postedBefore).filter((m) => m.type === 'entries');
    assert.equal(entryMessages.length, 1);
    const splice = entryMessages[0];
    assert.ok(splice.type === 'entries' && splice.mode === 'splice', `expected a splice, got ${JSON.stringify(splice).slice(0, 200)}`);
    assert.deepEqual([splice.start, splice.deleteCount, texts(splice.entries)], [3, 0, ['step 4']], 'only the late entry crossed over');

    // A reply that arrives before its parent: the parent's arrival also sends the reply's new view, which quotes it.
    await c.channelAppend(p.processid, 'out', 7, 'about step 6', ex.prvkey, { inReplyTo: 6 });
    await until(() => h.shown().length === 6, 'the reply');
    assert.equal(h.shown()[5].parentKey, undefined);
    const beforeParent = h.posted.length;
    await c.channelAppend(p.processid, 'out', 6, 'step 6', ex.prvkey);
    await until(() => h.shown().length === 7, 'the late parent');
    const [parentSplice] = h.posted.slice(beforeParent).filter((m) => m.type === 'entries');
    assert.ok(parentSplice.type === 'entries' && parentSplice.mode === 'splice');
    assert.deepEqual([parentSplice.start, parentSplice.deleteCount, texts(parentSplice.entries)], [5, 1, ['step 6', 'about step 6']]);
    const shown = h.shown();
    assert.equal(shown[6].parentKey, shown[5].key, 'the reply now quotes its parent');
    assert.ok(!h.posted.some((m) => m.type === 'entries' && m.mode === 'replace'), 'no full replace was sent');

    // The controller's own state agrees with what the webview was sent, and so does the file.
    await h.controller.handleMessage({ type: 'ready' });
    assert.deepEqual(h.shown(), shown);
    await h.controller.flush();
    const onDisk = await store.open(p.processid, 'out').load();
    assert.deepEqual(onDisk.map(entryText), ['step 1', 'step 2', 'step 3', 'step 4', 'step 5', 'step 6', 'about step 6']);
  });

  it('sends a long channel history newest first, then the older rows above them, keeping order, count and the file', async function () {
    const { ex, p } = await manualProcess(this);
    await c.assign(t.colonyName, 5, ex.prvkey);
    cleanup.push(() => c.close(p.processid, [], ex.prvkey).catch(() => undefined));
    const count = FIRST_CHUNK_ROWS + 120;
    // More than the server's burst of appends per process: a fast machine outruns its refill, so a refused append waits
    // for the bucket and is sent again (how fast the history is written is not what this test is about).
    for (let i = 1; i <= count; i++) {
      for (;;) {
        try {
          await c.channelAppend(p.processid, 'out', i, `history ${i}`, ex.prvkey, i === count ? { inReplyTo: 1 } : {});
          break;
        } catch (err) {
          if (!isRateLimited(err)) throw err;
          await delay(20);
        }
      }
    }
    const h = await open(p.processid, 'out');
    await until(() => h.shown().length === count, 'the whole history');
    const entryMessages = h.posted.filter((m) => m.type === 'entries' || m.type === 'init').filter((m) => 'entries' in m && m.entries.length > 0);
    const [first, ...rest] = entryMessages;
    assert.ok(first.type === 'entries' && first.mode === 'append');
    assert.deepEqual(texts(first.entries).slice(-2), [`history ${count - 1}`, `history ${count}`], 'the newest rows come first');
    assert.equal(first.entries.length, FIRST_CHUNK_ROWS);
    assert.ok(rest.every((m) => m.type === 'entries' && m.mode === 'splice' && m.start === 0 && m.deleteCount === 0), 'the older rows go in above');
    const shown = h.shown();
    assert.deepEqual(texts(shown), Array.from({ length: count }, (_, i) => `history ${i + 1}`));
    assert.equal(shown[count - 1].parentKey, shown[0].key, 'the newest row quotes the oldest one');
    await h.controller.flush();
    const onDisk = await store.open(p.processid, 'out').load();
    assert.equal(onDisk.length, count);
  });

  it('disables the composer with the reason for someone who is not a party of the channel', async function () {
    const colonyKey = needKey(this, t, 'colonyPrvKey', 'adding a second colony member');
    const other = await addUser(c, t, colonyKey);
    const p = await c.submitFuncSpec(funcSpec({ funcname: 'x', colonyname: t.colonyName, executortype: unique('nobody'), channels: ['chat'] }), userKey);
    cleanup.push(() => c.cancelProcess(p.processid, userKey).catch(() => undefined));
    const h = await open(p.processid, 'chat', other.prvkey);
    assert.equal(h.controller.view.composer.enabled, false);
    assert.match(h.controller.view.composer.reason ?? '', /Only the process's submitter and its assigned executor/);
    await h.controller.handleMessage({ type: 'send', requestId: 's', text: 'hi', kind: 'data', inReplyTo: 0 });
    assert.equal(sendResult(h, 's')?.ok, false);
  });

  it('ignores unknown or malformed webview messages, logging them, but still answers a malformed send', async () => {
    const p = await c.submitFuncSpec(funcSpec({ funcname: 'x', colonyname: t.colonyName, executortype: unique('nobody'), channels: ['chat'] }), userKey);
    cleanup.push(() => c.cancelProcess(p.processid, userKey).catch(() => undefined));
    const h = await open(p.processid, 'chat');
    const before = h.posted.length;
    for (const bad of [null, 42, 'ready', {}, { type: 'nope' }, { type: 'send', text: 'x' }, { type: 'send', requestId: 'a', text: 'x', kind: 'shout', inReplyTo: 0 }, { type: 'savePayload' }]) {
      await h.controller.handleMessage(bad);
    }
    const answers = h.posted.slice(before);
    assert.equal(answers.length, 1, 'nothing was sent back but the answer to the send that named a request');
    assert.ok(answers[0].type === 'sendResult' && answers[0].requestId === 'a' && !answers[0].ok && /kind must be data, end or error/.test(answers[0].error));
    assert.equal(h.logs.filter((l) => l.includes('ignored a message from the webview')).length, 8);
  });
});
