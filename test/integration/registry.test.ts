// The function registry and process attributes, with a real server's rules and texts, on both targets; and the
// statistics a successful close folds into the executor's function.

import { strict as assert } from 'node:assert';
import {
  AttributeType,
  ColoniesError,
  ProcessState,
  crypto,
  funcSpec,
  parseTimeNs,
  sha3Hex,
  type ColoniesClient,
  type ColonyFunction,
  type Process,
} from '../../src/colonies/index';
import { registerExecutor, type Identity } from './helpers';
import { needKey, unique, useTarget, type Target } from './target';

const isError = (status: number, message?: string | RegExp) => (e: unknown) =>
  e instanceof ColoniesError &&
  e.status === status &&
  (message === undefined || (typeof message === 'string' ? e.message === message : message.test(e.message)));

/** Go's Duration.Seconds() between two rendered times. */
function seconds(from: string, to: string): number {
  const d = (parseTimeNs(to) ?? 0n) - (parseTimeNs(from) ?? 0n);
  return Number(d / 1_000_000_000n) + Number(d % 1_000_000_000n) / 1e9;
}

/** A real server keeps times at microseconds in its database; the statistics use the finer in-memory end time. */
const close = (actual: number, expected: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) < 1e-5, `${what}: ${actual} vs ${expected}`);

