// The one owner of what the extension knows about processes, per (connection, process id). No `vscode` import.
// Fed by list polls (upsert), by watches that keep one subscribeprocessmsg socket alive per watched unfinished
// process under one budget per connection (beyond it: a slow getProcess poll run here), and by explicit reads.
// Views and panels subscribe; none of them polls a process on its own. See docs/architecture-store.md.
import { isTerminal } from '../colonies/client';
import { Emitter, type Disposable, type Event } from '../colonies/events';
import { ColoniesError } from '../colonies/rpc';
import { errorMessage } from '../colonies/rpc';
import { ProcessState, type Process } from '../colonies/types';
import { isNewer, nextStates } from './processProgress';

/** The part of ColoniesClient the store uses. */
export interface StoreClient {
  getProcess(processId: string, prvkey: string, opts?: { signal?: AbortSignal }): Promise<Process>;
  subscribeProcess(
    processId: string,
    state: ProcessState,
    timeoutSeconds: number,
    prvkey: string,
    opts?: { signal?: AbortSignal; colonyName?: string },
  ): Promise<Process>;
}

/**
 * One connection as the store sees it: `key` names the server identity and the client (see connectionKey), so two
 * clients of two servers never share entries, and a panel that holds its connection keeps asking the same server.
 */
export interface StoreConnection {
  readonly key: string;
  readonly client: StoreClient;
  readonly prvkey: string;
  readonly colonyName?: string;
}

export type ProcessSource = 'list' | 'read' | 'watch';

export interface ProcessStoreChange {
  readonly key: string;
  /** What brought the news: a list poll's holder (the tree model) already placed these rows itself. */
  readonly source: ProcessSource;
  /** Processes whose stored snapshot changed (after the merge rule). */
  readonly processes: readonly Process[];
  /** Processes the server says do not exist (404) or may not be read by this key (403). */
  readonly gone: readonly { processId: string; reason: string }[];
}

export interface ProcessStoreOptions {
  /** subscribeprocessmsg sockets per connection; watches beyond it are polled. */
  socketsPerConnection?: number;
  /** Seconds a subscription lasts before it is renewed (the server then drops the socket). */
  subscriptionSeconds?: number;
  /** How often a watched process without a socket is re-read. */
  fallbackPollMs?: number;
  /** First delay after a failed read or a subscription refused at once; doubled per failure up to a minute. */
  retryDelayMs?: number;
  /** How long after subscribing the process is read once more, for a change that came before the socket was up. */
  raceCheckMs?: number;
  /** Entries kept per connection; beyond it the oldest that nobody watches are forgotten (list polls add up). */
  maxEntriesPerConnection?: number;
  log?: (message: string) => void;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export const DEFAULT_SOCKETS_PER_CONNECTION = 16;

let clientSerials = new WeakMap<object, number>();
let nextSerial = 1;

/** The store key of a connection: the server identity (connection/identity.ts identityKey) plus which client asks. */
export function connectionKey(identity: string, client: object): string {
  let serial = clientSerials.get(client);
  if (serial === undefined) {
    serial = nextSerial++;
    clientSerials.set(client, serial);
  }
  return `${identity}#${serial}`;
}

/** For tests that compare keys across runs. */
export function resetConnectionKeys(): void {
  clientSerials = new WeakMap();
  nextSerial = 1;
}

interface Entry {
  process?: Process;
  gone?: string;
  owners: Set<object>;
  loop?: AbortController;
  reading?: Promise<Process>;
  /** This watch holds one of the connection's sockets right now. */
  socket: boolean;
}

interface Conn {
  entries: Map<string, Entry>;
  sockets: number;
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

export class ProcessStore implements Disposable {
  private readonly conns = new Map<string, Conn>();
  private readonly changeEmitter = new Emitter<ProcessStoreChange>();
  readonly onDidChange: Event<ProcessStoreChange> = this.changeEmitter.event;
  private readonly budget: number;
  private readonly seconds: number;
  private readonly pollMs: number;
  private readonly retryMs: number;
  private readonly raceCheckMs: number;
  private readonly maxEntries: number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private disposed = false;

  constructor(private readonly options: ProcessStoreOptions = {}) {
    this.budget = options.socketsPerConnection ?? DEFAULT_SOCKETS_PER_CONNECTION;
    this.seconds = options.subscriptionSeconds ?? 60;
    this.pollMs = options.fallbackPollMs ?? 10_000;
    this.retryMs = options.retryDelayMs ?? 5000;
    this.raceCheckMs = options.raceCheckMs ?? 1000;
    this.maxEntries = options.maxEntriesPerConnection ?? 5000;
    this.sleep = options.sleep ?? defaultSleep;
  }

