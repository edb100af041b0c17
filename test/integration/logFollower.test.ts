// The log follower behind Submit & Follow and Follow Logs (src/views/logFollower.ts) against a real server over real
// sockets (the local colony by default, or a ColonyOS server from COLONIES_*): one process, a workflow's members with
// their node names, the exit status of every ending, hostile executor text, an unreachable server, and no request
// after dispose.
import { strict as assert } from 'node:assert';
import { funcSpec, ProcessState, type ColoniesClient, type FunctionSpec, type Log } from '../../src/colonies/index';
import { startWorkerExecutor, type ExecutorHandle } from '../../src/localcolony/executors/index';
import { ConnectionProcesses, ProcessStore, connectionKey } from '../../src/store/processStore';
import { LogFollower, type FollowEnd, type FollowLine, type LogFollowerOptions } from '../../src/views/logFollower';
import { FollowExit } from '../../src/views/followText';
import type { LogsClient } from '../../src/views/logLines';
import { CuttableProxy, registerExecutor, until } from './helpers';
import { needKey, unique, useTarget, type Target } from './target';

describe('integration: log follower', function () {
  this.timeout(60_000);
  const target = useTarget();
  let t: Target;
  let c: ColoniesClient;
  let user: string;
  let colonyKey: string;
  let worker: ExecutorHandle;
  let workerType: string;
  const cleanups: Array<() => unknown> = [];

  before(async function () {
    t = target();
    c = t.client({ timeoutMs: 10_000 });
    user = needKey(this, t, 'userPrvKey', 'submitting processes');
    colonyKey = needKey(this, t, 'colonyPrvKey', 'registering executors');
    workerType = unique('worker');
    worker = await startWorkerExecutor({ host: t.host, port: t.port, tls: t.tls, colonyName: t.colonyName, colonyPrvKey: colonyKey, executorType: workerType, assignTimeoutSec: 2 });
  });
  after(async () => {
    await worker?.stop();
  });
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });

  function follow(extra: Partial<LogFollowerOptions> & Pick<LogFollowerOptions, 'processIds' | 'executorName'>, client: ColoniesClient = c) {
    const store = new ProcessStore({ subscriptionSeconds: 10 });
    const processes = new ConnectionProcesses(store, { key: connectionKey('follow-it', client), client, prvkey: user, colonyName: t.colonyName });
    const follower = new LogFollower({ processes, logs: client, prvkey: user, colonyName: t.colonyName, pollMs: 200, ...extra });
    const lines: FollowLine[] = [];
    follower.onLines((ls) => lines.push(...ls));
    const ended = follower.run();
    cleanups.push(() => {
      follower.dispose();
      store.dispose();
    });
    return { follower, lines, ended, store };
  }

  const step = (funcname: string, args: unknown[]): FunctionSpec => funcSpec({ funcname, args, colonyname: t.colonyName, executortype: workerType });

  it('follows one process to SUCCESS: its lines in order, then exit 0 with its output', async () => {
    const p = await c.submitFuncSpec(step('echo', ['first line', 'second line']), user);
    const f = follow({ processIds: [p.processid] });
    const end = (await f.ended) as FollowEnd;
    assert.equal(end.code, FollowExit.Success);
    assert.deepEqual(f.lines.map((l) => l.text), ['echo 2 values', 'first line', 'second line']);
    assert.ok(f.lines.every((l) => l.label === '' && l.processId === p.processid));
    assert.deepEqual(end.members[0].process?.out, ['first line', 'second line']);
  });

  it('a failed process ends with exit 1 and its errors', async () => {
    const p = await c.submitFuncSpec(step('fail', ['broken on purpose']), user);
    const end = (await follow({ processIds: [p.processid] }).ended) as FollowEnd;
    assert.equal(end.code, FollowExit.Failed);
    assert.deepEqual(end.members[0].process?.errors, ['broken on purpose']);
  });

  it('a cancelled process ends with exit 2; a removed one too', async () => {
    const nobody = unique('nobody');
    const a = await c.submitFuncSpec(funcSpec({ funcname: 'never', colonyname: t.colonyName, executortype: nobody }), user);
    const b = await c.submitFuncSpec(funcSpec({ funcname: 'never', colonyname: t.colonyName, executortype: nobody }), user);
    const fa = follow({ processIds: [a.processid] });
    const fb = follow({ processIds: [b.processid] });
    await until(() => !!fa.follower.members[0].process && !!fb.follower.members[0].process, 'the first reads');
    await c.cancelProcess(a.processid, user);
    await c.removeProcess(b.processid, user);
    assert.equal(((await fa.ended) as FollowEnd).code, FollowExit.Cancelled);
    const endB = (await fb.ended) as FollowEnd;
    assert.equal(endB.code, FollowExit.Cancelled);
    assert.ok(endB.members[0].gone, 'the removed process is reported gone');
  });

  it('follows every member of a workflow, each line labelled with its node name, until all ended', async () => {
    const graph = await c.submitWorkflowSpec({
      colonyname: t.colonyName,
      functionspecs: [
        { ...step('echo', ['hello']), nodename: 'hello' },
        { ...step('sleep', ['1']), nodename: 'pause', conditions: { ...step('x', []).conditions, dependencies: ['hello'] } },
        { ...step('upper', []), nodename: 'shout', conditions: { ...step('x', []).conditions, dependencies: ['pause'] } },
      ],
    }, user);
    const f = follow({ processIds: graph.processids ?? [] });
    const end = (await f.ended) as FollowEnd;
    assert.equal(end.code, FollowExit.Success);
    assert.deepEqual(new Set(f.lines.map((l) => l.label)), new Set(['hello', 'pause', 'shout']));
    assert.deepEqual(f.lines.filter((l) => l.label === 'shout').map((l) => l.text), ['upper 1 value', 'HELLO']);
    assert.ok(end.members.every((m) => m.done && m.process?.state === ProcessState.SUCCESS));
  });

  it('a failed member ends the workflow follow with exit 1, the waiting members included', async () => {
    const graph = await c.submitWorkflowSpec({
      colonyname: t.colonyName,
      functionspecs: [
        { ...step('fail', ['first step broke']), nodename: 'first' },
        { ...step('echo', ['never']), nodename: 'second', conditions: { ...step('x', []).conditions, dependencies: ['first'] } },
      ],
    }, user);
    const end = (await follow({ processIds: graph.processids ?? [] }).ended) as FollowEnd;
    assert.equal(end.code, FollowExit.Failed);
    assert.ok(end.members.every((m) => m.done));
  });

  it('strips control characters from executor text and caps long lines and lines per process', async function () {
    const type = unique('hostile');
    const ex = await registerExecutor(c, t, colonyKey, type);
    const p = await c.submitFuncSpec(funcSpec({ funcname: 'hostile', colonyname: t.colonyName, executortype: type }), user);
    await c.assign(t.colonyName, 5, ex.prvkey);
    await c.addLog(p.processid, '\u001b]0;owned\u0007\u001b[2J\u001b[31mred\u001b[0m\tand\rback\u009b31m', ex.prvkey);
    await c.addLog(p.processid, 'x'.repeat(5000), ex.prvkey);
    for (let i = 0; i < 5; i++) await c.addLog(p.processid, `line ${i}`, ex.prvkey);
    await c.close(p.processid, ['\u001b[2Jdone'], ex.prvkey);
    const f = follow({ processIds: [p.processid], maxLineChars: 100, maxLinesPerProcess: 4 });
    const end = (await f.ended) as FollowEnd;
    assert.equal(end.code, FollowExit.Success);
    // A lone carriage return breaks the line (as a terminal would show it) instead of rewriting it.
    assert.deepEqual(f.lines.map((l) => l.text), [
      ']0;owned[2J[31mred[0m\tand',
      'back31m',
      `${'x'.repeat(100)} … (4,900 more characters)`,
      'line 0',
    ]);
    assert.ok(f.lines.every((l) => !/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/.test(l.text)));
  });

  it('ends with exit 3 when the server stops answering', async () => {
    const proxy = new CuttableProxy(t.host, t.port);
    await proxy.listen();
    const through = t.client({ host: '127.0.0.1', port: proxy.port, tls: false, timeoutMs: 2000 });
    const nobody = unique('nobody');
    const p = await c.submitFuncSpec(funcSpec({ funcname: 'stuck', colonyname: t.colonyName, executortype: nobody }), user);
    await c.assign(t.colonyName, 1, (await registerExecutor(c, t, colonyKey, nobody)).prvkey);
    const f = follow({ processIds: [p.processid], unreachableMs: 1500 }, through);
    await until(() => f.follower.members[0].process?.state === ProcessState.RUNNING, 'the first read');
    await proxy.close();
    const end = (await f.ended) as FollowEnd;
    assert.equal(end.code, FollowExit.Unreachable);
    assert.ok(end.reason, 'says why');
  });

  it('sends no request once disposed', async () => {
    const nobody = unique('nobody');
    const ex = await registerExecutor(c, t, colonyKey, nobody);
    const p = await c.submitFuncSpec(funcSpec({ funcname: 'running', colonyname: t.colonyName, executortype: nobody }), user);
    await c.assign(t.colonyName, 5, ex.prvkey);
    let calls = 0;
    const counting: LogsClient = { getLogs: (...args: Parameters<LogsClient['getLogs']>): Promise<Log[]> => (calls++, c.getLogs(...args)) };
    const f = follow({ processIds: [p.processid], logs: counting, pollMs: 50 });
    await until(() => calls >= 3, 'a few polls');
    f.follower.dispose();
    const after = calls;
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(calls <= after + 1, `${calls - after} log reads after dispose`);
    assert.equal(await f.ended, undefined, 'a disposed follow has no end');
    await c.close(p.processid, [], ex.prvkey);
  });

  it("follows an executor's log across its processes: the newest lines first, then new ones, labelled by process", async () => {
    const type = unique('execlog');
    const ex = await registerExecutor(c, t, colonyKey, type);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      ids.push((await c.submitFuncSpec(funcSpec({ funcname: `exec${i}`, colonyname: t.colonyName, executortype: type }), user)).processid);
      await c.assign(t.colonyName, 5, ex.prvkey);
    }
    for (let i = 0; i < 3; i++) await c.addLog(ids[0], `old ${i}`, ex.prvkey);
    const f = follow({ executorName: ex.name, executorBacklog: 2 });
    await until(() => f.lines.length === 2, 'the backlog');
    assert.deepEqual(f.lines.map((l) => l.text), ['old 1', 'old 2']);
    await c.addLog(ids[1], 'new in the second process', ex.prvkey);
    await until(() => f.lines.length === 3, 'the new line');
    assert.deepEqual(f.lines.map((l) => l.label), [ids[0].slice(0, 8), ids[0].slice(0, 8), ids[1].slice(0, 8)]);
    assert.equal(f.follower.result, undefined, 'an executor follow does not end on its own');
    for (const id of ids) await c.close(id, [], ex.prvkey);
  });
});
