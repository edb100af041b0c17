import { strict as assert } from 'node:assert';
import { startLocalColony } from '../../../src/localcolony';
import { eventually, funcSpec, openWs, rawRequest, rpc, startTestColony } from './helpers';

describe('local colony: server lifecycle and instrumentation', function () {
  it('tracks current and peak in-flight /api requests, resettable', async () => {
    const c = await startTestColony();
    try {
      const exec = await c.addExecutor('if-exec');
      c.server.stats.reset();
      const polls = [c.assign(exec, 2), c.assign(exec, 2), c.assign(exec, 2)];
      await eventually(async () => c.server.stats.inFlight === 3);
      await Promise.all(polls);
      assert.equal(c.server.stats.inFlight, 0);
      assert.equal(c.server.stats.inFlightPeak, 3);
      c.server.stats.reset();
      assert.equal(c.server.stats.inFlightPeak, 0);
    } finally {
      await c.stop();
    }
  });

  it('drops every WebSocket abruptly on dropAllSockets()', async () => {
    const c = await startTestColony();
    try {
      const p = await c.submit(funcSpec());
      const ws = await openWs(c.port);
      ws.send('subscribeprocessmsg', { processid: p.processid, state: 2, timeout: 30 }, c.userPrvKey);
      await eventually(async () => true);
      c.server.dropAllSockets();
      assert.equal(await ws.closed, 1006);
      assert.equal((await rawRequest(c.port, 'GET', '/health')).status, 200);
    } finally {
      await c.stop();
    }
  });

  it('closes long-polls and sockets on stop, and starts fresh on the same port', async () => {
    const c = await startTestColony();
    const exec = await c.addExecutor('stop-exec');
    const poll = c.assign(exec, 30).then(() => 'answered', () => 'socket closed');
    await eventually(async () => c.server.stats.inFlight === 1);
    await c.stop();
    assert.equal(await poll, 'socket closed');
    await assert.rejects(rawRequest(c.port, 'GET', '/health'));

    const fresh = await startLocalColony({ port: c.port });
    try {
      const list = await rpc(fresh.port, 'getexecutorsmsg', { colonyname: 'dev' }, fresh.userPrvKey);
      assert.equal(list.inner, null);
    } finally {
      await fresh.stop();
    }
  });

  it('keeps processes but loses channels across restart() on the same port', async () => {
    const c = await startTestColony();
    try {
      const exec = await c.addExecutor('rs-exec');
      const p = await c.submit(funcSpec({ channels: ['chat'] }));
      await c.assign(exec);
      await c.rpc('channelappendmsg', { processid: p.processid, name: 'chat', sequence: 1, payload: 'aGk=' }, c.userPrvKey);
      const port = c.port;
      await c.server.restart();
      assert.equal(c.server.port, port);
      const got = await c.rpc('getprocessmsg', { processid: p.processid }, c.userPrvKey);
      assert.equal(got.inner.state, 1);
      // Lazily re-created, empty: a real server keeps channels in memory only.
      assert.deepEqual((await c.rpc('channelreadmsg', { processid: p.processid, name: 'chat', afterseq: 0, limit: 0 }, c.userPrvKey)).inner, []);
    } finally {
      await c.stop();
    }
  });
});
