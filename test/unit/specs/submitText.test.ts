import * as assert from 'node:assert/strict';
import { ExecutorState, type Executor } from '../../../src/colonies/types';
import { analyzeSpecText } from '../../../src/specs/validate';
import { missingExecutorText, submitFailureText, validationFailureText } from '../../../src/specs/submitText';

const executor = (executortype: string, state: ExecutorState) => ({ executortype, state }) as Executor;

describe('specs: submit messages', () => {
  it('server refusals keep the server words and add what to do', () => {
    assert.equal(
      submitFailureText('a.colonyos.json', 'Failed to submit function spec, priority outside range [-50000, 50000]'),
      'a.colonyos.json was not submitted. The ColonyOS server said: "Failed to submit function spec, priority outside range [-50000, 50000]". Set "priority" to a whole number between -50000 and 50000.',
    );
    assert.match(
      submitFailureText('w.workflow.json', 'Failed to submit workflow, invalid dependencies, are you depending on a nodename that does not exits?'),
      /"Failed to submit workflow, invalid dependencies.*"\. Every entry of "conditions.dependencies"/,
    );
    assert.match(submitFailureText('w.workflow.json', 'Duplicate nodename: a'), /own "nodename"/);
    assert.equal(submitFailureText('x', 'something else'), 'x was not submitted. The ColonyOS server said: "something else".');
  });

  it('a refused document names the file, the place and the fix, and says nothing was sent', () => {
    const issues = analyzeSpecText('{\n  "func": "x",\n  "conditions": {}\n}', 'a.colonyos.json').issues;
    assert.equal(
      validationFailureText('a.colonyos.json', issues),
      'Nothing was sent: a.colonyos.json has 2 problems. a.colonyos.json:1:1: error: Missing "funcname": the name of the function the executor should run, e.g. "funcname": "chat". (and 1 more in the Problems view)',
    );
  });

  it('warns when nothing in the colony could run it (as Why is it waiting? says), and how long the process waits', () => {
    assert.equal(missingExecutorText({ executortype: 'echo' }, [executor('echo', ExecutorState.APPROVED)], -1), undefined);
    assert.equal(
      missingExecutorText({ executortype: 'gpu' }, [executor('echo', ExecutorState.APPROVED)], -1),
      'No executor of type "gpu" is registered in the colony; start one of that type or fix conditions.executortype. The process waits until then (no maxwaittime).',
    );
    assert.match(
      missingExecutorText({ executortype: 'gpu' }, [executor('gpu', ExecutorState.PENDING)], 60) ?? '',
      /^No executor of type "gpu" is approved: ".*" \(pending\) must be approved by the colony owner\. The process waits for up to 60 s \(maxwaittime\), then fails\.$/,
    );
    assert.match(missingExecutorText({ executortype: 'echo', locationname: 'mars' }, [executor('echo', ExecutorState.APPROVED)], -1) ?? '', /in location "mars"/);
  });
});
