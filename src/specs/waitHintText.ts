// The vscode-free part of the spec file hint (waitHint.ts): where the conditions are, and what the hint says.
import { spanText } from '../base/format';
import type { CatalogSnapshot } from '../store/colonyCatalog';
import { whyNotRunnable } from '../store/whyWaiting';
import type { JsonPath } from './jsonText';

/** A workflow with more specs than this gets hints on the first ones only. */
const MAX_SPECS = 50;
export const WAIT_HINT_CODE = 'nothing-can-run';

/** Where the conditions of each function spec are in a parsed spec or workflow value. */
export function conditionsPaths(value: unknown): JsonPath[] {
  if (!value || typeof value !== 'object') return [];
  const v = value as { conditions?: unknown; functionspecs?: unknown };
  if (Array.isArray(v.functionspecs)) {
    return v.functionspecs.slice(0, MAX_SPECS).flatMap((s, i) => (s && typeof s === 'object' && 'conditions' in s ? [['functionspecs', i, 'conditions']] : []));
  }
  return v.conditions && typeof v.conditions === 'object' ? [['conditions']] : [];
}

/** The hint text for one spec's conditions, or undefined when the snapshot has an executor that could run it. */
export function waitHintText(conditions: unknown, snapshot: CatalogSnapshot, now: number): string | undefined {
  const r = whyNotRunnable(conditions, snapshot, now);
  if (!r) return undefined;
  return `Nothing in the connected colony can run this now (executors as read ${spanText(now - snapshot.fetchedAt)} ago): ${r.sentence}`;
}
