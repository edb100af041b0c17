// "Why is it waiting?" against a server (the local colony by default, or a real ColonyOS server from COLONIES_*,
// see target.ts). Each case sets the colony up, checks that the server really does not place the process (an
// executor asks once: assign with timeout -1), then reads the catalog and checks the sentence. The placement checks
// are the parity tests: the local colony must place processes the way a v1.9.12 server does.
import { strict as assert } from 'node:assert';
import { ColoniesError, crypto, funcSpec, ProcessState, type ColoniesClient, type FuncSpecInput, type Process } from '../../src/colonies/index';
import { ColonyCatalog, type CatalogConnection } from '../../src/store/colonyCatalog';
import { connectionKey } from '../../src/store/processStore';
import { whyWaiting, type WaitReason } from '../../src/store/whyWaiting';
import { registerExecutor, type Identity } from './helpers';
import { needKey, unique, useTarget, type Target } from './target';

describe('integration: why is it waiting', function () {
  this.timeout(60_000);
  const target = useTarget();
  let t: Target;
  let c: ColoniesClient;
  let userKey: string;
  let colonyKey: string;
  const submitted: string[] = [];

  before(function () {
    t = target();
    c = t.client();
    userKey = needKey(this, t, 'userPrvKey', 'submitting processes');
    colonyKey = needKey(this, t, 'colonyPrvKey', 'registering executors');
  });
  afterEach(async () => {
    // Leave nothing waiting for later tests (a real server's colony is shared by the whole run).
    for (const id of submitted.splice(0)) await c.cancelProcess(id, userKey).catch(() => undefined);
  });

  const submit = async (type: string, extra: Partial<FuncSpecInput> = {}): Promise<Process> => {
    const p = await c.submitFuncSpec(funcSpec({ funcname: 'work', colonyname: t.colonyName, executortype: type, ...extra }), userKey);
    submitted.push(p.processid);
    return p;
  };
  /** The executor asks once; resolves to the process id it got, or undefined on 404 (nothing it may take). */
  const askOnce = async (ex: Identity, offer: { availablecpu?: string; availablemem?: string } = {}): Promise<string | undefined> => {
    try {
      const p = await c.assign(t.colonyName, -1, ex.prvkey, offer);
      return p.processid;
    } catch (e) {
      if (e instanceof ColoniesError && e.status === 404) return undefined;
      throw e;
    }
  };
  const explain = async (p: Process): Promise<WaitReason> => {
    const catalog = new ColonyCatalog();
    try {
      const conn: CatalogConnection = { key: connectionKey('it', c), client: c, prvkey: userKey, colonyName: t.colonyName };
      const entry = await catalog.refresh(conn);
      assert.equal(entry.error, undefined);
      return whyWaiting(await c.getProcess(p.processid, userKey), entry.snapshot!, Date.now());
    } finally {
      catalog.dispose();
    }
  };
  const addPending = async (type: string, extra: Record<string, unknown> = {}): Promise<Identity> => {
    const prvkey = crypto.generatePrivateKey();
    const name = unique(`it-${type}`);
    await c.addExecutor({ executorid: crypto.id(prvkey), executortype: type, executorname: name, colonyname: t.colonyName, ...extra }, colonyKey);
    return { prvkey, id: crypto.id(prvkey), name };
  };

  it('no executor of the type', async () => {
    const type = unique('none');
    const p = await submit(type);
    const r = await explain(p);
    assert.equal(r.code, 'no-type');
    assert.ok(r.sentence.startsWith(`No executor of type "${type}" is registered`), r.sentence);
  });

  it('only a pending executor: it may not ask for work, and the owner must approve it by name', async () => {
    const type = unique('pending');
    const ex = await addPending(type);
    const p = await submit(type);
    await assert.rejects(askOnce(ex), (e: unknown) => e instanceof ColoniesError && e.status === 403);
    const r = await explain(p);
    assert.equal(r.code, 'not-approved');
    assert.deepEqual(r.executors, [ex.name]);
    assert.match(r.sentence, new RegExp(`"${ex.name}" \\(pending\\) must be approved by the colony owner`));
  });

  it('executornames that do not exist, or name an executor of another type', async () => {
    const type = unique('named');
    const ex = await registerExecutor(c, t, colonyKey, type);
    const other = await registerExecutor(c, t, colonyKey, unique('othertype'));
    const ghost = await submit(type, { executornames: ['no-such-executor'] });
    assert.equal(await askOnce(ex), undefined, 'an executor not named does not get it');
    assert.equal((await explain(ghost)).code, 'names-missing');
    await c.cancelProcess(ghost.processid, userKey);
    const wrongType = await submit(type, { executornames: [other.name] });
    assert.equal(await askOnce(other), undefined, 'a named executor of another type does not get it');
    assert.equal(await askOnce(ex), undefined);
    const r = await explain(wrongType);
    assert.equal(r.code, 'names-other-type');
    assert.deepEqual(r.executors, [other.name]);
  });

  it('a location no executor of the type is in; the server compares locations ignoring case', async () => {
    const type = unique('located');
    const ex = await addPending(type, { locationname: 'earth' });
    await c.approveExecutor(t.colonyName, ex.name, colonyKey);
    const p = await submit(type, { locationname: 'mars' });
    assert.equal(await askOnce(ex), undefined);
    const r = await explain(p);
    assert.equal(r.code, 'location');
    assert.match(r.sentence, /in location "mars" \(they are in "earth"\)/);
    const upper = await submit(type, { locationname: 'EARTH' });
    assert.equal(await askOnce(ex), upper.processid, 'EARTH matches earth');
  });

  it('nodes above 127 are never assigned; 127 is', async () => {
    const type = unique('nodes');
    const ex = await registerExecutor(c, t, colonyKey, type);
    const p = await submit(type, { nodes: 128 });
    assert.equal(await askOnce(ex), undefined);
    assert.equal((await explain(p)).code, 'ceiling');
    const ok = await submit(type, { nodes: 127 });
    assert.equal(await askOnce(ex), ok.processid);
  });

  it('cpu and mem are compared with what the executor offers when it asks, not with anything registered', async () => {
    const type = unique('offer');
    const ex = await registerExecutor(c, t, colonyKey, type);
    const p = await submit(type, { cpu: '2000m', mem: '2Gi' });
    assert.equal(await askOnce(ex, { availablecpu: '1000m' }), undefined, 'too little CPU offered');
    assert.equal(await askOnce(ex, { availablemem: '1Gi' }), undefined, 'too little memory offered');
    const r = await explain(p);
    assert.equal(r.code, 'ready');
    assert.match(r.sentence, /unless it asks with less than 2000m CPU or 2048Mi memory free/);
    assert.equal(await askOnce(ex, { availablecpu: '2000m', availablemem: '2048Mi' }), p.processid);
  });

  it('gpu and requirefuncreg do not hold a process back', async () => {
    const type = unique('ignored');
    const ex = await addPending(type, { requirefuncreg: true });
    await c.approveExecutor(t.colonyName, ex.name, colonyKey);
    const p = await submit(type, { gpu: { name: 'a100', count: 8, mem: '80Gi', nodecount: 1 } });
    assert.equal(await askOnce(ex), p.processid, 'no GPU and no registered function, still assigned');
  });

  it('candidates busy with other processes, named with the process they run', async () => {
    const type = unique('busy');
    const ex = await registerExecutor(c, t, colonyKey, type);
    const first = await submit(type);
    assert.equal(await askOnce(ex), first.processid);
    const second = await submit(type);
    const r = await explain(second);
    assert.equal(r.code, 'busy');
    assert.match(r.sentence, new RegExp(`"${ex.name}" runs ${first.processid.slice(0, 8)}`));
    await c.close(first.processid, [], ex.prvkey);
  });

  it('an approved executor that never asked for work, then one that did: nothing blocks', async () => {
    const type = unique('ready');
    const ex = await registerExecutor(c, t, colonyKey, type);
    const p = await submit(type, { executornames: [ex.name] });
    assert.equal((await explain(p)).code, 'never-polled');
    const other = await registerExecutor(c, t, colonyKey, type);
    assert.equal(await askOnce(other), undefined, 'not named');
    const r = await explain(p);
    assert.equal(r.code, 'never-polled', 'the one that asked is not named');
    const q = await submit(type);
    const ready = await explain(q);
    assert.equal(ready.code, 'ready');
    assert.equal(ready.sentence, `An executor of type "${type}" ("${other.name}") can take it; it is waiting for one to ask for work (executors poll).`);
  });

  it('maxwaittime about to run out is part of the sentence', async () => {
    const type = unique('deadline');
    const p = await submit(type, { maxwaittime: 20 });
    const r = await explain(p);
    assert.equal(r.deadline, 'soon');
    assert.match(r.sentence, /its maxwaittime fails it in \d+ s unless it is assigned\.$/);
  });

  it('all candidates stale: silent longer than the stale limit (a real server then marks them unregistered)', async () => {
    const type = unique('stale');
    const ex = await addPending(type, { lastheardfromtime: new Date(Date.now() - 20 * 60_000).toISOString() });
    await c.approveExecutor(t.colonyName, ex.name, colonyKey);
    const p = await submit(type);
    const r = await explain(p);
    if (t.kind === 'external' && r.code === 'not-approved') {
      // The real server's cleanup (every 60 s) got there first: the executor is unregistered, as the sentence said it would be.
      assert.match(r.sentence, new RegExp(`"${ex.name}" must register again`));
      return;
    }
    assert.equal(r.code, 'stale');
    assert.match(r.sentence, /last asked for work 20 min ago/);
    assert.equal(p.state, ProcessState.WAITING);
  });
});
