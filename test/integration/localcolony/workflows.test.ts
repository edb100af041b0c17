import { strict as assert } from 'node:assert';
import { eventually, funcSpec, startTestColony } from './helpers';
import type { TestColony } from './helpers';

describe('local colony: workflows, timers and logs', function () {
  let c: TestColony;
  let exec: string;
  before(async () => {
    c = await startTestColony();
    exec = await c.addExecutor('wf-exec');
  });
  after(async () => {
    await c.stop();
  });

  const node = (name: string, deps: string[] = []) => funcSpec({ nodename: name, funcname: name }, { dependencies: deps });

  it('runs children only after all parents succeed, with in = concatenated parent outputs', async () => {
    const r = await c.rpc('submitworkflowspecmsg', { spec: { colonyname: 'dev', functionspecs: [node('a'), node('b'), node('c', ['a', 'b'])] } }, c.userPrvKey);
    assert.equal(r.status, 200);
    const graph = r.inner;
    assert.equal(graph.submissiontime, '0001-01-01T00:00:00Z');
    assert.deepEqual(graph.nodes, []);
    assert.equal(graph.rootprocessids.length, 2);
    assert.equal(graph.processids.length, 3);

    const first = await c.assign(exec);
    const second = await c.assign(exec);
    assert.deepEqual([first.inner.spec.nodename, second.inner.spec.nodename].sort(), ['a', 'b']);
    assert.equal((await c.assign(exec)).status, 404, 'the child waits for its parents');
    const byName = new Map([[first.inner.spec.nodename, first.inner.processid], [second.inner.spec.nodename, second.inner.processid]]);
    await c.rpc('closesuccessfulmsg', { processid: byName.get('a'), out: ['from-a'] }, exec);
    assert.equal((await c.assign(exec)).status, 404);
    await c.rpc('closesuccessfulmsg', { processid: byName.get('b'), out: ['from-b'] }, exec);
    const child = await c.assign(exec);
    assert.equal(child.inner.spec.nodename, 'c');
    assert.deepEqual(child.inner.in, ['from-a', 'from-b']);

    const full = await c.rpc('getprocessgraphmsg', { processgraphid: graph.processgraphid }, c.userPrvKey);
    assert.equal(full.inner.state, 1);
    assert.equal(full.inner.nodes.length, 3);
    assert.equal(full.inner.edges.length, 2);
    const childNode = full.inner.nodes.find((n: { data: { label: string } }) => n.data.label === 'c');
    assert.equal(childNode.type, 'output');
    assert.equal(childNode.position.y, 80);
    assert.deepEqual((await c.rpc('removeprocessgraphmsg', { processgraphid: graph.processgraphid }, c.userPrvKey)).inner, {
      status: 400, message: 'Failed to remove processgraph, cannot remove a running processgraph',
    });
    await c.rpc('closesuccessfulmsg', { processid: child.inner.processid, out: [] }, exec);
    const done = await c.rpc('getprocessgraphsmsg', { colonyname: 'dev', count: 10, state: 2 }, c.userPrvKey);
    assert.equal(done.inner[0].processgraphid, graph.processgraphid);
    assert.deepEqual(done.inner[0].nodes, []);
    assert.equal((await c.rpc('removeprocessgraphmsg', { processgraphid: graph.processgraphid }, c.userPrvKey)).payload, 'e30=');
    assert.equal((await c.rpc('getprocessmsg', { processid: child.inner.processid }, c.userPrvKey)).status, 404);
  });

  it('rejects unknown dependencies (500) and protects workflow members; cancels whole graphs', async () => {
    const bad = await c.rpc('submitworkflowspecmsg', { spec: { colonyname: 'dev', functionspecs: [node('a', ['ghost'])] } }, c.userPrvKey);
    assert.deepEqual(bad.inner, { status: 500, message: 'Failed to submit workflow, invalid dependencies, are you depending on a nodename that does not exits?' });
    const r = await c.rpc('submitworkflowspecmsg', { spec: { colonyname: 'dev', functionspecs: [node('x'), node('y', ['x'])] } }, c.userPrvKey);
    const rootId = r.inner.rootprocessids[0];
    assert.deepEqual((await c.rpc('cancelprocessmsg', { processid: rootId }, c.userPrvKey)).inner, {
      status: 400, message: 'Failed to cancel, cannot cancel a process part of a workflow, cancel the entire workflow instead',
    });
    assert.equal((await c.rpc('cancelprocessgraphmsg', { processgraphid: r.inner.processgraphid }, c.userPrvKey)).status, 200);
    const g = await c.rpc('getprocessgraphmsg', { processgraphid: r.inner.processgraphid }, c.userPrvKey);
    assert.equal(g.inner.state, 4);
    assert.equal((await c.rpc('getprocessmsg', { processid: rootId }, c.userPrvKey)).inner.state, 4);
  });

  it('fails a process whose maxexectime is 0 shortly after assignment', async () => {
    const p = await c.submit(funcSpec({ maxexectime: 0, maxretries: 0 }));
    assert.equal((await c.assign(exec)).inner.processid, p.processid);
    const failed = await eventually(async () => {
      const r = await c.rpc('getprocessmsg', { processid: p.processid }, c.userPrvKey);
      return r.inner.state === 3 ? r.inner : undefined;
    });
    assert.deepEqual(failed.errors, ['Maximum execution time limit exceeded']);
  });

  it('unassigns for a retry when retries are left, and fails waiting processes past maxwaittime', async () => {
    const p = await c.submit(funcSpec({ maxexectime: 0, maxretries: 1 }));
    assert.equal((await c.assign(exec)).inner.processid, p.processid);
    const back = await eventually(async () => {
      const r = await c.rpc('getprocessmsg', { processid: p.processid }, c.userPrvKey);
      return r.inner.state === 0 ? r.inner : undefined;
    });
    assert.equal(back.retries, 1);
    assert.equal(back.assignedexecutorid, '');
    await c.rpc('removeallprocessesmsg', { colonyname: 'dev', state: 0 }, c.colonyPrvKey);
    const w = await c.submit(funcSpec({ maxwaittime: 1 }, { executortype: 'nobody' }));
    const failed = await eventually(async () => {
      const r = await c.rpc('getprocessmsg', { processid: w.processid }, c.userPrvKey);
      return r.inner.state === 3 ? r.inner : undefined;
    });
    assert.deepEqual(failed.errors, ['Maximum waiting time limit exceeded']);
  });

  it('keeps logs with exact int64 timestamps, count limits, since and latest', async () => {
    await c.rpc('removeallprocessesmsg', { colonyname: 'dev', state: -1 }, c.colonyPrvKey);
    const p = await c.submit(funcSpec());
    assert.deepEqual((await c.rpc('addlogmsg', { processid: p.processid, message: 'early' }, exec)).inner, {
      status: 403, message: 'Failed to set output, process is not running',
    });
    await c.assign(exec);
    for (const m of ['one', 'two', 'three']) {
      assert.equal((await c.rpc('addlogmsg', { processid: p.processid, message: m }, exec)).payload, 'e30=');
    }
    const get = (extra: Record<string, unknown>) => c.rpc('getlogsmsg', { colonyname: 'dev', processid: p.processid, executorname: '', count: 10, since: 0, latest: false, ...extra }, c.userPrvKey);
    const all = (await get({})).inner;
    assert.deepEqual(all.map((l: { message: string }) => l.message), ['one', 'two', 'three']);
    assert.equal(typeof all[0].timestamp, 'bigint');
    assert.equal(all[0].executorname, 'wf-exec');
    const after = (await get({ since: all[0].timestamp })).inner;
    assert.deepEqual(after.map((l: { message: string }) => l.message), ['two', 'three']);
    assert.deepEqual((await get({ count: 2, latest: true })).inner.map((l: { message: string }) => l.message), ['two', 'three']);
    assert.equal((await get({ count: 0 })).inner, null);
    assert.deepEqual((await get({ count: 501 })).inner, { status: 403, message: 'Count exceeds max log count (500)' });
    const byExecutor = await c.rpc('getlogsmsg', { colonyname: 'dev', processid: '', executorname: 'wf-exec', count: 10 }, c.userPrvKey);
    assert.equal(byExecutor.inner.length, 3);
  });
});
