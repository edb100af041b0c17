// Where a process snapshot stands in its life, so the store never lets an older snapshot replace a newer one, and
// which state a watch waits for next. No `vscode` import.
import { ProcessState, type Process } from '../colonies/types';

/** The states a watch waits for next: one socket per expected transition keeps the server load small. */
export function nextStates(state: ProcessState): ProcessState[] {
  if (state === ProcessState.WAITING) return [ProcessState.RUNNING];
  if (state === ProcessState.RUNNING) return [ProcessState.SUCCESS, ProcessState.FAILED];
  return [];
}

/**
 * Where a snapshot stands in a process's life: a retried process goes back to WAITING with `retries` one higher,
 * so (retries, state rank) only grows. An older snapshot (a list poll started before a watch event) never wins.
 */
function progress(p: Process): [number, number] {
  const rank = p.state === ProcessState.WAITING ? 0 : p.state === ProcessState.RUNNING ? 1 : 2;
  return [Number(p.retries) || 0, rank];
}

/** True when `next` may replace `current`: not older, and different. */
export function isNewer(current: Process | undefined, next: Process): boolean {
  if (!current) return true;
  const [cr, cs] = progress(current);
  const [nr, ns] = progress(next);
  if (nr !== cr) return nr > cr;
  if (ns !== cs) return ns > cs;
  // Same stage: a terminal state is final (a late RUNNING->FAILED frame after SUCCESS is impossible, but a stale
  // terminal frame's output is: it carries the process as it was before close stored the output).
  return snapshotText(current) !== snapshotText(next);
}

function snapshotText(p: Process): string {
  return JSON.stringify(p, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
