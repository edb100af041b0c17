// The colony catalog against a real server (the local colony by default, or a ColonyOS server from COLONIES_*,
// see ../target.ts): one refresh reads executors, their functions and who runs what; callers share a refresh; a
// saved snapshot is restored for offline use and never replaces a live one; a failure keeps the last snapshot.
import { strict as assert } from 'node:assert';
import { funcSpec, ProcessState, type ColoniesClient } from '../../../src/colonies/index';
import { ColonyCatalog, type CatalogConnection } from '../../../src/store/colonyCatalog';
import { ProcessStore, connectionKey } from '../../../src/store/processStore';
import { registerExecutor } from '../helpers';
import { needKey, unique, useTarget, type Target } from '../target';

describe('integration: colony catalog', function () {
  this.timeout(60_000);
  const target = useTarget();
  let t: Target;
  let c: ColoniesClient;
  let userKey: string;
  let store: ProcessStore;
  let catalog: ColonyCatalog;

  before(function () {
    t = target();
    c = t.client();
    userKey = needKey(this, t, 'userPrvKey', 'reading executors');
  });
  beforeEach(() => {
    store = new ProcessStore();
    catalog = new ColonyCatalog(store);
  });
  afterEach(() => {
    catalog.dispose();
    store.dispose();
  });

  const connOf = (prvkey: string): CatalogConnection => ({ key: connectionKey('it', c), client: c, prvkey, colonyName: t.colonyName });

  it('reads executors, their functions and the process each runs, and puts that process in the store', async function () {
    const colonyKey = needKey(this, t, 'colonyPrvKey', 'registering a test executor');
    const type = unique('catalog');
    const ex = await registerExecutor(c, t, colonyKey, type);
    await c.addFunction({ executorname: ex.name, executortype: type, colonyname: t.colonyName, funcname: 'crunch' }, ex.prvkey);
    const p = await c.submitFuncSpec(funcSpec({ funcname: 'crunch', colonyname: t.colonyName, executortype: type }), userKey);
    await c.assign(t.colonyName, 5, ex.prvkey);

    const conn = connOf(userKey);
    const changes: string[] = [];
    catalog.onDidChange((k) => changes.push(k));
    const [a, b] = [catalog.refresh(conn), catalog.refresh(conn)];
    assert.equal(a, b, 'a second refresh while one runs shares it');
    const entry = await a;
    assert.equal(entry.error, undefined);
    const snap = entry.snapshot!;
    const mine = snap.executors.find((e) => e.executorname === ex.name);
    assert.ok(mine, 'the registered executor is listed');
    assert.equal(mine.executortype, type);
    const fns = snap.functions.filter((f) => f.executorname === ex.name);
    assert.deepEqual(fns.map((f) => f.funcname), ['crunch']);
    assert.deepEqual(snap.running[ex.id], [p.processid]);
    assert.equal(store.get(conn.key, p.processid)?.state, ProcessState.RUNNING);
    assert.ok(changes.length >= 2 && changes.every((k) => k === conn.key), 'refreshing, then the result');
    assert.equal(catalog.get(conn.key).refreshing, false);
    await c.close(p.processid, [], ex.prvkey);
  });

  it('restores a saved snapshot for offline use, and keeps the last snapshot when a refresh fails', async function () {
    const conn = connOf(userKey);
    const live = (await catalog.refresh(conn)).snapshot!;
    const saved = JSON.parse(JSON.stringify(catalog.saved(conn.key)));

    const offline = new ColonyCatalog();
    try {
      offline.restore('elsewhere', saved);
      const restored = offline.get('elsewhere').snapshot!;
      assert.equal(restored.restored, true);
      assert.equal(restored.executors.length, live.executors.length);
      assert.equal(restored.fetchedAt, live.fetchedAt);
      offline.restore('elsewhere', { executors: 'not a list' });
      assert.equal(offline.get('elsewhere').snapshot, restored, 'a bad save changes nothing');
    } finally {
      offline.dispose();
    }

    catalog.restore(conn.key, { executors: [], functions: [], fetchedAt: 1 });
    assert.equal(catalog.get(conn.key).snapshot, live, 'a live snapshot is never replaced by a saved one');

    // A key the server does not know: the refresh fails with the server's reason and the snapshot stays.
    const stranger = { ...conn, prvkey: 'a'.repeat(63) + 'b' };
    const failed = await catalog.refresh(stranger);
    assert.ok(failed.error && failed.error.length > 0, 'the failure is kept as text');
    assert.equal(failed.snapshot, live);
  });
});
