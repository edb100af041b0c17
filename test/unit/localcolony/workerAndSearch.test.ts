// The worker executor's pure parts (which values a step works on, how long a sleep lasts) and the local colony's
// LIKE matching for searchlogsmsg (checked against a real server in test/integration/logSearch.test.ts).
import { strict as assert } from 'node:assert';
import type { Process } from '../../../src/colonies/types';
import { MAX_SLEEP_SECONDS, sleepSeconds, stepValues } from '../../../src/localcolony/executors/worker';
import { likePattern } from '../../../src/localcolony/handlers/logs';

const proc = (args: unknown[], input: unknown[] = []) => ({ spec: { args }, in: input }) as unknown as Process;

describe('worker executor: step values', () => {
  it('works on the args, or on the inputs when there are none, as text', () => {
    assert.deepEqual(stepValues(proc(['a', 2, { b: 1 }])), ['a', '2', '{"b":1}']);
    assert.deepEqual(stepValues(proc([], ['from parent'])), ['from parent']);
    assert.equal(stepValues(proc(Array.from({ length: 500 }, () => 'x'))).length, 100);
    assert.equal(stepValues(proc(['y'.repeat(10_000)]))[0].length, 4096);
  });

  it('sleeps a bounded number of seconds', () => {
    assert.equal(sleepSeconds([]), 1);
    assert.equal(sleepSeconds(['0.5']), 0.5);
    assert.throws(() => sleepSeconds(['-1']), /from 0 to/);
    assert.throws(() => sleepSeconds([String(MAX_SLEEP_SECONDS + 1)]), /from 0 to/);
    assert.throws(() => sleepSeconds(['soon']), /from 0 to/);
  });
});

describe('local colony: log search matches like SQL LIKE', () => {
  it('is case-sensitive, treats % and _ as wildcards and a backslash as an escape', () => {
    assert.equal(likePattern('Needle').test('a Needle here'), true);
    assert.equal(likePattern('Needle').test('a needle here'), false);
    assert.equal(likePattern('N_edle%here').test('a Needle is here'), true);
    assert.equal(likePattern('50\\%').test('50% done'), true);
    assert.equal(likePattern('50\\%').test('500 done'), false);
    assert.equal(likePattern('a.b(c)[d]').test('x a.b(c)[d] y'), true);
    assert.equal(likePattern('a.b').test('axb'), false);
    assert.equal(likePattern('_').test('😀'), true);
  });
});
