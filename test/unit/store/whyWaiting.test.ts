// "Why is it waiting?" against hand-made catalog snapshots: one test per case, in the order a user meets them,
// plus the caps on what a hostile server can put in the sentence.
import * as assert from 'node:assert/strict';
import { ExecutorState, ProcessState, type Conditions, type Executor, type Process } from '../../../src/colonies/types';
import type { CatalogSnapshot } from '../../../src/store/colonyCatalog';
import { longWaitText, MAX_SENTENCE, whyNotRunnable, whyWaiting } from '../../../src/store/whyWaiting';
import { makeProcess } from '../views/fixtures';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const ZERO = '0001-01-01T00:00:00Z';

function ex(name: string, over: Partial<Executor> = {}): Executor {
  return {
    executorid: `${name}-id`.padEnd(64, '0'),
    executortype: 'echo',
    executorname: name,
    colonyname: 'dev',
    state: ExecutorState.APPROVED,
    requirefuncreg: false,
    commissiontime: ago(3_600_000),
    lastheardfromtime: ago(5_000),
    capabilities: { hardware: null, software: null },
    allocations: { projects: null },
    ...over,
  };
}

function snap(executors: Executor[], running: Record<string, string[]> = {}): CatalogSnapshot {
  return { executors, functions: [], running, fetchedAt: NOW };
}

function waiting(c: Partial<Conditions> = {}, over: Partial<Process> = {}): Process {
  const p = makeProcess({ id: 'f'.repeat(64), executortype: 'echo', ...over });
  return { ...p, submissiontime: over.submissiontime ?? ago(10_000), spec: { ...p.spec, ...over.spec, conditions: { ...p.spec.conditions, ...c } } };
}

