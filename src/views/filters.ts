// Process filters. The server applies only ONE getprocessesmsg filter (executortype > initiator > label, docs/protocol.md P17),
// so we send the most selective one and apply the rest here. No `vscode` import.
import type { Process } from '../colonies/types';

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
