// CLI: `npm run executor -- echo|progress|worker [--name <n>] [--type <executor type>] [--verbose]`, configured like
// every ColonyOS tool:
//   COLONIES_SERVER_HOST, COLONIES_SERVER_PORT (or COLONIES_SERVER_HTTP_PORT), COLONIES_TLS,
//   COLONIES_COLONY_NAME, COLONIES_COLONY_PRVKEY (optional: register and approve this executor),
//   COLONIES_EXECUTOR_PRVKEY or COLONIES_PRVKEY (optional: the executor's own key; generated when absent).
// Runs until SIGINT/SIGTERM, then stops cleanly: processes it was still handling are failed, not left running, and
// the executor unregisters itself when it has the colony owner key (the only key a server accepts for that), so
// later submits do not wait for an executor that is gone. It says on stdout whether it did.

import { optionsFromEnv } from './env';
import { startEchoExecutor, startProgressExecutor, startWorkerExecutor, type ExecutorHandle, type ExecutorOptions } from './index';
import { stopOnSignals } from '../signals';
import { errorMessage } from '../../colonies/rpc';

const USAGE = 'Usage: executor echo|progress|worker [--name <executor name>] [--type <executor type>] [--verbose]';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const kind = args[0];
  const starters = { echo: startEchoExecutor, progress: startProgressExecutor, worker: startWorkerExecutor } as const;
  if (kind !== 'echo' && kind !== 'progress' && kind !== 'worker') throw new Error(USAGE);
  let executorName: string | undefined;
  let executorType: string | undefined;
  let verbose = false;
  for (let i = 1; i < args.length; i++) {
    if (args[i] === '--name' && args[i + 1]) executorName = args[++i];
    else if (args[i] === '--type' && args[i + 1]) executorType = args[++i];
    else if (args[i] === '--verbose') verbose = true;
    else throw new Error(`Unknown argument: ${args[i]}\n${USAGE}`);
  }
  const log = (line: string) => {
    if (verbose || !/assigned process/.test(line)) process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  };
  const opts: ExecutorOptions = { ...optionsFromEnv(), executorName, executorType, log };
  const handle: ExecutorHandle = await starters[kind](opts);
  // The handlers first: whoever reads "running" may send SIGINT at once.
  stopOnSignals(handle.executorName, async () => {
    const result = await handle.stop();
    const what = `${kind} executor ${handle.executorName}`;
    process.stdout.write(
      result.unregistered
        ? `${what} unregistered\n`
        : `${what} is still registered (${result.reason}); the colony owner can remove it with: colonies executor remove --name ${handle.executorName}\n`,
    );
  });
  process.stdout.write(`${kind} executor ${handle.executorName} (id ${handle.executorId}) running; Ctrl+C to stop.\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`executor: ${errorMessage(err)}\n`);
  process.exit(1);
});
