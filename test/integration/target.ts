// Where the integration suite runs: the local colony, started in-process on a free port, or a real ColonyOS
// server when COLONIES_SERVER_HOST and COLONIES_COLONY_NAME are set (keys from COLONIES_COLONY_PRVKEY,
// COLONIES_PRVKEY and optionally COLONIES_SERVER_PRVKEY). A test that needs a key the environment did not
// give is skipped at runtime with the reason printed; that is the only skip in the suite.

import { ColoniesClient, crypto, type ColoniesClientOptions } from '../../src/colonies/index';
import { startLocalColony, type LocalColony } from '../../src/localcolony/index';

export interface Target {
  kind: 'local' | 'external';
  host: string;
  port: number;
  tls: boolean;
  colonyName: string;
  /** Colony owner key (register executors, add users). */
  colonyPrvKey?: string;
  /** An approved member's key (submit, read, channels). */
  userPrvKey?: string;
  /** Server owner key (colonies, server statistics). */
  serverPrvKey?: string;
  /** Only for the local colony: the server object (in-flight stats, socket drops). */
  local?: LocalColony;
  /** A fresh client; disposed by the suite's after hook. */
  client(extra?: Partial<ColoniesClientOptions>): ColoniesClient;
}

export type KeyName = 'colonyPrvKey' | 'userPrvKey' | 'serverPrvKey';

const ENV_NAMES: Record<KeyName, string> = {
  colonyPrvKey: 'COLONIES_COLONY_PRVKEY',
  userPrvKey: 'COLONIES_PRVKEY',
  serverPrvKey: 'COLONIES_SERVER_PRVKEY',
};

function env(name: string): string | undefined {
  const v = process.env[name]?.trim();
  return v ? v : undefined;
}

export function externalConfigured(): boolean {
  return env('COLONIES_SERVER_HOST') !== undefined && env('COLONIES_COLONY_NAME') !== undefined;
}

let announced = false;

/**
 * Registers before/after hooks in the calling describe block and returns an accessor for its target.
 * The local colony is started per test file and stopped afterwards; external servers are left alone.
 */
export function useTarget(): () => Target {
  let target: Target | undefined;
  let local: LocalColony | undefined;
  const clients: ColoniesClient[] = [];

  before(async function () {
    this.timeout(30000);
    const make = (host: string, port: number, tls: boolean) => (extra: Partial<ColoniesClientOptions> = {}) => {
      const c = new ColoniesClient({ host, port, tls, ...extra });
      clients.push(c);
      return c;
    };
    if (externalConfigured()) {
      const host = env('COLONIES_SERVER_HOST')!;
      const portText = env('COLONIES_SERVER_PORT') ?? env('COLONIES_SERVER_HTTP_PORT') ?? '50080';
      const tls = /^(1|true|yes)$/i.test(env('COLONIES_TLS') ?? '');
      const port = Number(portText);
      if (!Number.isInteger(port)) throw new Error(`COLONIES_SERVER_PORT is not a port: ${portText}`);
      target = {
        kind: 'external',
        host,
        port,
        tls,
        colonyName: env('COLONIES_COLONY_NAME')!,
        colonyPrvKey: env('COLONIES_COLONY_PRVKEY'),
        userPrvKey: env('COLONIES_PRVKEY'),
        serverPrvKey: env('COLONIES_SERVER_PRVKEY'),
        client: make(host, port, tls),
      };
    } else {
      local = await startLocalColony({ port: 0 });
      target = {
        kind: 'local',
        host: '127.0.0.1',
        port: local.port,
        tls: false,
        colonyName: local.colonyName,
        colonyPrvKey: local.colonyPrvKey,
        userPrvKey: local.userPrvKey,
        serverPrvKey: local.serverPrvKey,
        local,
        client: make('127.0.0.1', local.port, false),
      };
    }
    if (!announced) {
      announced = true;
      const t = target;
      console.log(`      integration target: ${t.kind === 'local' ? 'local colony' : 'external ColonyOS server'} ${t.tls ? 'https' : 'http'}://${t.host}:${t.port}, colony ${t.colonyName}`);
    }
  });

  after(async function () {
    this.timeout(30000);
    for (const c of clients.splice(0)) c.dispose();
    await local?.stop();
    local = undefined;
  });

  return () => {
    if (!target) throw new Error('integration target is not ready (useTarget() must be called inside describe)');
    return target;
  };
}

/** Returns the key, or skips the running test with a printed reason when the environment lacks it. */
export function needKey(ctx: Mocha.Context, target: Target, key: KeyName, why: string): string {
  const value = target[key];
  if (!value) {
    console.log(`      skipped: ${ENV_NAMES[key]} is not set (${why})`);
    ctx.skip();
  }
  return value;
}

/** A unique suffix so runs against a shared server never collide with each other or with real executors. */
export function unique(prefix: string): string {
  return `${prefix}-${crypto.generatePrivateKey().slice(0, 10)}`;
}
