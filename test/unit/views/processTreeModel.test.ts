import * as assert from 'node:assert/strict';
import { ProcessState, type Process, type Statistics } from '../../../src/colonies/types';
import { MAX_PER_STATE, ProcessTreeModel, type ModelChange, type ModelSession, type ProcessListClient } from '../../../src/views/processTreeModel';
import type { ServerFilter } from '../../../src/views/filters';
import { makeProcess } from './fixtures';

const ME = 'm'.repeat(64);

/** A list-backed stand-in for the server's getprocessesmsg semantics (count cap, one filter). */
class ListClient implements ProcessListClient {
  processes: Process[] = [];
  stats: Statistics | undefined | 'throw';
  calls: { state: ProcessState; filters?: ServerFilter }[] = [];
  async getProcesses(_c: string, count: number, state: ProcessState, _k: string, filters?: ServerFilter): Promise<Process[]> {
    this.calls.push({ state, filters });
    return this.processes
      .filter((p) => p.state === state)
      .filter((p) => !filters?.executortype || p.spec.conditions.executortype === filters.executortype)
      .filter((p) => filters?.executortype || !filters?.label || p.spec.label === filters.label)
      .slice(0, count);
  }
  async getColonyStatistics(): Promise<Statistics | undefined> {
    if (this.stats === 'throw') throw Object.assign(new Error('boom'), { status: 500 });
    return this.stats;
  }
  async getProcess(id: string): Promise<Process> {
    const p = this.processes.find((x) => x.processid === id);
    if (!p) throw Object.assign(new Error('Failed to get process, process not found'), { status: 404 });
    return p;
  }
}

function stats(counts: number[]): Statistics {
  const [w, r, s, f, c] = counts;
  return {
    colonies: 1, executors: 1, activeexecutors: 1, unregisteredexecutors: 0,
    waitingprocesses: w, runningprocesses: r, successfulprocesses: s, failedprocesses: f, cancelledprocesses: c,
    waitingworkflows: 0, runningworkflows: 0, successfulworkflows: 0, failedworkflows: 0, cancelledworkflows: 0,
  };
}

function setup() {
  const client = new ListClient();
  let fail: Error | undefined;
  const session = async (): Promise<ModelSession> => {
    if (fail) throw fail;
    return { client, colonyName: 'dev', prvkey: 'k', myId: ME };
  };
  const model = new ProcessTreeModel(session);
  const events: ModelChange[] = [];
  model.onDidChange((e) => events.push(e));
  return { client, model, events, setFail: (e: Error | undefined) => (fail = e) };
}

const ids = (list: readonly Process[]) => list.map((p) => p.processid);

