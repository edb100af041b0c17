import { strict as assert } from 'node:assert';
import { crypto } from '../../../src/colonies/crypto';
import { eventually, funcSpec, openWs, sleep, startTestColony } from './helpers';
import type { TestColony } from './helpers';

describe('local colony: WebSocket subscriptions', function () {
  let c: TestColony;
  let exec: string;
  before(async () => {
    c = await startTestColony();
    exec = await c.addExecutor('ws-exec');
  });
  after(async () => {
    await c.stop();
  });
  afterEach(async () => {
    await c.rpc('removeallprocessesmsg', { colonyname: 'dev', state: 0 }, c.colonyPrvKey);
  });

  it('process: immediate frame when already in state, a frame per signal, abrupt close (1006) at timeout', async () => {
    const p = await c.submit(funcSpec());
    const ws = await openWs(c.port);
    // Any key may subscribe, even one that belongs to no colony (docs/protocol.md P5).
    const stranger = crypto.generatePrivateKey();
    ws.send('subscribeprocessmsg', { colonyname: 'ignored', processid: p.processid, executortype: '', state: 2, timeout: 3 }, stranger);
    const ws0 = await openWs(c.port);
    ws0.send('subscribeprocessmsg', { processid: p.processid, executortype: '', state: 0, timeout: 1 }, stranger);
    const [immediate] = await ws0.waitFrames(1);
    assert.equal(immediate.payloadtype, 'subscribeprocessmsg');
    assert.equal(immediate.inner.state, 0);
    assert.equal(await ws0.closed, 1006);

    await c.assign(exec);
    await c.rpc('closesuccessfulmsg', { processid: p.processid, out: ['a'] }, exec);
    await c.rpc('closesuccessfulmsg', { processid: p.processid, out: ['b'] }, exec);
    const frames = await ws.waitFrames(2);
    // As a real server does, each SUCCESS event carries the process as read before that close stored its output.
    assert.deepEqual(frames.map((f) => f.inner.out), [[], ['a']]);
    assert.equal(await ws.closed, 1006);
  });

  it('process: error frames keep the socket open; a different executortype never fires', async () => {
    const ws = await openWs(c.port);
    try {
      ws.send('subscribeprocessmsg', { processid: 'nope', state: 0, timeout: 5 }, c.userPrvKey);
      const [err] = await ws.waitFrames(1);
      assert.equal(err.payloadtype, 'error');
      assert.deepEqual(err.inner, { status: 403, message: 'Invalid process with Id nope' });
      const p = await c.submit(funcSpec());
      ws.send('subscribeprocessmsg', { processid: p.processid, executortype: 'other', state: 1, timeout: 5 }, c.userPrvKey);
      await c.assign(exec);
      await sleep(300);
      assert.equal(ws.frames.length, 1);
      assert.equal(ws.closeCode, undefined);
    } finally {
      ws.close();
    }
  });

  it('channel: history frame, then one frame per append, [] at timeout with the socket kept open', async () => {
    const p = await c.submit(funcSpec({ channels: ['chat'] }));
    await c.assign(exec);
    for (const seq of [1, 2]) {
      await c.rpc('channelappendmsg', { processid: p.processid, name: 'chat', sequence: seq, payload: 'aGk=' }, c.userPrvKey);
    }
    const ws = await openWs(c.port);
    try {
      ws.send('subscribechannelmsg', { processid: p.processid, name: 'chat', afterseq: 1, timeout: 2 }, exec);
      const [history] = await ws.waitFrames(1);
      assert.equal(history.payloadtype, 'subscribechannelmsg');
      assert.deepEqual(history.inner.map((e: { sequence: number }) => e.sequence), [2]);
      await c.rpc('channelappendmsg', { processid: p.processid, name: 'chat', sequence: 1, payload: 'eW8=' }, exec);
      await c.rpc('channelappendmsg', { processid: p.processid, name: 'chat', sequence: 3, payload: 'eA==' }, c.userPrvKey);
      const frames = await ws.waitFrames(4);
      assert.equal(frames[1].inner.length, 1);
      assert.equal(frames[1].inner[0].senderid, crypto.id(exec));
      assert.equal(frames[2].inner[0].sequence, 3);
      assert.deepEqual(frames[3].inner, []);
      assert.equal(ws.closeCode, undefined);
      // The same socket carries a new subscription; timeout 0 means the 30 s default (so we close it ourselves).
      ws.send('subscribechannelmsg', { processid: p.processid, name: 'chat', afterseq: 0, timeout: 0 }, c.userPrvKey);
      const again = await ws.waitFrames(5);
      assert.equal(again[4].inner.length, 4);
    } finally {
      ws.close();
    }
  });

  it('channel: ends silently when the process closes; errors arrive as frames', async () => {
    const p = await c.submit(funcSpec({ channels: ['chat'] }));
    await c.assign(exec);
    const ws = await openWs(c.port);
    try {
      const before = c.server.channels.subscriberCount;
      ws.send('subscribechannelmsg', { processid: p.processid, name: 'chat', afterseq: 0, timeout: 30 }, c.userPrvKey);
      await eventually(async () => c.server.channels.subscriberCount > before);
      await c.rpc('closesuccessfulmsg', { processid: p.processid, out: [] }, exec);
      // Silent end: the read loop resumes, so the next request on this socket is answered.
      ws.send('subscribechannelmsg', { processid: p.processid, name: 'chat', afterseq: 0, timeout: 1 }, c.userPrvKey);
      const [notFound] = await ws.waitFrames(1);
      assert.deepEqual(notFound.inner, { status: 404, message: 'Channel not found' });
      ws.send('subscribechannelmsg', { processid: 'nope', name: 'chat', afterseq: 0, timeout: 1 }, c.userPrvKey);
      const frames = await ws.waitFrames(2);
      assert.deepEqual(frames[1].inner, { status: 404, message: 'Process not found' });
      const q = await c.submit(funcSpec({ channels: ['chat'] }));
      const bob = await c.addUser(`bob-${Date.now()}`);
      ws.send('subscribechannelmsg', { processid: q.processid, name: 'chat', afterseq: 0, timeout: 1 }, bob);
      const more = await ws.waitFrames(3);
      assert.deepEqual(more[2].inner, { status: 403, message: 'Not authorized to subscribe to channel' });
      assert.equal(ws.closeCode, undefined);
    } finally {
      ws.close();
    }
  });

  it('drops the connection without a frame on a bad envelope or signature; ignores other payloadtypes', async () => {
    const ignored = await openWs(c.port);
    ignored.send('getcoloniesmsg', {}, c.serverPrvKey);
    await sleep(200);
    assert.equal(ignored.frames.length, 0);
    assert.equal(ignored.closeCode, undefined);
    ignored.close();

    const bad = await openWs(c.port);
    bad.ws.send('{not json');
    assert.equal(await bad.closed, 1006);
    assert.equal(bad.frames.length, 0);

    const unsigned = await openWs(c.port);
    unsigned.ws.send(JSON.stringify({ payloadtype: 'subscribeprocessmsg', payload: 'e30=', signature: '' }));
    assert.equal(await unsigned.closed, 1006);
  });

  it('processes: executors only; frames carry payloadtype subscribeprocessmsg', async () => {
    const ws = await openWs(c.port);
    try {
      ws.send('subscribeprocessesmsg', { colonyname: 'dev', executortype: 'subtype', state: 0, timeout: 5 }, c.userPrvKey);
      const [denied] = await ws.waitFrames(1);
      assert.deepEqual(denied.inner, { status: 403, message: 'executor not found' });
      const e = await c.addExecutor('sub-exec', 'subtype');
      const before = c.server.events.listenerCount;
      ws.send('subscribeprocessesmsg', { colonyname: 'any-colony', executortype: 'subtype', state: 0, timeout: 5 }, e);
      await eventually(async () => c.server.events.listenerCount > before);
      const p = await c.submit(funcSpec({}, { executortype: 'subtype' }));
      const frames = await ws.waitFrames(2);
      assert.equal(frames[1].payloadtype, 'subscribeprocessmsg');
      assert.equal(frames[1].inner.processid, p.processid);
    } finally {
      ws.close();
    }
  });
});