  get(conn: StoreConnection | string, processId: string): Process | undefined {
    return this.conns.get(keyOf(conn))?.entries.get(processId)?.process;
  }

  /** Why the process is known not to be readable any more (404/403), if it is. */
  goneReason(conn: StoreConnection | string, processId: string): string | undefined {
    return this.conns.get(keyOf(conn))?.entries.get(processId)?.gone;
  }

  /** The ids this connection watches right now, and how many of them hold a socket. */
  watching(conn: StoreConnection | string): { ids: string[]; sockets: number } {
    const c = this.conns.get(keyOf(conn));
    if (!c) return { ids: [], sockets: 0 };
    return { ids: [...c.entries].filter(([, e]) => e.loop).map(([id]) => id), sockets: c.sockets };
  }

  isWatched(conn: StoreConnection | string, processId: string): boolean {
    return !!this.conns.get(keyOf(conn))?.entries.get(processId)?.loop;
  }

  /** Snapshots from a list poll or another read: merged by the monotonic rule, one change event for the batch. */
  upsert(conn: StoreConnection | string, processes: readonly Process[], source: ProcessSource = 'list'): void {
    const key = keyOf(conn);
    const changed: Process[] = [];
    for (const p of processes) {
      const merged = this.merge(key, p);
      if (merged) changed.push(merged);
    }
    if (changed.length > 0) this.fire({ key, source: source, processes: changed, gone: [] });
  }

  /** Forgets a process (deleted by the user); a watch on it stops. */
  remove(conn: StoreConnection | string, processId: string): void {
    const c = this.conns.get(keyOf(conn));
    const e = c?.entries.get(processId);
    if (!c || !e) return;
    this.stopLoop(e);
    c.entries.delete(processId);
  }

  /** Forgets everything about a connection (its client was disposed). */
  dropConnection(conn: StoreConnection | string): void {
    const key = keyOf(conn);
    const c = this.conns.get(key);
    if (!c) return;
    for (const e of c.entries.values()) this.stopLoop(e);
    this.conns.delete(key);
  }

  /** A fresh read from the server, merged; concurrent reads of one process share one request. */
  read(conn: StoreConnection, processId: string, opts: { signal?: AbortSignal } = {}): Promise<Process> {
    const e = this.entry(conn.key, processId);
    if (e.reading && !opts.signal) return e.reading;
    const reading = (async () => {
      try {
        const p = await conn.client.getProcess(processId, conn.prvkey, { signal: opts.signal });
        this.accept(conn.key, p, 'read');
        return this.get(conn.key, processId) ?? p;
      } catch (err) {
        if (isGoneError(err)) this.markGone(conn.key, processId, errorMessage(err));
        throw err;
      }
    })();
    if (!opts.signal) {
      e.reading = reading;
      void reading.then(
        () => (e.reading = e.reading === reading ? undefined : e.reading),
        () => (e.reading = e.reading === reading ? undefined : e.reading),
      );
    }
    return reading;
  }

  /**
   * Keeps the process up to date until it finishes, while `owner` (any object) holds the returned Disposable. Many
   * owners share one watch; the last dispose stops it.
   */
  watch(conn: StoreConnection, processId: string, owner: object = {}): Disposable {
    if (this.disposed) return { dispose: () => undefined };
    const e = this.entry(conn.key, processId);
    e.owners.add(owner);
    if (!e.loop && !(e.process && isTerminal(e.process.state)) && !e.gone) {
      const ctrl = new AbortController();
      e.loop = ctrl;
      void this.run(conn, processId, e, ctrl.signal).finally(() => {
        if (e.loop === ctrl) e.loop = undefined;
      });
    }
    let done = false;
    return {
      dispose: () => {
        if (done) return;
        done = true;
        e.owners.delete(owner);
        if (e.owners.size === 0) this.stopLoop(e);
      },
    };
  }

  /** Calls `listener` with the process's stored snapshot whenever it changes, and with `gone` when it vanished. */
  onProcess(conn: StoreConnection | string, processId: string, listener: (p: Process | undefined, gone?: string) => void): Disposable {
    const key = keyOf(conn);
    return this.onDidChange((change) => {
      if (change.key !== key) return;
      const p = change.processes.find((x) => x.processid === processId);
      if (p) listener(p);
      const g = change.gone.find((x) => x.processId === processId);
      if (g) listener(undefined, g.reason);
    });
  }

  dispose(): void {
    this.disposed = true;
    for (const c of this.conns.values()) for (const e of c.entries.values()) this.stopLoop(e);
    this.conns.clear();
    this.changeEmitter.dispose();
  }

  private conn(key: string): Conn {
    let c = this.conns.get(key);
    if (!c) {
      c = { entries: new Map(), sockets: 0 };
      this.conns.set(key, c);
    }
    return c;
  }

