// Who gets the wake-up when a process is submitted (docs/protocol.md §5.2, P4), asserted step by step and with the
// same winners on the local colony and on a real server. A submit wakes every listener bound to that process and
// exactly ONE general listener of its target (executortype + state + location): an assign long-poll or a
// subscribeprocessesmsg subscription. The one is chosen round-robin over the target's listener ids, which one
// counter hands out to every registration, ordered as strings; the round-robin position outlives the listeners,
// and a subscription stays registered until its timeout even after its socket has closed.

import { strict as assert } from 'node:assert';
import WebSocket from 'ws';
import { ColoniesError, ProcessState, funcSpec, type ColoniesClient, type Process } from '../../src/colonies/index';
import { createEnvelope } from '../../src/colonies/rpc';
import { registerExecutor, type Identity } from './helpers';
import { needKey, unique, useTarget, type Target } from './target';
import { until, waitFor } from '../support/poll';

/** Seconds an assign long-polls: it loses by timing out, so this is what each lost round costs. */
const ASSIGN_TIMEOUT_S = 6;
/** Seconds a subscription lasts: past the end of every scenario. */
const SUBSCRIPTION_TIMEOUT_S = 60;

type Winner = 'subscriber' | 'assign' | 'nobody';

/** A subscribeprocessesmsg subscriber on its own socket. */
class Subscriber {
  private readonly ws: WebSocket;
  /** Ids of the processes pushed to it. */
  readonly got: string[] = [];
  private errors = 0;

  private constructor(t: Target) {
    this.ws = new WebSocket(`${t.tls ? 'wss' : 'ws'}://${t.host}:${t.port}/pubsub`, { perMessageDeflate: false });
    this.ws.on('error', () => undefined);
    this.ws.on('message', (data: Buffer) => {
      const env = JSON.parse(data.toString('utf8')) as { payloadtype: string; payload: string };
      if (env.payloadtype === 'error') this.errors++;
      else this.got.push((JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as Process).processid);
    });
  }

  static async open(t: Target, executorType: string, executor: Identity): Promise<Subscriber> {
    const s = new Subscriber(t);
    await new Promise<void>((resolve, reject) => {
      s.ws.once('open', () => resolve());
      s.ws.once('error', reject);
    });
    s.send('subscribeprocessesmsg', { colonyname: t.colonyName, executortype: executorType, state: ProcessState.WAITING, timeout: SUBSCRIPTION_TIMEOUT_S }, executor.prvkey);
    await s.barrier(executor.prvkey);
    return s;
  }

  private send(type: string, msg: Record<string, unknown>, prvkey: string): void {
    this.ws.send(JSON.stringify(createEnvelope(type, msg, prvkey)));
  }

  /**
   * A server handles a socket's frames in order, and no frame confirms a subscription: a request that fails
   * (an unknown process id) answers with an error frame once everything sent before it has been handled.
   */
  async barrier(prvkey: string): Promise<void> {
    const want = this.errors + 1;
    this.send('subscribeprocessmsg', { colonyname: '', processid: 'no-such-process', executortype: '', state: 0, timeout: 1 }, prvkey);
    await until(() => this.errors >= want, 'the error frame that follows the subscription', 20_000);
  }

  close(): void {
    this.ws.terminate();
  }
}

