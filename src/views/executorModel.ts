// What the Executors view shows, from the colony catalog (store/colonyCatalog.ts): executors grouped by type or by
// state, each with its state, when it was last heard from, its hardware, its registered functions with their
// statistics, and the processes it runs now. No `vscode` import.
import { formatDuration, relativeTime } from '../base/format';
import { parseTime } from '../colonies/time';
import { ExecutorState, executorStateName, type ColonyFunction, type Executor, type Hardware } from '../colonies/types';
import type { CatalogSnapshot } from '../store/colonyCatalog';

export type ExecutorGrouping = 'type' | 'state';


export interface ExecutorRow {
  readonly executor: Executor;
  readonly stateName: string;
  /** Approved, and not heard from for longer than the stale limit. */
  readonly stale: boolean;
  /** "3 min ago", or undefined when the server sent no usable time. */
  readonly lastHeard: string | undefined;
  readonly functions: readonly ColonyFunction[];
  /** Ids of the processes it runs now. */
  readonly running: readonly string[];
}

export interface ExecutorGroup {
  readonly key: string;
  readonly label: string;
  readonly rows: readonly ExecutorRow[];
}

export function executorRows(snapshot: CatalogSnapshot, now: number, staleSeconds: number): ExecutorRow[] {
  const byExecutor = new Map<string, ColonyFunction[]>();
  for (const f of snapshot.functions) {
    const list = byExecutor.get(f.executorname) ?? [];
    list.push(f);
    byExecutor.set(f.executorname, list);
  }
  return snapshot.executors.map((e) => {
    const heard = parseTime(e.lastheardfromtime)?.getTime();
    return {
      executor: e,
      stateName: executorStateName(e.state),
      stale: e.state === ExecutorState.APPROVED && (heard === undefined || now - heard > staleSeconds * 1000),
      lastHeard: heard === undefined ? undefined : relativeTime(heard, now),
      functions: (byExecutor.get(e.executorname) ?? []).slice().sort((a, b) => a.funcname.localeCompare(b.funcname)),
      running: snapshot.running[e.executorid] ?? [],
    };
  });
}

const STATE_GROUP_ORDER = ['approved', 'pending', 'rejected', 'unregistered'];

/** Groups sorted by name (states in a fixed order), executors by name within a group. */
export function groupExecutors(rows: readonly ExecutorRow[], grouping: ExecutorGrouping): ExecutorGroup[] {
  const groups = new Map<string, ExecutorRow[]>();
  for (const r of rows) {
    const key = grouping === 'type' ? r.executor.executortype || '(no type)' : r.stateName;
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  const order = (k: string) => (grouping === 'state' ? STATE_GROUP_ORDER.indexOf(k) : -1);
  return [...groups]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([key, list]) => ({
      key,
      label: key,
      rows: list.sort((a, b) => a.executor.executorname.localeCompare(b.executor.executorname)),
    }));
}

/** The one-line summary beside an executor's name. */
export function executorDescription(row: ExecutorRow, grouping: ExecutorGrouping): string {
  const parts: string[] = [];
  if (grouping === 'state') parts.push(row.executor.executortype);
  if (row.stateName !== 'approved') parts.push(row.stateName);
  else if (row.stale) parts.push('stale');
  if (row.running.length > 0) parts.push(`running ${row.running.length}`);
  if (row.lastHeard) parts.push(`heard ${row.lastHeard}`);
  if (row.executor.locationname) parts.push(`@ ${row.executor.locationname}`);
  return parts.join(' · ');
}

/** "12 calls · wait 5 ms / 20 ms / 1.20 s · exec …" (min / avg / max). */
export function functionStats(f: ColonyFunction): string {
  const calls = Number(f.counter) || 0;
  if (calls === 0) return 'never called';
  const span = (min: number, avg: number, max: number) => `${formatDuration(min)} / ${formatDuration(avg)} / ${formatDuration(max)}`;
  return (
    `${calls.toLocaleString('en-US')} call${calls === 1 ? '' : 's'} · wait ${span(f.minwaittime, f.avgwaittime, f.maxwaittime)}` +
    ` · exec ${span(f.minexectime, f.avgexectime, f.maxexectime)} (min / avg / max)`
  );
}

/** One line per hardware entry: "2 nodes · 8 cores (cpu 8000m) · 16Gi mem · 2× A100 GPU". */
export function hardwareLines(e: Executor): string[] {
  const list: Hardware[] = Array.isArray(e.capabilities?.hardware) ? e.capabilities.hardware : [];
  return list
    .map((h) => {
      const parts: string[] = [];
      if (h.model) parts.push(String(h.model));
      if (Number(h.nodes) > 0) parts.push(`${h.nodes} node${Number(h.nodes) === 1 ? '' : 's'}`);
      if (Number(h.cores) > 0) parts.push(`${h.cores} cores`);
      if (h.cpu) parts.push(`cpu ${h.cpu}`);
      if (h.mem) parts.push(`mem ${h.mem}`);
      if (h.storage) parts.push(`storage ${h.storage}`);
      if (h.gpu && Number(h.gpu.count) > 0) parts.push(`${h.gpu.count}× ${h.gpu.name || 'GPU'}${h.gpu.mem ? ` (${h.gpu.mem})` : ''}`);
      if (h.platform || h.architecture) parts.push([h.platform, h.architecture].filter(Boolean).join('/'));
      return parts.join(' · ');
    })
    .filter((l) => l.length > 0);
}
