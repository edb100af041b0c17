// The server's 1 s timeout loop (docs/protocol.md §8): exec deadlines (fail or unassign for a retry) and wait deadlines.
import { ProcessState } from '../colonies/types';
import { nowNs, unixSeconds } from './clock';
import type { Controller } from './controller';

export const TIMEOUT_LOOP_MS = 1000;

/** One pass of the loop; comparisons are in whole Unix seconds, as the server does them. */
export function runTimeouts(controller: Controller): void {
  const now = unixSeconds(nowNs());
  const processes = [...controller.state.processes.values()];
  for (const p of processes) {
    if (p.state !== ProcessState.RUNNING || p.spec.maxexectime === -1) continue;
    if (now <= unixSeconds(p.execdeadline)) continue;
    attempt(() => {
      if (p.retries >= p.spec.maxretries && p.spec.maxretries > -1) controller.closeFailed(p, ['Maximum execution time limit exceeded']);
      else controller.unassign(p);
    });
  }
  for (const p of processes) {
    if (p.state !== ProcessState.WAITING || p.spec.maxwaittime === -1 || p.spec.maxwaittime === 0) continue;
    if (now <= unixSeconds(p.waitdeadline)) continue;
    attempt(() => controller.closeFailed(p, ['Maximum waiting time limit exceeded']));
  }
}

/** A process that changed state under us (e.g. a workflow cascade) is skipped, as the server logs and moves on. */
function attempt(fn: () => void): void {
  try {
    fn();
  } catch {
    // skipped
  }
}

export function startTimeoutLoop(controller: Controller, onError: (err: unknown) => void): () => void {
  const timer = setInterval(() => {
    try {
      runTimeouts(controller);
    } catch (err) {
      onError(err);
    }
  }, TIMEOUT_LOOP_MS);
  timer.unref();
  return () => clearInterval(timer);
}
