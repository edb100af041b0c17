// New Function Spec / New Workflow propose a file name that is free in the target folder.
import { strict as assert } from 'node:assert';
import { firstFreeName, FUNCSPEC_TEMPLATE_NAME, WORKFLOW_TEMPLATE_NAME } from '../../../src/specs/templates';

describe('specs: the proposed name of a new spec file', () => {
  it('is the template name while that is free', async () => {
    assert.equal(await firstFreeName(FUNCSPEC_TEMPLATE_NAME, () => false), 'chat.colonyos.json');
  });

  it('numbers the stem before every extension when the name is taken: name-2, name-3, …', async () => {
    const taken = new Set(['chat.colonyos.json', 'chat-2.colonyos.json']);
    assert.equal(await firstFreeName(FUNCSPEC_TEMPLATE_NAME, (n) => taken.has(n)), 'chat-3.colonyos.json');
    assert.equal(await firstFreeName(WORKFLOW_TEMPLATE_NAME, async (n) => n === 'pipeline.workflow.json'), 'pipeline-2.workflow.json');
  });

  it('handles a name without an extension, and gives up at the limit with the original name', async () => {
    assert.equal(await firstFreeName('spec', (n) => n === 'spec'), 'spec-2');
    assert.equal(await firstFreeName('a.json', () => true, 5), 'a.json');
  });
});
