// The process store against a fake client: merge order, the socket budget, the fallback poll, stale terminal
// frames, gone processes and dispose.
import * as assert from 'node:assert/strict';
import { ColoniesError } from '../../../src/colonies/rpc';
import { ProcessState, type Process } from '../../../src/colonies/types';
import { ConnectionProcesses, ProcessStore, connectionKey, type StoreClient, type StoreConnection } from '../../../src/store/processStore';
import { poll } from '../../support/poll';
import { makeProcess } from '../views/fixtures';

const until = <T>(check: () => T | undefined, what: string) => poll(check, { what, limitMs: 10_000, stepMs: 5, retryErrors: false });

interface PendingSub {
  id: string;
  state: ProcessState;
  resolve: (p: Process) => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
}

/** A server in memory: getProcess reads `processes`; a subscription stays open until `transition` or its abort. */
class FakeClient implements StoreClient {
  processes = new Map<string, Process>();
  reads: string[] = [];
  subs: PendingSub[] = [];
  /** What a terminal frame carries: the process before its output was stored (as a real server sends it). */
  staleTerminalFrames = true;

  async getProcess(id: string): Promise<Process> {
    this.reads.push(id);
    const p = this.processes.get(id);
    if (!p) throw new ColoniesError(404, 'Failed to get process, process not found');
    return p;
  }

  subscribeProcess(id: string, state: ProcessState, _t: number, _k: string, opts: { signal?: AbortSignal } = {}): Promise<Process> {
    return new Promise((resolve, reject) => {
      const sub: PendingSub = { id, state, resolve, reject, signal: opts.signal };
      this.subs.push(sub);
      opts.signal?.addEventListener('abort', () => {
        this.subs = this.subs.filter((s) => s !== sub);
        reject(new Error('aborted'));
      });
    });
  }

  get open(): number {
    return this.subs.length;
  }

  transition(id: string, state: ProcessState, over: Partial<Process> = {}): void {
    const before = this.processes.get(id)!;
    const after = { ...before, state, ...over };
    this.processes.set(id, after);
    for (const s of this.subs.filter((x) => x.id === id && x.state === state)) {
      s.resolve(this.staleTerminalFrames ? { ...before, state } : after);
    }
  }
}

function conn(client: StoreClient, identity = 'http://localhost:50080/dev'): StoreConnection {
  return { key: connectionKey(identity, client), client, prvkey: 'k' };
}

