import * as assert from 'node:assert/strict';
import { countOf, escapeMarkdown, relativeTime, shortId } from '../../../src/base/format';
import { relativeTime as chatRelativeTime } from '../../../media/chat/time';

describe('base/format', () => {
  it('shortId: the first 12 characters of an id in text, 8 in the tree, short ids unchanged', () => {
    const id = '0123456789abcdef'.repeat(4);
    assert.equal(shortId(id), '0123456789ab');
    assert.equal(shortId(id, 8), '01234567');
    assert.equal(shortId('abc'), 'abc');
  });

  it('relativeTime: one rule for the tree and the chat', () => {
    const now = 10_000_000_000;
    assert.equal(relativeTime(NaN, now), '');
    assert.equal(relativeTime(now + 5000, now), 'just now');
    assert.equal(relativeTime(now - 30_000, now), '30 s ago');
    assert.equal(relativeTime(now - 5 * 60_000, now), '5 min ago');
    assert.equal(relativeTime(now - 3 * 3600_000, now), '3 h ago');
    assert.equal(relativeTime(now - 72 * 3600_000, now), '3 d ago');
    assert.equal(relativeTime(now - 30 * 86400_000, now), new Date(now - 30 * 86400_000).toLocaleDateString());
    assert.equal(relativeTime(now + 3600_000, now), new Date(now + 3600_000).toLocaleDateString(), 'a skewed clock shows the date');
    // The chat reads ISO times through the same rule.
    assert.equal(chatRelativeTime(new Date(now - 30_000).toISOString(), now), '30 s ago');
    assert.equal(chatRelativeTime('not a time', now), '');
  });

  it('escapeMarkdown: every punctuation character escaped, spaces kept, lines trimmed into paragraphs', () => {
    const hostile = '**bold** [x](command:evil) <img src=x> &amp; https://a.b\n    # not code\n\n- item `c`';
    const out = escapeMarkdown(hostile);
    assert.equal(
      out,
      '\\*\\*bold\\*\\* \\[x\\]\\(command\\:evil\\) \\<img src\\=x\\> \\&amp\\; https\\:\\/\\/a\\.b\n\n\\# not code\n\n\\- item \\`c\\`',
    );
    // No punctuation is left without its backslash.
    assert.equal(out.replace(/\\[!-/:-@[-`{-~]/g, '').match(/[!-/:-@[-`{-~]/), null);
  });

  it('countOf puts the noun in the right number ("1 children" never)', () => {
    assert.equal(countOf(1, 'child', 'children'), '1 child');
    assert.equal(countOf(0, 'child', 'children'), '0 children');
    assert.equal(countOf(2, 'process', 'processes'), '2 processes');
    assert.equal(countOf(1, 'message'), '1 message');
    assert.equal(countOf(12345, 'message', 'messages', (n) => n.toLocaleString('en-US')), '12,345 messages');
  });
});
