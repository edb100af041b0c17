// The spec file hint before submit (src/specs/waitHint.ts): which conditions it looks at and what it says.
import * as assert from 'node:assert/strict';
import { ExecutorState, type Executor } from '../../../src/colonies/types';
import type { CatalogSnapshot } from '../../../src/store/colonyCatalog';
import { whyNotRunnable } from '../../../src/store/whyWaiting';
import { conditionsPaths, waitHintText } from '../../../src/specs/waitHintText';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ex = (over: Partial<Executor>): Executor =>
  ({ executorid: 'e'.repeat(64), executortype: 'echo', executorname: 'a', colonyname: 'dev', state: ExecutorState.APPROVED, lastheardfromtime: new Date(NOW).toISOString(), ...over }) as Executor;
const snap = (executors: Executor[]): CatalogSnapshot => ({ executors, functions: [], running: {}, fetchedAt: NOW - 12_000 });

describe('spec files: the hint on conditions', () => {
  it('finds the conditions of a function spec and of each spec of a workflow', () => {
    assert.deepEqual(conditionsPaths({ conditions: { executortype: 'x' } }), [['conditions']]);
    assert.deepEqual(conditionsPaths({ functionspecs: [{ conditions: {} }, { funcname: 'x' }, { conditions: {} }] }), [
      ['functionspecs', 0, 'conditions'],
      ['functionspecs', 2, 'conditions'],
    ]);
    assert.deepEqual(conditionsPaths('nope'), []);
  });

  it('says nothing can run it only for what no executor could run, with the age of what it read', () => {
    assert.equal(
      waitHintText({ executortype: 'gpu' }, snap([ex({})]), NOW),
      'Nothing in the connected colony can run this now (executors as read 12 s ago): No executor of type "gpu" is registered in the colony; start one of that type or fix conditions.executortype.',
    );
    assert.equal(waitHintText({ executortype: 'echo' }, snap([ex({})]), NOW), undefined);
    assert.match(waitHintText({ executortype: 'echo' }, snap([ex({ state: ExecutorState.PENDING })]), NOW) ?? '', /must be approved by the colony owner/);
  });

  it('reads hand-written conditions of the wrong types as unset instead of failing', () => {
    const odd = { executortype: 'echo', executornames: 'a', locationname: 5, nodes: '999', gpu: 'big', cpu: 7 };
    assert.equal(whyNotRunnable(odd, snap([ex({})]), NOW), undefined);
    assert.equal(whyNotRunnable(null, snap([ex({})]), NOW)?.code, 'no-type');
  });
});
