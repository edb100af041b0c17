import { strict as assert } from 'node:assert';
import { crypto } from '../../../src/colonies/crypto';
import { funcSpec, startTestColony } from './helpers';
import type { TestColony } from './helpers';

describe('local colony: authorization matrix', function () {
  let c: TestColony;
  before(async () => {
    c = await startTestColony();
  });
  after(async () => {
    await c.stop();
  });

  it('limits colony listing to the server owner', async () => {
    assert.equal((await c.rpc('getcoloniesmsg', {}, c.serverPrvKey)).status, 200);
    assert.deepEqual((await c.rpc('getcoloniesmsg', {}, c.userPrvKey)).inner, { status: 403, message: 'Access denied, not server owner' });
  });

  it('does not treat colony owner or server owner as members', async () => {
    for (const key of [c.colonyPrvKey, c.serverPrvKey]) {
      const r = await c.rpc('getcolonymsg', { colonyname: 'dev' }, key);
      assert.deepEqual(r.inner, { status: 403, message: 'Access denied, not a member of Colony with name <dev>' });
      const list = await c.rpc('getprocessesmsg', { colonyname: 'dev', count: 1, state: 0 }, key);
      assert.equal(list.status, 403);
    }
    const stats = await c.rpc('getcolonystatsmsg', { colonyname: 'dev' }, c.colonyPrvKey);
    assert.equal(stats.status, 200);
    assert.equal(stats.body, '');
    const hist = await c.rpc('getprocesshistmsg', { colonyname: 'dev', executorid: '', seconds: 60, state: 0 }, c.colonyPrvKey);
    assert.equal(hist.body, '');
  });

  it('requires the colony owner for executor and user management', async () => {
    const key = crypto.generatePrivateKey();
    const r = await c.rpc('addexecutormsg', { executor: { executorid: crypto.id(key), executortype: 't', executorname: 'x', colonyname: 'dev' } }, c.userPrvKey);
    assert.deepEqual(r.inner, { status: 403, message: 'Access denied, not colony owner' });
    const unknown = await c.rpc('approveexecutormsg', { colonyname: 'dev', executorname: 'ghost' }, c.colonyPrvKey);
    assert.deepEqual(unknown.inner, { status: 500, message: 'Failed to approve executor, executor is nil' });
  });

  it('treats pending executors as non-members for approved operations but lists them for any member', async () => {
    const pending = await c.addExecutor('pending-1', 'echo', false);
    const get = await c.rpc('getcolonymsg', { colonyname: 'dev' }, pending);
    assert.deepEqual(get.inner, { status: 403, message: 'Access denied, not a member of Colony with name <dev>' });
    const assign = await c.assign(pending, -1);
    assert.equal(assign.inner.message, 'Access denied, not a member of Colony with name <dev>');
    const list = await c.rpc('getexecutorsmsg', { colonyname: 'dev' }, pending);
    assert.equal(list.status, 200);
    const mine = list.inner.find((e: { executorname: string }) => e.executorname === 'pending-1');
    assert.equal(mine.state, 0);
    assert.equal(mine.capabilities.hardware, null);
    assert.equal(mine.allocations.projects, null);
  });

  it('lets a user pass membership for assign but fail as a non-executor (500)', async () => {
    const r = await c.assign(c.userPrvKey, 1);
    assert.deepEqual(r.inner, { status: 500, message: 'Failed to assign process, executor not found' });
  });

  it('unregisters removed executors (state 3, still readable) and allows re-registration', async () => {
    const key = await c.addExecutor('rm-1');
    assert.equal((await c.rpc('removeexecutormsg', { colonyname: 'dev', executorname: 'rm-1' }, c.colonyPrvKey)).status, 200);
    const got = await c.rpc('getexecutormsg', { colonyname: 'dev', executorname: 'rm-1' }, c.userPrvKey);
    assert.equal(got.inner.state, 3);
    assert.equal((await c.assign(key, -1)).status, 403);
    await c.addExecutor('rm-1');
    const again = await c.rpc('getexecutormsg', { colonyname: 'dev', executorname: 'rm-1' }, c.userPrvKey);
    assert.equal(again.inner.state, 1);
  });

  it('manages users with the server texts', async () => {
    await c.addUser('alice');
    const dup = await c.rpc('addusermsg', { user: { colonyname: 'dev', userid: crypto.id(crypto.generatePrivateKey()), name: 'alice' } }, c.colonyPrvKey);
    assert.deepEqual(dup.inner, { status: 400, message: 'A user with name <alice> already exists in Colony with name <dev>' });
    const users = await c.rpc('getusersmsg', { colonyname: 'dev' }, c.userPrvKey);
    assert.deepEqual(users.inner.map((u: { name: string }) => u.name).sort(), ['alice', 'myuser']);
    assert.equal((await c.rpc('removeusermsg', { colonyname: 'dev', name: 'alice' }, c.colonyPrvKey)).payload, 'e30=');
  });
});

