// colonyos.refreshInterval is bounded in code: no workspace value can make the list poll faster than every 2 s,
// or overflow setTimeout into a tight loop.
import * as assert from 'node:assert/strict';
import { MAX_REFRESH_INTERVAL_S, MIN_REFRESH_INTERVAL_S, refreshIntervalMs } from '../../../src/views/refreshScheduler';

describe('refresh interval bounds', () => {
  it('raises tiny values to the minimum', () => {
    assert.equal(MIN_REFRESH_INTERVAL_S, 2);
    assert.equal(refreshIntervalMs(0.001), 2000);
    assert.equal(refreshIntervalMs(1), 2000);
    assert.equal(refreshIntervalMs(5), 5000);
    assert.equal(refreshIntervalMs('7'), 7000);
  });

  it('caps huge values below what setTimeout can hold', () => {
    assert.equal(refreshIntervalMs(1e12), MAX_REFRESH_INTERVAL_S * 1000);
    assert.ok(refreshIntervalMs(Number.MAX_VALUE) < 2 ** 31 - 1);
  });

  it('0, negatives and junk mean manual refresh only', () => {
    for (const v of [0, -1, NaN, Infinity, 'x', '', null, undefined, {}]) assert.equal(refreshIntervalMs(v), 0, String(v));
  });
});
