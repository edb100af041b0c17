import { strict as assert } from 'node:assert';
import {
  ColoniesError,
  ColoniesTransportError,
  ExecutorState,
  ProcessState,
  crypto,
  entryText,
  funcSpec,
  isZeroTime,
  type ColoniesClient,
} from '../../src/colonies/index';
import { addUser, registerExecutor } from './helpers';
import { needKey, unique, useTarget, type Target } from './target';

const isError = (status: number, message?: string | RegExp) => (e: unknown) =>
  e instanceof ColoniesError &&
  e.status === status &&
  (message === undefined || (typeof message === 'string' ? e.message === message : message.test(e.message)));

describe('integration: ColoniesClient methods', function () {
  const target = useTarget();
  let t: Target;
  let c: ColoniesClient;

  before(() => {
    t = target();
    c = t.client();
  });

  it('version and serverInfo answer without a key', async () => {
    const v = await c.version();
    assert.equal(typeof v.buildversion, 'string');
    const info = await c.serverInfo();
    assert.ok(Array.isArray(info.backends) || info.backends === null);
  });

  it('server owner: getColonies, getStatistics, addColony, removeColony', async function () {
    const serverKey = needKey(this, t, 'serverPrvKey', 'server-owner calls');
    const colonies = await c.getColonies(serverKey);
    assert.ok(colonies.some((col) => col.name === t.colonyName));
    const stats = await c.getStatistics(serverKey);
    assert.equal(typeof stats.colonies, 'number');
    const ownerKey = crypto.generatePrivateKey();
    const name = unique('it-colony');
    const added = await c.addColony({ colonyid: crypto.id(ownerKey), name }, serverKey);
    assert.equal(added.name, name);
    await assert.rejects(c.addColony({ colonyid: crypto.id(ownerKey), name }, serverKey), isError(400, `A Colony with name <${name}> already exists`));
    await c.removeColony(name, serverKey);
    assert.ok(!(await c.getColonies(serverKey)).some((col) => col.name === name));
  });

  it('non-owners get the server texts verbatim', async function () {
    const userKey = needKey(this, t, 'userPrvKey', 'member calls');
    await assert.rejects(c.getColonies(userKey), isError(403, 'Access denied, not server owner'));
    const stranger = crypto.generatePrivateKey();
    await assert.rejects(c.getColony(t.colonyName, stranger), isError(403, `Access denied, not a member of Colony with name <${t.colonyName}>`));
    await assert.rejects(c.getColonyStatistics(t.colonyName, stranger), isError(403, /not an approved member/));
  });

  it('member: getColony, getColonyStatistics, getUsers', async function () {
    const userKey = needKey(this, t, 'userPrvKey', 'member calls');
    assert.equal((await c.getColony(t.colonyName, userKey)).name, t.colonyName);
    const stats = await c.getColonyStatistics(t.colonyName, userKey);
    assert.equal(typeof stats.waitingprocesses, 'number');
    const users = await c.getUsers(t.colonyName, userKey);
    assert.ok(users.some((u) => u.userid === crypto.id(userKey)));
  });

  it('colony owner: addUser; executors: add, approve, get, reject, remove', async function () {
    const colonyKey = needKey(this, t, 'colonyPrvKey', 'registering executors and users');
    const userKey = needKey(this, t, 'userPrvKey', 'listing members');
    const user = await addUser(c, t, colonyKey);
    assert.ok((await c.getUsers(t.colonyName, userKey)).some((u) => u.name === user.name));

    const exKey = crypto.generatePrivateKey();
    const name = unique('it-exec');
    const added = await c.addExecutor(
      { executorid: crypto.id(exKey), executortype: unique('it-type'), executorname: name, colonyname: t.colonyName },
      colonyKey,
    );
    assert.equal(added.state, ExecutorState.PENDING);
    await c.approveExecutor(t.colonyName, name, colonyKey);
    const got = await c.getExecutor(t.colonyName, name, userKey);
    assert.equal(got.state, ExecutorState.APPROVED);
    assert.ok((await c.getExecutors(t.colonyName, userKey)).some((e) => e.executorname === name));
    await c.rejectExecutor(t.colonyName, name, colonyKey);
    assert.equal((await c.getExecutor(t.colonyName, name, userKey)).state, ExecutorState.REJECTED);
    await c.removeExecutor(t.colonyName, name, colonyKey);
    assert.equal((await c.getExecutor(t.colonyName, name, userKey)).state, ExecutorState.UNREGISTERED);
    await assert.rejects(c.approveExecutor(t.colonyName, name, userKey), isError(403, 'Access denied, not colony owner'));
  });

  it('processes: submit, get, list with filters, cancel, remove (bigint prioritytime, zero times unset)', async function () {
    const userKey = needKey(this, t, 'userPrvKey', 'submitting processes');
    const type = unique('it-none');
    const label = unique('it-label');
    const p = await c.submitFuncSpec(funcSpec({ funcname: 'noop', colonyname: t.colonyName, executortype: type, label, args: ['a', 1] }), userKey);
    assert.equal(p.state, ProcessState.WAITING);
    assert.equal(typeof p.prioritytime, 'bigint');
    assert.ok(p.prioritytime > BigInt(Number.MAX_SAFE_INTEGER));
    assert.ok(isZeroTime(p.starttime));
    assert.equal(p.spec.maxexectime, -1);
    assert.equal(p.initiatorid, crypto.id(userKey));
    const again = await c.getProcess(p.processid, userKey);
    assert.equal(again.prioritytime, p.prioritytime, 'int64 survives exactly');
    const byType = await c.getProcesses(t.colonyName, 10, ProcessState.WAITING, userKey, { executortype: type });
    assert.deepEqual(byType.map((x) => x.processid), [p.processid]);
    const byLabel = await c.getProcesses(t.colonyName, 100, ProcessState.WAITING, userKey, { label });
    assert.ok(byLabel.some((x) => x.processid === p.processid));
    assert.deepEqual(await c.getProcesses(t.colonyName, 10, ProcessState.RUNNING, userKey, { executortype: type }), []);
    await assert.rejects(c.getProcesses(t.colonyName, 101, ProcessState.WAITING, userKey), isError(400, 'Count is larger than MaxCount limit <100>'));
    await c.cancelProcess(p.processid, userKey);
    assert.equal((await c.getProcess(p.processid, userKey)).state, ProcessState.CANCELLED);
    await assert.rejects(c.cancelProcess(p.processid, userKey), isError(400, 'Tried to cancel already cancelled process'));
    await c.removeProcess(p.processid, userKey);
    await assert.rejects(c.getProcess(p.processid, userKey), isError(404, 'Failed to get process, process not found'));
  });

  it('executor side: assign (long-poll, 404, timeout 0), setOutput, addLog, getLogs (bigint since), close, fail', async function () {
    const colonyKey = needKey(this, t, 'colonyPrvKey', 'registering an executor');
    const userKey = needKey(this, t, 'userPrvKey', 'submitting processes');
    const type = unique('it-worker');
    const ex = await registerExecutor(c, t, colonyKey, type);
    await assert.rejects(c.assign(t.colonyName, 1, ex.prvkey), isError(404, 'No process available for assignment'));
    await assert.rejects(c.assign(t.colonyName, 0, ex.prvkey), isError(400, 'Invalid timeout value, timeout cannot be zero'));

    const waiting = c.assign(t.colonyName, 10, ex.prvkey);
    await new Promise((r) => setTimeout(r, 300));
    const submitted = await c.submitFuncSpec(funcSpec({ funcname: 'work', colonyname: t.colonyName, executortype: type }), userKey);
    const assigned = await waiting;
    assert.equal(assigned.processid, submitted.processid);
    assert.equal(assigned.state, ProcessState.RUNNING);
    assert.equal(assigned.assignedexecutorid, ex.id);

    await c.setOutput(assigned.processid, ['partial'], ex.prvkey);
    await c.addLog(assigned.processid, 'line 1', ex.prvkey);
    await c.addLog(assigned.processid, 'line 2', ex.prvkey);
    await assert.rejects(c.addLog(assigned.processid, 'intruder', userKey), isError(403));
    const logs = await c.getLogs(t.colonyName, assigned.processid, 100, userKey);
    assert.deepEqual(logs.map((l) => l.message), ['line 1', 'line 2']);
    assert.equal(typeof logs[0].timestamp, 'bigint');
    const since = await c.getLogs(t.colonyName, assigned.processid, 100, userKey, { since: logs[0].timestamp });
    assert.deepEqual(since.map((l) => l.message), ['line 2'], 'the exact int64 `since` does not re-deliver line 1');
    assert.deepEqual(await c.getLogs(t.colonyName, assigned.processid, 0, userKey), []);

    await c.close(assigned.processid, ['done'], ex.prvkey);
    const closed = await c.getProcess(assigned.processid, userKey);
    assert.equal(closed.state, ProcessState.SUCCESS);
    assert.deepEqual(closed.out, ['done']);

    const second = await c.submitFuncSpec(funcSpec({ funcname: 'work', colonyname: t.colonyName, executortype: type }), userKey);
    const a2 = await c.assign(t.colonyName, 5, ex.prvkey);
    assert.equal(a2.processid, second.processid);
    await c.fail(a2.processid, ['broken'], ex.prvkey);
    const failed = await c.getProcess(a2.processid, userKey);
    assert.equal(failed.state, ProcessState.FAILED);
    assert.deepEqual(failed.errors, ['broken']);
  });

  it('subscribeProcess resolves on the requested state and times out clearly', async function () {
    const colonyKey = needKey(this, t, 'colonyPrvKey', 'registering an executor');
    const userKey = needKey(this, t, 'userPrvKey', 'submitting processes');
    const type = unique('it-sub');
    const ex = await registerExecutor(c, t, colonyKey, type);
    const p = await c.submitFuncSpec(funcSpec({ funcname: 'x', colonyname: t.colonyName, executortype: type }), userKey);
    const immediate = await c.subscribeProcess(p.processid, ProcessState.WAITING, 5, userKey);
    assert.equal(immediate.processid, p.processid);
    const running = c.subscribeProcess(p.processid, ProcessState.RUNNING, 10, userKey);
    await new Promise((r) => setTimeout(r, 200));
    await c.assign(t.colonyName, 5, ex.prvkey);
    assert.equal((await running).state, ProcessState.RUNNING);
    await assert.rejects(
      c.subscribeProcess(p.processid, ProcessState.SUCCESS, 1, userKey),
      (e: unknown) => e instanceof ColoniesTransportError && e.code === 'timeout' && /did not reach state Successful within 1 s/.test(e.message),
    );
    await c.close(p.processid, [], ex.prvkey);
  });

  it('workflows: submit, get graph, list, cancel, remove', async function () {
    const userKey = needKey(this, t, 'userPrvKey', 'submitting workflows');
    const type = unique('it-wf');
    const spec = {
      colonyname: t.colonyName,
      functionspecs: [
        funcSpec({ nodename: 'first', funcname: 'a', colonyname: t.colonyName, executortype: type }),
        funcSpec({ nodename: 'second', funcname: 'b', colonyname: t.colonyName, executortype: type, dependencies: ['first'] }),
      ],
    };
    const graph = await c.submitWorkflowSpec(spec, userKey);
    assert.equal(graph.processids?.length, 2);
    assert.ok(isZeroTime(graph.endtime));
    const full = await c.getProcessGraph(graph.processgraphid, userKey);
    assert.equal(full.nodes?.length, 2);
    const listed = await c.getProcessGraphs(t.colonyName, 100, userKey, ProcessState.WAITING);
    assert.ok(listed.some((g) => g.processgraphid === graph.processgraphid));
    await c.cancelProcessGraph(graph.processgraphid, userKey);
    assert.equal((await c.getProcessGraph(graph.processgraphid, userKey)).state, ProcessState.CANCELLED);
    await c.removeProcessGraph(graph.processgraphid, userKey);
    await assert.rejects(c.getProcessGraph(graph.processgraphid, userKey), ColoniesError);
  });

  it('channels: append, read by index, subscribe; payload types and inreplyto round-trip', async function () {
    const userKey = needKey(this, t, 'userPrvKey', 'channel calls');
    const p = await c.submitFuncSpec(funcSpec({ funcname: 'c', colonyname: t.colonyName, executortype: unique('it-ch'), channels: ['chat'] }), userKey);
    await c.channelAppend(p.processid, 'chat', 1, 'one', userKey);
    await c.channelAppend(p.processid, 'chat', 2, new Uint8Array([0, 255, 10]), userKey, { inReplyTo: 1 });
    await c.channelAppend(p.processid, 'chat', 3, 'bye', userKey, { payloadType: 'end' });
    const all = await c.channelRead(p.processid, 'chat', 0, 0, userKey);
    assert.deepEqual(all.map((e) => e.sequence), [1, 2, 3]);
    assert.deepEqual([...all[1].payload], [0, 255, 10]);
    assert.equal(all[1].inreplyto, 1);
    assert.equal(all[0].inreplyto, 0);
    assert.deepEqual(all.map((e) => e.type), ['data', 'data', 'end']);
    assert.equal(all[0].senderid, crypto.id(userKey));
    assert.deepEqual((await c.channelRead(p.processid, 'chat', 1, 1, userKey)).map((e) => e.sequence), [2], 'afterseq is an index');
    assert.deepEqual(await c.channelRead(p.processid, 'chat', 3, 0, userKey), []);
    const sub = await c.subscribeChannel(p.processid, 'chat', userKey, { afterSeq: 2, timeout: 1 });
    assert.deepEqual(sub.map(entryText), ['bye']);
    await assert.rejects(c.channelRead(p.processid, 'nope', 0, 0, userKey), isError(404, 'Channel not found'));
    await c.cancelProcess(p.processid, userKey);
  });

  it('removeAllProcesses in a scratch colony', async function () {
    const serverKey = needKey(this, t, 'serverPrvKey', 'creating a scratch colony');
    const ownerKey = crypto.generatePrivateKey();
    const name = unique('it-scratch');
    await c.addColony({ colonyid: crypto.id(ownerKey), name }, serverKey);
    try {
      const scratch = { ...t, colonyName: name };
      const member = await addUser(c, scratch, ownerKey);
      for (let i = 0; i < 3; i++) {
        await c.submitFuncSpec(funcSpec({ funcname: 'x', colonyname: name, executortype: 'nobody' }), member.prvkey);
      }
      assert.equal((await c.getProcesses(name, 10, ProcessState.WAITING, member.prvkey)).length, 3);
      await assert.rejects(c.removeAllProcesses(name, ownerKey, ProcessState.RUNNING), isError(400, 'Not possible to remove running processes'));
      await c.removeAllProcesses(name, ownerKey);
      assert.deepEqual(await c.getProcesses(name, 10, ProcessState.WAITING, member.prvkey), []);
    } finally {
      await c.removeColony(name, serverKey);
    }
  });
});
