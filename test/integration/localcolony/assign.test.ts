import { strict as assert } from 'node:assert';
import { eventually, funcSpec, openWs, startTestColony } from './helpers';
import type { TestColony } from './helpers';

describe('local colony: assignment', function () {
  let c: TestColony;
  let exec: string;
  before(async () => {
    c = await startTestColony();
    exec = await c.addExecutor('a-exec');
  });
  after(async () => {
    await c.stop();
  });
  afterEach(async () => {
    await c.rpc('removeallprocessesmsg', { colonyname: 'dev', state: -1 }, c.colonyPrvKey);
  });

  it('rejects timeout 0, answers 404 at once for a negative timeout and after the timeout otherwise', async () => {
    assert.deepEqual((await c.assign(exec, 0)).inner, { status: 400, message: 'Invalid timeout value, timeout cannot be zero' });
    assert.deepEqual((await c.assign(exec, -1)).inner, { status: 404, message: 'No process available for assignment' });
    assert.deepEqual((await c.assign(exec, 1)).inner, { status: 404, message: 'No process available for assignment' });
  });

  it('wakes a long-polling assign when a matching process is submitted', async () => {
    const pending = c.assign(exec, 20);
    await eventually(async () => c.server.stats.inFlight >= 1);
    const p = await c.submit(funcSpec());
    const r = await pending;
    assert.equal(r.status, 200);
    assert.equal(r.inner.processid, p.processid);
    assert.equal(r.inner.state, 1);
    assert.equal(r.inner.isassigned, true);
  });

  it('wakes only one waiter per submit', async () => {
    const e2 = await c.addExecutor('a-exec-2');
    const first = c.assign(exec, 3);
    const second = c.assign(e2, 3);
    await eventually(async () => c.server.stats.inFlight >= 2);
    await c.submit(funcSpec());
    const results = await Promise.all([first, second]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 404]);
  });

  it('assigns by prioritytime, executor type and executornames; the reply shows no exec deadline yet', async () => {
    const named = await c.submit(funcSpec({ priority: 10 }, { executornames: ['someone-else'] }));
    const otherType = await c.submit(funcSpec({ priority: 9 }, { executortype: 'other' }));
    const low = await c.submit(funcSpec({ priority: 0, maxexectime: 100 }));
    const high = await c.submit(funcSpec({ priority: 3, maxexectime: 100 }));
    const a1 = await c.assign(exec);
    assert.equal(a1.inner.processid, high.processid);
    assert.equal(a1.inner.execdeadline, '0001-01-01T00:00:00Z');
    const got = await c.rpc('getprocessmsg', { processid: high.processid }, c.userPrvKey);
    assert.notEqual(got.inner.execdeadline, '0001-01-01T00:00:00Z');
    assert.equal((await c.assign(exec)).inner.processid, low.processid);
    assert.equal((await c.assign(exec)).status, 404);
    void named;
    void otherType;
  });

  it('wakes one general listener per submit: a subscribeprocessesmsg socket competes with assign (P4)', async () => {
    const e3 = await c.addExecutor('p4-exec', 'p4type');
    const ws = await openWs(c.port);
    try {
      const before = c.server.events.listenerCount;
      ws.send('subscribeprocessesmsg', { colonyname: 'dev', executortype: 'p4type', state: 0, timeout: 30 }, e3);
      // No frame confirms a subscription: wait until the server holds it, before the assign waits too.
      await eventually(async () => c.server.events.listenerCount > before);
      const waiting = c.assign(e3, 2);
      await eventually(async () => c.server.stats.inFlight >= 1);
      const p = await c.submit(funcSpec({}, { executortype: 'p4type' }));
      const result = await waiting;
      if (result.status === 200) {
        assert.equal(result.inner.processid, p.processid);
        assert.equal(ws.frames.length, 0);
      } else {
        // The socket took the wake-up: the assign timed out although work was waiting.
        assert.equal(result.status, 404);
        const frames = await ws.waitFrames(1);
        assert.equal(frames[0].payloadtype, 'subscribeprocessmsg');
        assert.equal(frames[0].inner.processid, p.processid);
        assert.equal((await c.rpc('getprocessmsg', { processid: p.processid }, c.userPrvKey)).inner.state, 0);
      }
    } finally {
      ws.close();
    }
  });

  it('pauses and resumes assignments', async () => {
    assert.equal((await c.rpc('pauseassignmentsmsg', { colonyname: 'dev' }, c.colonyPrvKey)).status, 200);
    const status = await c.rpc('getpausestatusmsg', { colonyname: 'dev' }, c.userPrvKey);
    assert.equal(status.payloadtype, 'pausestatusreplymsg');
    assert.equal(status.inner.ispaused, true);
    assert.deepEqual((await c.assign(exec, -1)).inner, { status: 503, message: 'No processes available: colony assignments are paused' });
    await c.submit(funcSpec());
    const waiting = c.assign(exec, 20);
    await eventually(async () => c.server.stats.inFlight >= 1);
    await c.rpc('resumeassignmentsmsg', { colonyname: 'dev' }, c.colonyPrvKey);
    assert.equal((await waiting).status, 200);
  });
});
