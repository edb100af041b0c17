// The process tree's data: per-state lists, counts, filters, and change events (docs/architecture.md, Practices).
// No TreeDataProvider logic and no `vscode` import; the provider renders what this holds.
import { Emitter, type Event } from '../colonies/events';
import type { CallOptions } from '../colonies/transport';
import { ProcessState, type Process, type Statistics } from '../colonies/types';
import { applyFilters, hasFilters, matchesFilters, normalizeFilters, serverFilter, type TreeFilters, type ServerFilter } from './filters';
import { STATE_ORDER } from './stateMapping';
import type { ConnectionProcesses } from '../store/processStore';

/** The server refuses more (docs/protocol.md §4.5). */
export const MAX_PER_STATE = 100;

/** The part of ColoniesClient the model uses. */
export interface ProcessListClient {
  getProcesses(colonyName: string, count: number, state: ProcessState, prvkey: string, filters?: ServerFilter, opts?: CallOptions): Promise<Process[]>;
  getColonyStatistics(colonyName: string, prvkey: string, opts?: CallOptions): Promise<Statistics | undefined>;
  getProcess(processId: string, prvkey: string, opts?: CallOptions): Promise<Process>;
}

export interface ModelSession {
  client: ProcessListClient;
  colonyName: string;
  prvkey: string;
  myId: string;
  /**
   * The process store seen through this session's connection: lists are merged into it and rows show what it
   * holds, so a list poll that started before a watch event never moves a process back (store/processStore.ts).
   */
  processes?: ConnectionProcesses;
}

export interface GroupData {
  readonly state: ProcessState;
  /** After client-side filters. */
  readonly processes: readonly Process[];
  readonly loaded: boolean;
  /** The server list hit MAX_PER_STATE, so more may exist. */
  readonly truncated: boolean;
  /** The number of processes in this state (statistics when unfiltered, else the filtered list length). */
  readonly count: number | undefined;
}

export type ModelStatus =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ok'; colonyName: string }
  | { kind: 'error'; error: unknown };

export type ModelChange =
  | { kind: 'all' }
  | { kind: 'group'; state: ProcessState }
  | { kind: 'process'; processId: string };

const STAT_KEYS: Record<ProcessState, keyof Statistics> = {
  [ProcessState.WAITING]: 'waitingprocesses',
  [ProcessState.RUNNING]: 'runningprocesses',
  [ProcessState.SUCCESS]: 'successfulprocesses',
  [ProcessState.FAILED]: 'failedprocesses',
  [ProcessState.CANCELLED]: 'cancelledprocesses',
};

interface MutableGroup {
  state: ProcessState;
  processes: Process[];
  loaded: boolean;
  truncated: boolean;
  statCount: number | undefined;
  signature: string;
}

function emptyGroup(state: ProcessState): MutableGroup {
  return { state, processes: [], loaded: false, truncated: false, statCount: undefined, signature: '' };
}

function signatureOf(g: MutableGroup, filtered: readonly Process[]): string {
  const rows = filtered.map((p) => `${p.processid}:${p.state}:${p.assignedexecutorid}:${p.endtime}`).join(',');
  return `${g.loaded}|${g.truncated}|${g.statCount}|${rows}`;
}

export class ProcessTreeModel {
  private readonly changeEmitter = new Emitter<ModelChange>();
  readonly onDidChange: Event<ModelChange> = this.changeEmitter.event;
  private groupMap = new Map<ProcessState, MutableGroup>(STATE_ORDER.map((s) => [s, emptyGroup(s)]));
  private expanded = new Set<ProcessState>();
  private currentFilters: TreeFilters;
  private currentStatus: ModelStatus = { kind: 'idle' };
  private currentMyId: string | undefined;
  private currentColony: string | undefined;
  private generation = 0;
  private statsAvailable = true;

  constructor(
    private readonly session: () => Promise<ModelSession>,
    filters: TreeFilters = {},
  ) {
    this.currentFilters = normalizeFilters(filters);
  }

  get status(): ModelStatus {
    return this.currentStatus;
  }

  get myId(): string | undefined {
    return this.currentMyId;
  }

  get colonyName(): string | undefined {
    return this.currentColony;
  }

  get filters(): TreeFilters {
    return { ...this.currentFilters };
  }

  get hasExpandedGroups(): boolean {
    return this.expanded.size > 0;
  }

  isExpanded(state: ProcessState): boolean {
    return this.expanded.has(state);
  }

  group(state: ProcessState): GroupData {
    const g = this.groupMap.get(state) ?? emptyGroup(state);
    const processes = applyFilters(g.processes, this.currentFilters, this.currentMyId);
    const useStats = g.statCount !== undefined && !hasFilters(this.currentFilters);
    return {
      state,
      processes,
      loaded: g.loaded,
      truncated: g.truncated,
      // A loaded, uncut list is exact and fresher than statistics (watch events move rows between polls);
      // statistics count the groups that are not loaded or are cut at the server's maximum.
      count: g.loaded && !g.truncated ? processes.length : useStats ? g.statCount : g.loaded ? processes.length : undefined,
    };
  }

