import { strict as assert } from 'node:assert';
import { DEFAULT_MAX_IN_FLIGHT, funcSpec } from '../../src/colonies/index';
import { needKey, unique, useTarget } from './target';

describe('integration: in-flight cap', function () {
  const target = useTarget();

  it('1,000 concurrent calls never put more than 16 requests in flight at the server', async function () {
    this.timeout(120000);
    const t = target();
    const userKey = needKey(this, t, 'userPrvKey', 'reading a process');
    // Two clients for the same server share one cap (it is per server, not per client).
    const a = t.client();
    const b = t.client();
    const p = await a.submitFuncSpec(funcSpec({ funcname: 'x', colonyname: t.colonyName, executortype: unique('cap') }), userKey);
    const before = a.inFlightStats.highWaterMark;
    t.local?.server.stats.reset();
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => (i % 2 ? a : b).getProcess(p.processid, userKey)));
    assert.equal(results.length, 1000);
    assert.ok(results.every((r) => r.processid === p.processid));
    const stats = a.inFlightStats;
    assert.equal(stats.limit, DEFAULT_MAX_IN_FLIGHT);
    assert.ok(stats.highWaterMark <= 16, `client-side high-water mark ${stats.highWaterMark}`);
    assert.ok(stats.highWaterMark > 1 || before > 1, 'requests really ran concurrently');
    assert.equal(stats.inFlight, 0);
    assert.equal(stats.queued, 0);
    if (t.local) {
      const server = t.local.server.stats;
      assert.ok(server.inFlightPeak <= 16, `server saw ${server.inFlightPeak} in flight`);
      assert.ok(server.requests >= 1000);
    }
    await a.cancelProcess(p.processid, userKey);
  });
});
