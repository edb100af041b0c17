// CLI: `npm run localcolony -- [--port 50080] [--host 127.0.0.1] [--allow-remote] [--demo]`. Prints the COLONIES_*
// variables to export, runs until SIGINT/SIGTERM, then stops cleanly.
// Keys given through the environment may be real ones: they are used, never printed (only their ids). Only the
// public development keys are printed. Listening anywhere but on loopback needs --allow-remote (bind.ts says why).
import { crypto, isValidPrivateKey } from '../colonies/crypto';
import { DEV_COLONY_PRVKEY, DEV_SERVER_PRVKEY, DEV_USER_PRVKEY, startLocalColony } from './index';
import { isLoopbackBindAddress, remoteBindRefusal, remoteBindWarning } from './bind';
import { env } from './executors/env';
import { stopOnSignals } from './signals';
import { errorMessage } from '../colonies/rpc';

interface CliOptions {
  port: number;
  host: string;
  allowRemote: boolean;
  demo: boolean;
  verbose: boolean;
}

const USAGE = 'Usage: localcolony [--port <n>] [--host <addr>] [--allow-remote] [--demo] [--verbose]';

/** The variables that hold private keys, and the environment variable each one's key may come from. */
const KEY_VARIABLES = ['COLONIES_SERVER_PRVKEY', 'COLONIES_COLONY_PRVKEY', 'COLONIES_PRVKEY'] as const;
const DEV_KEYS = new Set([DEV_SERVER_PRVKEY, DEV_COLONY_PRVKEY, DEV_USER_PRVKEY]);

function parseArgs(argv: string[]): CliOptions {
  const opts: CliOptions = { port: 50080, host: '127.0.0.1', allowRemote: false, demo: false, verbose: false };
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
    else if (arg === '--allow-remote') opts.allowRemote = true;
    else if (arg === '--demo') opts.demo = true;
    else if (arg === '--verbose') opts.verbose = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`Unknown argument: ${arg}\n${USAGE}`);
  }
  return opts;
}

/**
 * The lines to export. A key from the environment is shown by its id only, whatever it is: it may be a real one, and
 * the terminal, its scrollback or a CI log are no place for it. Only the built-in development keys are printed.
 */
function exportLines(vars: Record<string, string>, fromEnvironment: ReadonlySet<string>): string[] {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(vars)) {
    const isKey = (KEY_VARIABLES as readonly string[]).includes(k);
    if (!isKey) lines.push(`export ${k}=${v}`);
    else if (fromEnvironment.has(k) || !DEV_KEYS.has(v)) lines.push(`# ${k}: from your environment, not printed (id ${crypto.id(v)})`);
    else lines.push(`export ${k}=${v}`);
  }
  return lines;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const log = (line: string): void => {
    if (opts.verbose) process.stderr.write(`${line}\n`);
  };
  if (!isLoopbackBindAddress(opts.host)) {
    if (!opts.allowRemote) throw new Error(remoteBindRefusal(opts.host));
    process.stderr.write(`\n${remoteBindWarning(opts.host)}\n\n`);
  }
  const key = (name: (typeof KEY_VARIABLES)[number]): string | undefined => {
    const v = env(name);
    if (v !== undefined && !isValidPrivateKey(v)) throw new Error(`${name} is not a valid private key (64 hexadecimal characters)`);
    return v;
  };
  const identities = {
    serverPrvKey: key('COLONIES_SERVER_PRVKEY'),
    colonyPrvKey: key('COLONIES_COLONY_PRVKEY'),
    userPrvKey: key('COLONIES_PRVKEY'),
    colonyName: env('COLONIES_COLONY_NAME'),
  };
  const fromEnvironment = new Set(KEY_VARIABLES.filter((k) => env(k) !== undefined));
  const colony = await startLocalColony({ port: opts.port, host: opts.host, allowRemote: opts.allowRemote, demo: opts.demo, log, identities });
  process.stdout.write(`Local colony listening on ${colony.url} (colony "${colony.colonyName}")${opts.demo ? ' with demo executors' : ''}\n`);
  const printsKeys = fromEnvironment.size < KEY_VARIABLES.length;
  process.stdout.write(
    `Export these to use the ColonyOS CLI or SDKs${printsKeys ? ' (the keys shown are the public ColonyOS development keys: never use them on a real server)' : ''}:\n\n`,
  );
  for (const line of exportLines(colony.env, fromEnvironment)) process.stdout.write(`${line}\n`);
  if (fromEnvironment.size > 0) process.stdout.write('\nKeys from your environment are used as they are; keep them exported there.\n');
  // The handlers before the prompt: whoever reads it may send SIGINT at once.
  stopOnSignals('local colony', () => colony.stop());
  process.stdout.write('\nPress Ctrl+C to stop.\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`localcolony: ${errorMessage(err)}\n`);
  process.exit(1);
});
