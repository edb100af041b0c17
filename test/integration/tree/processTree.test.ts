// The tree model, the process store's watches, log cursor and connection probe against a real local colony over real sockets.
import * as assert from 'node:assert/strict';
import { ColoniesClient, funcSpec, ProcessState, type Process } from '../../../src/colonies/index';
import { crypto } from '../../../src/colonies/crypto';
import { startLocalColony, type LocalColony } from '../../../src/localcolony/index';
import { probeConnection } from '../../../src/connection/probe';
import { submitSampleProcesses, UNSERVED_EXECUTOR_TYPE } from '../../../src/connection/sampleProcesses';
import { LogCursor } from '../../../src/views/logLines';
import { ProcessTreeModel, MAX_PER_STATE } from '../../../src/views/processTreeModel';
import { ProcessStore } from '../../../src/store/processStore';
import { STATE_ORDER, processContextValue } from '../../../src/views/stateMapping';
import { waitFor as eventually } from '../../support/poll';


describe('process tree against a local colony', function () {
  this.timeout(60_000);
  let colony: LocalColony;
  let client: ColoniesClient;
  let prvkey: string;
  let myId: string;
  let model: ProcessTreeModel;
  let samples: Process[];

  before(async () => {
    colony = await startLocalColony({ port: 0, demo: true });
    client = new ColoniesClient({ host: '127.0.0.1', port: colony.port, timeoutMs: 10_000 });
    prvkey = colony.userPrvKey;
    myId = crypto.id(prvkey);
    model = new ProcessTreeModel(async () => ({ client, colonyName: colony.colonyName, prvkey, myId }));
    samples = await submitSampleProcesses(client, colony.colonyName, prvkey);
  });

  after(async () => {
    model?.dispose();
    client?.dispose();
    await colony?.stop();
  });

  it('shows processes in all five states, with counts matching the lists', async () => {
    for (const s of STATE_ORDER) model.setExpanded(s, true);
    // Statistics and lists are separate reads; wait for a refresh where no process moved between them.
    await eventually('all five states, settled', async () => {
      await model.refresh();
      const groups = model.groups();
      const settled = groups.every((g) => g.processes.length > 0 && g.count === g.processes.length);
      return settled && groups[ProcessState.SUCCESS].processes.some((p) => p.spec.funcname === 'progress') ? true : undefined;
    });
    const byName = (state: ProcessState) => model.group(state).processes.map((p) => p.spec.funcname);
    assert.ok(byName(ProcessState.WAITING).includes('train-model'));
    assert.ok(byName(ProcessState.SUCCESS).includes('progress'));
    assert.ok(byName(ProcessState.FAILED).includes('chat-without-channel'));
    assert.ok(byName(ProcessState.CANCELLED).includes('cancelled-job'));
    assert.ok(byName(ProcessState.RUNNING).some((n) => n === 'chat' || n === 'long-progress'));
    for (const g of model.groups()) assert.equal(g.count, g.processes.length, `count of state ${g.state}`);
    const failed = model.group(ProcessState.FAILED).processes.find((p) => p.spec.funcname === 'chat-without-channel') as Process;
    assert.match((failed.errors ?? []).join(' '), /chat/);
    assert.equal(processContextValue(failed, myId), 'process;state=failed;mine');
    assert.equal(model.status.kind, 'ok');
  });

  it('filters: executor type on the server, "only mine" locally', async () => {
    const other = crypto.generatePrivateKey();
    // A process submitted by an executor key (not mine): register the key as an approved executor.
    await client.addExecutor(
      { executorid: crypto.id(other), executortype: 'someone-else', executorname: 'someone-else', colonyname: colony.colonyName },
      colony.colonyPrvKey,
    );
    await client.approveExecutor(colony.colonyName, 'someone-else', colony.colonyPrvKey);
    await client.submitFuncSpec(funcSpec({ funcname: 'not-mine', colonyname: colony.colonyName, executortype: UNSERVED_EXECUTOR_TYPE }), other);

    model.setFilters({ executorType: UNSERVED_EXECUTOR_TYPE });
    await model.refresh();
    const waiting = model.group(ProcessState.WAITING).processes.map((p) => p.spec.funcname).sort();
    assert.deepEqual(waiting, ['not-mine', 'train-model']);
    assert.deepEqual(model.group(ProcessState.CANCELLED).processes.map((p) => p.spec.funcname), ['cancelled-job']);
    assert.equal(model.group(ProcessState.SUCCESS).processes.length, 0);

    model.setFilters({ executorType: UNSERVED_EXECUTOR_TYPE, onlyMine: true });
    await model.refresh();
    assert.deepEqual(model.group(ProcessState.WAITING).processes.map((p) => p.spec.funcname), ['train-model']);
    assert.equal(model.group(ProcessState.WAITING).count, 1);
    model.setFilters({});
  });

  it('says when a list is cut at the server maximum', async () => {
    const extra = MAX_PER_STATE + 3;
    for (let i = 0; i < extra; i++) {
      await client.submitFuncSpec(funcSpec({ funcname: `bulk-${i}`, colonyname: colony.colonyName, executortype: UNSERVED_EXECUTOR_TYPE }), prvkey);
    }
    await model.refresh();
    const g = model.group(ProcessState.WAITING);
    assert.equal(g.processes.length, MAX_PER_STATE);
    assert.equal(g.truncated, true);
    assert.ok((g.count ?? 0) >= extra + 2, `statistics count ${g.count}`);
  });

  it('watches a process with subscribeProcess until it finishes, and locate() finds it', async () => {
    const p = await client.submitFuncSpec(
      funcSpec({ funcname: 'watched', colonyname: colony.colonyName, executortype: 'progress', channels: ['progress'], kwargs: { stepms: 20 } }),
      prvkey,
    );
    const seen: ProcessState[] = [];
    const store = new ProcessStore({ subscriptionSeconds: 5 });
    const conn = { key: 'local', client, prvkey };
    store.onDidChange((change) => {
      for (const u of change.processes) {
        if (u.processid === p.processid) seen.push(u.state);
        model.applyProcess(u);
      }
    });
    try {
      store.watch(conn, p.processid);
      await eventually('the watched process to succeed', async () => (seen.includes(ProcessState.SUCCESS) ? true : undefined));
      await eventually('the watch to end', async () => (store.isWatched(conn, p.processid) ? undefined : true));
    } finally {
      store.dispose();
    }
    const located = await model.locate(p.processid);
    assert.equal(located.state, ProcessState.SUCCESS);
    assert.ok(model.group(ProcessState.SUCCESS).processes.some((x) => x.processid === p.processid));
  });

  it('reads logs with an exact bigint cursor: a second pull repeats nothing', async () => {
    const progress = samples.find((s) => s.spec.funcname === 'progress') as Process;
    await eventually('the progress sample to finish', async () => ((await client.getProcess(progress.processid, prvkey)).state === ProcessState.SUCCESS ? true : undefined));
    const cursor = new LogCursor();
    const added = await cursor.pull(client, colony.colonyName, progress.processid, prvkey);
    assert.equal(added, 11);
    assert.match(cursor.lines[0], /Progress: 0%$/);
    assert.match(cursor.lines[10], /Progress: 100%$/);
    assert.equal(typeof cursor.lastTimestamp, 'bigint');
    assert.equal(await cursor.pull(client, colony.colonyName, progress.processid, prvkey), 0);
    assert.equal(cursor.lines.length, 11);
  });

  it('probes the connection: connected, not a member (colony owner key, P15), unreachable', async () => {
    const profile = { name: 'local', host: '127.0.0.1', port: colony.port, tls: false, colonyName: colony.colonyName };
    assert.deepEqual(await probeConnection(client, profile, prvkey), { kind: 'connected', myId });

    const ownerId = crypto.id(colony.colonyPrvKey);
    const denied = await probeConnection(client, profile, colony.colonyPrvKey);
    assert.equal(denied.kind, 'unauthorized');
    assert.ok(denied.kind === 'unauthorized' && denied.reason.includes(ownerId), 'reason names the key id');
    assert.ok(denied.kind === 'unauthorized' && /colony owner must add/.test(denied.reason));

    const wrongColony = await probeConnection(client, { ...profile, colonyName: 'nope' }, prvkey);
    assert.ok(wrongColony.kind === 'unauthorized' && /no colony named "nope"/.test(wrongColony.reason));

    assert.deepEqual(await probeConnection(client, profile, undefined), { kind: 'noKey' });

    const stopped = await startLocalColony({ port: 0 });
    const deadPort = stopped.port;
    await stopped.stop();
    const dead = new ColoniesClient({ host: '127.0.0.1', port: deadPort, timeoutMs: 5000 });
    try {
      const state = await probeConnection(dead, { ...profile, port: deadPort }, prvkey);
      assert.equal(state.kind, 'unreachable');
      assert.ok(state.kind === 'unreachable' && state.reason.includes(`127.0.0.1:${deadPort}`));
    } finally {
      dead.dispose();
    }
  });

  it('records an unreachable server in the model status instead of throwing elsewhere', async () => {
    const dead = new ColoniesClient({ host: '127.0.0.1', port: 1, timeoutMs: 3000 });
    const m = new ProcessTreeModel(async () => ({ client: dead, colonyName: 'dev', prvkey, myId }));
    try {
      m.setExpanded(ProcessState.WAITING, true);
      await assert.rejects(m.refresh());
      assert.equal(m.status.kind, 'error');
    } finally {
      m.dispose();
      dead.dispose();
    }
  });
});
