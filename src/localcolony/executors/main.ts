// CLI: `npm run executor -- echo|progress [--name <n>] [--count <n>]`, configured like every ColonyOS tool:
//   COLONIES_SERVER_HOST, COLONIES_SERVER_PORT (or COLONIES_SERVER_HTTP_PORT), COLONIES_TLS,
//   COLONIES_COLONY_NAME, COLONIES_COLONY_PRVKEY (optional: register and approve this executor),
//   COLONIES_EXECUTOR_PRVKEY or COLONIES_PRVKEY (optional: the executor's own key; generated when absent).
// Runs until SIGINT/SIGTERM, then stops cleanly (processes it was still handling are failed, not left running).

import { optionsFromEnv } from './env';
import { startEchoExecutor, startProgressExecutor, type ExecutorHandle, type ExecutorOptions } from './index';
import { stopOnSignals } from '../signals';
import { errorMessage } from '../../colonies/retry';

const USAGE = 'Usage: executor echo|progress [--name <executor name>] [--verbose]';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const kind = args[0];
  if (kind !== 'echo' && kind !== 'progress') throw new Error(USAGE);
  let executorName: string | undefined;
  let verbose = false;
  for (let i = 1; i < args.length; i++) {
    if (args[i] === '--name' && args[i + 1]) executorName = args[++i];
    else if (args[i] === '--verbose') verbose = true;
    else throw new Error(`Unknown argument: ${args[i]}\n${USAGE}`);
  }
  const log = (line: string) => {
    if (verbose || !/assigned process/.test(line)) process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  };
  const opts: ExecutorOptions = { ...optionsFromEnv(), executorName, log };
  const handle: ExecutorHandle = kind === 'echo' ? await startEchoExecutor(opts) : await startProgressExecutor(opts);
  process.stdout.write(`${kind} executor ${handle.executorName} (id ${handle.executorId}) running; Ctrl+C to stop.\n`);

  stopOnSignals(handle.executorName, () => handle.stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`executor: ${errorMessage(err)}\n`);
  process.exit(1);
});
