// Shared integration helpers: registering executors and users over RPC, running processes, the demo
// executors, a TCP proxy to cut sockets, waits.

import * as net from 'node:net';
import { crypto, funcSpec, type ColoniesClient, type Process } from '../../src/colonies/index';
import { startEchoExecutor, startProgressExecutor } from '../../src/localcolony/executors/index';
import { unique, type Target } from './target';
import { until } from '../support/poll';

export interface Identity {
  prvkey: string;
  id: string;
  name: string;
}

/** Registers and approves a fresh executor of `type` with the colony owner key. */
export async function registerExecutor(client: ColoniesClient, t: Target, colonyPrvKey: string, type: string): Promise<Identity> {
  const prvkey = crypto.generatePrivateKey();
  const id = crypto.id(prvkey);
  const name = unique(`it-${type}`);
  await client.addExecutor({ executorid: id, executortype: type, executorname: name, colonyname: t.colonyName }, colonyPrvKey);
  await client.approveExecutor(t.colonyName, name, colonyPrvKey);
  return { prvkey, id, name };
}

/** Adds a fresh user (an approved colony member) with the colony owner key. */
export async function addUser(client: ColoniesClient, t: Target, colonyPrvKey: string): Promise<Identity> {
  const prvkey = crypto.generatePrivateKey();
  const id = crypto.id(prvkey);
  const name = unique('it-user');
  await client.addUser({ colonyname: t.colonyName, userid: id, name, email: `${name}@example.invalid`, phone: '' }, colonyPrvKey);
  return { prvkey, id, name };
}

export { until };

/** A TCP relay in front of the server so a test can cut every live connection, as a network failure would. */
export class CuttableProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  port = 0;

  constructor(private readonly host: string, private readonly targetPort: number) {
    this.server = net.createServer((inbound) => {
      const outbound = net.connect(this.targetPort, this.host);
      const pair: [net.Socket, net.Socket] = [inbound, outbound];
      this.pairs.add(pair);
      const drop = () => {
        inbound.destroy();
        outbound.destroy();
        this.pairs.delete(pair);
      };
      inbound.on('error', drop).on('close', drop);
      outbound.on('error', drop).on('close', drop);
      inbound.pipe(outbound);
      outbound.pipe(inbound);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Resets every relayed connection (clients see ECONNRESET / WebSocket 1006). */
  cutAll(): number {
    const n = this.pairs.size;
    for (const [a, b] of [...this.pairs]) {
      a.resetAndDestroy();
      b.destroy();
    }
    this.pairs.clear();
    return n;
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

export interface DemoExecutors {
  echoType: string;
  progressType: string;
  stop(): Promise<void>;
}

/** Starts the echo and progress demo executors under unique executor types (no clash on shared servers). */
export async function startDemoExecutors(t: Target, colonyPrvKey: string, stepMs = 20): Promise<DemoExecutors> {
  const echoType = unique('echo');
  const progressType = unique('progress');
  const base = { host: t.host, port: t.port, tls: t.tls, colonyName: t.colonyName, colonyPrvKey, assignTimeoutSec: 2 };
  const echo = await startEchoExecutor({ ...base, executorType: echoType });
  const progress = await startProgressExecutor({ ...base, executorType: progressType, stepMs });
  return {
    echoType,
    progressType,
    stop: async () => {
      await echo.stop();
      await progress.stop();
    },
  };
}

/** Submits a process with `channels` and assigns it to a fresh executor: both channel parties exist. */
export async function runningProcess(
  client: ColoniesClient,
  t: Target,
  keys: { colonyPrvKey: string; userPrvKey: string },
  prefix: string,
  channels: string[],
): Promise<{ process: Process; executor: Identity }> {
  const type = unique(prefix);
  const executor = await registerExecutor(client, t, keys.colonyPrvKey, type);
  const process = await client.submitFuncSpec(funcSpec({ funcname: prefix, colonyname: t.colonyName, executortype: type, channels }), keys.userPrvKey);
  await client.assign(t.colonyName, 5, executor.prvkey);
  return { process, executor };
}
