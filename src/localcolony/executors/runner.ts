// A ColonyOS executor loop built only on the public client, exactly as a user would write one:
// register (when given the colony owner key), long-poll assign, run each process concurrently,
// survive server restarts, and stop cleanly: unregistered, so that later submits do not wait for it.

import {
  ColoniesClient,
  ColoniesError,
  backoffMs,
  crypto,
  delay,
  errorMessage,
  type Process,
} from '../../colonies/index';
import type { ColonyFunction } from '../../colonies/types';

export interface ExecutorOptions {
  host: string;
  port: number;
  tls?: boolean;
  colonyName: string;
  /** Colony owner key: lets the executor register and approve itself (again after a server restart). */
  colonyPrvKey?: string;
  /** The executor's own key; a fresh one is generated when absent. */
  prvkey?: string;
  executorName?: string;
  executorType?: string;
  /** Seconds per long-poll assign. */
  assignTimeoutSec?: number;
  /** Processes handled at the same time. */
  maxConcurrent?: number;
  log?: (line: string) => void;
}

/** How a stop ended for the executor's registration. */
export type ExecutorStopResult = { unregistered: true } | { unregistered: false; reason: string };

export interface ExecutorHandle {
  readonly executorId: string;
  readonly executorName: string;
  readonly executorType: string;
  /** Processes being handled right now. */
  readonly running: number;
  /**
   * Stops assigning, fails the processes still being handled, then removes the executor from the colony
   * (`removeexecutormsg`). A ColonyOS server lets only the colony owner do that, so without `colonyPrvKey`
   * the executor stays registered and the result says why. Calling it again returns the same result.
   */
  stop(): Promise<ExecutorStopResult>;
}

export interface ProcessContext {
  client: ColoniesClient;
  prvkey: string;
  executorId: string;
  signal: AbortSignal;
  log: (line: string) => void;
}

export type ProcessHandler = (process: Process, ctx: ProcessContext) => Promise<void>;

/** A function the executor registers (addfunctionmsg) so tools can list it: what a process's funcname may be. */
export type ExecutorFunction = Pick<ColonyFunction, 'funcname' | 'description' | 'args'>;

const NO_WORK = 'No process available for assignment';

/** Why an executor without the colony owner key stays registered when it stops. */
export const NO_OWNER_KEY_REASON = 'only the colony owner may remove an executor, and this executor was not given the colony owner key';

