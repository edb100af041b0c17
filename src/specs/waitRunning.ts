// Waits until a submitted process runs (or ends first), for "Submit & Open Channel". No `vscode` import.
import { isTerminal, ProcessState, type ColoniesClient, type Process } from '../colonies/index';
import { errorMessage } from '../colonies/retry';

export interface WaitRunningOptions {
  signal: AbortSignal;
  colonyName: string;
  /** Seconds per server-side wait; between rounds the state is re-read, so nothing is missed. */
  roundSeconds?: number;
  log?: (message: string) => void;
}

/**
 * Resolves with the process once it is RUNNING, or once it is already finished (the caller says so);
 * undefined when aborted. A process can pass RUNNING between two rounds, which is why every round starts
 * with a fresh read.
 */
export async function waitUntilRunning(client: ColoniesClient, start: Process, prvkey: string, opts: WaitRunningOptions): Promise<Process | undefined> {
  let current = start;
  const round = opts.roundSeconds ?? 30;
  while (!opts.signal.aborted) {
    if (current.state === ProcessState.RUNNING || isTerminal(current.state)) return current;
    // Re-read first: a process that already ran and ended would otherwise cost a whole round.
    let fresh: Process;
    try {
      fresh = await client.getProcess(current.processid, prvkey, { signal: opts.signal });
    } catch (err) {
      if (opts.signal.aborted) return undefined;
      throw err;
    }
    current = fresh;
    if (current.state === ProcessState.RUNNING || isTerminal(current.state)) return current;
    try {
      current = await client.subscribeProcess(current.processid, ProcessState.RUNNING, round, prvkey, {
        signal: opts.signal,
        colonyName: opts.colonyName,
      });
    } catch (err) {
      if (opts.signal.aborted) return undefined;
      opts.log?.(`Waiting for ${current.processid} to run: ${errorMessage(err)}`);
    }
  }
  return undefined;
}