describe('ProcessTreeModel', () => {
  it('counts from statistics and loads only expanded groups', async () => {
    const { client, model } = setup();
    client.processes = [makeProcess({ id: 'w1' }), makeProcess({ id: 'r1', state: ProcessState.RUNNING })];
    client.stats = stats([1, 1, 7, 0, 0]);
    model.setExpanded(ProcessState.RUNNING, true);
    await model.refresh();
    assert.deepEqual(model.status, { kind: 'ok', colonyName: 'dev' });
    assert.deepEqual(client.calls.map((c) => c.state), [ProcessState.RUNNING]);
    assert.deepEqual(model.groups().map((g) => g.count), [1, 1, 7, 0, 0]);
    assert.deepEqual(ids(model.group(ProcessState.RUNNING).processes), ['r1']);
    assert.equal(model.group(ProcessState.WAITING).loaded, false);
  });

  it('falls back to list lengths for every group when statistics are unavailable', async () => {
    const { client, model } = setup();
    client.processes = [makeProcess({ id: 'w1' }), makeProcess({ id: 'f1', state: ProcessState.FAILED }), makeProcess({ id: 'f2', state: ProcessState.FAILED })];
    client.stats = undefined;
    await model.refresh();
    assert.deepEqual(model.groups().map((g) => g.count), [1, 0, 0, 2, 0]);
    assert.ok(model.groups().every((g) => g.loaded));
  });

  it('marks a group cut at the server maximum', async () => {
    const { client, model } = setup();
    client.processes = Array.from({ length: 130 }, (_, i) => makeProcess({ id: `s${i}`, state: ProcessState.SUCCESS }));
    client.stats = stats([0, 0, 130, 0, 0]);
    model.setExpanded(ProcessState.SUCCESS, true);
    await model.refresh();
    const g = model.group(ProcessState.SUCCESS);
    assert.equal(g.processes.length, MAX_PER_STATE);
    assert.equal(g.truncated, true);
    assert.equal(g.count, 130);
  });

  it('applies filters: one on the server, the rest locally; counts become list lengths', async () => {
    const { client, model } = setup();
    client.processes = [
      makeProcess({ id: 'a', executortype: 'echo', label: 'x', initiatorid: ME }),
      makeProcess({ id: 'b', executortype: 'echo', label: 'y', initiatorid: ME }),
      makeProcess({ id: 'c', executortype: 'echo', label: 'x' }),
      makeProcess({ id: 'd', executortype: 'other', label: 'x', initiatorid: ME }),
    ];
    client.stats = stats([4, 0, 0, 0, 0]);
    model.setFilters({ executorType: 'echo', label: 'x', onlyMine: true });
    await model.refresh();
    assert.deepEqual(client.calls[0].filters, { executortype: 'echo' });
    assert.deepEqual(ids(model.group(ProcessState.WAITING).processes), ['a']);
    assert.equal(model.group(ProcessState.WAITING).count, 1);
  });

  it('moves a process between groups on applyProcess and fires group changes', async () => {
    const { client, model, events } = setup();
    const p = makeProcess({ id: 'p1' });
    client.processes = [p];
    client.stats = stats([1, 0, 0, 0, 0]);
    model.setExpanded(ProcessState.WAITING, true);
    model.setExpanded(ProcessState.RUNNING, true);
    await model.refresh();
    events.length = 0;
    model.applyProcess({ ...p, state: ProcessState.RUNNING, assignedexecutorid: 'e' });
    assert.deepEqual(ids(model.group(ProcessState.WAITING).processes), []);
    assert.deepEqual(ids(model.group(ProcessState.RUNNING).processes), ['p1']);
    assert.deepEqual(model.groups().map((g) => g.count).slice(0, 2), [0, 1]);
    assert.deepEqual(events, [{ kind: 'group', state: ProcessState.WAITING }, { kind: 'group', state: ProcessState.RUNNING }]);
    events.length = 0;
    model.applyProcess({ ...p, state: ProcessState.RUNNING, assignedexecutorid: 'e', retries: 1 });
    assert.deepEqual(events, [{ kind: 'process', processId: 'p1' }]);
  });

  it('a loaded, uncut list outranks stale statistics (a process located after the last poll)', async () => {
    const { client, model } = setup();
    client.processes = [makeProcess({ id: 'r1', state: ProcessState.RUNNING })];
    client.stats = stats([0, 1, 0, 0, 0]);
    model.setExpanded(ProcessState.RUNNING, true);
    await model.refresh();
    const late = makeProcess({ id: 'r2', state: ProcessState.RUNNING });
    client.processes.push(late);
    await model.locate('r2');
    assert.deepEqual(ids(model.group(ProcessState.RUNNING).processes), ['r1', 'r2']);
    assert.equal(model.group(ProcessState.RUNNING).count, 2);
    assert.equal(model.group(ProcessState.SUCCESS).count, 0, 'an unloaded group still counts from statistics');
  });

  it('fires only for groups whose content changed', async () => {
    const { client, model, events } = setup();
    client.processes = [makeProcess({ id: 'w1' })];
    client.stats = stats([1, 0, 0, 0, 0]);
    model.setExpanded(ProcessState.WAITING, true);
    await model.refresh();
    events.length = 0;
    await model.refresh();
    assert.deepEqual(events, []);
    client.processes.push(makeProcess({ id: 'w2' }));
    client.stats = stats([2, 0, 0, 0, 0]);
    await model.refresh();
    assert.deepEqual(events, [{ kind: 'group', state: ProcessState.WAITING }]);
  });

  it('records errors in status and rejects so the scheduler backs off; recovers after', async () => {
    const { client, model, setFail } = setup();
    client.stats = stats([0, 0, 0, 0, 0]);
    setFail(new Error('server unreachable'));
    await assert.rejects(model.refresh(), /server unreachable/);
    assert.equal(model.status.kind, 'error');
    setFail(undefined);
    await model.refresh();
    assert.equal(model.status.kind, 'ok');
  });

  it('locate finds a process outside the loaded lists', async () => {
    const { client, model } = setup();
    client.processes = [makeProcess({ id: 'x', state: ProcessState.FAILED })];
    client.stats = stats([0, 0, 0, 1, 0]);
    await model.refresh();
    const p = await model.locate('x');
    assert.equal(p.processid, 'x');
    assert.deepEqual(ids(model.group(ProcessState.FAILED).processes), ['x']);
    await assert.rejects(model.locate('nope'), /not found/);
  });

  it('reset drops results of a refresh still in flight', async () => {
    const { client, model } = setup();
    client.processes = [makeProcess({ id: 'old' })];
    client.stats = undefined;
    const pending = model.refresh();
    model.reset();
    await pending;
    assert.equal(model.status.kind, 'idle');
    assert.equal(model.findProcess('old'), undefined);
  });
});