describe('integration: function registry and attributes', function () {
  this.timeout(60000);
  const target = useTarget();
  let t: Target;
  let c: ColoniesClient;

  before(() => {
    t = target();
    c = t.client();
  });

  function keys(ctx: Mocha.Context): { colonyKey: string; userKey: string } {
    return {
      colonyKey: needKey(ctx, t, 'colonyPrvKey', 'registering executors'),
      userKey: needKey(ctx, t, 'userPrvKey', 'member calls'),
    };
  }

  const fn = (ex: Identity, type: string, funcname: string, extra: Partial<ColonyFunction> = {}) => ({
    executorname: ex.name,
    executortype: type,
    colonyname: t.colonyName,
    funcname,
    ...extra,
  });

  it('addFunction: the executor registers its own functions; the server fills id and zero statistics', async function () {
    const { colonyKey, userKey } = keys(this);
    const type = unique('it-fn');
    const ex = await registerExecutor(c, t, colonyKey, type);
    const a = await c.addFunction(fn(ex, type, 'alpha', { description: 'first', args: [{ name: 'n', type: 'int', required: true }] }), ex.prvkey);
    assert.match(a.functionid, /^[0-9a-f]{64}$/);
    assert.deepEqual(a, {
      functionid: a.functionid,
      executorname: ex.name,
      executortype: type,
      colonyname: t.colonyName,
      funcname: 'alpha',
      description: 'first',
      args: [{ name: 'n', type: 'int', required: true }],
      counter: 0,
      minwaittime: 0,
      maxwaittime: 0,
      minexectime: 0,
      maxexectime: 0,
      avgwaittime: 0,
      avgexectime: 0,
    });
    // Everything else is kept as sent: the executor type is not checked, statistics can be seeded.
    const ownId = sha3Hex(unique('fid'));
    const b = await c.addFunction({ ...fn(ex, 'any-type', 'beta'), functionid: ownId, counter: 3, minwaittime: 1.5 }, ex.prvkey);
    assert.equal(b.functionid, ownId);
    assert.equal(b.executortype, 'any-type');
    assert.equal(b.counter, 3);
    assert.equal(b.minwaittime, 1.5);
    assert.equal('description' in b || 'args' in b || 'locationname' in b, false, 'empty optional fields are omitted');

    // Listed in table order (registration order on the local colony; not guaranteed by a real server's database).
    const mine = await c.getFunctions(t.colonyName, userKey, ex.name);
    assert.deepEqual(mine.map((f) => f.funcname).sort(), ['alpha', 'beta']);
    assert.deepEqual(mine.find((f) => f.functionid === a.functionid), a);
    const colonyWide = await c.getFunctions(t.colonyName, userKey);
    assert.deepEqual(colonyWide.filter((f) => f.executorname === ex.name).map((f) => f.functionid).sort(), [a.functionid, b.functionid].sort());
    assert.deepEqual(await c.getFunctions(t.colonyName, userKey, unique('nobody')), [], 'an unknown executor has none (null on the wire)');

    await assert.rejects(
      c.addFunction({ ...fn(ex, type, 'gamma'), functionid: ownId }, ex.prvkey),
      isError(500, 'pq: duplicate key value violates unique constraint "prod_functions_pkey"'),
    );
  });

  it('addFunction / getFunctions / removeFunction: authorization and error texts', async function () {
    const { colonyKey, userKey } = keys(this);
    const type = unique('it-fn');
    const ex = await registerExecutor(c, t, colonyKey, type);
    const other = await registerExecutor(c, t, colonyKey, type);
    const stranger = crypto.generatePrivateKey();
    const notMember = `Access denied, not a member of Colony with name <${t.colonyName}>`;

    await assert.rejects(c.addFunction(fn(ex, type, 'f'), other.prvkey), isError(403, 'Not allowed to add a function to another executor'));
    await assert.rejects(c.addFunction(fn(ex, type, 'f'), userKey), isError(403, 'Not allowed to add a function to another executor'));
    await assert.rejects(c.addFunction(fn(ex, type, 'f'), colonyKey), isError(403, notMember));
    const ghost = unique('ghost');
    await assert.rejects(
      c.addFunction({ ...fn(ex, type, 'f'), executorname: ghost }, ex.prvkey),
      isError(400, `Failed to add function, Executor with name <${ghost}> does not exist`),
    );
    await assert.rejects(c.rpc('addfunctionmsg', { fun: null }, ex.prvkey), isError(400, 'Failed to add function, msg.Function is nil'));

    const f = await c.addFunction(fn(ex, type, 'f'), ex.prvkey);
    await assert.rejects(c.getFunctions(t.colonyName, stranger, ex.name), isError(403, notMember));
    await assert.rejects(c.getFunctions(t.colonyName, colonyKey), isError(403, notMember));
    assert.equal((await c.getFunctions(t.colonyName, other.prvkey, ex.name)).length, 1, 'any approved member may list');

    await assert.rejects(c.removeFunction('', ex.prvkey), isError(400, 'Failed to remove function, msg.FunctionID is empty'));
    await assert.rejects(c.removeFunction(sha3Hex(unique('none')), ex.prvkey), isError(404, 'Failed to remove function, function does not exist'));
    await assert.rejects(c.removeFunction(f.functionid, other.prvkey), isError(403, 'Not allowed to remove a function from another executor'));
    await assert.rejects(c.removeFunction(f.functionid, userKey), isError(403, 'Not allowed to remove a function from another executor'));
    await assert.rejects(c.removeFunction(f.functionid, stranger), isError(403, notMember));
    await c.removeFunction(f.functionid, ex.prvkey);
    assert.deepEqual(await c.getFunctions(t.colonyName, userKey, ex.name), []);
    await assert.rejects(c.removeFunction(f.functionid, ex.prvkey), isError(404, 'Failed to remove function, function does not exist'));
  });

  it('removing an executor removes its functions', async function () {
    const { colonyKey, userKey } = keys(this);
    const type = unique('it-fn');
    const ex = await registerExecutor(c, t, colonyKey, type);
    await c.addFunction(fn(ex, type, 'f'), ex.prvkey);
    assert.equal((await c.getFunctions(t.colonyName, userKey, ex.name)).length, 1);
    await c.removeExecutor(t.colonyName, ex.name, colonyKey);
    assert.deepEqual(await c.getFunctions(t.colonyName, userKey, ex.name), []);
  });

  it('statistics: each successful close on that executor updates every function of that name; failures do not count', async function () {
    const { colonyKey, userKey } = keys(this);
    const type = unique('it-stats');
    const ex = await registerExecutor(c, t, colonyKey, type);
    const first = await c.addFunction(fn(ex, type, 'work'), ex.prvkey);
    const untouched = await c.addFunction(fn(ex, type, 'idle'), ex.prvkey);
    // Names are not unique: every record with the name gets the values computed from the first one found.
    const twin = await c.addFunction(fn(ex, type, 'work'), ex.prvkey);

    const runOnce = async (ok: boolean): Promise<Process> => {
      const p = await c.submitFuncSpec(funcSpec({ funcname: 'work', colonyname: t.colonyName, executortype: type }), userKey);
      const assigned = await c.assign(t.colonyName, 10, ex.prvkey);
      assert.equal(assigned.processid, p.processid);
      if (ok) await c.close(p.processid, ['ok'], ex.prvkey);
      else await c.fail(p.processid, ['no'], ex.prvkey);
      return c.getProcess(p.processid, userKey);
    };
    const byId = async (): Promise<Map<string, ColonyFunction>> =>
      new Map((await c.getFunctions(t.colonyName, userKey, ex.name)).map((f) => [f.functionid, f]));

    const p1 = await runOnce(true);
    assert.equal(p1.state, ProcessState.SUCCESS);
    const w1 = seconds(p1.submissiontime, p1.starttime);
    const e1 = seconds(p1.starttime, p1.endtime);
    let fns = await byId();
    for (const id of [first.functionid, twin.functionid]) {
      const f = fns.get(id)!;
      assert.equal(f.counter, 1);
      close(f.minwaittime, w1, 'minwaittime');
      close(f.maxwaittime, w1, 'maxwaittime');
      close(f.avgwaittime, w1, 'avgwaittime');
      close(f.minexectime, e1, 'minexectime');
      close(f.maxexectime, e1, 'maxexectime');
      close(f.avgexectime, e1, 'avgexectime');
    }
    assert.deepEqual(fns.get(untouched.functionid), untouched);

    const after1 = fns.get(first.functionid)!;
    const failed = await runOnce(false);
    assert.equal(failed.state, ProcessState.FAILED);
    assert.deepEqual((await byId()).get(first.functionid), after1, 'a failed run is not counted');

    const p2 = await runOnce(true);
    const w2 = seconds(p2.submissiontime, p2.starttime);
    const e2 = seconds(p2.starttime, p2.endtime);
    fns = await byId();
    const f = fns.get(first.functionid)!;
    assert.equal(f.counter, 2);
    close(f.minwaittime, Math.min(after1.minwaittime, w2), 'minwaittime');
    close(f.maxwaittime, Math.max(after1.maxwaittime, w2), 'maxwaittime');
    close(f.avgwaittime, (after1.avgwaittime + w2) / 2, 'avgwaittime (halfway, not a mean)');
    close(f.minexectime, Math.min(after1.minexectime, e2), 'minexectime');
    close(f.maxexectime, Math.max(after1.maxexectime, e2), 'maxexectime');
    close(f.avgexectime, (after1.avgexectime + e2) / 2, 'avgexectime');
    assert.deepEqual(fns.get(twin.functionid), { ...f, functionid: twin.functionid });
  });

  it('attributes: only the assigned executor adds them while the process runs; members read them by id', async function () {
    const { colonyKey, userKey } = keys(this);
    const type = unique('it-attr');
    const ex = await registerExecutor(c, t, colonyKey, type);
    const other = await registerExecutor(c, t, colonyKey, unique('it-attr'));
    const stranger = crypto.generatePrivateKey();
    const p = await c.submitFuncSpec(funcSpec({ funcname: 'attrs', colonyname: t.colonyName, executortype: type, env: { E: 'env' } }), userKey);
    assert.deepEqual(p.attributes?.map((a) => [a.attributeid, a.attributetype, a.key]), [[sha3Hex(`${p.processid}E3`), AttributeType.ENV, 'E']]);
    const attr = { targetid: p.processid, key: 'result', value: '42', attributetype: AttributeType.OUT };

    await assert.rejects(c.addAttribute(attr, ex.prvkey), isError(403, 'Failed to add attribute, process is not running'));
    await c.assign(t.colonyName, 10, ex.prvkey);
    const added = await c.addAttribute({ ...attr, targetcolonyname: 'as-sent', state: 7 }, ex.prvkey);
    assert.deepEqual(added, {
      attributeid: sha3Hex(`${p.processid}result1`),
      targetid: p.processid,
      targetcolonyname: 'as-sent',
      targetprocessgraphid: '',
      state: 7,
      attributetype: AttributeType.OUT,
      key: 'result',
      value: '42',
    });
    assert.deepEqual(await c.getAttribute(added.attributeid, userKey), added);
    assert.deepEqual(await c.getAttribute(added.attributeid, other.prvkey), added, 'any approved member');
    const running = await c.getProcess(p.processid, userKey);
    const states = running.attributes?.map((a) => [a.key, a.state]).sort();
    assert.deepEqual(states, [['E', ProcessState.RUNNING], ['result', 7]], 'listed with the process, each with its own state');

    const duplicate = 'pq: duplicate key value violates unique constraint "prod_attributes_pkey"';
    await assert.rejects(c.addAttribute({ ...attr, value: 'again' }, ex.prvkey), isError(400, duplicate));
    await assert.rejects(c.addAttribute({ ...attr, key: 'E', attributetype: AttributeType.ENV }, ex.prvkey), isError(400, duplicate));
    const onlyAssignee = `Failed to add attribute, only executor with id <${ex.id}> is allowed to set attributes`;
    await assert.rejects(c.addAttribute({ ...attr, key: 'x' }, other.prvkey), isError(403, onlyAssignee));
    await assert.rejects(c.addAttribute({ ...attr, key: 'x' }, userKey), isError(403, onlyAssignee));
    await assert.rejects(c.addAttribute({ ...attr, key: 'x' }, colonyKey), isError(403, `Access denied, not a member of Colony with name <${t.colonyName}>`));
    await assert.rejects(c.addAttribute({ ...attr, targetid: sha3Hex(unique('none')) }, ex.prvkey), isError(404, 'Failed to add attribute, process not found'));
    await assert.rejects(c.rpc('addattributemsg', { attribute: null }, ex.prvkey), isError(404, 'Failed to add attribute, process not found'));
    await assert.rejects(c.getAttribute(sha3Hex(unique('none')), userKey), isError(400, 'Attribute does not exists'));
    await assert.rejects(c.getAttribute(added.attributeid, stranger), isError(403, `Access denied, not a member of Colony with name <${t.colonyName}>`));

    // Every later transition sets every attribute's state to the process's.
    await c.close(p.processid, [], ex.prvkey);
    assert.equal((await c.getAttribute(added.attributeid, userKey)).state, ProcessState.SUCCESS);
    const closed = await c.getProcess(p.processid, userKey);
    assert.deepEqual(closed.attributes?.map((a) => a.state), [ProcessState.SUCCESS, ProcessState.SUCCESS]);
    await assert.rejects(c.addAttribute({ ...attr, key: 'late' }, ex.prvkey), isError(403, 'Failed to add attribute, process is not running'));

    // Attributes go with their process.
    await c.removeProcess(p.processid, userKey);
    await assert.rejects(c.getAttribute(added.attributeid, userKey), isError(400, 'Attribute does not exists'));
  });
});
