// The Executors view's model: states, staleness, grouping, function statistics and hardware, from a catalog snapshot.
import { strict as assert } from 'node:assert';
import { ExecutorState, type ColonyFunction, type Executor } from '../../../src/colonies/types';
import type { CatalogSnapshot } from '../../../src/store/colonyCatalog';
import { executorDescription, executorRows, functionStats, groupExecutors, hardwareLines } from '../../../src/views/executorModel';

const NOW = Date.parse('2026-12-01T12:00:00Z');

function executor(name: string, type: string, state: ExecutorState, heardSecondsAgo: number | undefined, extra: Partial<Executor> = {}): Executor {
  return {
    executorid: `${name}-id`.padEnd(64, '0'),
    executortype: type,
    executorname: name,
    colonyname: 'dev',
    state,
    requirefuncreg: false,
    commissiontime: '2026-12-01T00:00:00Z',
    lastheardfromtime: heardSecondsAgo === undefined ? '0001-01-01T00:00:00Z' : new Date(NOW - heardSecondsAgo * 1000).toISOString(),
    capabilities: { hardware: null, software: null },
    allocations: { projects: null },
    ...extra,
  };
}

function fn(executorname: string, funcname: string, extra: Partial<ColonyFunction> = {}): ColonyFunction {
  return {
    functionid: `${executorname}-${funcname}`,
    executorname,
    executortype: 'echo',
    colonyname: 'dev',
    funcname,
    counter: 0,
    minwaittime: 0,
    maxwaittime: 0,
    minexectime: 0,
    maxexectime: 0,
    avgwaittime: 0,
    avgexectime: 0,
    ...extra,
  };
}

const snapshot = (executors: Executor[], functions: ColonyFunction[] = [], running: Record<string, string[]> = {}): CatalogSnapshot => ({
  executors,
  functions,
  running,
  fetchedAt: NOW,
});

describe('executor model', () => {
  it('names states, marks approved executors stale past the limit, and says when each was heard from', () => {
    const rows = executorRows(
      snapshot([
        executor('fresh', 'echo', ExecutorState.APPROVED, 30),
        executor('old', 'echo', ExecutorState.APPROVED, 900),
        executor('never', 'echo', ExecutorState.APPROVED, undefined),
        executor('waiting-approval', 'echo', ExecutorState.PENDING, 900),
        executor('gone', 'echo', ExecutorState.UNREGISTERED, 900),
      ]),
      NOW,
      600,
    );
    assert.deepEqual(
      rows.map((r) => [r.executor.executorname, r.stateName, r.stale, r.lastHeard]),
      [
        ['fresh', 'approved', false, '30 s ago'],
        ['old', 'approved', true, '15 min ago'],
        ['never', 'approved', true, undefined],
        ['waiting-approval', 'pending', false, '15 min ago'],
        ['gone', 'unregistered', false, '15 min ago'],
      ],
    );
  });

  it('groups by type (sorted) or by state (approved first), executors sorted by name', () => {
    const rows = executorRows(
      snapshot([
        executor('b', 'shell', ExecutorState.APPROVED, 1),
        executor('a', 'shell', ExecutorState.PENDING, 1),
        executor('c', 'echo', ExecutorState.APPROVED, 1),
      ]),
      NOW,
      600,
    );
    assert.deepEqual(
      groupExecutors(rows, 'type').map((g) => [g.label, g.rows.map((r) => r.executor.executorname)]),
      [
        ['echo', ['c']],
        ['shell', ['a', 'b']],
      ],
    );
    assert.deepEqual(
      groupExecutors(rows, 'state').map((g) => [g.label, g.rows.map((r) => r.executor.executorname)]),
      [
        ['approved', ['b', 'c']],
        ['pending', ['a']],
      ],
    );
  });

  it('attaches each executor its own functions and the processes it runs, and sums it up in one line', () => {
    const e = executor('echo-1', 'echo', ExecutorState.APPROVED, 5, { locationname: 'lab' });
    const [row] = executorRows(snapshot([e], [fn('echo-1', 'say'), fn('other', 'x'), fn('echo-1', 'chat')], { [e.executorid]: ['p1'] }), NOW, 600);
    assert.deepEqual(row.functions.map((f) => f.funcname), ['chat', 'say']);
    assert.deepEqual(row.running, ['p1']);
    assert.equal(executorDescription(row, 'type'), 'running 1 · heard 5 s ago · @ lab');
    assert.equal(executorDescription(row, 'state'), 'echo · running 1 · heard 5 s ago · @ lab');
  });

  it('words function statistics in readable units, min / avg / max', () => {
    assert.equal(functionStats(fn('e', 'f')), 'never called');
    assert.equal(
      functionStats(fn('e', 'f', { counter: 1234, minwaittime: 0.004, avgwaittime: 0.25, maxwaittime: 3.5, minexectime: 1, avgexectime: 75, maxexectime: 7300 })),
      '1,234 calls · wait 4 ms / 250 ms / 3.5 s · exec 1 s / 1 min 15 s / 2 h 1 min (min / avg / max)',
    );
  });

  it('describes hardware in one line per entry', () => {
    const e = executor('gpu', 'ml', ExecutorState.APPROVED, 1, {
      capabilities: {
        hardware: [{ model: 'dgx', nodes: 2, cpu: '8000m', cores: 8, mem: '64Gi', storage: '', gpu: { name: 'A100', mem: '80Gi', count: 4, nodecount: 2 }, platform: 'linux', architecture: 'amd64', network: null }],
        software: null,
      },
    });
    assert.deepEqual(hardwareLines(e), ['dgx · 2 nodes · 8 cores · cpu 8000m · mem 64Gi · 4× A100 (80Gi) · linux/amd64']);
    assert.deepEqual(hardwareLines(executor('none', 'x', ExecutorState.APPROVED, 1)), []);
  });
});
