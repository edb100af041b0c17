import * as assert from 'node:assert/strict';
import { hasErrors } from '../../../src/specs/issues';
import { analyzeSpecText, prepareSubmission } from '../../../src/specs/validate';

const spec = (extra: object = {}) => JSON.stringify({ funcname: 'f', conditions: { executortype: 'e' }, ...extra });
const codes = (text: string, file: string, expect?: 'funcspec' | 'workflow') => analyzeSpecText(text, file, { expect }).issues.map((i) => i.code);

describe('specs: validation before submit', () => {
  it('refuses a workflow given to Submit and a spec given to Submit Workflow, saying which command to use', () => {
    const wf = analyzeSpecText('[{"nodename":"a","funcname":"f","conditions":{"executortype":"e"}}]', 'x.json', { expect: 'funcspec' });
    assert.equal(wf.issues.length, 1);
    assert.match(wf.issues[0].message, /is a workflow .* use "ColonyOS: Submit Workflow" instead/);
    const one = analyzeSpecText(spec(), 'x.json', { expect: 'workflow' });
    assert.match(one.issues[0].message, /single function spec.*"ColonyOS: Submit Function Spec"/);
  });

  it('checks an unrecognised document against the kind the command expects', () => {
    assert.deepEqual(codes('{"label":"x"}', 'x.json', 'funcspec'), ['missing', 'missing']);
    assert.deepEqual(codes('{"label":"x"}', 'x.json'), ['not-a-spec']);
  });

  it('missing funcname and conditions.executortype are errors that block the request', () => {
    const p = prepareSubmission('{"conditions":{}}', 'a.colonyos.json', 'funcspec', 'dev');
    assert.equal(p.ok, false);
    if (!p.ok) assert.deepEqual(p.issues.map((i) => i.message.split(':')[0]), ['Missing "funcname"', 'Missing "conditions.executortype"']);
  });

  it('dependencies in a single spec are a warning, not an error', () => {
    assert.deepEqual(codes(spec({ conditions: { executortype: 'e', dependencies: ['x'] } }), 'a.colonyos.json'), ['standalone-dependencies']);
  });

  it('workflow: unknown dependency, duplicate and missing nodenames, self-dependency and cycles are errors', () => {
    const node = (n: string, deps: string[] = []) => ({ nodename: n, funcname: n, conditions: { executortype: 'e', dependencies: deps } });
    const wf = (...specs: object[]) => JSON.stringify(specs);
    assert.deepEqual(codes(wf(node('a'), node('b', ['a'])), 'w.workflow.json'), []);
    assert.deepEqual(codes(wf(node('a'), node('b', ['x'])), 'w.workflow.json'), ['unknown-dependency']);
    assert.deepEqual(codes(wf(node('a'), node('a')), 'w.workflow.json'), ['duplicate-nodename']);
    assert.deepEqual(codes(wf(node('a', ['a'])), 'w.workflow.json'), ['self-dependency']);
    assert.deepEqual(codes(wf(node('a', ['b']), node('b', ['a'])), 'w.workflow.json'), ['dependency-cycle']);
    assert.deepEqual(codes(wf(node('a'), { funcname: 'f', conditions: { executortype: 'e' } }), 'w.workflow.json'), ['missing']);
    // A diamond is not a cycle.
    assert.deepEqual(codes(wf(node('a'), node('b', ['a']), node('c', ['a']), node('d', ['b', 'c'])), 'w.workflow.json'), []);
  });

  it('workflow: a spec colony other than the workflow colony is a warning (the server overrides it)', () => {
    const text = JSON.stringify([{ nodename: 'a', funcname: 'f', conditions: { executortype: 'e', colonyname: 'other' } }]);
    assert.deepEqual(codes(text, 'w.workflow.json'), []);
    const withActive = analyzeSpecText(text, 'w.workflow.json', { activeColony: 'dev' });
    assert.deepEqual(withActive.issues.map((i) => [i.code, i.severity]), [['colony-overridden', 'warning']]);
    assert.equal(hasErrors(withActive.issues), false);
  });

  it('positions point at the offending token', () => {
    const text = '{\n  "funcname": "f",\n  "conditions": {"executortype": "e"},\n  "priority": "high"\n}';
    const [issue] = analyzeSpecText(text, 'a.colonyos.json').issues;
    assert.deepEqual([issue.line, issue.column, text.slice(issue.offset, issue.offset + issue.length)], [4, 15, '"high"']);
  });
});
