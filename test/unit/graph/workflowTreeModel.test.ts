// The Workflows view's model (src/views/workflowTreeModel.ts): graphs per state, counts from statistics, members
// read through the process store (never polled by the view itself).
import * as assert from 'node:assert/strict';
import { ProcessState, type Process, type ProcessGraph, type Statistics } from '../../../src/colonies/types';
import { ConnectionProcesses, ProcessStore } from '../../../src/store/processStore';
import { MAX_GRAPHS_PER_STATE, memberCounts, WorkflowTreeModel, type WorkflowListClient } from '../../../src/views/workflowTreeModel';
import { makeProcess } from '../views/fixtures';

const hex = (n: number) => n.toString(16).padStart(64, '0');

function graph(n: number, state: ProcessState, members: string[]): ProcessGraph {
  return {
    processgraphid: hex(1000 + n), initiatorid: 'u'.repeat(64), initiatorname: 'alice', colonyname: 'dev', rootprocessids: members.slice(0, 1),
    state, submissiontime: '2026-01-01T10:00:00Z', starttime: '', endtime: '', processids: members, nodes: [], edges: [],
  };
}

class Server implements WorkflowListClient {
  graphs: ProcessGraph[] = [];
  processes = new Map<string, Process>();
  listCalls: ProcessState[] = [];
  reads: string[] = [];
  stats: Partial<Statistics> | undefined;
  async getProcessGraphs(_c: string, count: number, _k: string, state?: ProcessState): Promise<ProcessGraph[]> {
    this.listCalls.push(state as ProcessState);
    return this.graphs.filter((g) => g.state === state).slice(0, count);
  }
  async getColonyStatistics(): Promise<Statistics | undefined> {
    return this.stats as Statistics | undefined;
  }
  async getProcess(id: string): Promise<Process> {
    this.reads.push(id);
    const p = this.processes.get(id);
    if (!p) throw Object.assign(new Error('not found'), { status: 404 });
    return p;
  }
  async subscribeProcess(): Promise<Process> {
    return new Promise(() => undefined);
  }
}

function setup() {
  const server = new Server();
  const store = new ProcessStore();
  const processes = new ConnectionProcesses(store, { key: 'k#1', client: server, prvkey: 'p' });
  const model = new WorkflowTreeModel(async () => ({ client: server, colonyName: 'dev', prvkey: 'p', processes }));
  return { server, store, processes, model };
}

describe('WorkflowTreeModel', () => {
  it('counts workflows from the statistics and lists only expanded groups', async () => {
    const { server, model } = setup();
    server.stats = { waitingworkflows: 2, runningworkflows: 1, successfulworkflows: 7, failedworkflows: 0, cancelledworkflows: 0 };
    server.graphs = [graph(1, ProcessState.WAITING, [hex(1)]), graph(2, ProcessState.WAITING, [hex(2)]), graph(3, ProcessState.RUNNING, [hex(3)])];
    model.setExpanded(ProcessState.WAITING, true);
    await model.refresh();
    assert.deepEqual(server.listCalls, [ProcessState.WAITING]);
    assert.equal(model.group(ProcessState.WAITING).count, 2);
    assert.equal(model.group(ProcessState.WAITING).graphs.length, 2);
    assert.equal(model.group(ProcessState.SUCCESS).count, 7);
    assert.equal(model.group(ProcessState.SUCCESS).loaded, false);
  });

  it('lists every state when there are no statistics, and keeps a graph out of a list of another state', async () => {
    const { server, model } = setup();
    server.graphs = [graph(1, ProcessState.FAILED, [])];
    server.getProcessGraphs = async (_c, _n, _k, state) => (server.listCalls.push(state!), state === ProcessState.WAITING ? [graph(9, ProcessState.RUNNING, [])] : []);
    await model.refresh();
    assert.equal(server.listCalls.length, 5);
    assert.equal(model.group(ProcessState.WAITING).count, 0);
  });

  it('reads an expanded workflow\'s members once through the store, and counts them by state', async () => {
    const { server, model, processes } = setup();
    const ids = [hex(1), hex(2), hex(3)];
    server.processes.set(ids[0], makeProcess({ id: ids[0], state: ProcessState.SUCCESS }));
    server.processes.set(ids[1], makeProcess({ id: ids[1], state: ProcessState.RUNNING }));
    server.graphs = [graph(1, ProcessState.RUNNING, ids)];
    model.setExpanded(ProcessState.RUNNING, true);
    await model.refresh();
    const events: string[] = [];
    model.onDidChange((c) => events.push(c.kind === 'graph' ? c.graphId : c.kind));
    await model.openGraph(hex(1001));
    assert.deepEqual(server.reads.sort(), ids);
    assert.deepEqual(events, [hex(1001)]);
    const counts = memberCounts(ids, (id) => processes.get(id));
    assert.deepEqual([...counts], [[ProcessState.SUCCESS, 1], [ProcessState.RUNNING, 1], ['unknown', 1]]);
    assert.deepEqual(model.openUnfinishedMembers(), [ids[1]]);
    // Opening it again reads only what the store does not know (the missing one).
    server.reads = [];
    await model.openGraph(hex(1001));
    assert.deepEqual(server.reads, [ids[2]]);
  });

  it('re-reads the unfinished members of an open workflow when its state changed between polls', async () => {
    const { server, model } = setup();
    const ids = [hex(1), hex(2)];
    server.processes.set(ids[0], makeProcess({ id: ids[0], state: ProcessState.RUNNING }));
    server.processes.set(ids[1], makeProcess({ id: ids[1], state: ProcessState.SUCCESS }));
    server.graphs = [graph(1, ProcessState.RUNNING, ids)];
    model.setExpanded(ProcessState.RUNNING, true);
    model.setExpanded(ProcessState.SUCCESS, true);
    await model.refresh();
    await model.openGraph(hex(1001));
    server.reads = [];
    server.processes.set(ids[0], makeProcess({ id: ids[0], state: ProcessState.SUCCESS }));
    server.graphs = [graph(1, ProcessState.SUCCESS, ids)];
    const changed = new Promise<void>((resolve) => model.onDidChange((c) => c.kind === 'graph' && resolve()));
    await model.refresh();
    await changed;
    assert.deepEqual(server.reads, [ids[0]], 'only the member that was unfinished');
    assert.equal(model.group(ProcessState.SUCCESS).graphs.length, 1);
    assert.equal(model.group(ProcessState.RUNNING).graphs.length, 0);
  });

  it('asks for at most the server\'s maximum per state, and forgets a removed workflow at once', async () => {
    const { server, model } = setup();
    server.stats = { waitingworkflows: 150, runningworkflows: 0, successfulworkflows: 0, failedworkflows: 0, cancelledworkflows: 0 };
    server.graphs = Array.from({ length: 150 }, (_, i) => graph(i, ProcessState.WAITING, []));
    model.setExpanded(ProcessState.WAITING, true);
    await model.refresh();
    const g = model.group(ProcessState.WAITING);
    assert.equal(g.graphs.length, MAX_GRAPHS_PER_STATE);
    assert.equal(g.truncated, true);
    assert.equal(g.count, 150);
    model.removeGraph(hex(1000));
    assert.equal(model.group(ProcessState.WAITING).count, 149);
    assert.equal(model.findGraph(hex(1000)), undefined);
  });
});
