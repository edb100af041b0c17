// What a real server sends, pinned on both targets: terminal `subscribeprocessmsg` frames (a stale copy for
// SUCCESS unless the executor registered the function; a fresh one for FAILED) and args/kwargs never null.
// The frames are read off a raw WebSocket on purpose: the client may re-read the process after a terminal event.

import { strict as assert } from 'node:assert';
import WebSocket from 'ws';
import { ProcessState, createEnvelope, funcSpec, isZeroTime, parseJson, type ColoniesClient, type Process } from '../../src/colonies/index';
import { registerExecutor, type Identity } from './helpers';
import { needKey, unique, useTarget, type Target } from './target';

/** One /pubsub socket; every frame decoded (bigint-safe). */
class FrameWatch {
  readonly frames: Process[] = [];
  private readonly errorFrames: unknown[] = [];
  private waiters: Array<() => void> = [];
  private closed = false;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const env = JSON.parse(data.toString('utf8')) as { payloadtype: string; payload: string; error: boolean };
      const inner = parseJson(Buffer.from(env.payload, 'base64').toString('utf8'));
      if (env.error) this.errorFrames.push(inner);
      else this.frames.push(inner as Process);
      this.wake();
    });
    ws.on('close', () => {
      this.closed = true;
      this.wake();
    });
    ws.on('error', () => undefined);
  }

  static async open(t: Target): Promise<FrameWatch> {
    const ws = new WebSocket(`${t.tls ? 'wss' : 'ws'}://${t.host}:${t.port}/pubsub`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new FrameWatch(ws);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  subscribe(processId: string, state: ProcessState, prvkey: string, timeoutS = 60): void {
    this.ws.send(JSON.stringify(createEnvelope('subscribeprocessmsg', { processid: processId, executortype: '', state, timeout: timeoutS }, prvkey)));
  }

  /** Resolves with the first frame (from index `from`) that matches; generous deadline, never a timing assertion. */
  next(match: (p: Process) => boolean, from = 0, limitMs = 30_000): Promise<Process> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame within ${limitMs} ms (have ${this.frames.length})`)), limitMs);
      const check = (): void => {
        const found = this.frames.slice(from).find(match);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        } else if (this.errorFrames.length > 0) {
          clearTimeout(timer);
          reject(new Error(`error frame: ${JSON.stringify(this.errorFrames[0])}`));
        } else if (this.closed) {
          clearTimeout(timer);
          reject(new Error(`socket closed with ${this.frames.length} frames`));
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }

  /**
   * Subscribes to `state`, then to the state the process is in now as a barrier: a server handles one socket's
   * subscriptions in order and answers an already-reached state at once, so the barrier's frame proves the first
   * subscription is registered.
   */
  async watch(processId: string, state: ProcessState, current: ProcessState, prvkey: string): Promise<void> {
    const before = this.frames.length;
    this.subscribe(processId, state, prvkey);
    this.subscribe(processId, current, prvkey);
    await this.next((p) => p.processid === processId && p.state === current, before);
  }

  close(): void {
    this.ws.terminate();
  }
}

describe('integration: parity with a real server (terminal frames, args/kwargs)', function () {
  this.timeout(60000);
  const target = useTarget();
  let t: Target;
  let c: ColoniesClient;
  const sockets: FrameWatch[] = [];

  before(() => {
    t = target();
    c = t.client();
  });

  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });

  async function open(): Promise<FrameWatch> {
    const w = await FrameWatch.open(t);
    sockets.push(w);
    return w;
  }

  /** A fresh executor (unique type) with one process of `funcname` assigned to it. */
  async function running(ctx: Mocha.Context, funcname: string, env: Record<string, string> = {}): Promise<{ ex: Identity; p: Process; userKey: string }> {
    const colonyKey = needKey(ctx, t, 'colonyPrvKey', 'registering an executor');
    const userKey = needKey(ctx, t, 'userPrvKey', 'submitting processes');
    const type = unique('it-parity');
    const ex = await registerExecutor(c, t, colonyKey, type);
    const submitted = await c.submitFuncSpec(funcSpec({ funcname, colonyname: t.colonyName, executortype: type, env }), userKey);
    const p = await c.assign(t.colonyName, 10, ex.prvkey);
    assert.equal(p.processid, submitted.processid);
    return { ex, p, userKey };
  }

  it('closesuccessfulmsg without a registered function: the SUCCESS frame is the process as it was before the close', async function () {
    const { ex, p, userKey } = await running(this, 'unregistered', { PARITY: 'yes' });
    const w = await open();
    await w.watch(p.processid, ProcessState.SUCCESS, ProcessState.RUNNING, userKey);
    await c.close(p.processid, ['result', 42], ex.prvkey);

    const frame = await w.next((f) => f.state === ProcessState.SUCCESS);
    const stored = await c.getProcess(p.processid, userKey);
    assert.equal(frame.processid, p.processid);
    assert.equal(frame.state, ProcessState.SUCCESS, 'only the state is changed');
    assert.deepEqual(frame.out, [], 'the output was stored after the copy was read');
    assert.ok(isZeroTime(frame.endtime), `endtime still unset in the frame: ${frame.endtime}`);
    assert.equal(frame.isassigned, true);
    assert.equal(frame.assignedexecutorid, ex.id);
    assert.equal(frame.starttime, stored.starttime);
    assert.deepEqual(frame.errors, []);
    assert.deepEqual(frame.attributes?.map((a) => [a.key, a.state]), [['PARITY', ProcessState.RUNNING]], 'attribute states as before the close');

    assert.equal(stored.state, ProcessState.SUCCESS);
    assert.deepEqual(stored.out, ['result', 42]);
    assert.ok(!isZeroTime(stored.endtime));
    assert.deepEqual(stored.attributes?.map((a) => [a.key, a.state]), [['PARITY', ProcessState.SUCCESS]]);
  });

  it('the stale copy keeps output set earlier, and a second close signals the first close\'s output', async function () {
    const { ex, p, userKey } = await running(this, 'unregistered');
    await c.setOutput(p.processid, ['partial'], ex.prvkey);
    const w = await open();
    await w.watch(p.processid, ProcessState.SUCCESS, ProcessState.RUNNING, userKey);
    await c.close(p.processid, ['first'], ex.prvkey);
    const first = await w.next((f) => f.state === ProcessState.SUCCESS);
    assert.deepEqual(first.out, ['partial']);
    assert.ok(isZeroTime(first.endtime));

    // Closing a SUCCESS process again is accepted; its event is again the copy read before storing.
    const firstEnd = (await c.getProcess(p.processid, userKey)).endtime;
    await c.close(p.processid, ['second'], ex.prvkey);
    const second = await w.next((f) => f.state === ProcessState.SUCCESS, w.frames.indexOf(first) + 1);
    assert.deepEqual(second.out, ['first']);
    assert.equal(second.endtime, firstEnd);
    assert.deepEqual((await c.getProcess(p.processid, userKey)).out, ['second']);
  });

  it('closesuccessfulmsg with a function registered by the executor: the SUCCESS frame is fresh', async function () {
    const { ex, p, userKey } = await running(this, 'registered', { PARITY: 'yes' });
    await c.addFunction({ executorname: ex.name, executortype: p.spec.conditions.executortype, colonyname: t.colonyName, funcname: 'registered' }, ex.prvkey);
    const w = await open();
    await w.watch(p.processid, ProcessState.SUCCESS, ProcessState.RUNNING, userKey);
    await c.close(p.processid, ['fresh'], ex.prvkey);

    const frame = await w.next((f) => f.state === ProcessState.SUCCESS);
    const stored = await c.getProcess(p.processid, userKey);
    assert.deepEqual(frame.out, ['fresh']);
    assert.ok(!isZeroTime(frame.endtime));
    assert.equal(frame.endtime, stored.endtime);
    assert.deepEqual(frame.attributes?.map((a) => [a.key, a.state]), [['PARITY', ProcessState.SUCCESS]]);
  });

  it('a function registered by another executor does not make the frame fresh', async function () {
    const { ex, p, userKey } = await running(this, 'elsewhere');
    const other = await registerExecutor(c, t, needKey(this, t, 'colonyPrvKey', 'registering an executor'), p.spec.conditions.executortype);
    await c.addFunction({ executorname: other.name, executortype: p.spec.conditions.executortype, colonyname: t.colonyName, funcname: 'elsewhere' }, other.prvkey);
    const w = await open();
    await w.watch(p.processid, ProcessState.SUCCESS, ProcessState.RUNNING, userKey);
    await c.close(p.processid, ['x'], ex.prvkey);
    const frame = await w.next((f) => f.state === ProcessState.SUCCESS);
    assert.deepEqual(frame.out, []);
    assert.ok(isZeroTime(frame.endtime));
    const [fn] = await c.getFunctions(t.colonyName, userKey, other.name);
    assert.equal(fn.counter, 0, "another executor's function keeps its statistics");
  });

  it('closefailedmsg: the FAILED frame is read after the process was marked failed, so it carries errors', async function () {
    const { ex, p, userKey } = await running(this, 'failing', { PARITY: 'yes' });
    const w = await open();
    await w.watch(p.processid, ProcessState.FAILED, ProcessState.RUNNING, userKey);
    await c.fail(p.processid, ['boom', 'bang'], ex.prvkey);
    const frame = await w.next((f) => f.state === ProcessState.FAILED);
    const stored = await c.getProcess(p.processid, userKey);
    assert.deepEqual(frame.errors, ['boom', 'bang']);
    assert.ok(!isZeroTime(frame.endtime));
    assert.equal(frame.endtime, stored.endtime);
    assert.deepEqual(frame.attributes?.map((a) => [a.key, a.state]), [['PARITY', ProcessState.FAILED]]);
  });

  it('closefailedmsg without errors stores and signals errors: null', async function () {
    const { ex, p, userKey } = await running(this, 'failing');
    const w = await open();
    await w.watch(p.processid, ProcessState.FAILED, ProcessState.RUNNING, userKey);
    await c.rpc('closefailedmsg', { processid: p.processid }, ex.prvkey);
    const frame = await w.next((f) => f.state === ProcessState.FAILED);
    assert.equal(frame.errors, null);
    assert.equal((await c.getProcess(p.processid, userKey)).errors, null);
  });

  for (const [label, extra] of [
    ['absent', {}],
    ['null', { args: null, kwargs: null }],
  ] as const) {
    it(`args and kwargs ${label} at submit read back as [] and {} everywhere`, async function () {
      const colonyKey = needKey(this, t, 'colonyPrvKey', 'registering an executor');
      const userKey = needKey(this, t, 'userPrvKey', 'submitting processes');
      const type = unique('it-args');
      const ex = await registerExecutor(c, t, colonyKey, type);
      const spec: Record<string, unknown> = { ...funcSpec({ funcname: 'noargs', colonyname: t.colonyName, executortype: type }) };
      delete spec.args;
      delete spec.kwargs;
      Object.assign(spec, extra);
      const submitted = (await c.rpc('submitfuncspecmsg', { spec }, userKey)) as Process;
      const check = (what: string, p: Process): void => {
        assert.deepEqual(p.spec.args, [], `${what}: args`);
        assert.deepEqual(p.spec.kwargs, {}, `${what}: kwargs`);
      };
      check('submit reply', submitted);
      check('getprocess', await c.getProcess(submitted.processid, userKey));
      const w = await open();
      await w.watch(submitted.processid, ProcessState.RUNNING, ProcessState.WAITING, userKey);
      check('waiting frame', w.frames[0]);
      const assigned = await c.assign(t.colonyName, 10, ex.prvkey);
      assert.equal(assigned.processid, submitted.processid);
      check('assign reply', assigned);
      check('running frame', await w.next((f) => f.state === ProcessState.RUNNING));
      await c.rpc('closesuccessfulmsg', { processid: submitted.processid, out: null }, ex.prvkey);
      check('after close', await c.getProcess(submitted.processid, userKey));
    });
  }
});