describe('ProcessStore', () => {
  let store: ProcessStore;
  afterEach(() => store?.dispose());

  it('never lets an older snapshot overwrite a newer state; a retried process starts again', () => {
    store = new ProcessStore();
    const c = conn(new FakeClient());
    const changes: ProcessState[] = [];
    store.onProcess(c, 'p', (p) => p && changes.push(p.state));
    store.upsert(c, [makeProcess({ id: 'p', state: ProcessState.RUNNING })]);
    store.upsert(c, [makeProcess({ id: 'p', state: ProcessState.WAITING })]);
    assert.equal(store.get(c, 'p')?.state, ProcessState.RUNNING);
    store.upsert(c, [makeProcess({ id: 'p', state: ProcessState.SUCCESS })]);
    store.upsert(c, [makeProcess({ id: 'p', state: ProcessState.RUNNING })]);
    assert.equal(store.get(c, 'p')?.state, ProcessState.SUCCESS);
    store.upsert(c, [makeProcess({ id: 'p', state: ProcessState.SUCCESS })]);
    assert.deepEqual(changes, [ProcessState.RUNNING, ProcessState.SUCCESS], 'an identical snapshot is no change');
    const q = makeProcess({ id: 'q', state: ProcessState.RUNNING });
    store.upsert(c, [q, { ...q, state: ProcessState.WAITING, retries: 1 }]);
    assert.equal(store.get(c, 'q')?.state, ProcessState.WAITING, 'a retry is newer than the run before it');
  });

  it('forgets the oldest unwatched entries beyond its cap, never a watched one', () => {
    store = new ProcessStore({ maxEntriesPerConnection: 3 });
    const client = new FakeClient();
    client.processes.set('w', makeProcess({ id: 'w', state: ProcessState.RUNNING }));
    const c = conn(client);
    store.upsert(c, [makeProcess({ id: 'w', state: ProcessState.SUCCESS })]);
    store.watch(c, 'w');
    store.upsert(c, ['a', 'b', 'd', 'e'].map((id) => makeProcess({ id })));
    assert.ok(store.get(c, 'w'), 'the watched entry stays');
    assert.equal(store.get(c, 'a'), undefined);
    assert.equal(store.get(c, 'b'), undefined);
    assert.ok(store.get(c, 'e'));
  });

  it('keeps connections apart: the same id on two servers are two entries', () => {
    store = new ProcessStore();
    const a = conn(new FakeClient(), 'http://a:1/dev');
    const b = conn(new FakeClient(), 'http://b:1/dev');
    store.upsert(a, [makeProcess({ id: 'p', state: ProcessState.RUNNING })]);
    assert.equal(store.get(b, 'p'), undefined);
    assert.notEqual(a.key, b.key);
  });

  it('watches through the states with one socket, re-reads terminal frames, and stops at the end', async () => {
    const client = new FakeClient();
    client.processes.set('p', makeProcess({ id: 'p' }));
    store = new ProcessStore({ sleep: async () => undefined });
    const c = conn(client);
    const w = store.watch(c, 'p');
    await until(() => (client.open === 1 && client.subs[0].state === ProcessState.RUNNING ? true : undefined), 'a RUNNING subscription');
    client.transition('p', ProcessState.RUNNING, { assignedexecutorid: 'e' });
    await until(() => (store.get(c, 'p')?.state === ProcessState.RUNNING ? true : undefined), 'RUNNING in the store');
    await until(() => (client.open === 2 ? true : undefined), 'SUCCESS and FAILED subscriptions');
    client.transition('p', ProcessState.SUCCESS, { out: ['done'] });
    await until(() => (store.get(c, 'p')?.state === ProcessState.SUCCESS ? true : undefined), 'SUCCESS in the store');
    assert.deepEqual(store.get(c, 'p')?.out, ['done'], 'the stale terminal frame was replaced by a fresh read');
    await until(() => (!store.isWatched(c, 'p') ? true : undefined), 'the watch to stop');
    assert.equal(client.open, 0);
    assert.equal(store.watching(c).sockets, 0);
    w.dispose();
  });

  it('catches a change that happened before its socket was up with one read after subscribing', async () => {
    const client = new FakeClient();
    client.processes.set('p', makeProcess({ id: 'p' }));
    store = new ProcessStore({ raceCheckMs: 20 });
    const c = conn(client);
    store.watch(c, 'p');
    await until(() => (client.open === 1 ? true : undefined), 'a RUNNING subscription');
    // Ran and finished with no frame for RUNNING ever coming (the server sends frames only for the requested state).
    client.processes.set('p', makeProcess({ id: 'p', state: ProcessState.SUCCESS, out: ['x'] }));
    await until(() => (store.get(c, 'p')?.state === ProcessState.SUCCESS ? true : undefined), 'SUCCESS without a frame');
    await until(() => (!store.isWatched(c, 'p') && client.open === 0 ? true : undefined), 'the watch to end');
  });

  it('shares one watch between owners and stops when the last one lets go', async () => {
    const client = new FakeClient();
    client.processes.set('p', makeProcess({ id: 'p' }));
    store = new ProcessStore();
    const c = conn(client);
    const a = store.watch(c, 'p', {});
    const b = store.watch(c, 'p', {});
    await until(() => (client.open === 1 ? true : undefined), 'one subscription');
    a.dispose();
    assert.equal(store.isWatched(c, 'p'), true);
    b.dispose();
    assert.equal(store.isWatched(c, 'p'), false);
    await until(() => (client.open === 0 ? true : undefined), 'the socket to close');
  });

  it('keeps to the socket budget per connection and polls the rest', async () => {
    const client = new FakeClient();
    for (let i = 0; i < 5; i++) client.processes.set(`p${i}`, makeProcess({ id: `p${i}` }));
    const other = new FakeClient();
    other.processes.set('p0', makeProcess({ id: 'p0' }));
    const sleeps: number[] = [];
    const pollMs = 40;
    store = new ProcessStore({
      socketsPerConnection: 2,
      fallbackPollMs: pollMs,
      sleep: (ms, signal) => {
        sleeps.push(ms);
        return new Promise((r) => {
          const t = setTimeout(r, ms);
          signal.addEventListener('abort', () => (clearTimeout(t), r()));
        });
      },
    });
    const c = conn(client);
    const o = conn(other, 'http://other:1/dev');
    for (let i = 0; i < 5; i++) store.watch(c, `p${i}`);
    store.watch(o, 'p0');
    await until(() => (client.open === 2 && other.open === 1 ? true : undefined), 'two sockets here, one on the other connection');
    // The polled ones are re-read, and a change reaches the store without a socket.
    const polled = ['p0', 'p1', 'p2', 'p3', 'p4'].find((id) => !client.subs.some((s) => s.id === id))!;
    client.transition(polled, ProcessState.RUNNING);
    await until(() => (store.get(c, polled)?.state === ProcessState.RUNNING ? true : undefined), 'the polled process to be seen running');
    assert.ok(sleeps.includes(pollMs));
    assert.ok(client.open <= 2, `sockets ${client.open}`);
  });

  it('reports a process the server no longer has, and stops watching it', async () => {
    const client = new FakeClient();
    store = new ProcessStore();
    const c = conn(client);
    const gone: string[] = [];
    store.onProcess(c, 'x', (p, reason) => reason && gone.push(reason));
    store.watch(c, 'x');
    await until(() => (gone.length ? true : undefined), 'gone');
    assert.match(gone[0], /not found/);
    assert.equal(store.isWatched(c, 'x'), false);
    await assert.rejects(store.read(c, 'x'), /not found/);
  });

  it('coalesces concurrent reads and merges them', async () => {
    const client = new FakeClient();
    client.processes.set('p', makeProcess({ id: 'p', state: ProcessState.RUNNING }));
    store = new ProcessStore();
    const c = conn(client);
    const [a, b] = await Promise.all([store.read(c, 'p'), store.read(c, 'p')]);
    assert.equal(a, b);
    assert.equal(client.reads.length, 1);
    assert.equal(store.get(c, 'p')?.state, ProcessState.RUNNING);
  });

  it('waits until a condition through the shared watch (until), and dispose ends every watch', async () => {
    const client = new FakeClient();
    client.processes.set('p', makeProcess({ id: 'p' }));
    store = new ProcessStore();
    const c = conn(client);
    const view = new ConnectionProcesses(store, c);
    const running = view.until('p', (p) => p.state !== ProcessState.WAITING, new AbortController().signal);
    await until(() => (client.open === 1 ? true : undefined), 'a subscription');
    client.transition('p', ProcessState.RUNNING);
    assert.equal((await running)?.state, ProcessState.RUNNING);
    store.watch(c, 'p');
    await until(() => (client.open === 2 ? true : undefined), 'two end subscriptions');
    store.dispose();
    await until(() => (client.open === 0 ? true : undefined), 'all sockets closed');
    const abort = new AbortController();
    abort.abort();
    assert.equal(await view.until('p', () => false, abort.signal), undefined);
  });
});
