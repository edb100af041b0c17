import * as assert from 'node:assert/strict';
import { applyFilters, describeFilters, describeFilterValue, filterValues, hasFilters, MAX_FILTER_VALUE_CHARS, normalizeFilters, serverFilter } from '../../../src/views/filters';
import { makeProcess } from './fixtures';

const ME = 'm'.repeat(64);

describe('filters', () => {
  const list = [
    makeProcess({ id: '1', executortype: 'echo', label: 'a', initiatorid: ME }),
    makeProcess({ id: '2', executortype: 'echo', label: 'b' }),
    makeProcess({ id: '3', executortype: 'shell', label: 'a', initiatorid: ME }),
  ];

  it('sends only one server-side filter, executortype first (P17), never the initiator', () => {
    assert.deepEqual(serverFilter({ executorType: 'echo', label: 'a', onlyMine: true }), { executortype: 'echo' });
    assert.deepEqual(serverFilter({ label: 'a', onlyMine: true }), { label: 'a' });
    assert.deepEqual(serverFilter({ onlyMine: true }), {});
  });

  it('applies every filter client-side', () => {
    const ids = (f: Parameters<typeof applyFilters>[1]) => applyFilters(list, f, ME).map((p) => p.processid);
    assert.deepEqual(ids({}), ['1', '2', '3']);
    assert.deepEqual(ids({ executorType: 'echo', label: 'a' }), ['1']);
    assert.deepEqual(ids({ onlyMine: true }), ['1', '3']);
    assert.deepEqual(ids({ label: 'a', onlyMine: true }), ['1', '3']);
    assert.deepEqual(applyFilters(list, { onlyMine: true }, undefined), []);
  });

  it('normalizes stored filters and describes them', () => {
    assert.deepEqual(normalizeFilters({ executorType: ' echo ', label: '', onlyMine: 'yes', junk: 1 }), { executorType: 'echo' });
    assert.deepEqual(normalizeFilters(null), {});
    assert.equal(hasFilters({}), false);
    assert.equal(hasFilters({ onlyMine: true }), true);
    assert.equal(describeFilters({}), undefined);
    assert.equal(describeFilters({ executorType: 'echo', onlyMine: true }), 'Filtered: executor type "echo", only mine');
  });

  it('offers the executor types present, most used first, with the registered ones and no blanks', () => {
    const loaded = [...list, makeProcess({ id: '4', executortype: 'echo' }), makeProcess({ id: '5', executortype: '' })];
    const values = filterValues(loaded, 'executorType', ['progress', 'shell', 'x'.repeat(MAX_FILTER_VALUE_CHARS + 1)]);
    assert.deepEqual(values, [
      { value: 'echo', count: 3, registered: false },
      { value: 'shell', count: 1, registered: true },
      { value: 'progress', count: 0, registered: true },
    ]);
    assert.equal(describeFilterValue(values[1]), '1 loaded process · an executor has this type');
    assert.equal(describeFilterValue(values[2]), '0 loaded processes · an executor has this type');
  });

  it('offers the labels present', () => {
    assert.deepEqual(filterValues(list, 'label').map((v) => [v.value, v.count]), [['a', 2], ['b', 1]]);
  });
});
