// What the extension knows about a colony's executors and registered functions, per connection. No `vscode` import.
// One owner for these facts, read by the Executors view, "Why is it waiting?" and the spec files' function catalog.
// A refresh reads executors, functions and the running processes (which executor runs what) in one go; the running
// processes go into the process store, which owns process state. The last snapshot can be saved and restored, so
// completions work offline with what was last seen.
import { Emitter, type Disposable, type Event } from '../colonies/events';
import { errorMessage } from '../colonies/rpc';
import { ProcessState, type ColonyFunction, type Executor, type Process } from '../colonies/types';
import type { ProcessStore } from './processStore';

/** The part of ColoniesClient the catalog uses. */
export interface CatalogClient {
  getExecutors(colonyName: string, prvkey: string, opts?: { signal?: AbortSignal }): Promise<Executor[]>;
  getFunctions(colonyName: string, prvkey: string, executorName?: string, opts?: { signal?: AbortSignal }): Promise<ColonyFunction[]>;
  getProcesses(
    colonyName: string,
    count: number,
    state: ProcessState,
    prvkey: string,
    filters?: { executortype?: string; initiator?: string; label?: string },
    opts?: { signal?: AbortSignal },
  ): Promise<Process[]>;
}

export interface CatalogConnection {
  /** The store key (processStore.ts connectionKey). */
  readonly key: string;
  readonly client: CatalogClient;
  readonly prvkey: string;
  readonly colonyName: string;
}

export interface CatalogSnapshot {
  readonly executors: readonly Executor[];
  readonly functions: readonly ColonyFunction[];
  /** Executor id -> ids of the processes it runs now (from the last read of RUNNING processes). */
  readonly running: Readonly<Record<string, readonly string[]>>;
  /** When this was read (ms since the epoch); restored snapshots keep their original time. */
  readonly fetchedAt: number;
  /** Restored from an earlier session, not read from the server in this one. */
  readonly restored?: boolean;
}

export interface CatalogEntry {
  readonly snapshot?: CatalogSnapshot;
  /** The last refresh's failure, cleared by the next success. */
  readonly error?: string;
  readonly refreshing: boolean;
}

/** Caps on what a server may make us hold (everything from outside is hostile until bounded). */
/** runningRead: getprocessesmsg refuses counts above 100 (docs/protocol.md); beyond it "who runs what" is partial. */
export const CATALOG_LIMITS = { executors: 2000, functions: 5000, runningRead: 100, text: 512, description: 4000 };

const EMPTY: CatalogEntry = { refreshing: false };

export class ColonyCatalog implements Disposable {
  private readonly entries = new Map<string, { entry: CatalogEntry; inFlight?: Promise<CatalogEntry>; abort?: AbortController }>();
  private readonly changeEmitter = new Emitter<string>();
  /** Fires the connection key whose entry changed. */
  readonly onDidChange: Event<string> = this.changeEmitter.event;

  constructor(private readonly store?: ProcessStore) {}

  get(key: string): CatalogEntry {
    return this.entries.get(key)?.entry ?? EMPTY;
  }

  /** Reads executors, functions and running processes; one refresh at a time per connection (callers share it). */
  refresh(conn: CatalogConnection): Promise<CatalogEntry> {
    const slot = this.slot(conn.key);
    if (slot.inFlight) return slot.inFlight;
    const abort = new AbortController();
    slot.abort = abort;
    this.set(conn.key, { ...slot.entry, refreshing: true });
    const run = (async (): Promise<CatalogEntry> => {
      try {
        const opts = { signal: abort.signal };
        const [executors, functions, running] = await Promise.all([
          conn.client.getExecutors(conn.colonyName, conn.prvkey, opts),
          conn.client.getFunctions(conn.colonyName, conn.prvkey, undefined, opts),
          conn.client.getProcesses(conn.colonyName, CATALOG_LIMITS.runningRead, ProcessState.RUNNING, conn.prvkey, {}, opts),
        ]);
        if (abort.signal.aborted) return this.get(conn.key);
        this.store?.upsert(conn.key, running, 'read');
        return this.set(conn.key, { snapshot: makeSnapshot(executors, functions, running, Date.now()), refreshing: false });
      } catch (e) {
        if (abort.signal.aborted) return this.get(conn.key);
        return this.set(conn.key, { snapshot: this.get(conn.key).snapshot, error: errorMessage(e), refreshing: false });
      } finally {
        slot.inFlight = undefined;
        slot.abort = undefined;
      }
    })();
    slot.inFlight = run;
    return run;
  }