export async function startExecutor(
  opts: ExecutorOptions,
  defaultType: string,
  handler: ProcessHandler,
  functions: readonly ExecutorFunction[] = [],
): Promise<ExecutorHandle> {
  const log = opts.log ?? (() => undefined);
  const prvkey = opts.prvkey ?? crypto.generatePrivateKey();
  const executorId = crypto.id(prvkey);
  const executorType = opts.executorType ?? defaultType;
  const executorName = opts.executorName ?? `${executorType}-${executorId.slice(0, 8)}`;
  const client = new ColoniesClient({ host: opts.host, port: opts.port, tls: opts.tls });
  const stopCtrl = new AbortController();
  const active = new Map<string, Promise<void>>();
  const tag = `${executorName} (${executorType})`;

  const register = async (): Promise<void> => {
    if (!opts.colonyPrvKey) return;
    try {
      await client.addExecutor(
        { executorid: executorId, executortype: executorType, executorname: executorName, colonyname: opts.colonyName },
        opts.colonyPrvKey,
        { signal: stopCtrl.signal },
      );
    } catch (err) {
      // Already registered under this name (a restart of this executor): approving below is enough.
      if (!(err instanceof ColoniesError && /already exists/.test(err.message))) throw err;
    }
    await client.approveExecutor(opts.colonyName, executorName, opts.colonyPrvKey, { signal: stopCtrl.signal });
    log(`${tag}: registered in colony ${opts.colonyName}`);
  };

  // Only the functions not registered yet: after a restart of this executor the server still has the earlier ones,
  // and it accepts a second function of the same name (docs/protocol.md §10).
  const registerFunctions = async (): Promise<void> => {
    if (functions.length === 0) return;
    const have = await client.getFunctions(opts.colonyName, prvkey, executorName, { signal: stopCtrl.signal });
    for (const f of functions) {
      if ((have ?? []).some((h) => h.funcname === f.funcname)) continue;
      await client.addFunction({ ...f, executorname: executorName, executortype: executorType, colonyname: opts.colonyName }, prvkey, { signal: stopCtrl.signal });
    }
  };

  const run = (process: Process): void => {
    const ctx: ProcessContext = { client, prvkey, executorId, signal: stopCtrl.signal, log: (l) => log(`${tag}: ${l}`) };
    const task = handler(process, ctx)
      .catch(async (err) => {
        if (stopCtrl.signal.aborted) return;
        log(`${tag}: process ${process.processid} failed: ${errorMessage(err)}`);
        await client.fail(process.processid, [errorMessage(err)], prvkey).catch(() => undefined);
      })
      .finally(() => active.delete(process.processid));
    active.set(process.processid, task);
  };

  const loop = async (): Promise<void> => {
    let failures = 0;
    let registered = false;
    while (!stopCtrl.signal.aborted) {
      try {
        if (!registered) {
          await register();
          registered = true;
          // A catalog without this executor's functions is worse, but the executor still works.
          await registerFunctions().catch((err: unknown) => {
            if (!stopCtrl.signal.aborted) log(`${tag}: could not register its functions: ${errorMessage(err)}`);
          });
        }
        while (active.size >= (opts.maxConcurrent ?? 64) && !stopCtrl.signal.aborted) await Promise.race(active.values());
        const process = await client.assign(opts.colonyName, opts.assignTimeoutSec ?? 5, prvkey, { signal: stopCtrl.signal });
        failures = 0;
        log(`${tag}: assigned process ${process.processid}`);
        run(process);
      } catch (err) {
        if (stopCtrl.signal.aborted) return;
        if (err instanceof ColoniesError && err.status === 404 && err.message === NO_WORK) {
          failures = 0;
          continue;
        }
        // A restarted server may have forgotten us: register again before the next assign.
        if (err instanceof ColoniesError && err.status === 403) registered = false;
        failures++;
        const wait = backoffMs(failures, { initialMs: 500, maxMs: 10_000 });
        log(`${tag}: ${errorMessage(err)}; retrying in ${wait} ms (attempt ${failures})`);
        await delay(wait, stopCtrl.signal).catch(() => undefined);
      }
    }
  };

  const loopDone = loop();
  log(`${tag}: started against ${client.origin}`);

  // Runs after failing our processes: a server puts a removed executor's RUNNING processes back in the queue,
  // and a failed process must stay failed.
  const unregister = async (): Promise<ExecutorStopResult> => {
    if (!opts.colonyPrvKey) return { unregistered: false, reason: NO_OWNER_KEY_REASON };
    try {
      await client.removeExecutor(opts.colonyName, executorName, opts.colonyPrvKey, { timeoutMs: 5000 });
      return { unregistered: true };
    } catch (err) {
      return { unregistered: false, reason: errorMessage(err) };
    }
  };

  let stopped: Promise<ExecutorStopResult> | undefined;
  const stop = async (): Promise<ExecutorStopResult> => {
    const unfinished = [...active.keys()];
    stopCtrl.abort();
    await loopDone;
    await Promise.allSettled(active.values());
    // Leave no process RUNNING forever behind a stopped executor.
    await Promise.allSettled(
      unfinished.map((id) => client.fail(id, [`The ${executorType} executor ${executorName} was stopped`], prvkey, { timeoutMs: 5000 })),
    );
    const result = await unregister();
    client.dispose();
    log(result.unregistered ? `${tag}: stopped and unregistered` : `${tag}: stopped, still registered: ${result.reason}`);
    return result;
  };

  return {
    executorId,
    executorName,
    executorType,
    get running() {
      return active.size;
    },
    stop() {
      stopped ??= stop();
      return stopped;
    },
  };
}
