// Process filters. The server applies only ONE getprocessesmsg filter (executortype > initiator > label, docs/protocol.md P17),
// so we send the most selective one and apply the rest here. No `vscode` import.
import type { Process } from '../colonies/types';
import { countOf } from '../base/format';

export interface TreeFilters {
  executorType?: string;
  label?: string;
  onlyMine?: boolean;
}

export interface ServerFilter {
  executortype?: string;
  label?: string;
}

export function normalizeFilters(raw: unknown): TreeFilters {
  if (!raw || typeof raw !== 'object') return {};
  const o = raw as Record<string, unknown>;
  const out: TreeFilters = {};
  if (typeof o.executorType === 'string' && o.executorType.trim()) out.executorType = o.executorType.trim();
  if (typeof o.label === 'string' && o.label.trim()) out.label = o.label.trim();
  if (o.onlyMine === true) out.onlyMine = true;
  return out;
}

export function hasFilters(f: TreeFilters): boolean {
  return !!(f.executorType || f.label || f.onlyMine);
}

/** "only mine" is never sent: the server's initiator filter takes a user *name*, and ours is an id. */
export function serverFilter(f: TreeFilters): ServerFilter {
  if (f.executorType) return { executortype: f.executorType };
  if (f.label) return { label: f.label };
  return {};
}

export function matchesFilters(p: Process, f: TreeFilters, myId: string | undefined): boolean {
  if (f.executorType && p.spec?.conditions?.executortype !== f.executorType) return false;
  if (f.label && p.spec?.label !== f.label) return false;
  if (f.onlyMine && (!myId || p.initiatorid !== myId)) return false;
  return true;
}

export function applyFilters(list: readonly Process[], f: TreeFilters, myId: string | undefined): Process[] {
  return list.filter((p) => matchesFilters(p, f, myId));
}

/** For the view's `message`: "Filtered: executor type echo, label x, only mine". */
export function describeFilters(f: TreeFilters): string | undefined {
  const parts: string[] = [];
  if (f.executorType) parts.push(`executor type "${f.executorType}"`);
  if (f.label) parts.push(`label "${f.label}"`);
  if (f.onlyMine) parts.push('only mine');
  return parts.length ? `Filtered: ${parts.join(', ')}` : undefined;
}

export type FilterField = 'executorType' | 'label';

/** A value the filter picker offers: how many loaded processes have it, and whether an executor registered it. */
export interface FilterValue {
  value: string;
  count: number;
  registered: boolean;
}

/** Longest value offered; executor types and labels are server data (docs/architecture.md: hostile until capped). */
export const MAX_FILTER_VALUE_CHARS = 200;

function fieldOf(p: Process, field: FilterField): string | undefined {
  return field === 'executorType' ? p.spec?.conditions?.executortype : p.spec?.label;
}

/**
 * The values present for a filter: from the loaded processes (most used first) and, for executor types, the
 * colony's registered executors (`registered`), each once; empty and over-long values are left out.
 */
export function filterValues(processes: readonly Process[], field: FilterField, registered: readonly string[] = []): FilterValue[] {
  const byValue = new Map<string, FilterValue>();
  const add = (value: string | undefined, count: number, isRegistered: boolean) => {
    if (typeof value !== 'string' || !value.trim() || value.length > MAX_FILTER_VALUE_CHARS) return;
    const v = byValue.get(value) ?? { value, count: 0, registered: false };
    v.count += count;
    v.registered ||= isRegistered;
    byValue.set(value, v);
  };
  for (const p of processes) add(fieldOf(p, field), 1, false);
  for (const r of registered) add(r, 0, true);
  return [...byValue.values()].sort((a, b) => b.count - a.count || Number(b.registered) - Number(a.registered) || a.value.localeCompare(b.value));
}

/** "3 loaded processes · registered executor" for a picker row. */
export function describeFilterValue(v: FilterValue): string {
  const parts = [countOf(v.count, 'loaded process', 'loaded processes')];
  if (v.registered) parts.push('an executor has this type');
  return parts.join(' · ');
}