  groups(): GroupData[] {
    return STATE_ORDER.map((s) => this.group(s));
  }

  /** Every process the groups hold, the filters not applied (what the filter picker offers). */
  loadedProcesses(): Process[] {
    return [...this.groupMap.values()].flatMap((g) => g.processes);
  }

  findProcess(processId: string): Process | undefined {
    for (const g of this.groupMap.values()) {
      const p = g.processes.find((x) => x.processid === processId);
      if (p) return p;
    }
    return undefined;
  }

  setExpanded(state: ProcessState, expanded: boolean): void {
    if (expanded) this.expanded.add(state);
    else this.expanded.delete(state);
  }

  setFilters(filters: TreeFilters): void {
    const next = normalizeFilters(filters);
    if (JSON.stringify(next) === JSON.stringify(this.currentFilters)) return;
    const serverChanged = JSON.stringify(serverFilter(next)) !== JSON.stringify(serverFilter(this.currentFilters));
    this.currentFilters = next;
    if (serverChanged) {
      // Lists fetched under another server-side filter are not a superset of what the new filters need.
      for (const g of this.groupMap.values()) Object.assign(g, { processes: [], loaded: false, truncated: false });
    }
    this.changeEmitter.fire({ kind: 'all' });
  }

  /** Forgets everything (connection switched); in-flight loads of the old connection are dropped. */
  reset(): void {
    this.generation++;
    this.groupMap = new Map(STATE_ORDER.map((s) => [s, emptyGroup(s)]));
    this.currentStatus = { kind: 'idle' };
    this.currentMyId = undefined;
    this.currentColony = undefined;
    this.statsAvailable = true;
    this.changeEmitter.fire({ kind: 'all' });
  }

  /**
   * Reloads statistics and the lists of expanded (or already loaded) groups; every list when counts cannot
   * come from statistics. Rejects after recording the error in `status`, so the scheduler can back off.
   */
  async refresh(opts: CallOptions = {}): Promise<void> {
    const generation = this.generation;
    if (this.currentStatus.kind !== 'ok') this.setStatus({ kind: 'loading' });
    try {
      const s = await this.session();
      if (generation !== this.generation) return;
      this.currentMyId = s.myId;
      this.currentColony = s.colonyName;
      const stats = await this.loadStatistics(s, opts);
      const needAll = !stats || hasFilters(this.currentFilters);
      const states = STATE_ORDER.filter((st) => needAll || this.expanded.has(st) || this.groupMap.get(st)?.loaded);
      const lists = this.throughStore(s, states, await Promise.all(states.map((st) => this.fetchList(s, st, opts))));
      if (generation !== this.generation) return;
      const changed: ProcessState[] = [];
      for (const st of STATE_ORDER) {
        const g = this.groupMap.get(st) as MutableGroup;
        g.statCount = stats ? Number(stats[STAT_KEYS[st]]) || 0 : undefined;
        const i = states.indexOf(st);
        if (i >= 0) {
          g.processes = lists[i];
          g.loaded = true;
          g.truncated = lists[i].length >= MAX_PER_STATE;
        }
        if (this.updateSignature(g)) changed.push(st);
      }
      const wasOk = this.currentStatus.kind === 'ok';
      this.currentStatus = { kind: 'ok', colonyName: s.colonyName };
      if (!wasOk) this.changeEmitter.fire({ kind: 'all' });
      else for (const st of changed) this.changeEmitter.fire({ kind: 'group', state: st });
    } catch (err) {
      if (generation !== this.generation) return;
      this.setStatus({ kind: 'error', error: err });
      throw err;
    }
  }

  /** Loads one group's list on first expansion (the tree asks for its children). */
  async loadGroup(state: ProcessState, opts: CallOptions = {}): Promise<void> {
    const generation = this.generation;
    const s = await this.session();
    const [list] = this.throughStore(s, [state], [await this.fetchList(s, state, opts)]);
    if (generation !== this.generation) return;
    this.currentMyId = s.myId;
    const g = this.groupMap.get(state) as MutableGroup;
    g.processes = list;
    g.loaded = true;
    g.truncated = list.length >= MAX_PER_STATE;
    this.updateSignature(g);
  }

