// The process store against a real server over real sockets (the local colony by default, or a ColonyOS server from
// COLONIES_* variables, see ../target.ts): watches follow a process to its end with its final output, the socket
// budget falls back to the store's own poll, and a removed process is reported gone.
import { strict as assert } from 'node:assert';
import { funcSpec, ProcessState, type ColoniesClient } from '../../../src/colonies/index';
import { ConnectionProcesses, ProcessStore, connectionKey, type StoreConnection } from '../../../src/store/processStore';
import { registerExecutor, until } from '../helpers';
import { needKey, unique, useTarget, type Target } from '../target';

describe('integration: process store', function () {
  this.timeout(60_000);
  const target = useTarget();
  let t: Target;
  let c: ColoniesClient;
  let userKey: string;
  let store: ProcessStore;
  let conn: StoreConnection;

  before(function () {
    t = target();
    c = t.client();
    userKey = needKey(this, t, 'userPrvKey', 'submitting processes');
  });
  afterEach(() => store?.dispose());

  async function submitted(ctx: Mocha.Context, count: number) {
    const colonyKey = needKey(ctx, t, 'colonyPrvKey', 'registering a test executor');
    const type = unique('store');
    const ex = await registerExecutor(c, t, colonyKey, type);
    const ps = [];
    for (let i = 0; i < count; i++) ps.push(await c.submitFuncSpec(funcSpec({ funcname: `job${i}`, colonyname: t.colonyName, executortype: type }), userKey));
    return { ex, ps };
  }

  it('follows a process from WAITING through RUNNING to SUCCESS and keeps its final output', async function () {
    const { ex, ps } = await submitted(this, 1);
    const [p] = ps;
    store = new ProcessStore({ subscriptionSeconds: 10 });
    conn = { key: connectionKey('it', c), client: c, prvkey: userKey, colonyName: t.colonyName };
    const seen: ProcessState[] = [];
    store.onProcess(conn, p.processid, (u) => u && seen.push(u.state));
    const processes = new ConnectionProcesses(store, conn);
    store.watch(conn, p.processid);
    await until(() => store.watching(conn).sockets === 1, 'the watch to hold a socket');
    const running = processes.until(p.processid, (x) => x.state === ProcessState.RUNNING, new AbortController().signal);
    await c.assign(t.colonyName, 5, ex.prvkey);
    assert.equal((await running)?.state, ProcessState.RUNNING);
    await c.close(p.processid, ['the answer'], ex.prvkey);
    await until(() => store.get(conn, p.processid)?.state === ProcessState.SUCCESS, 'SUCCESS in the store');
    assert.deepEqual(store.get(conn, p.processid)?.out, ['the answer']);
    await until(() => !store.isWatched(conn, p.processid), 'the watch to end');
    assert.deepEqual(seen, [ProcessState.WAITING, ProcessState.RUNNING, ProcessState.SUCCESS]);
  });

  it('watches beyond the socket budget are polled by the store and still see the change', async function () {
    const { ex, ps } = await submitted(this, 3);
    store = new ProcessStore({ socketsPerConnection: 1, fallbackPollMs: 200, subscriptionSeconds: 10 });
    conn = { key: connectionKey('it', c), client: c, prvkey: userKey, colonyName: t.colonyName };
    for (const p of ps) store.watch(conn, p.processid);
    await until(() => store.watching(conn).ids.length === 3 && store.watching(conn).sockets === 1, 'three watches, one socket');
    for (const p of ps) {
      await c.assign(t.colonyName, 5, ex.prvkey);
      await c.close(p.processid, [], ex.prvkey);
    }
    await until(() => ps.every((p) => store.get(conn, p.processid)?.state === ProcessState.SUCCESS), 'all three finished in the store');
    await until(() => store.watching(conn).ids.length === 0, 'every watch to end');
    assert.equal(store.watching(conn).sockets, 0);
  });

  it('reports a removed process as gone', async function () {
    const { ps } = await submitted(this, 1);
    const [p] = ps;
    store = new ProcessStore({ subscriptionSeconds: 10 });
    conn = { key: connectionKey('it', c), client: c, prvkey: userKey, colonyName: t.colonyName };
    await store.read(conn, p.processid);
    await c.removeProcess(p.processid, userKey);
    await assert.rejects(store.read(conn, p.processid));
    assert.ok(store.goneReason(conn, p.processid));
  });
});
