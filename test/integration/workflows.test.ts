// Workflows against the target (the local colony, or a real server with COLONIES_*): what getprocessgraphsmsg
// accepts, the Workflows view's model listing graphs and reading members through the process store, and the graph
// panel's controller following a member from waiting to running to successful, with the blocked-on edges moving.
import { strict as assert } from 'node:assert';
import { ColoniesError, ProcessState, funcSpec, type ColoniesClient, type ProcessGraph } from '../../src/colonies/index';
import { GraphController } from '../../src/panels/graphController';
import { blockingEdges, type GraphHostMessage, type GraphView, type NodeStateKey } from '../../src/panels/graphProtocol';
import { ConnectionProcesses, ProcessStore } from '../../src/store/processStore';
import { memberCounts, WorkflowTreeModel } from '../../src/views/workflowTreeModel';
import { waitFor } from '../support/poll';
import { registerExecutor } from './helpers';
import { needKey, unique, useTarget, type Target } from './target';

const isError = (status: number, message: string | RegExp) => (e: unknown) =>
  e instanceof ColoniesError && e.status === status && (typeof message === 'string' ? e.message === message : message.test(e.message));

describe('integration: workflows (Workflows view and graph panel)', function () {
  this.timeout(60_000);
  const target = useTarget();
  let t: Target;
  let c: ColoniesClient;
  let store: ProcessStore;
  let processes: ConnectionProcesses;
  let userKey: string;
  let graph: ProcessGraph;
  let type: string;

  before(async function () {
    t = target();
    c = t.client();
    userKey = needKey(this, t, 'userPrvKey', 'submitting workflows');
    store = new ProcessStore({ fallbackPollMs: 500, raceCheckMs: 200 });
    processes = new ConnectionProcesses(store, { key: `it#${unique('k')}`, client: c, prvkey: userKey, colonyName: t.colonyName });
    type = unique('it-wfview');
    // fetch → (train, report); train → report
    graph = await c.submitWorkflowSpec(
      {
        colonyname: t.colonyName,
        functionspecs: [
          funcSpec({ nodename: 'fetch', funcname: 'download', colonyname: t.colonyName, executortype: type }),
          funcSpec({ nodename: 'train', funcname: 'fit', colonyname: t.colonyName, executortype: type, dependencies: ['fetch'] }),
          funcSpec({ nodename: 'report', funcname: 'write', colonyname: t.colonyName, executortype: type, dependencies: ['fetch', 'train'] }),
        ],
      },
      userKey,
    );
  });

  after(async () => {
    if (graph && userKey) {
      await c.cancelProcessGraph(graph.processgraphid, userKey).catch(() => undefined);
      await c.removeProcessGraph(graph.processgraphid, userKey).catch(() => undefined);
    }
    store?.dispose();
  });

  it('getprocessgraphsmsg takes states 0 to 4 and a count up to 100, like the real server', async () => {
    for (const s of [0, 1, 2, 3, 4]) assert.ok(Array.isArray(await c.getProcessGraphs(t.colonyName, 100, userKey, s)));
    for (const s of [-1, 5]) await assert.rejects(c.getProcessGraphs(t.colonyName, 10, userKey, s), isError(400, 'invalid msg.State'));
    await assert.rejects(c.getProcessGraphs(t.colonyName, 101, userKey, ProcessState.WAITING), isError(400, 'Count is larger than MaxCount limit <100>'));
    const waiting = await c.getProcessGraphs(t.colonyName, 100, userKey);
    assert.ok(waiting.some((g) => g.processgraphid === graph.processgraphid), 'without a state the server lists waiting graphs');
    const listed = waiting.find((g) => g.processgraphid === graph.processgraphid)!;
    assert.deepEqual(listed.nodes ?? [], [], 'a list reply has no drawing');
    assert.equal(listed.processids?.length, 3);
  });

  it('the Workflows model lists the graph under Waiting, counts it, and reads its members through the store', async () => {
    const model = new WorkflowTreeModel(async () => ({ client: c, colonyName: t.colonyName, prvkey: userKey, processes }));
    try {
      model.setExpanded(ProcessState.WAITING, true);
      await model.refresh();
      const group = model.group(ProcessState.WAITING);
      assert.ok(group.graphs.some((g) => g.processgraphid === graph.processgraphid));
      assert.ok((group.count ?? 0) >= 1, 'counted from the statistics');
      await model.openGraph(graph.processgraphid);
      const ids = graph.processids ?? [];
      const names = ids.map((id) => processes.get(id)?.spec.nodename).sort();
      assert.deepEqual(names, ['fetch', 'report', 'train']);
      assert.deepEqual([...memberCounts(ids, (id) => processes.get(id))], [[ProcessState.WAITING, 3]]);
      assert.equal(model.openUnfinishedMembers().length, 3);
    } finally {
      model.dispose();
    }
  });

  it('the graph panel controller draws the DAG and follows a member through the store', async function () {
    const colonyKey = needKey(this, t, 'colonyPrvKey', 'running a workflow step');
    const posted: GraphHostMessage[] = [];
    const controller = new GraphController({
      graphId: graph.processgraphid,
      post: (m) => posted.push(m),
      onNodeAction: () => undefined,
      log: { debug: () => undefined, warn: () => undefined },
    });
    try {
      await controller.connect({ client: c, prvkey: userKey, myId: '', processes });
      const view = controller.currentView() as GraphView;
      const byName = new Map(view.nodes.map((n) => [n.label, n]));
      assert.deepEqual([...byName.keys()].sort(), ['fetch', 'report', 'train']);
      const edge = (a: string, b: string) => `${byName.get(a)!.id}>${byName.get(b)!.id}`;
      assert.deepEqual(view.edges.map((e) => `${e.from}>${e.to}`).sort(), [edge('fetch', 'report'), edge('fetch', 'train'), edge('train', 'report')].sort());
      assert.equal(posted[0]?.type, 'graph');
      // Only the member that can change next is watched: the root (its parents, none, all succeeded).
      assert.deepEqual(controller.watched, [byName.get('fetch')!.processId]);

      const states = () => {
        const current = new Map<string, NodeStateKey>((controller.currentView() as GraphView).nodes.map((n) => [n.id, n.state]));
        return current;
      };
      const blockedOn = () => [...blockingEdges((controller.currentView() as GraphView).edges, (id) => states().get(id))].map((e) => `${e.from}>${e.to}`).sort();
      assert.deepEqual(blockedOn(), [edge('fetch', 'report'), edge('fetch', 'train'), edge('train', 'report')].sort());

      const executor = await registerExecutor(c, t, colonyKey, type);
      const assigned = await c.assign(t.colonyName, 10, executor.prvkey);
      assert.equal(assigned.spec.nodename, 'fetch');
      await waitFor('a "states" message with fetch running', async () =>
        posted.some((m) => m.type === 'states' && m.nodes.some((n) => n.id === assigned.processid && n.state === 'running')) ? true : undefined,
      );
      await c.close(assigned.processid, ['ok'], executor.prvkey);
      await waitFor('fetch successful in the panel', async () => (states().get(assigned.processid) === 'success' ? true : undefined));
      // Now train is next; report still waits on train.
      await waitFor('train watched', async () => (controller.watched.includes(byName.get('train')!.id) ? true : undefined));
      assert.deepEqual(blockedOn(), [edge('train', 'report')]);
    } finally {
      controller.dispose();
    }
    assert.deepEqual(controller.watched, []);
  });

  it('cancel and remove act on the whole workflow; a missing graph reads as an error', async () => {
    await c.cancelProcessGraph(graph.processgraphid, userKey);
    const cancelled = await c.getProcessGraph(graph.processgraphid, userKey);
    assert.equal(cancelled.state, ProcessState.CANCELLED);
    await c.removeProcessGraph(graph.processgraphid, userKey);
    await assert.rejects(c.getProcessGraph(graph.processgraphid, userKey), (e: unknown) => e instanceof ColoniesError);
    const controller = new GraphController({ graphId: graph.processgraphid, post: () => undefined, onNodeAction: () => undefined, log: { debug: () => undefined, warn: () => undefined } });
    await controller.connect({ client: c, prvkey: userKey, myId: '', processes });
    assert.match(controller.currentView()?.error ?? '', /no longer exists|Could not read/);
    controller.dispose();
  });

  it('a submit refused for an unknown dependency leaves an empty waiting graph behind (docs/protocol.md §4.8)', async () => {
    const before = new Set((await c.getProcessGraphs(t.colonyName, 100, userKey, ProcessState.WAITING)).map((g) => g.processgraphid));
    const spec = { colonyname: t.colonyName, functionspecs: [funcSpec({ nodename: 'a', funcname: 'f', colonyname: t.colonyName, executortype: unique('nobody'), dependencies: ['ghost'] })] };
    await assert.rejects(c.submitWorkflowSpec(spec, userKey), isError(500, /invalid dependencies/));
    const orphans = (await c.getProcessGraphs(t.colonyName, 100, userKey, ProcessState.WAITING)).filter((g) => !before.has(g.processgraphid));
    assert.equal(orphans.length, 1);
    assert.deepEqual([orphans[0].rootprocessids, orphans[0].processids], [null, []]);
    const full = await c.getProcessGraph(orphans[0].processgraphid, userKey);
    assert.deepEqual([full.processids, full.nodes, full.edges], [[], [], []]);
    await c.removeProcessGraph(orphans[0].processgraphid, userKey);
  });
});