  private entry(key: string, processId: string): Entry {
    const c = this.conn(key);
    let e = c.entries.get(processId);
    if (!e) {
      e = { owners: new Set(), socket: false };
      c.entries.set(processId, e);
      if (c.entries.size > this.maxEntries) this.prune(c, e);
    }
    return e;
  }

  /** Forgets the oldest entries nobody watches or reads (Map order is insertion order), never `keep`. */
  private prune(c: Conn, keep: Entry): void {
    for (const [id, e] of c.entries) {
      if (c.entries.size <= this.maxEntries) return;
      if (e === keep || e.owners.size > 0 || e.loop || e.reading) continue;
      c.entries.delete(id);
    }
  }

  private stopLoop(e: Entry): void {
    e.loop?.abort();
    e.loop = undefined;
  }

  private merge(key: string, p: Process): Process | undefined {
    const e = this.entry(key, p.processid);
    if (!isNewer(e.process, p)) return undefined;
    e.process = p;
    e.gone = undefined;
    return p;
  }

  private accept(key: string, p: Process, source: ProcessSource): void {
    const merged = this.merge(key, p);
    if (merged) this.fire({ key, source, processes: [merged], gone: [] });
  }

  private markGone(key: string, processId: string, reason: string): void {
    const e = this.entry(key, processId);
    this.stopLoop(e);
    if (e.gone === reason) return;
    e.gone = reason;
    this.fire({ key, source: 'read', processes: [], gone: [{ processId, reason }] });
  }

  private fire(change: ProcessStoreChange): void {
    if (!this.disposed) this.changeEmitter.fire(change);
  }

  /**
   * One watch: read, then wait on a socket for the next expected state (or, with no socket free, sleep the poll
   * interval), then read again. Every wake-up is followed by a read, so a terminal frame (which a real server sends
   * with the process as it was before its output was stored) is never what the store keeps.
   */
  private async run(conn: StoreConnection, processId: string, e: Entry, signal: AbortSignal): Promise<void> {
    const c = this.conn(conn.key);
    let failures = 0;
    while (!signal.aborted && !this.disposed) {
      let current: Process;
      try {
        current = await conn.client.getProcess(processId, conn.prvkey, { signal });
      } catch (err) {
        if (signal.aborted) return;
        if (isGoneError(err)) {
          this.options.log?.(`Stopped watching process ${processId}: ${errorMessage(err)}`);
          this.markGone(conn.key, processId, errorMessage(err));
          return;
        }
        failures++;
        this.options.log?.(`Watching process ${processId} failed (${failures}): ${errorMessage(err)}`);
        await this.sleep(Math.min(this.retryMs * 2 ** Math.min(failures - 1, 4), 60_000), signal);
        continue;
      }
      if (signal.aborted) return;
      failures = 0;
      this.accept(conn.key, current, 'watch');
      const known = e.process ?? current;
      if (isTerminal(known.state)) return;
      if (c.sockets >= this.budget) {
        await this.sleep(this.pollMs, signal);
        continue;
      }
      c.sockets++;
      e.socket = true;
      const inner = new AbortController();
      const stop = () => inner.abort();
      signal.addEventListener('abort', stop);
      const started = Date.now();
      let delivered = true;
      let movedOn = false;
      // A subscription fires only for its own state (an immediate frame if the process is in it already), so a process
      // that ran and finished between the read above and the socket would leave it waiting for the whole timeout:
      // one read after the socket is up catches that.
      void this.sleep(this.raceCheckMs, inner.signal).then(async () => {
        if (inner.signal.aborted) return;
        const again = await conn.client.getProcess(processId, conn.prvkey, { signal: inner.signal }).catch(() => undefined);
        if (again && again.state !== known.state && !inner.signal.aborted) {
          movedOn = true;
          inner.abort();
        }
      });
      try {
        // Whichever expected state comes first wins; the other subscriptions are closed.
        await Promise.any(
          nextStates(known.state).map((s) =>
            conn.client.subscribeProcess(processId, s, this.seconds, conn.prvkey, { signal: inner.signal, colonyName: conn.colonyName }),
          ),
        ).catch(() => (delivered = false));
      } finally {
        signal.removeEventListener('abort', stop);
        inner.abort();
        c.sockets--;
        e.socket = false;
      }
      // A subscription refused at once (e.g. WebSockets blocked) must not turn into a busy loop.
      if (!delivered && !movedOn && Date.now() - started < 1000) await this.sleep(this.retryMs, signal);
    }
  }
}

function keyOf(conn: StoreConnection | string): string {
  return typeof conn === 'string' ? conn : conn.key;
}

function isGoneError(err: unknown): boolean {
  return err instanceof ColoniesError && (err.status === 404 || err.status === 403);
}

export { ConnectionProcesses } from './connectionProcesses';
