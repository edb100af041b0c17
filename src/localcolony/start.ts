// startLocalColony(): a running local colony with the well-known ColonyOS development identities (docs/protocol.md §1.4).
import { crypto } from '../colonies/crypto';
import { ExecutorState } from '../colonies/types';
import { GO_ZERO_TIME } from '../colonies/time';
import { formatNs, nowNs } from './clock';
import { isLoopbackBindAddress, remoteBindRefusal } from './bind';
import { startEchoExecutor, startProgressExecutor, startWorkerExecutor } from './executors/index';
import { LocalColonyServer } from './server';
import type { LocalColonyServerOptions } from './server';
import type { ColonyState } from './state';

/** The ColonyOS dev keys (docker-compose / devenv defaults). Public test keys, never for production. */
export const DEV_SERVER_PRVKEY = 'fcc79953d8a751bf41db661592dc34d30004b1a651ffa0725b03ac227641499d';
export const DEV_COLONY_PRVKEY = 'ba949fa134981372d6da62b6a56f336ab4d843b22c02a4257dcf7d0d73097514';
export const DEV_USER_PRVKEY = 'ddf7f7791208083b6a9ed975a72684f6406a269cfa36f1b1c32045c0a71fff05';
export const DEV_COLONY_NAME = 'dev';
export const DEV_USER_NAME = 'myuser';

export interface LocalColonyIdentities {
  serverPrvKey?: string;
  colonyPrvKey?: string;
  userPrvKey?: string;
  colonyName?: string;
  userName?: string;
}

export interface DemoExecutorHandle {
  stop(): Promise<unknown> | void;
}

export interface StartLocalColonyOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** 127.0.0.1 by default; anything but a loopback address needs `allowRemote` (bind.ts says why). */
  host?: string;
  allowRemote?: boolean;
  identities?: LocalColonyIdentities;
  /** Register and start the demo executors (echo chat, progress streamer, workflow step worker). */
  demo?: boolean;
  log?: (line: string) => void;
  /** Reuse the state of a previous run (a restart); channels never survive. */
  state?: ColonyState;
  channelLimits?: LocalColonyServerOptions['channelLimits'];
  /** Caps and timeouts per client (tests shorten the timeouts); defaults in limits.ts. */
  limits?: LocalColonyServerOptions['limits'];
}

export interface LocalColony {
  port: number;
  url: string;
  serverPrvKey: string;
  colonyName: string;
  colonyPrvKey: string;
  userPrvKey: string;
  /** COLONIES_* variables for the Go CLI and SDKs. */
  env: Record<string, string>;
  server: LocalColonyServer;
  stop(): Promise<void>;
}

/** Adds the colony and its user unless the (reused) state already has them. */
function seedIdentities(server: LocalColonyServer, ids: Required<LocalColonyIdentities>): void {
  const state = server.state;
  state.serverId = crypto.id(ids.serverPrvKey);
  if (!state.colonies.has(ids.colonyName)) {
    state.colonies.set(ids.colonyName, { colonyid: crypto.id(ids.colonyPrvKey), name: ids.colonyName });
  }
  const userId = crypto.id(ids.userPrvKey);
  if (!state.userById(ids.colonyName, userId) && !state.userByName(ids.colonyName, ids.userName)) {
    state.users.set(`${ids.colonyName}\u0000${ids.userName}`, {
      colonyname: ids.colonyName,
      userid: userId,
      name: ids.userName,
      email: `${ids.userName}@localcolony.invalid`,
      phone: '',
    });
  }
}

export function colonyEnv(host: string, port: number, ids: Required<LocalColonyIdentities>): Record<string, string> {
  return {
    COLONIES_SERVER_HOST: host,
    COLONIES_SERVER_PORT: String(port),
    COLONIES_SERVER_HTTP_PORT: String(port),
    COLONIES_TLS: 'false',
    COLONIES_COLONY_NAME: ids.colonyName,
    COLONIES_COLONY_PRVKEY: ids.colonyPrvKey,
    COLONIES_PRVKEY: ids.userPrvKey,
    COLONIES_SERVER_PRVKEY: ids.serverPrvKey,
  };
}

/** Registers an executor directly in the state, approved (what the colony owner would do over RPC). */
export function registerApprovedExecutor(server: LocalColonyServer, colonyName: string, prvkey: string, name: string, type: string): string {
  const id = crypto.id(prvkey);
  server.state.executors.set(`${colonyName}\u0000${name}`, {
    executorid: id,
    executortype: type,
    executorname: name,
    colonyname: colonyName,
    state: ExecutorState.APPROVED,
    requirefuncreg: false,
    commissiontime: formatNs(nowNs()),
    lastheardfromtime: GO_ZERO_TIME,
    locationname: '',
    capabilities: { hardware: null, software: null },
    allocations: { projects: null },
    blueprintid: '',
    blueprintgen: 0n,
  });
  return id;
}

async function startDemoExecutors(colony: Omit<LocalColony, 'stop'>, log: (line: string) => void): Promise<DemoExecutorHandle[]> {
  const opts = { host: '127.0.0.1', port: colony.port, colonyName: colony.colonyName, colonyPrvKey: colony.colonyPrvKey, log };
  const handles: DemoExecutorHandle[] = [];
  try {
    handles.push(await startEchoExecutor(opts));
    handles.push(await startProgressExecutor(opts));
    handles.push(await startWorkerExecutor(opts));
  } catch (err) {
    for (const h of handles) await h.stop();
    throw err;
  }
  return handles;
}

export async function startLocalColony(opts: StartLocalColonyOptions = {}): Promise<LocalColony> {
  const log = opts.log ?? (() => undefined);
  const ids: Required<LocalColonyIdentities> = {
    serverPrvKey: opts.identities?.serverPrvKey ?? DEV_SERVER_PRVKEY,
    colonyPrvKey: opts.identities?.colonyPrvKey ?? DEV_COLONY_PRVKEY,
    userPrvKey: opts.identities?.userPrvKey ?? DEV_USER_PRVKEY,
    colonyName: opts.identities?.colonyName ?? DEV_COLONY_NAME,
    userName: opts.identities?.userName ?? DEV_USER_NAME,
  };
  const host = opts.host ?? '127.0.0.1';
  if (!opts.allowRemote && !isLoopbackBindAddress(host)) throw new Error(remoteBindRefusal(host));
  const server = new LocalColonyServer({ state: opts.state, log, channelLimits: opts.channelLimits, limits: opts.limits });
  seedIdentities(server, ids);
  await server.listen(opts.port ?? 0, host);
  const base = {
    port: server.port,
    url: `http://${host}:${server.port}`,
    serverPrvKey: ids.serverPrvKey,
    colonyName: ids.colonyName,
    colonyPrvKey: ids.colonyPrvKey,
    userPrvKey: ids.userPrvKey,
    env: colonyEnv(host, server.port, ids),
    server,
  };
  let demos: DemoExecutorHandle[] = [];
  if (opts.demo) {
    try {
      demos = await startDemoExecutors(base, log);
    } catch (err) {
      await server.close();
      throw err;
    }
  }
  return {
    ...base,
    stop: async () => {
      for (const d of demos) {
        try {
          await d.stop();
        } catch (err) {
          log(`local colony: demo executor stop failed: ${String(err)}`);
        }
      }
      demos = [];
      await server.close();
    },
  };
}