  /** The snapshot if it is younger than maxAgeMs, else a refresh (a failed refresh leaves the older snapshot). */
  async fresh(conn: CatalogConnection, maxAgeMs: number): Promise<CatalogEntry> {
    const entry = this.get(conn.key);
    if (entry.snapshot && !entry.snapshot.restored && Date.now() - entry.snapshot.fetchedAt <= maxAgeMs) return entry;
    return this.refresh(conn);
  }

  /** Seeds a connection with a snapshot saved by an earlier session; a live snapshot is never replaced. */
  restore(key: string, saved: unknown): void {
    if (this.get(key).snapshot) return;
    const snapshot = parseSaved(saved);
    if (snapshot) this.set(key, { snapshot, refreshing: false });
  }

  /** What to save for the next session: the executors and functions, without who runs what. */
  saved(key: string): unknown {
    const s = this.get(key).snapshot;
    return s ? { executors: s.executors, functions: s.functions, fetchedAt: s.fetchedAt } : undefined;
  }

  /** Forgets a connection (its client is gone); a refresh under way is dropped. */
  forget(key: string): void {
    const slot = this.entries.get(key);
    if (!slot) return;
    slot.abort?.abort();
    this.entries.delete(key);
    this.changeEmitter.fire(key);
  }

  dispose(): void {
    for (const slot of this.entries.values()) slot.abort?.abort();
    this.entries.clear();
    this.changeEmitter.dispose();
  }

  private slot(key: string) {
    let slot = this.entries.get(key);
    if (!slot) {
      slot = { entry: EMPTY };
      this.entries.set(key, slot);
    }
    return slot;
  }

  private set(key: string, entry: CatalogEntry): CatalogEntry {
    this.slot(key).entry = entry;
    this.changeEmitter.fire(key);
    return entry;
  }
}

function capText(v: unknown, max: number): string {
  const s = typeof v === 'string' ? v : '';
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** Bounds what a server sent: list lengths and the strings the views show. */
export function boundExecutor(e: Executor): Executor {
  const t = CATALOG_LIMITS.text;
  return {
    ...e,
    executorid: capText(e.executorid, t),
    executorname: capText(e.executorname, t),
    executortype: capText(e.executortype, t),
    colonyname: capText(e.colonyname, t),
    locationname: capText(e.locationname, t),
    capabilities: {
      hardware: Array.isArray(e.capabilities?.hardware) ? e.capabilities.hardware.slice(0, 16) : null,
      software: Array.isArray(e.capabilities?.software) ? e.capabilities.software.slice(0, 16) : null,
    },
  };
}

export function boundFunction(f: ColonyFunction): ColonyFunction {
  const t = CATALOG_LIMITS.text;
  return {
    ...f,
    functionid: capText(f.functionid, t),
    executorname: capText(f.executorname, t),
    executortype: capText(f.executortype, t),
    funcname: capText(f.funcname, t),
    locationname: capText(f.locationname, t),
    description: capText(f.description, CATALOG_LIMITS.description),
    args: Array.isArray(f.args) ? f.args.slice(0, 64) : [],
  };
}

function makeSnapshot(executors: Executor[], functions: ColonyFunction[], running: Process[], fetchedAt: number): CatalogSnapshot {
  const runningBy: Record<string, string[]> = {};
  for (const p of running) {
    const id = p.assignedexecutorid;
    if (typeof id === 'string' && id) (runningBy[id] ??= []).push(p.processid);
  }
  return {
    executors: (executors ?? []).slice(0, CATALOG_LIMITS.executors).map(boundExecutor),
    functions: (functions ?? []).slice(0, CATALOG_LIMITS.functions).map(boundFunction),
    running: runningBy,
    fetchedAt,
  };
}

function parseSaved(saved: unknown): CatalogSnapshot | undefined {
  if (!saved || typeof saved !== 'object') return undefined;
  const s = saved as { executors?: unknown; functions?: unknown; fetchedAt?: unknown };
  if (!Array.isArray(s.executors) || !Array.isArray(s.functions) || typeof s.fetchedAt !== 'number') return undefined;
  const snapshot = makeSnapshot(
    s.executors.filter((e): e is Executor => !!e && typeof e === 'object'),
    s.functions.filter((f): f is ColonyFunction => !!f && typeof f === 'object'),
    [],
    s.fetchedAt,
  );
  return { ...snapshot, restored: true };
}
