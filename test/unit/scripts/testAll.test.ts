// `npm test` repeats each failing tier's mocha failures at the end, so a CI log cut to its tail still says what failed.
import { strict as assert } from 'node:assert';
import { failureDetails } from '../../../scripts/test-all.mjs';

describe('test-all: failure details for the end of the log', () => {
  it('takes mocha\'s failure list from its last "N failing" line', () => {
    const out = [
      '  suite', '    ✔ a', '    1) b', '', '  1 passing (3ms)', '  1 failing', '',
      '  1) suite', '       b:', '     AssertionError: expected 1 to equal 2', '      at Context.<anonymous> (x.test.ts:4:5)',
    ].join('\n');
    const details = failureDetails(out);
    assert.match(details, /^1 failing/);
    assert.match(details, /AssertionError: expected 1 to equal 2/);
    assert.match(details, /x\.test\.ts:4:5/);
    assert.doesNotMatch(details, /passing/);
  });

  it('is empty without failures and cut to size with a pointer when long', () => {
    assert.equal(failureDetails('  3 passing (1s)\n'), '');
    const long = `  1 failing\n${'x'.repeat(10_000)}`;
    const details = failureDetails(long, 100);
    assert.equal(details.split('\n')[0], '1 failing');
    assert.match(details, /\[\.\.\. \d+ more characters above in the tier's output\]$/);
    assert.ok(details.length < 200);
  });
});