describe('whyWaiting', () => {
  it('says when no executor of the type is registered, and hints at a type differing only in case', () => {
    const r = whyWaiting(waiting({ executortype: 'gpu' }), snap([ex('a')]), NOW);
    assert.equal(r.code, 'no-type');
    assert.equal(r.blocking, true);
    assert.equal(r.fix, 'start-executor');
    assert.match(r.sentence, /^No executor of type "gpu" is registered in the colony; start one of that type or fix conditions\.executortype\.$/);
    const r2 = whyWaiting(waiting({ executortype: 'Echo' }), snap([ex('a')]), NOW);
    assert.match(r2.sentence, /case-sensitive: did you mean "echo"\?/);
    assert.equal(r2.fix, 'edit-conditions');
  });

  it('names executornames that do not exist, and those that exist with another type', () => {
    const missing = whyWaiting(waiting({ executornames: ['ghost'] }), snap([ex('a'), ex('b')]), NOW);
    assert.equal(missing.code, 'names-missing');
    assert.match(missing.sentence, /No executor is named "ghost" \(conditions\.executornames\); executors of type "echo": "a", "b"\./);
    const other = whyWaiting(waiting({ executornames: ['py'] }), snap([ex('a'), ex('py', { executortype: 'python' })]), NOW);
    assert.equal(other.code, 'names-other-type');
    assert.match(other.sentence, /"py" named in executornames is of type "python", not "echo"/);
    assert.deepEqual(other.executors, ['py']);
    const noType = whyWaiting(waiting({ executortype: 'nope', executornames: ['py'] }), snap([ex('py', { executortype: 'python' })]), NOW);
    assert.equal(noType.code, 'names-other-type');
  });

  it('lists pending, rejected and unregistered executors of the type: the owner must approve which', () => {
    const r = whyWaiting(
      waiting(),
      snap([ex('p1', { state: ExecutorState.PENDING }), ex('r1', { state: ExecutorState.REJECTED }), ex('u1', { state: ExecutorState.UNREGISTERED })]),
      NOW,
    );
    assert.equal(r.code, 'not-approved');
    assert.equal(r.fix, 'approve');
    assert.equal(r.sentence, 'No executor of type "echo" is approved: "p1" (pending), "r1" (rejected) must be approved by the colony owner, and "u1" must register again.');
    assert.deepEqual(r.executors, ['p1', 'r1', 'u1']);
    const gone = whyWaiting(waiting(), snap([ex('u1', { state: ExecutorState.UNREGISTERED })]), NOW);
    assert.equal(gone.fix, 'start-executor');
  });

  it('judges approval among the named executors only', () => {
    const r = whyWaiting(waiting({ executornames: ['p1'] }), snap([ex('a'), ex('p1', { state: ExecutorState.PENDING })]), NOW);
    assert.equal(r.code, 'not-approved');
    assert.match(r.sentence, /type "echo" among executornames is approved: "p1" \(pending\)/);
  });

  it('names a location no approved executor of the type is in; the match ignores case as the server does', () => {
    const r = whyWaiting(waiting({ locationname: 'mars' }), snap([ex('a', { locationname: 'earth' }), ex('b')]), NOW);
    assert.equal(r.code, 'location');
    assert.match(r.sentence, /is in location "mars" \(they are in "earth"\); fix conditions\.locationname/);
    const none = whyWaiting(waiting({ locationname: 'mars' }), snap([ex('b')]), NOW);
    assert.match(none.sentence, /\(none has a location\)/);
    const ok = whyWaiting(waiting({ locationname: 'EARTH' }), snap([ex('a', { locationname: 'earth' })]), NOW);
    assert.equal(ok.code, 'ready');
  });

  it('refuses nodes, processes or processespernode above 127 (the server compares with math.MaxInt8)', () => {
    for (const field of ['nodes', 'processes', 'processespernode'] as const) {
      const r = whyWaiting(waiting({ [field]: 128 }), snap([ex('a')]), NOW);
      assert.equal(r.code, 'ceiling', field);
      assert.match(r.sentence, new RegExp(`conditions\\.${field} is 128, above the 127`));
    }
    assert.equal(whyWaiting(waiting({ nodes: 127 }), snap([ex('a')]), NOW).code, 'ready');
  });

  it('does not invent blockers for what the server ignores: gpu, registered hardware, cpu and mem it cannot see', () => {
    const r = whyWaiting(
      waiting({ cpu: '64000m', mem: '512Gi', gpu: { name: 'a100', count: 8, mem: '80Gi', nodecount: 1 } }),
      snap([ex('a', { capabilities: { hardware: [], software: null } })]),
      NOW,
    );
    assert.equal(r.code, 'ready');
    assert.equal(r.blocking, false);
    assert.match(r.sentence, /unless it asks with less than 64000m CPU or 512Gi memory free; the server does not check gpu/);
  });

  it('does not look at the function registry or requirefuncreg (the server ignores both when assigning)', () => {
    const r = whyWaiting(waiting({}, { funcname: 'unregistered' } as Partial<Process>), snap([ex('a', { requirefuncreg: true })]), NOW);
    assert.equal(r.code, 'ready');
  });

  it('says when every candidate is stale, and when an approved executor never asked for work', () => {
    const r = whyWaiting(waiting(), snap([ex('a', { lastheardfromtime: ago(25 * 60_000) }), ex('b', { lastheardfromtime: ago(11 * 60_000) })]), NOW);
    assert.equal(r.code, 'stale');
    assert.equal(r.fix, 'restart-executor');
    assert.match(r.sentence, /\("a", "b"\) last asked for work 11 min ago, and the server unregisters executors silent for 10 min; restart them\./);
    const custom = whyWaiting(waiting(), snap([ex('a', { lastheardfromtime: ago(90_000) })]), NOW, { staleLimitMs: 60_000 });
    assert.equal(custom.code, 'stale');
    const never = whyWaiting(waiting(), snap([ex('a', { lastheardfromtime: ZERO })]), NOW);
    assert.equal(never.code, 'never-polled');
    assert.equal(never.sentence, '"a" is approved but never asked for work; start it (executors poll for work).');
  });

  it('names the busy candidates and the processes they run, not counting the process itself', () => {
    const a = ex('a');
    const b = ex('b', { lastheardfromtime: ago(20 * 60_000) });
    const r = whyWaiting(waiting(), snap([a, b], { [a.executorid]: ['1234567890abcdef'.padEnd(64, '1')] }), NOW);
    assert.equal(r.code, 'busy');
    assert.match(r.sentence, /busy \("a" runs 12345678\)/);
    assert.deepEqual(r.executors, ['a']);
    const self = whyWaiting(waiting(), snap([a], { [a.executorid]: ['f'.repeat(64)] }), NOW);
    assert.equal(self.code, 'ready');
  });

  it('says when nothing blocks it', () => {
    const r = whyWaiting(waiting(), snap([ex('a'), ex('b', { lastheardfromtime: ago(20 * 60_000) })]), NOW);
    assert.equal(r.code, 'ready');
    assert.equal(r.sentence, 'An executor of type "echo" ("a") can take it; it is waiting for one to ask for work (executors poll).');
  });

  it('adds maxwaittime about to run out, or run out, to the sentence', () => {
    const soon = whyWaiting(waiting({ executortype: 'gpu' }, { spec: { maxwaittime: 30 } as Process['spec'], waitdeadline: new Date(NOW + 12_000).toISOString() }), snap([ex('a')]), NOW);
    assert.equal(soon.deadline, 'soon');
    assert.match(soon.sentence, /fix conditions\.executortype; its maxwaittime fails it in 12 s unless it is assigned\.$/);
    const gone = whyWaiting(waiting({}, { spec: { maxwaittime: 5 } as Process['spec'] }), snap([ex('a')]), NOW);
    assert.equal(gone.deadline, 'expired');
    assert.match(gone.sentence, /its maxwaittime \(5 s\) has run out, so the server fails it within seconds\.$/);
    const far = whyWaiting(waiting({}, { spec: { maxwaittime: 3600 } as Process['spec'] }), snap([ex('a')]), NOW);
    assert.equal(far.deadline, undefined);
  });

  it('explains workflow children waiting for parents, and processes that are not waiting', () => {
    const r = whyWaiting(waiting({}, { waitforparents: true, parents: ['abcdef0123'.padEnd(64, '0')] }), snap([]), NOW);
    assert.equal(r.code, 'parents');
    assert.match(r.sentence, /parent processes \(abcdef01\)/);
    assert.equal(whyWaiting(waiting({}, { state: ProcessState.RUNNING }), snap([]), NOW).code, 'not-waiting');
  });

  it('caps names, lists and the sentence, and strips control characters from server text', () => {
    const many = Array.from({ length: 50 }, (_, i) => ex(`${'x'.repeat(200)}\n${i}`, { state: ExecutorState.PENDING }));
    const r = whyWaiting(waiting(), snap(many), NOW);
    assert.ok(r.sentence.length <= MAX_SENTENCE, `${r.sentence.length}`);
    assert.doesNotMatch(r.sentence, /\n/);
    assert.match(r.sentence, /and 47 more/);
    assert.ok(r.executors.every((n) => n.length <= 41));
  });

  it('whyNotRunnable: hints only what nothing in the colony can run, not busy or silent executors', () => {
    const c = waiting().spec.conditions;
    assert.equal(whyNotRunnable({ ...c, executortype: 'gpu' }, snap([ex('a')]), NOW)?.code, 'no-type');
    assert.equal(whyNotRunnable(c, snap([ex('a', { lastheardfromtime: ago(3_600_000) })]), NOW), undefined);
    assert.equal(whyNotRunnable(c, snap([ex('a')], { [ex('a').executorid]: ['x'] }), NOW), undefined);
    assert.equal(whyNotRunnable({ ...c, locationname: 'moon' }, snap([ex('a')]), NOW)?.code, 'location');
  });

  it('longWaitText: one notice for a long wait that nothing will end on its own', () => {
    const p = waiting({ executortype: 'gpu' }, { submissiontime: ago(5 * 60_000) });
    const r = whyWaiting(p, snap([ex('a')]), NOW);
    assert.match(longWaitText(p, r, NOW) ?? '', /^Process ffffffffffff \(echo\) has waited 5 min: No executor of type "gpu"/);
    assert.equal(longWaitText(p, r, NOW, 10 * 60_000), undefined, 'not long enough yet');
    const busy = ex('a');
    const q = waiting({}, { submissiontime: ago(5 * 60_000) });
    assert.equal(longWaitText(q, whyWaiting(q, snap([busy], { [busy.executorid]: ['1'.repeat(64)] }), NOW), NOW), undefined, 'busy ends on its own');
    assert.equal(longWaitText(q, whyWaiting(q, snap([busy]), NOW), NOW), undefined, 'nothing blocks');
  });
});
