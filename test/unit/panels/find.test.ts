// The chat panel's find logic (media/chat/find.ts): what it matches, the result cap, and where it lands after a change.
import { strict as assert } from 'node:assert';
import { countLabel, findAll, keepPosition, MAX_FIND_MATCHES, occurrences, searchableText } from '../../../media/chat/find';
import type { EntryBody, EntryView } from '../../../src/panels/protocol';

function view(key: string, body: EntryBody): EntryView {
  return { key, sequence: 1, inReplyTo: 0, sender: 'executor', senderId: 'e', senderLabel: 'Executor', time: '', type: 'data', error: '', body, savable: false };
}
const text = (t: string): EntryBody => ({ kind: 'text', text: t, truncated: false, size: t.length });

describe('chat find', () => {
  it('finds every non-overlapping occurrence, case-insensitively unless asked', () => {
    assert.deepEqual(occurrences('aaaa', { text: 'aa', matchCase: false }), [0, 2]);
    assert.deepEqual(occurrences('Needle needle', { text: 'needle', matchCase: false }), [0, 7]);
    assert.deepEqual(occurrences('Needle needle', { text: 'needle', matchCase: true }), [7]);
    assert.deepEqual(occurrences('anything', { text: '', matchCase: false }), []);
  });

  it('gives up on text whose lower case has another length, rather than marking the wrong characters', () => {
    assert.equal('İx'.toLowerCase().length, 3);
    assert.deepEqual(occurrences('İx x', { text: 'x', matchCase: false }), []);
    assert.deepEqual(occurrences('İx x', { text: 'x', matchCase: true }), [1, 3]);
  });

  it('searches text and JSON bodies, not binary ones', () => {
    assert.equal(searchableText(view('a', text('hi'))), 'hi');
    assert.equal(searchableText(view('b', { kind: 'json', text: '{"a":1}', size: 7 })), '{"a":1}');
    assert.equal(searchableText(view('c', { kind: 'binary', size: 3, hex: '00 01 02' })), '');
  });

  it('lists matches in display order and stops at the cap, saying there are more', () => {
    const items = [view('a', text('x y x')), view('b', text('x'))];
    assert.deepEqual(findAll(items, { text: 'x', matchCase: false }), {
      matches: [{ key: 'a', index: 0, start: 0 }, { key: 'a', index: 0, start: 4 }, { key: 'b', index: 1, start: 0 }],
      capped: false,
    });
    const exact = [view('m', text('x'.repeat(MAX_FIND_MATCHES)))];
    assert.equal(findAll(exact, { text: 'x', matchCase: false }).capped, false, 'exactly the cap is not "more"');
    const over = [...exact, view('n', text('x'))];
    const r = findAll(over, { text: 'x', matchCase: false });
    assert.equal(r.matches.length, MAX_FIND_MATCHES);
    assert.equal(r.capped, true);
    assert.equal(countLabel(0, r.matches.length, r.capped), `1 of ${MAX_FIND_MATCHES}+`);
    assert.equal(countLabel(0, 0, false), 'No results');
  });

  it('keeps the same occurrence after a change, else the next one after its row', () => {
    const indexOf = (k: string) => ['a', 'b', 'c'].indexOf(k);
    const m = [{ key: 'a', index: 0, start: 0 }, { key: 'c', index: 2, start: 5 }];
    assert.equal(keepPosition(m, { key: 'c', index: 1, start: 5 }, indexOf), 1);
    assert.equal(keepPosition(m, { key: 'b', index: 1, start: 0 }, indexOf), 1, 'its row no longer matches: the next one');
    assert.equal(keepPosition(m, { key: 'gone', index: 9, start: 0 }, indexOf), 1, 'its row is gone: the newest');
    assert.equal(keepPosition([], undefined, indexOf), -1);
  });
});
