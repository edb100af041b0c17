// Waits until a submitted process runs (or ends first), for "Submit & Open Channel", through the process store's
// shared watch (store/processStore.ts): no loop of its own. No `vscode` import.
import { isTerminal, ProcessState, type Process } from '../colonies/index';
import type { ConnectionProcesses } from '../store/processStore';

export interface WaitRunningOptions {
  signal: AbortSignal;
}

/**
 * Resolves with the process once it is RUNNING, or once it is already finished (the caller says so); undefined when
 * aborted. The store's watch starts with a fresh read, so a process that ran and ended before the wait is seen at once.
 */
export async function waitUntilRunning(processes: ConnectionProcesses, start: Process, opts: WaitRunningOptions): Promise<Process | undefined> {
  processes.store.upsert(processes.conn, [start], 'read');
  return processes.until(start.processid, (p) => p.state === ProcessState.RUNNING || isTerminal(p.state), opts.signal);
}
