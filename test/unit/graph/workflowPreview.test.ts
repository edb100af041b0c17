// The graph preview of a workflow file (src/specs/workflowGraph.ts): validate.ts's problems drawn on nodes and edges.
import * as assert from 'node:assert/strict';
import { GHOST_PREFIX, previewGraph } from '../../../src/specs/workflowGraph';
import { analyzeSpecText } from '../../../src/specs/validate';

const spec = (nodename: string, dependencies: string[] = [], extra: Record<string, unknown> = {}) => ({
  nodename,
  funcname: `${nodename}-fn`,
  conditions: { executortype: 'worker', dependencies },
  ...extra,
});
const text = (specs: unknown[]) => JSON.stringify(specs, null, 2);

describe('workflow preview graph', () => {
  it('draws a valid workflow: one node per spec, parent → child edges, no problems', () => {
    const t = text([spec('fetch'), spec('train', ['fetch']), spec('report', ['train', 'fetch'])]);
    const r = previewGraph(t, 'ml.workflow.json', 'ml.workflow.json');
    const view = r.view!;
    assert.equal(view.mode, 'preview');
    assert.deepEqual(view.nodes.map((n) => [n.id, n.label, n.detail, n.problems]), [
      ['fetch', 'fetch', 'fetch-fn', undefined],
      ['train', 'train', 'train-fn', undefined],
      ['report', 'report', 'report-fn', undefined],
    ]);
    assert.deepEqual(view.edges, [{ from: 'fetch', to: 'train' }, { from: 'train', to: 'report' }, { from: 'fetch', to: 'report' }]);
    assert.equal(view.subtitle, '3 specs · no problems');
    // Each node knows where its spec is, for "Go to Spec".
    const at = r.sources.get('train')!;
    assert.match(t.slice(at.offset, at.offset + at.length), /^\{[\s\S]*"nodename": "train"[\s\S]*\}$/);
  });

  it('draws an unknown dependency as a dangling edge from a ghost node that carries the message', () => {
    const r = previewGraph(text([spec('a'), spec('b', ['a', 'nope'])]), 'w.workflow.json', 'w');
    const ghost = r.view!.nodes.find((n) => n.state === 'ghost')!;
    assert.equal(ghost.id, `${GHOST_PREFIX}nope`);
    assert.equal(ghost.label, 'nope');
    assert.match(ghost.problems![0], /Dependency "nope" is not the nodename of any spec/);
    assert.deepEqual(r.view!.edges.find((e) => e.from === ghost.id), { from: ghost.id, to: 'b', problem: 'dangling' });
  });

  it('draws a cycle as red edges, each node on it carrying the message', () => {
    const r = previewGraph(text([spec('a', ['c']), spec('b', ['a']), spec('c', ['b']), spec('d', ['a'])]), 'w.workflow.json', 'w');
    const cycle = r.view!.edges.filter((e) => e.problem === 'cycle').map((e) => `${e.from}>${e.to}`).sort();
    assert.deepEqual(cycle, ['a>b', 'b>c', 'c>a']);
    assert.deepEqual(r.view!.edges.find((e) => e.to === 'd'), { from: 'a', to: 'd' });
    for (const id of ['a', 'b', 'c']) assert.match(r.view!.nodes.find((n) => n.id === id)!.problems![0], /Dependency cycle/);
    assert.equal(r.view!.nodes.find((n) => n.id === 'd')!.problems, undefined);
  });

  it('draws a repeated nodename as its own red node with the message, and edges to the first of that name', () => {
    const r = previewGraph(text([spec('a'), spec('a'), spec('b', ['a'])]), 'w.workflow.json', 'w');
    const [first, second] = r.view!.nodes;
    assert.equal(first.problems, undefined);
    assert.equal(second.id, '#1');
    assert.equal(second.label, 'a');
    assert.match(second.problems![0], /Duplicate nodename "a"/);
    assert.deepEqual(r.view!.edges, [{ from: 'a', to: 'b' }]);
  });

  it('uses validate.ts for the checks: every error it reports on a spec is on a node', () => {
    const t = text([spec('a', ['a']), spec('b', [], { priority: 'high' })]);
    const errors = analyzeSpecText(t, 'w.workflow.json', { expect: 'workflow' }).issues.filter((i) => i.severity === 'error');
    const drawn = previewGraph(t, 'w.workflow.json', 'w').view!.nodes.flatMap((n) => n.problems ?? []);
    assert.ok(errors.length >= 2);
    assert.deepEqual(drawn.sort(), errors.map((i) => i.message).sort());
  });

  it('survives invalid JSON and other documents: an error to show, no graph (the panel keeps the last good one)', () => {
    const broken = previewGraph('[{"nodename": "a", ', 'w.workflow.json', 'w');
    assert.equal(broken.view, undefined);
    assert.match(broken.error!, /^Not valid JSON \(1:\d+ .*\)\. Showing the last graph/);
    const single = previewGraph(JSON.stringify(spec('a')), 'w.workflow.json', 'w');
    assert.equal(single.view, undefined);
    assert.match(single.error!, /single function spec, not a workflow/);
  });

  it('keeps names from the file within the limits', () => {
    const r = previewGraph(text([spec('n'.repeat(5000), ['d'.repeat(5000)])]), 'w.workflow.json', 'w');
    for (const n of r.view!.nodes) {
      assert.ok(n.id.length <= 200 && n.label.length <= 120);
    }
  });
});
