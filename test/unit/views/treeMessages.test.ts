// Error rows of the Processes view: a label short enough for the default side bar, the whole text in the tooltip.
import * as assert from 'node:assert/strict';
import { errorNode, firstSentence, ROW_LABEL_CHARS } from '../../../src/views/treeMessages';

describe('views: error rows', () => {
  it('labels with the first sentence, cut at a word with "…" to fit the default side bar width', () => {
    assert.equal(firstSentence('Request failed. Try again later.'), 'Request failed');
    const long = 'ColonyOS server 127.0.0.1:50080 did not answer in time: getprocessesmsg timed out after 30 s';
    const label = firstSentence(long);
    assert.ok(label.length <= ROW_LABEL_CHARS, label);
    assert.ok(label.endsWith('…'), label);
    assert.ok(long.startsWith(label.slice(0, -1)), 'a prefix of the message, cut between words');
    assert.doesNotMatch(label, /\s…$/);
  });

  it('keeps the full message in the tooltip, the click and the accessible label', () => {
    const text = 'Access denied: not a member of colony "dev". The colony owner must add this id as a user or executor.';
    const node = errorNode('error:x', firstSentence(text), text, 'lock', 'key 0123abcd…');
    assert.ok(node.tooltip?.startsWith(text));
    assert.deepEqual(node.command?.arguments, [text]);
    assert.equal(node.description, 'key 0123abcd…');
    assert.ok(node.accessibilityLabel?.includes(text));
  });
});
