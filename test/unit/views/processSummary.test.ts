// A process's details as text a person reads: states by name, durations, the executor by name, bounded hostile text.
import { strict as assert } from 'node:assert';
import { ProcessState, type Process } from '../../../src/colonies/types';
import { processSummary } from '../../../src/views/processSummary';

const NOW = Date.parse('2026-12-01T12:10:00Z');
const ID = 'a'.repeat(64);
const EX = 'e'.repeat(64);

function proc(extra: Partial<Process>): Process {
  return {
    processid: ID,
    initiatorid: 'i'.repeat(64),
    initiatorname: 'myuser',
    assignedexecutorid: EX,
    isassigned: true,
    state: ProcessState.FAILED,
    submissiontime: '2026-12-01T12:00:00Z',
    starttime: '2026-12-01T12:00:12Z',
    endtime: '2026-12-01T12:01:15Z',
    retries: 0,
    spec: { nodename: 'train', funcname: 'train', args: ['a', 1], kwargs: { lr: 0.1 }, priority: 0, maxwaittime: -1, maxexectime: 600, maxretries: 0, conditions: { executortype: 'gpu', colonyname: 'dev' }, channels: ['chat'] },
    out: null,
    errors: ['CUDA out of memory'],
    parents: null,
    children: null,
    processgraphid: '',
    ...extra,
  } as unknown as Process;
}

describe('process summary', () => {
  it('names the state, the executor, how long it waited and ran, its errors and where the raw JSON is', () => {
    const text = processSummary(proc({}), { now: NOW, executorName: 'gpu-1', myId: 'i'.repeat(64) });
    const lines = text.split('\n');
    assert.equal(lines[0], 'train · Failed');
    assert.equal(lines[1], `Process ${ID}`);
    assert.ok(lines.includes(`Executor       gpu-1 (${EX.slice(0, 12)})`), text);
    assert.ok(lines.includes('Submitted by   myuser (you)'), text);
    assert.ok(lines.includes('Waited         12 s'), text);
    assert.ok(lines.includes('Ran            1 min 3 s'), text);
    assert.ok(lines.includes('Limits         run 10 min'), text);
    assert.deepEqual(lines.slice(lines.indexOf('Errors'), lines.indexOf('Errors') + 2), ['Errors', '  - CUDA out of memory']);
    assert.ok(lines.includes('  lr: 0.1'), text);
    assert.match(text, /Show Raw JSON/);
  });

  it('says how long a waiting process has waited, and shows a workflow member with its relatives', () => {
    const text = processSummary(
      proc({ state: ProcessState.WAITING, starttime: '0001-01-01T00:00:00Z', endtime: '0001-01-01T00:00:00Z', assignedexecutorid: '', errors: null, processgraphid: 'g'.repeat(64), parents: ['p'.repeat(64)], children: [] }),
      { now: NOW },
    );
    assert.match(text, /\nWaiting for +10 min\n/);
    assert.doesNotMatch(text, /\nExecutor {2}/);
    assert.doesNotMatch(text, /\nErrors\n/);
    assert.match(text, /\n {2}Parents +pppppppppppp\n {2}Children +\(none\)\n/);
  });

  it('keeps hostile server text on one bounded line without control characters', () => {
    const text = processSummary(proc({ out: ['\u001b[2J\u001b[Hcleared\r\nsecond line', 'x'.repeat(10_000)], errors: Array.from({ length: 50 }, (_, i) => `e${i}`) }), { now: NOW });
    assert.doesNotMatch(text, /\u001b/);
    assert.match(text, / {2}- \[2J\[Hcleared ⏎ second line\n/);
    assert.ok(text.split('\n').every((l) => l.length < 2100), 'every line bounded');
    assert.match(text, /… and 30 more \(Show Raw JSON for all\)/);
  });
});
