// The Workflows view's data: process graphs per state (getprocessgraphsmsg), counts from the colony statistics, and
// each expanded graph's members, whose states come from the process store (docs/architecture-store.md). No `vscode`.
// A graph's member ids come from the graph itself (docs/protocol.md P16: processgraphid is not a process filter).
import { Emitter, type Event } from '../colonies/events';
import { isTerminal } from '../colonies/client';
import type { CallOptions } from '../colonies/transport';
import { ProcessState, type Process, type ProcessGraph, type Statistics } from '../colonies/types';
import type { ConnectionProcesses } from '../store/processStore';
import { STATE_ORDER } from './stateMapping';

/** Graphs listed per state: the server refuses a count above 100, like for processes (docs/protocol.md §4.5). */
export const MAX_GRAPHS_PER_STATE = 100;
/** Member rows shown under one workflow; the graph panel draws them all. */
export const MAX_MEMBERS_SHOWN = 100;
/** Member reads in flight at once when a workflow is expanded. */
const READ_CONCURRENCY = 8;

export interface WorkflowListClient {
  getProcessGraphs(colonyName: string, count: number, prvkey: string, state?: ProcessState, opts?: CallOptions): Promise<ProcessGraph[]>;
  getColonyStatistics(colonyName: string, prvkey: string, opts?: CallOptions): Promise<Statistics | undefined>;
}

export interface WorkflowSession {
  client: WorkflowListClient;
  colonyName: string;
  prvkey: string;
  processes: ConnectionProcesses;
}

export interface WorkflowGroup {
  state: ProcessState;
  graphs: readonly ProcessGraph[];
  loaded: boolean;
  truncated: boolean;
  /** From the colony statistics (`<state>workflows`), else the list's length once loaded. */
  count: number | undefined;
}

export type WorkflowModelChange = { kind: 'all' } | { kind: 'group'; state: ProcessState } | { kind: 'graph'; graphId: string };

const STAT_KEYS: Record<ProcessState, keyof Statistics> = {
  [ProcessState.WAITING]: 'waitingworkflows',
  [ProcessState.RUNNING]: 'runningworkflows',
  [ProcessState.SUCCESS]: 'successfulworkflows',
  [ProcessState.FAILED]: 'failedworkflows',
  [ProcessState.CANCELLED]: 'cancelledworkflows',
};

interface Group {
  graphs: ProcessGraph[];
  loaded: boolean;
  /** The last list hit the server's maximum, so more may exist (kept when a removal shortens the list). */
  truncated: boolean;
  stat: number | undefined;
  signature: string;
}

/** The member ids a listed graph names, in order, without repeats. */
export function memberIds(g: ProcessGraph): string[] {
  return [...new Set((Array.isArray(g.processids) ? g.processids : []).filter((id): id is string => typeof id === 'string' && id !== ''))];
}

