// Defaults as the ColonyOS CLI applies them (internal/cli function/workflow submit, pkg/core).
import * as assert from 'node:assert/strict';
import { limitOrNone, toFunctionSpec, toWorkflowSpec } from '../../../src/specs/defaults';
import { prepareSubmission } from '../../../src/specs/validate';

describe('specs: CLI defaults', () => {
  it('an empty or absent conditions.colonyname becomes the active colony; a set one stays', () => {
    assert.equal(toFunctionSpec({ funcname: 'f', conditions: { executortype: 'e' } }, 'dev').conditions.colonyname, 'dev');
    assert.equal(toFunctionSpec({ funcname: 'f', conditions: { executortype: 'e', colonyname: '' } }, 'dev').conditions.colonyname, 'dev');
    assert.equal(toFunctionSpec({ funcname: 'f', conditions: { executortype: 'e', colonyname: 'prod' } }, 'dev').conditions.colonyname, 'prod');
  });

  it('absent or 0 maxwaittime/maxexectime become -1; other values stay', () => {
    const absent = toFunctionSpec({ funcname: 'f', conditions: { executortype: 'e' } }, 'dev');
    assert.equal(absent.maxwaittime, -1);
    assert.equal(absent.maxexectime, -1);
    const zero = toFunctionSpec({ funcname: 'f', conditions: { executortype: 'e' }, maxwaittime: 0, maxexectime: 0 }, 'dev');
    assert.equal(zero.maxwaittime, -1);
    assert.equal(zero.maxexectime, -1);
    const set = toFunctionSpec({ funcname: 'f', conditions: { executortype: 'e' }, maxwaittime: 30, maxexectime: 60, maxretries: 2 }, 'dev');
    assert.deepEqual([set.maxwaittime, set.maxexectime, set.maxretries], [30, 60, 2]);
    assert.equal(limitOrNone(-1), -1);
  });

  it('absent or null args/kwargs are sent as [] and {}, as a real server stores them (never null or undefined)', () => {
    for (const raw of [{ funcname: 'f' }, { funcname: 'f', args: null, kwargs: null }]) {
      const s = toFunctionSpec(raw, 'dev');
      assert.deepEqual([s.args, s.kwargs], [[], {}]);
      assert.match(JSON.stringify(s), /"args":\[\],"kwargs":\{\}/);
    }
  });

  it('maxretries and priority keep Go zero values when absent', () => {
    const s = toFunctionSpec({ funcname: 'f', conditions: { executortype: 'e' } }, 'dev');
    assert.equal(s.maxretries, 0);
    assert.equal(s.priority, 0);
  });

  it('every field is filled, unknown keys are dropped, case variants are read like Go does', () => {
    const s = toFunctionSpec({ FuncName: 'f', conditions: { ExecutorType: 'e' }, func: 'ignored', $schema: 'x', channels: ['chat'] }, 'dev');
    assert.equal(s.funcname, 'f');
    assert.equal(s.conditions.executortype, 'e');
    assert.deepEqual(s.channels, ['chat']);
    assert.deepEqual(Object.keys(s).sort(), ['args', 'channels', 'conditions', 'env', 'fs', 'funcname', 'kwargs', 'label', 'maxexectime', 'maxretries', 'maxwaittime', 'nodename', 'priority'].sort());
    assert.deepEqual(s.conditions.gpu, { name: '', mem: '', count: 0, nodecount: 0 });
    assert.deepEqual(s.fs, { mount: '', snapshots: [], dirs: [] });
    assert.deepEqual([s.args, s.kwargs, s.env], [[], {}, {}]);
  });

  it('keeps every protocol field it is given', () => {
    const raw = {
      nodename: 'n', funcname: 'f', args: [1, 'a'], kwargs: { k: true }, priority: 5, label: 'l', env: { A: 'b' }, channels: ['c'],
      conditions: { colonyname: 'c1', executortype: 'e', executornames: ['x'], locationname: 'lab', dependencies: ['m'], nodes: 2,
        cpu: '1000m', processes: 3, processespernode: 4, mem: '1Gi', storage: '2Gi', gpu: { name: 'g', mem: '8Gi', count: 1, nodecount: 1 }, walltime: 9 },
      fs: { mount: '/m', snapshots: [{ snapshotid: 's', label: 'l', dir: '/d', keepfiles: true, keepsnapshot: false }], dirs: [] },
    };
    const s = toFunctionSpec(raw, 'dev');
    assert.deepEqual(s.conditions, raw.conditions);
    assert.deepEqual(s.fs, raw.fs);
    assert.deepEqual([s.nodename, s.args, s.kwargs, s.priority, s.label, s.env], ['n', [1, 'a'], { k: true }, 5, 'l', { A: 'b' }]);
  });

  it('a workflow gets the active colony when it names none, and every spec runs in the workflow colony', () => {
    const arr = toWorkflowSpec([{ nodename: 'a', funcname: 'f', conditions: { executortype: 'e' } }], 'dev');
    assert.equal(arr.colonyname, 'dev');
    assert.equal(arr.functionspecs[0].conditions.colonyname, 'dev');
    assert.equal(arr.functionspecs[0].maxexectime, -1);
    const obj = toWorkflowSpec({ colonyname: 'prod', functionspecs: [{ nodename: 'a', funcname: 'f', conditions: { executortype: 'e', colonyname: 'x' } }] }, 'dev');
    assert.equal(obj.colonyname, 'prod');
    assert.equal(obj.functionspecs[0].conditions.colonyname, 'prod');
  });

  it('prepareSubmission applies them to the document text', () => {
    const p = prepareSubmission('{"funcname":"chat","conditions":{"executortype":"echo"},"maxexectime":0}', 'chat.colonyos.json', 'funcspec', 'dev');
    assert.ok(p.ok && p.kind === 'funcspec');
    assert.equal(p.spec.maxexectime, -1);
    assert.equal(p.spec.conditions.colonyname, 'dev');
    assert.deepEqual(p.warnings.map((w) => w.code), ['maxexectime-zero']);
    assert.deepEqual(p.warnings[0].fix, { title: 'Set maxexectime to -1', path: ['maxexectime'], value: -1 });
  });
});
