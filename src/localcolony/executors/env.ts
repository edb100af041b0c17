// Executor settings from the COLONIES_* variables every ColonyOS tool reads.

import { isValidPrivateKey } from '../../colonies/index';
import type { ExecutorOptions } from './runner';

export function env(name: string): string | undefined {
  const v = process.env[name]?.trim();
  return v ? v : undefined;
}

function keyFromEnv(name: string): string | undefined {
  const v = env(name);
  if (v !== undefined && !isValidPrivateKey(v)) throw new Error(`${name} is not a valid private key (64 hexadecimal characters)`);
  return v;
}

/**
 * With COLONIES_COLONY_PRVKEY the executor registers itself and uses COLONIES_EXECUTOR_PRVKEY or a fresh
 * key (COLONIES_PRVKEY is then usually a user's key, which must not double as an executor id); without it,
 * COLONIES_PRVKEY must belong to an already approved executor.
 */
export function optionsFromEnv(): Omit<ExecutorOptions, 'log'> {
  const host = env('COLONIES_SERVER_HOST') ?? '127.0.0.1';
  const portText = env('COLONIES_SERVER_PORT') ?? env('COLONIES_SERVER_HTTP_PORT') ?? '50080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`COLONIES_SERVER_PORT must be a port number (got "${portText}")`);
  const colonyName = env('COLONIES_COLONY_NAME');
  if (!colonyName) throw new Error('COLONIES_COLONY_NAME is not set');
  const colonyPrvKey = keyFromEnv('COLONIES_COLONY_PRVKEY');
  const prvkey = keyFromEnv('COLONIES_EXECUTOR_PRVKEY') ?? (colonyPrvKey ? undefined : keyFromEnv('COLONIES_PRVKEY'));
  if (!colonyPrvKey && !prvkey) {
    throw new Error('Set COLONIES_COLONY_PRVKEY (to register this executor) or COLONIES_PRVKEY (the key of an approved executor)');
  }
  return { host, port, tls: /^(1|true|yes)$/i.test(env('COLONIES_TLS') ?? ''), colonyName, colonyPrvKey, prvkey };
}
