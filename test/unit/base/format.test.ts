import * as assert from 'node:assert/strict';
import { shortId } from '../../../src/base/format';

describe('base/format', () => {
  it('shortId: the first 12 characters of an id in text, 8 in the tree, short ids unchanged', () => {
    const id = '0123456789abcdef'.repeat(4);
    assert.equal(shortId(id), '0123456789ab');
    assert.equal(shortId(id, 8), '01234567');
    assert.equal(shortId('abc'), 'abc');
  });
});
