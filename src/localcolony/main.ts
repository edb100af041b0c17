// CLI: `npm run localcolony -- [--port 50080] [--host 127.0.0.1] [--demo]`. Prints the COLONIES_* variables
// to export, runs until SIGINT/SIGTERM, then stops cleanly.
import { startLocalColony } from './index';
import { env } from './executors/env';
import { stopOnSignals } from './signals';
import { errorMessage } from '../colonies/retry';

interface CliOptions {
  port: number;
  host: string;
  demo: boolean;
  verbose: boolean;
}

const USAGE = 'Usage: localcolony [--port <n>] [--host <addr>] [--demo] [--verbose]';

function parseArgs(argv: string[]): CliOptions {
  const opts: CliOptions = { port: 50080, host: '127.0.0.1', demo: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    if (arg === '--port') {
      const port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535\n${USAGE}`);
      opts.port = port;
    } else if (arg === '--host') opts.host = value();
    else if (arg === '--demo') opts.demo = true;
    else if (arg === '--verbose') opts.verbose = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`Unknown argument: ${arg}\n${USAGE}`);
  }
  return opts;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const log = (line: string): void => {
    if (opts.verbose) process.stderr.write(`${line}\n`);
  };
  const colony = await startLocalColony({
    port: opts.port,
    host: opts.host,
    demo: opts.demo,
    log,
    identities: {
      serverPrvKey: env('COLONIES_SERVER_PRVKEY'),
      colonyPrvKey: env('COLONIES_COLONY_PRVKEY'),
      userPrvKey: env('COLONIES_PRVKEY'),
      colonyName: env('COLONIES_COLONY_NAME'),
    },
  });
  process.stdout.write(`Local colony listening on ${colony.url} (colony "${colony.colonyName}")${opts.demo ? ' with demo executors' : ''}\n`);
  process.stdout.write('Development keys only. Export these to use the ColonyOS CLI or SDKs:\n\n');
  for (const [k, v] of Object.entries(colony.env)) process.stdout.write(`export ${k}=${v}\n`);
  process.stdout.write('\nPress Ctrl+C to stop.\n');

  stopOnSignals('local colony', () => colony.stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`localcolony: ${errorMessage(err)}\n`);
  process.exit(1);
});
