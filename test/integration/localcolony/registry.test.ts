// The function registry and attributes at the wire level: the texts of malformed requests, the order of lists, the
// statistics' update rules and the clean-ups that go with executors and colonies (as a real server behaves).
import { strict as assert } from 'node:assert';
import { crypto, sha3Hex } from '../../../src/colonies/crypto';
import { funcSpec, signedEnvelope, postRaw, startTestColony } from './helpers';
import type { TestColony } from './helpers';

describe('local colony: function registry and attributes', function () {
  let c: TestColony;
  before(async () => {
    c = await startTestColony();
  });
  after(async () => {
    await c.stop();
  });

  const fun = (executorname: string, funcname: string, extra: Record<string, unknown> = {}) => ({
    executorname, executortype: 'echo', colonyname: 'dev', funcname, ...extra,
  });
  const list = async (executorname = ''): Promise<Array<Record<string, unknown>>> =>
    (await c.rpc('getfunctionsmsg', { colonyname: 'dev', executorname }, c.userPrvKey)).inner ?? [];

  /** Submits a process of `funcname` for `type`, assigns it to `key` and closes it successfully. */
  async function runOnce(key: string, funcname: string, type = 'echo'): Promise<void> {
    const p = await c.submit(funcSpec({ funcname }, { executortype: type }));
    const a = await c.assign(key);
    assert.equal(a.inner.processid, p.processid);
    assert.equal((await c.rpc('closesuccessfulmsg', { processid: p.processid, out: [] }, key)).status, 200);
  }

  it('answers malformed messages with each handler\'s own texts', async () => {
    const key = await c.addExecutor('texts-exec');
    const cases: Array<[string, string]> = [
      ['addfunctionmsg', 'Failed to add function'],
      ['getfunctionsmsg', 'Failed to get function'],
      ['removefunctionmsg', 'Failed to remove function'],
      ['addattributemsg', 'Failed to add attribute'],
      ['getattributemsg', 'Failed to get attribute'],
    ];
    for (const [type, prefix] of cases) {
      const bad = await postRaw(c.port, signedEnvelope(type, `{"msgtype":"${type}","fun":1,"executorname":1,"functionid":1,"attribute":1,"attributeid":1}`, key));
      assert.deepEqual(bad.inner, { status: 400, message: `${prefix}, invalid JSON` }, type);
      const mismatch = await postRaw(c.port, signedEnvelope(type, '{"msgtype":"other"}', key));
      assert.deepEqual(mismatch.inner, { status: 400, message: `${prefix}, msg.MsgType does not match payloadType` }, type);
    }
  });

  it('lists in registration order; the statistics come from the first record with the name and go to all of them', async () => {
    const key = await c.addExecutor('order-exec');
    const seeded = (await c.rpc('addfunctionmsg', { fun: fun('order-exec', 'job', { counter: 5, minwaittime: 1000, avgexectime: 2000 }) }, key)).inner;
    const other = (await c.rpc('addfunctionmsg', { fun: fun('order-exec', 'other') }, key)).inner;
    const twin = (await c.rpc('addfunctionmsg', { fun: fun('order-exec', 'job', { counter: 100, maxwaittime: 7 }) }, key)).inner;
    assert.deepEqual((await list('order-exec')).map((f) => f.functionid), [seeded.functionid, other.functionid, twin.functionid]);

    await runOnce(key, 'job');
    const after = await list('order-exec');
    assert.deepEqual(after.map((f) => f.functionid), [seeded.functionid, other.functionid, twin.functionid], 'the update keeps the order');
    const [s, o, t] = after as Array<Record<string, number>>;
    assert.equal(s.counter, 6);
    assert.ok(s.minwaittime < 1000, 'min keeps the smaller value');
    assert.equal(s.maxwaittime, s.minwaittime, 'a stored 0 counts as unset');
    assert.equal(s.avgwaittime, s.minwaittime);
    assert.equal(s.avgexectime, (2000 + s.minexectime) / 2, 'the average moves halfway');
    assert.deepEqual(o, other);
    assert.deepEqual({ ...t, functionid: s.functionid }, s, 'the twin gets the values computed from the first record');
  });

  it('keeps the executor\'s location and omits empty optional fields', async () => {
    const key = crypto.generatePrivateKey();
    await c.rpc('addexecutormsg', { executor: { executorid: crypto.id(key), executortype: 'echo', executorname: 'loc-exec', colonyname: 'dev', locationname: 'lab' } }, c.colonyPrvKey);
    await c.rpc('approveexecutormsg', { colonyname: 'dev', executorname: 'loc-exec' }, c.colonyPrvKey);
    const f = (await c.rpc('addfunctionmsg', { fun: fun('loc-exec', 'f', { locationname: 'elsewhere', description: '', args: [] }) }, key)).inner;
    assert.deepEqual(Object.keys(f), [
      'functionid', 'executorname', 'executortype', 'colonyname', 'funcname', 'counter',
      'minwaittime', 'maxwaittime', 'minexectime', 'maxexectime', 'avgwaittime', 'avgexectime', 'locationname',
    ]);
    assert.equal(f.locationname, 'lab');
    const withArgs = (await c.rpc('addfunctionmsg', { fun: fun('loc-exec', 'g', { args: [{ name: 'a', type: 'str', enum: [] }, null] }) }, key)).inner;
    assert.deepEqual(withArgs.args, [{ name: 'a', type: 'str' }, null]);
  });

  it('drops an executor\'s functions when it is removed or registered again, and a colony\'s when it is removed', async () => {
    const key = await c.addExecutor('gone-exec');
    await c.rpc('addfunctionmsg', { fun: fun('gone-exec', 'f') }, key);
    await c.addExecutor('gone-exec'); // re-registration replaces the record and its functions
    assert.deepEqual(await list('gone-exec'), []);
    const again = await c.addExecutor('gone-exec2');
    await c.rpc('addfunctionmsg', { fun: fun('gone-exec2', 'f') }, again);
    await c.rpc('removeexecutormsg', { colonyname: 'dev', executorname: 'gone-exec2' }, c.colonyPrvKey);
    assert.deepEqual(await list('gone-exec2'), []);

    const ownerKey = crypto.generatePrivateKey();
    await c.rpc('addcolonymsg', { colony: { colonyid: crypto.id(ownerKey), name: 'scratch' } }, c.serverPrvKey);
    const exKey = crypto.generatePrivateKey();
    await c.rpc('addexecutormsg', { executor: { executorid: crypto.id(exKey), executortype: 't', executorname: 'e', colonyname: 'scratch' } }, ownerKey);
    await c.rpc('approveexecutormsg', { colonyname: 'scratch', executorname: 'e' }, ownerKey);
    assert.equal((await c.rpc('addfunctionmsg', { fun: { executorname: 'e', executortype: 't', colonyname: 'scratch', funcname: 'f' } }, exKey)).status, 200);
    assert.equal(c.server.state.functionsWhere({ colonyname: 'scratch' }).length, 1);
    await c.rpc('removecolonymsg', { colonyname: 'scratch' }, c.serverPrvKey);
    assert.equal(c.server.state.functionsWhere({ colonyname: 'scratch' }).length, 0);
  });

  it('derives attribute ids (ENV ones too) and settles every attribute on each later transition', async () => {
    const key = await c.addExecutor('attr-exec', 'attr');
    const p = await c.submit(funcSpec({ env: { E: '1' } }, { executortype: 'attr' }));
    assert.equal(p.attributes[0].attributeid, sha3Hex(`${p.processid}E3`));
    await c.assign(key);
    const added = await c.rpc('addattributemsg', {
      attribute: { attributeid: 'ignored', targetid: p.processid, targetcolonyname: '', targetprocessgraphid: 'ignored', state: 0, attributetype: 2, key: 'k', value: 'v' },
    }, key);
    assert.deepEqual(added.inner, {
      attributeid: sha3Hex(`${p.processid}k2`), targetid: p.processid, targetcolonyname: '', targetprocessgraphid: '',
      state: 0, attributetype: 2, key: 'k', value: 'v',
    });
    await c.rpc('cancelprocessmsg', { processid: p.processid }, c.userPrvKey);
    const got = await c.rpc('getattributemsg', { attributeid: added.inner.attributeid }, c.userPrvKey);
    assert.equal(got.inner.state, 4);
    const proc = await c.rpc('getprocessmsg', { processid: p.processid }, c.userPrvKey);
    assert.deepEqual(proc.inner.attributes.map((a: { key: string; state: number }) => [a.key, a.state]), [['E', 4], ['k', 4]]);
  });
});