/** How many members are in each state, for the row's description ("2 successful, 1 running"). */
export function memberCounts(ids: readonly string[], get: (id: string) => Process | undefined): Map<ProcessState | 'unknown', number> {
  const counts = new Map<ProcessState | 'unknown', number>();
  for (const id of ids) {
    const s = get(id)?.state ?? 'unknown';
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return counts;
}

export class WorkflowTreeModel {
  private readonly changeEmitter = new Emitter<WorkflowModelChange>();
  readonly onDidChange: Event<WorkflowModelChange> = this.changeEmitter.event;
  private groupMap = new Map<ProcessState, Group>();
  private readonly expanded = new Set<ProcessState>();
  private readonly openGraphs = new Set<string>();
  private lastSession: WorkflowSession | undefined;
  private generation = 0;
  private error: unknown;

  constructor(private readonly session: () => Promise<WorkflowSession>) {
    this.reset();
  }

  get hasExpandedGroups(): boolean {
    return this.expanded.size > 0;
  }

  /** The last refresh's error, if it failed. */
  get lastError(): unknown {
    return this.error;
  }

  get processes(): ConnectionProcesses | undefined {
    return this.lastSession?.processes;
  }

  setExpanded(state: ProcessState, expanded: boolean): void {
    if (expanded) this.expanded.add(state);
    else this.expanded.delete(state);
  }

  group(state: ProcessState): WorkflowGroup {
    const g = this.groupMap.get(state) as Group;
    const truncated = g.truncated;
    return { state, graphs: g.graphs, loaded: g.loaded, truncated, count: g.loaded && !truncated ? g.graphs.length : (g.stat ?? (g.loaded ? g.graphs.length : undefined)) };
  }

  findGraph(graphId: string): ProcessGraph | undefined {
    for (const g of this.groupMap.values()) {
      const found = g.graphs.find((x) => x.processgraphid === graphId);
      if (found) return found;
    }
    return undefined;
  }

  /** The graph containing this member, if a listed graph names it. */
  graphsWithMember(processId: string): string[] {
    const out: string[] = [];
    for (const g of this.groupMap.values()) for (const graph of g.graphs) if (graph.processids?.includes(processId)) out.push(graph.processgraphid);
    return out;
  }

  reset(): void {
    this.generation++;
    this.groupMap = new Map(STATE_ORDER.map((s) => [s, { graphs: [], loaded: false, truncated: false, stat: undefined, signature: '' }]));
    this.openGraphs.clear();
    this.lastSession = undefined;
    this.error = undefined;
    this.changeEmitter.fire({ kind: 'all' });
  }

  /** Statistics, and the lists of the expanded (or already loaded) groups. Rejects on failure (the scheduler backs off). */
  async refresh(opts: CallOptions = {}): Promise<void> {
    const generation = this.generation;
    try {
      const s = await this.session();
      if (generation !== this.generation) return;
      this.lastSession = s;
      const stats = await s.client.getColonyStatistics(s.colonyName, s.prvkey, opts).catch(() => undefined);
      const states = STATE_ORDER.filter((st) => !stats || this.expanded.has(st) || this.groupMap.get(st)?.loaded);
      const lists = await Promise.all(states.map((st) => this.fetch(s, st, opts)));
      if (generation !== this.generation) return;
      const hadError = this.error !== undefined;
      this.error = undefined;
      const changed: ProcessState[] = [];
      const moved: string[] = [];
      for (const st of STATE_ORDER) {
        const g = this.groupMap.get(st) as Group;
        g.stat = stats && typeof stats[STAT_KEYS[st]] === 'number' ? Number(stats[STAT_KEYS[st]]) : undefined;
        const i = states.indexOf(st);
        if (i >= 0) {
          const before = new Map(g.graphs.map((x) => [x.processgraphid, x.state]));
          g.graphs = lists[i];
          g.loaded = true;
          g.truncated = lists[i].length >= MAX_GRAPHS_PER_STATE;
          for (const graph of g.graphs) if (before.get(graph.processgraphid) !== graph.state && this.openGraphs.has(graph.processgraphid)) moved.push(graph.processgraphid);
        }
        const sig = `${g.loaded}|${g.stat}|${g.graphs.map((x) => `${x.processgraphid}:${x.state}:${x.processids?.length ?? 0}`).join(',')}`;
        if (sig !== g.signature) {
          g.signature = sig;
          changed.push(st);
        }
      }
      if (hadError) this.changeEmitter.fire({ kind: 'all' });
      else for (const st of changed) this.changeEmitter.fire({ kind: 'group', state: st });
      // An open workflow that changed state: read its unfinished members once (their watches may not cover them all).
      for (const id of moved) void this.readMembers(id, true);
    } catch (err) {
      if (generation !== this.generation) return;
      this.error = err;
      this.changeEmitter.fire({ kind: 'all' });
      throw err;
    }
  }

  /** Loads one group on first expansion. */
  async loadGroup(state: ProcessState, opts: CallOptions = {}): Promise<void> {
    const generation = this.generation;
    const s = await this.session();
    const list = await this.fetch(s, state, opts);
    if (generation !== this.generation) return;
    this.lastSession = s;
    const g = this.groupMap.get(state) as Group;
    g.graphs = list;
    g.loaded = true;
    g.truncated = list.length >= MAX_GRAPHS_PER_STATE;
  }

  /** A workflow row was expanded: its members are read through the store (the ones it does not know yet). */
  async openGraph(graphId: string): Promise<void> {
    this.openGraphs.add(graphId);
    await this.readMembers(graphId, false);
  }

  closeGraph(graphId: string): void {
    this.openGraphs.delete(graphId);
  }

  /** Members of expanded workflows that can change (unfinished), for the view's watches. */
  openUnfinishedMembers(): string[] {
    const processes = this.lastSession?.processes;
    if (!processes) return [];
    const out: string[] = [];
    for (const id of this.openGraphs) {
      const g = this.findGraph(id);
      for (const m of g ? memberIds(g).slice(0, MAX_MEMBERS_SHOWN) : []) {
        const p = processes.get(m);
        if (p && !isTerminal(p.state)) out.push(m);
      }
    }
    return out;
  }

  /** A member's process changed in the store: the rows of the graphs naming it change. */
  memberChanged(processId: string): void {
    for (const id of this.graphsWithMember(processId)) if (this.openGraphs.has(id)) this.changeEmitter.fire({ kind: 'graph', graphId: id });
  }

  /** Forgets a removed workflow at once (the next poll confirms). */
  removeGraph(graphId: string): void {
    for (const [state, g] of this.groupMap) {
      const i = g.graphs.findIndex((x) => x.processgraphid === graphId);
      if (i < 0) continue;
      g.graphs.splice(i, 1);
      if (g.stat !== undefined) g.stat = Math.max(0, g.stat - 1);
      g.signature = '';
      this.changeEmitter.fire({ kind: 'group', state });
    }
    this.openGraphs.delete(graphId);
  }

  dispose(): void {
    this.generation++;
    this.changeEmitter.dispose();
  }

  private async readMembers(graphId: string, unfinishedOnly: boolean): Promise<void> {
    const s = this.lastSession ?? (await this.session());
    this.lastSession = s;
    const g = this.findGraph(graphId);
    if (!g) return;
    const todo = memberIds(g)
      .slice(0, MAX_MEMBERS_SHOWN)
      .filter((id) => {
        const p = s.processes.get(id);
        return unfinishedOnly ? !p || !isTerminal(p.state) : !p;
      });
    const worker = async () => {
      for (let id = todo.shift(); id !== undefined; id = todo.shift()) await s.processes.read(id).catch(() => undefined);
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, todo.length) }, worker));
    this.changeEmitter.fire({ kind: 'graph', graphId });
  }

  private async fetch(s: WorkflowSession, state: ProcessState, opts: CallOptions): Promise<ProcessGraph[]> {
    const list = await s.client.getProcessGraphs(s.colonyName, MAX_GRAPHS_PER_STATE, s.prvkey, state, opts);
    // The server lists by state; a list never holds another state's graph, whatever it sends.
    return (list ?? []).filter((g) => g && typeof g.processgraphid === 'string' && g.state === state);
  }
}