  /** Applies a fresher copy of one process (from a watch or a getProcess): moves it between groups and adjusts counts. */
  applyProcess(p: Process): void {
    let previous: Process | undefined;
    for (const g of this.groupMap.values()) {
      const i = g.processes.findIndex((x) => x.processid === p.processid);
      if (i < 0) continue;
      previous = g.processes[i];
      if (g.state === p.state) {
        g.processes[i] = p;
        this.changeEmitter.fire({ kind: 'process', processId: p.processid });
        return;
      }
      g.processes.splice(i, 1);
      if (g.statCount !== undefined) g.statCount = Math.max(0, g.statCount - 1);
      this.updateSignature(g);
      this.changeEmitter.fire({ kind: 'group', state: g.state });
    }
    const target = this.groupMap.get(p.state);
    if (!target) return;
    if (previous && target.statCount !== undefined) target.statCount++;
    if (target.loaded && matchesServerFilter(p, this.currentFilters)) {
      // Finished lists are sorted newest end time first; waiting/running lists oldest first.
      if (p.state === ProcessState.WAITING || p.state === ProcessState.RUNNING) target.processes.push(p);
      else target.processes.unshift(p);
    }
    this.updateSignature(target);
    this.changeEmitter.fire({ kind: 'group', state: p.state });
  }

  removeProcess(processId: string): void {
    for (const g of this.groupMap.values()) {
      const i = g.processes.findIndex((x) => x.processid === processId);
      if (i < 0) continue;
      g.processes.splice(i, 1);
      if (g.statCount !== undefined) g.statCount = Math.max(0, g.statCount - 1);
      this.updateSignature(g);
      this.changeEmitter.fire({ kind: 'group', state: g.state });
    }
  }

  /** Finds a process in the lists or fetches it; the fetched copy is applied so the tree can show it. */
  async locate(processId: string, opts: CallOptions = {}): Promise<Process> {
    const known = this.findProcess(processId);
    if (known) return known;
    const s = await this.session();
    const p = s.processes ? await s.processes.read(processId, opts) : await s.client.getProcess(processId, s.prvkey, opts);
    const g = this.groupMap.get(p.state);
    if (g && !g.loaded) await this.loadGroup(p.state, opts).catch(() => undefined);
    if (!this.findProcess(processId)) this.applyProcess(p);
    return this.findProcess(processId) ?? p;
  }

  /** True when the process passes the client-side filters (the tree shows it). */
  isVisible(p: Process): boolean {
    return matchesFilters(p, this.currentFilters, this.currentMyId);
  }

  dispose(): void {
    this.generation++;
    this.changeEmitter.dispose();
  }

  private setStatus(status: ModelStatus): void {
    this.currentStatus = status;
    this.changeEmitter.fire({ kind: 'all' });
  }

  private updateSignature(g: MutableGroup): boolean {
    const sig = signatureOf(g, applyFilters(g.processes, this.currentFilters, this.currentMyId));
    if (sig === g.signature) return false;
    g.signature = sig;
    return true;
  }

  private async loadStatistics(s: ModelSession, opts: CallOptions): Promise<Statistics | undefined> {
    if (!this.statsAvailable) return undefined;
    try {
      const stats = await s.client.getColonyStatistics(s.colonyName, s.prvkey, opts);
      if (stats && typeof stats === 'object' && typeof stats.waitingprocesses === 'number') return stats;
      return undefined;
    } catch (err) {
      // A server without colony statistics must not break the tree; other failures surface through the lists.
      if (isMissingFeature(err)) this.statsAvailable = false;
      return undefined;
    }
  }

  /**
   * Merges fresh lists into the store and returns them as the store has them: a row the store knows in a later state
   * moves to that state's list when it was fetched too (else the next poll or the store's event places it).
   */
  private throughStore(s: ModelSession, states: readonly ProcessState[], lists: Process[][]): Process[][] {
    const store = s.processes;
    if (!store) return lists;
    store.store.upsert(store.conn, lists.flat(), 'list');
    const out = new Map<ProcessState, Process[]>(states.map((st) => [st, []]));
    const placed = new Set<string>();
    for (const list of lists) {
      for (const listed of list) {
        const p = store.get(listed.processid) ?? listed;
        if (placed.has(p.processid)) continue;
        placed.add(p.processid);
        out.get(p.state)?.push(p);
      }
    }
    return states.map((st) => out.get(st) ?? []);
  }

  private fetchList(s: ModelSession, state: ProcessState, opts: CallOptions): Promise<Process[]> {
    return s.client
      .getProcesses(s.colonyName, MAX_PER_STATE, state, s.prvkey, serverFilter(this.currentFilters), opts)
      .then((list) => list ?? []);
  }
}

function matchesServerFilter(p: Process, f: TreeFilters): boolean {
  return matchesFilters(p, { executorType: f.executorType, label: f.executorType ? undefined : f.label }, undefined);
}

function isMissingFeature(err: unknown): boolean {
  const status = (err as { status?: unknown })?.status;
  return status === 403 && /unknown|not supported|payload type/i.test(String((err as Error).message));
}