describe('local colony: processes', function () {
  let c: TestColony;
  let exec: string;
  before(async () => {
    c = await startTestColony();
    exec = await c.addExecutor('p-exec');
  });
  after(async () => {
    await c.stop();
  });

  it('submits with the server-side fields filled in', async () => {
    const p = await c.submit(funcSpec({ env: { B: '2', A: '1' }, channels: ['chat'] }));
    assert.equal(p.state, 0);
    assert.equal(p.initiatorname, 'myuser');
    assert.equal(p.initiatorid, crypto.id(c.userPrvKey));
    assert.equal(typeof p.prioritytime, 'bigint');
    assert.equal(p.starttime, '0001-01-01T00:00:00Z');
    assert.match(p.submissiontime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
    assert.deepEqual(p.spec.env, { A: '1', B: '2' });
    assert.deepEqual(p.spec.channels, ['chat']);
    assert.equal(p.spec.conditions.cpu, '0m');
    assert.equal(p.spec.conditions.mem, '0Mi');
    assert.deepEqual(p.in, []);
    assert.equal(p.attributes.length, 2);
    const got = await c.rpc('getprocessmsg', { processid: p.processid }, c.userPrvKey);
    assert.equal(got.inner.processid, p.processid);
    const missing = await c.rpc('getprocessmsg', { processid: 'nope' }, c.userPrvKey);
    assert.deepEqual(missing.inner, { status: 404, message: 'Failed to get process, process not found' });
    const bad = await c.rpc('submitfuncspecmsg', { spec: funcSpec({ priority: 50001 }) }, c.userPrvKey);
    assert.deepEqual(bad.inner, { status: 400, message: 'Failed to submit function spec, priority outside range [-50000, 50000]' });
  });

  it('lists by state with count limits, one filter and the server orders', async () => {
    await c.rpc('removeallprocessesmsg', { colonyname: 'dev', state: -1 }, c.colonyPrvKey);
    const low = await c.submit(funcSpec({ label: 'L', priority: 0 }));
    const high = await c.submit(funcSpec({ label: 'L', priority: 5 }, { executortype: 'other' }));
    const list = await c.rpc('getprocessesmsg', { colonyname: 'dev', count: 10, state: 0 }, c.userPrvKey);
    assert.deepEqual(list.inner.map((p: { processid: string }) => p.processid), [high.processid, low.processid]);
    const byType = await c.rpc('getprocessesmsg', { colonyname: 'dev', count: 10, state: 0, executortype: 'echo', label: 'nomatch' }, c.userPrvKey);
    assert.deepEqual(byType.inner.map((p: { processid: string }) => p.processid), [low.processid]);
    const byLabel = await c.rpc('getprocessesmsg', { colonyname: 'dev', count: 10, state: 0, label: 'nomatch' }, c.userPrvKey);
    assert.equal(byLabel.inner, null);
    assert.equal((await c.rpc('getprocessesmsg', { colonyname: 'dev', count: 0, state: 0 }, c.userPrvKey)).inner, null);
    assert.deepEqual((await c.rpc('getprocessesmsg', { colonyname: 'dev', count: 101, state: 0 }, c.userPrvKey)).inner, {
      status: 400, message: 'Count is larger than MaxCount limit <100>',
    });
    assert.deepEqual((await c.rpc('getprocessesmsg', { colonyname: 'dev', count: 10, state: -1 }, c.userPrvKey)).inner, {
      status: 400, message: 'Failed to get processes, invalid msg.State',
    });
    assert.deepEqual((await c.rpc('getprocessesmsg', { colonyname: 'dev', count: 10, state: 0, initiator: 'nobody' }, c.userPrvKey)).inner, {
      status: 400, message: 'User <nobody> does not exist',
    });
    const byInitiator = await c.rpc('getprocessesmsg', { colonyname: 'dev', count: 1, state: 0, initiator: 'myuser' }, c.userPrvKey);
    assert.equal(byInitiator.inner.length, 1);
  });

  it('cancels, removes and removes all with the server rules', async () => {
    const p = await c.submit(funcSpec());
    assert.equal((await c.rpc('cancelprocessmsg', { processid: p.processid }, c.userPrvKey)).payload, 'e30=');
    assert.deepEqual((await c.rpc('cancelprocessmsg', { processid: p.processid }, c.userPrvKey)).inner, {
      status: 400, message: 'Tried to cancel already cancelled process',
    });
    assert.deepEqual((await c.rpc('cancelprocessmsg', { processid: 'x' }, c.userPrvKey)).inner, {
      status: 500, message: 'Failed to cancel process, process is nil',
    });
    const running = await c.submit(funcSpec());
    await c.rpc('removeallprocessesmsg', { colonyname: 'dev', state: 0 }, c.colonyPrvKey);
    assert.equal((await c.rpc('getprocessmsg', { processid: running.processid }, c.userPrvKey)).status, 404);
    const r2 = await c.submit(funcSpec());
    assert.equal((await c.assign(exec)).inner.processid, r2.processid);
    assert.deepEqual((await c.rpc('removeprocessmsg', { processid: r2.processid }, c.userPrvKey)).inner, {
      status: 400, message: 'Failed to remove process, cannot remove a running process',
    });
    assert.deepEqual((await c.rpc('removeallprocessesmsg', { colonyname: 'dev', state: 1 }, c.colonyPrvKey)).inner, {
      status: 400, message: 'Not possible to remove running processes',
    });
    assert.deepEqual((await c.rpc('removeallprocessesmsg', { colonyname: 'dev', state: 7 }, c.colonyPrvKey)).inner, {
      status: 400, message: 'Invalid state when deleting all processes',
    });
    assert.equal((await c.rpc('removeprocessmsg', { processid: p.processid }, c.userPrvKey)).status, 200);
    await c.rpc('cancelprocessmsg', { processid: r2.processid }, c.userPrvKey);
    assert.deepEqual((await c.rpc('closesuccessfulmsg', { processid: r2.processid, out: [] }, exec)).inner, {
      status: 400, message: 'Tried to set cancelled process as successful',
    });
  });

  it('closes, fails and sets output with the P14 quirks', async () => {
    const other = await c.addExecutor('p-other');
    const p = await c.submit(funcSpec());
    assert.equal((await c.assign(exec)).inner.processid, p.processid);
    assert.deepEqual((await c.rpc('setoutputmsg', { processid: p.processid, out: [1] }, other)).inner, {
      status: 403, message: 'Failed to close process as successful, not allowed to close process as successful',
    });
    assert.deepEqual((await c.rpc('closefailedmsg', { processid: p.processid, errors: ['x'] }, other)).inner, {
      status: 403, message: 'Failed to close process as failed, not allowed to close process as failed',
    });
    assert.equal((await c.rpc('setoutputmsg', { processid: p.processid, out: ['partial'] }, exec)).status, 200);
    assert.equal((await c.rpc('closesuccessfulmsg', { processid: p.processid, out: ['first'] }, exec)).status, 200);
    assert.equal((await c.rpc('closesuccessfulmsg', { processid: p.processid, out: ['second'] }, exec)).status, 200);
    const done = await c.rpc('getprocessmsg', { processid: p.processid }, c.userPrvKey);
    assert.equal(done.inner.state, 2);
    assert.deepEqual(done.inner.out, ['second']);
    assert.deepEqual((await c.rpc('setoutputmsg', { processid: p.processid, out: [1] }, exec)).inner, {
      status: 403, message: 'Failed to set output, process is not running',
    });
    assert.deepEqual((await c.rpc('closefailedmsg', { processid: p.processid, errors: [] }, exec)).inner, {
      status: 400, message: 'Tried to set successful process as failed',
    });
    const waiting = await c.submit(funcSpec({}, { executortype: 'nobody' }));
    assert.deepEqual((await c.rpc('closesuccessfulmsg', { processid: waiting.processid }, exec)).inner, {
      status: 403, message: 'Failed to close process as successful, process is not assigned',
    });
    const f = await c.submit(funcSpec());
    assert.equal((await c.assign(exec)).inner.processid, f.processid);
    assert.equal((await c.rpc('closefailedmsg', { processid: f.processid, errors: ['boom'] }, exec)).status, 200);
    const failed = await c.rpc('getprocessmsg', { processid: f.processid }, c.userPrvKey);
    assert.equal(failed.inner.state, 3);
    assert.deepEqual(failed.inner.errors, ['boom']);
  });

  it('reports colony statistics to members and server statistics to the owner', async () => {
    const stats = await c.rpc('getcolonystatsmsg', { colonyname: 'dev' }, c.userPrvKey);
    assert.equal(stats.status, 200);
    assert.equal(stats.inner.colonies, 1);
    assert.ok(stats.inner.successfulprocesses >= 1);
    const server = await c.rpc('getstatisticsmsg', {}, c.serverPrvKey);
    assert.equal(server.inner.colonies, 1);
    assert.equal((await c.rpc('getstatisticsmsg', {}, c.userPrvKey)).status, 403);
  });
});
