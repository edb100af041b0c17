// Executor logs (getlogsmsg by executorname) and log search (searchlogsmsg) as a ColonyOS v1.9.12 server answers
// them; passes on the local colony and on a real server (docs/protocol.md §4.7).
import { strict as assert } from 'node:assert';
import { ColoniesError, crypto, funcSpec, type ColoniesClient } from '../../src/colonies/index';
import { registerExecutor, type Identity } from './helpers';
import { needKey, unique, useTarget, type Target } from './target';

describe('integration: executor logs and log search (parity)', function () {
  this.timeout(60_000);
  const target = useTarget();
  let t: Target;
  let c: ColoniesClient;
  let user: string;
  let ex: Identity;
  let token: string;
  const ids: string[] = [];

  before(async function () {
    t = target();
    c = t.client();
    user = needKey(this, t, 'userPrvKey', 'reading logs');
    const colonyKey = needKey(this, t, 'colonyPrvKey', 'registering an executor');
    const type = unique('logs');
    ex = await registerExecutor(c, t, colonyKey, type);
    token = crypto.generatePrivateKey().slice(0, 12);
    for (let i = 0; i < 2; i++) {
      const p = await c.submitFuncSpec(funcSpec({ funcname: `logs${i}`, colonyname: t.colonyName, executortype: type }), user);
      await c.assign(t.colonyName, 5, ex.prvkey);
      ids.push(p.processid);
    }
    await c.addLog(ids[0], `first Needle-${token} one`, ex.prvkey);
    await c.addLog(ids[1], `second needle-${token} lowercase`, ex.prvkey);
    await c.addLog(ids[0], `third Needle-${token} 50% done_`, ex.prvkey);
  });

  const refused = (p: Promise<unknown>) => p.then(() => assert.fail('expected a refusal'), (e: unknown) => e as ColoniesError);

  it('an executor name reads that executor\'s lines across its processes, oldest first, with since and latest', async () => {
    const all = await c.getLogs(t.colonyName, '', 100, user, { executorName: ex.name });
    assert.deepEqual(all.map((l) => l.processid), [ids[0], ids[1], ids[0]]);
    assert.ok(all.every((l) => l.executorname === ex.name && l.colonyname === t.colonyName));
    const after = await c.getLogs(t.colonyName, '', 100, user, { executorName: ex.name, since: all[0].timestamp });
    assert.deepEqual(after.map((l) => l.message), all.slice(1).map((l) => l.message));
    const latest = await c.getLogs(t.colonyName, '', 1, user, { executorName: ex.name, latest: true });
    assert.deepEqual(latest.map((l) => l.message), [all[2].message]);
  });

  it('an unknown executor name is refused', async () => {
    const err = await refused(c.getLogs(t.colonyName, '', 10, user, { executorName: unique('nobody') }));
    assert.ok(err instanceof ColoniesError);
    assert.equal(err.status, 500);
    assert.equal(err.message, 'Failed to get logs, executor does not exist');
  });

  it('search finds text case-sensitively, with LIKE wildcards, across the colony', async () => {
    const exact = await c.searchLogs(t.colonyName, `Needle-${token}`, 1, 100, user);
    assert.deepEqual(exact.map((l) => l.message).sort(), [`first Needle-${token} one`, `third Needle-${token} 50% done_`]);
    assert.ok(exact.every((l) => l.executorname === ex.name && ids.includes(l.processid) && typeof l.timestamp === 'bigint'));
    const lower = await c.searchLogs(t.colonyName, `needle-${token}`, 1, 100, user);
    assert.deepEqual(lower.map((l) => l.processid), [ids[1]]);
    const wild = await c.searchLogs(t.colonyName, `_eedle-${token} o_e`, 1, 100, user);
    assert.deepEqual(wild.map((l) => l.message), [`first Needle-${token} one`]);
    const escaped = await c.searchLogs(t.colonyName, `${token} 50\\% done\\_`, 1, 100, user);
    assert.equal(escaped.length, 1);
    assert.equal((await c.searchLogs(t.colonyName, `${token} 50\\%x`, 1, 100, user)).length, 0);
  });

  it('count and days are capped, zero finds nothing, and only members may search', async () => {
    const count = await refused(c.searchLogs(t.colonyName, token, 1, 101, user));
    assert.equal(count.status, 400);
    assert.equal(count.message, 'Count exceeds max log count (100)');
    const days = await refused(c.searchLogs(t.colonyName, token, 31, 10, user));
    assert.equal(days.status, 400);
    assert.equal(days.message, 'Count exceeds max day count (30)');
    assert.deepEqual(await c.searchLogs(t.colonyName, token, 1, 0, user), []);
    assert.deepEqual(await c.searchLogs(t.colonyName, token, 0, 10, user), []);
    assert.equal((await c.searchLogs(t.colonyName, token, 30, 1, user)).length, 1);
    const stranger = await refused(c.searchLogs(t.colonyName, token, 1, 10, crypto.generatePrivateKey()));
    assert.equal(stranger.status, 403);
    assert.equal(stranger.message, `Access denied, not a member of Colony with name <${t.colonyName}>`);
  });
});
