import { strict as assert } from 'node:assert';
import { OrderedTranscript, type TranscriptChangeEvent } from '../../../src/colonies/transcript';
import type { ChannelEntry } from '../../../src/colonies/types';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

function entry(sender: string, sequence: number, ns: number, payload = 'x'): ChannelEntry {
  return {
    sequence,
    inreplyto: 0,
    timestamp: `2026-11-26T19:05:09.${String(ns).padStart(9, '0')}Z`,
    senderid: sender,
    payload: new Uint8Array(Buffer.from(payload)),
    type: 'data',
    error: '',
  };
}

const seqs = (t: OrderedTranscript) => t.entries.map((e) => `${e.senderid[0]}${e.sequence}`);

function record(t: OrderedTranscript): TranscriptChangeEvent[] {
  const events: TranscriptChangeEvent[] = [];
  t.onDidChange((e) => events.push(e));
  return events;
}

describe('OrderedTranscript', () => {
  it('appends in arrival order and reports one insert at the end', () => {
    const t = new OrderedTranscript();
    const events = record(t);
    t.add([entry(A, 1, 1), entry(B, 1, 2)]);
    assert.deepEqual(seqs(t), ['a1', 'b1']);
    assert.equal(events.length, 1);
    assert.deepEqual(
      events[0].changes.map((c) => (c.kind === 'insert' ? [c.kind, c.index, c.entries.length] : [c.kind])),
      [['insert', 0, 2]],
    );
    t.add([entry(A, 2, 3)]);
    const c = events[1].changes[0];
    assert.equal(c.kind, 'insert');
    assert.equal(c.kind === 'insert' && c.index, 2);
  });

  it('orders one sender by sequence and different senders by time, and says where each entry went', () => {
    const t = new OrderedTranscript();
    const events = record(t);
    t.add([entry(A, 1, 10), entry(A, 3, 30)]);
    t.add([entry(B, 1, 5), entry(A, 2, 20)]);
    assert.deepEqual(seqs(t), ['b1', 'a1', 'a2', 'a3']);
    const changes = events[1].changes;
    assert.deepEqual(
      changes.map((c) => (c.kind === 'insert' ? [c.index, c.entries.map((e) => e.sequence)] : c.kind)),
      [
        [0, [1]],
        [2, [2]],
      ],
    );
    assert.deepEqual(events[1].added.map((e) => e.senderid[0] + e.sequence), ['b1', 'a2']);
  });

  it('drops duplicates silently and fires nothing when nothing is new', () => {
    const t = new OrderedTranscript({}, [entry(A, 1, 1)]);
    const events = record(t);
    assert.deepEqual(t.add([entry(A, 1, 1)]), []);
    assert.equal(events.length, 0);
    assert.equal(t.length, 1);
    assert.equal(t.get(t.keyOf(entry(A, 1, 1)))?.sequence, 1);
  });

  it('removes the oldest entries beyond the cap, reports them, and does not take them back', () => {
    let cap = { maxEntries: 2, maxBytes: 1_000_000 };
    const t = new OrderedTranscript({ cap: () => cap });
    const events = record(t);
    t.add([entry(A, 1, 1), entry(A, 2, 2), entry(A, 3, 3)]);
    assert.deepEqual(seqs(t), ['a2', 'a3']);
    const last = events[0].changes[events[0].changes.length - 1];
    assert.equal(last.kind, 'remove');
    assert.deepEqual(last.kind === 'remove' && [last.index, last.entries.map((e) => e.sequence)], [0, [1]]);
    assert.equal(t.get(t.keyOf(entry(A, 1, 1))), undefined);
    assert.deepEqual(t.add([entry(A, 1, 1)]), []);
    cap = { maxEntries: 10, maxBytes: 250 };
    t.add([entry(A, 4, 4, 'y'.repeat(100))]);
    assert.deepEqual(seqs(t), ['a4']);
  });

  it('maps, keys and weighs entries as told', () => {
    const t = new OrderedTranscript({
      map: (e) => ({ ...e, payload: e.payload.slice(0, 1) }),
      key: (e) => `${e.senderid}:${e.sequence}`,
      weight: () => 1,
      cap: () => ({ maxEntries: 100, maxBytes: 2 }),
    });
    t.add([entry(A, 1, 1, 'hello'), entry(A, 2, 2), entry(A, 3, 3)]);
    assert.deepEqual(seqs(t), ['a2', 'a3']);
    assert.equal(t.entries[0].payload.length, 1);
    assert.ok(t.get(`${A}:3`));
  });

  it('replaces one entry in place and resets the whole list', () => {
    const t = new OrderedTranscript({}, [entry(A, 1, 1), entry(A, 2, 2)]);
    const events = record(t);
    const other = entry(A, 2, 2, 'changed');
    t.replace(1, other);
    assert.equal(t.entries[1], other);
    assert.deepEqual(events[0].changes, [{ kind: 'replace', index: 1, entry: other }]);
    t.reset([entry(B, 1, 1)]);
    assert.deepEqual(seqs(t), ['b1']);
    assert.deepEqual(events[1].changes, [{ kind: 'reset' }]);
    assert.equal(t.add([entry(A, 1, 1)]).length, 1, 'a reset forgets what was seen');
    assert.throws(() => t.replace(5, other), RangeError);
  });
});