describe('integration: wake-up order of assign long-polls and subscribeprocessesmsg (parity)', function () {
  this.timeout(120_000);
  const target = useTarget();
  const cleanups: (() => Promise<unknown> | void)[] = [];

  before(function () {
    // A real server that has been up a while hands out ids of one length, which then order as numbers. The
    // local colony starts at 0, and a scenario straddling "9" and "10" would order differently: start it at
    // three digits. (The string order itself is pinned in localcolony/events.test.ts.)
    const events = target().local?.server.events;
    for (let i = 0; events && i < 100; i++) events.register('-', 0, '', { deliver: () => undefined }).dispose();
  });

  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
  });

  interface Scene {
    t: Target;
    client: ColoniesClient;
    type: string;
    executor: Identity;
    userPrvKey: string;
  }

  async function scene(ctx: Mocha.Context): Promise<Scene> {
    const t = target();
    const colonyPrvKey = needKey(ctx, t, 'colonyPrvKey', 'registering the executor');
    const userPrvKey = needKey(ctx, t, 'userPrvKey', 'submitting processes');
    const client = t.client();
    const type = unique('wake');
    const executor = await registerExecutor(client, t, colonyPrvKey, type);
    cleanups.push(() => client.removeExecutor(t.colonyName, executor.name, colonyPrvKey));
    return { t, client, type, executor, userPrvKey };
  }

  async function subscriber(s: Scene): Promise<Subscriber> {
    const sub = await Subscriber.open(s.t, s.type, s.executor);
    cleanups.push(() => sub.close());
    return sub;
  }

  /**
   * One round: the executor long-polls assign; once it waits, a process is submitted; returns who got it.
   * A server marks the executor alive at the start of each assign attempt, right before it registers to wait.
   */
  async function round(s: Scene, subscribers: Subscriber[]): Promise<Winner> {
    const { t, client, executor, userPrvKey } = s;
    const seenBefore = subscribers.map((x) => x.got.length);
    const before = (await client.getExecutor(t.colonyName, executor.name, userPrvKey)).lastheardfromtime;
    const assign = client.assign(t.colonyName, ASSIGN_TIMEOUT_S, executor.prvkey).then(
      (p) => p.processid,
      (err: unknown) => {
        if (err instanceof ColoniesError && err.status === 404) return undefined;
        throw err;
      },
    );
    await waitFor('the assign to wait', async () => ((await client.getExecutor(t.colonyName, executor.name, userPrvKey)).lastheardfromtime !== before ? true : undefined));
    const p = await client.submitFuncSpec(funcSpec({ funcname: 'wake', colonyname: t.colonyName, executortype: s.type }), userPrvKey);
    const assigned = await assign;
    // Frames pushed before the subscribers' next barrier have arrived by then.
    for (const x of subscribers) await x.barrier(executor.prvkey);
    const pushed = subscribers.map((x, i) => x.got.slice(seenBefore[i]));

    let winner: Winner;
    if (assigned !== undefined) {
      assert.equal(assigned, p.processid);
      winner = 'assign';
      await client.close(p.processid, [], executor.prvkey);
    } else {
      winner = pushed.some((ids) => ids.length > 0) ? 'subscriber' : 'nobody';
      // Nobody assigned it: it is still waiting (the lost wake-up is the point of P4).
      assert.equal((await client.getProcess(p.processid, userPrvKey)).state, ProcessState.WAITING);
    }
    await client.removeProcess(p.processid, userPrvKey);
    assert.ok(pushed.every((ids) => ids.length === 0 || (ids.length === 1 && ids[0] === p.processid)), JSON.stringify(pushed));
    assert.ok(pushed.filter((ids) => ids.length > 0).length <= 1, 'one general listener per submit');
    return winner;
  }

  it('one subscriber kept for two rounds: the subscriber wins round 1, the assign round 2 (round-robin)', async function () {
    const s = await scene(this);
    const sub = await subscriber(s);
    assert.equal(await round(s, [sub]), 'subscriber');
    assert.equal(sub.got.length, 1);
    assert.equal(await round(s, [sub]), 'assign');
  });

  it('a fresh subscriber each round (the last one closed its socket): the subscriber wins both rounds', async function () {
    const s = await scene(this);
    const first = await subscriber(s);
    assert.equal(await round(s, [first]), 'subscriber');
    first.close();
    // The closed socket's registration still holds its place: round-robin moves past it to the new subscriber.
    const second = await subscriber(s);
    assert.equal(await round(s, [second]), 'subscriber');
    assert.equal(second.got.length, 1);
  });

  it('a subscriber whose socket closed still takes its turn: the assign alone loses round 3', async function () {
    const s = await scene(this);
    const sub = await subscriber(s);
    assert.equal(await round(s, [sub]), 'subscriber');
    sub.close();
    assert.equal(await round(s, []), 'assign');
    // Round-robin comes back to the closed socket's registration: the wake-up goes nowhere.
    assert.equal(await round(s, []), 'nobody');
    // That delivery ended the registration: the assign is alone now.
    assert.equal(await round(s, []), 'assign');
  });
});
