// Where the e2e walkthrough's colony lives: by default the extension's own local colony ("ColonyOS: Start Local
// Colony"); when the COLONIES_* variables name a real ColonyOS server, that server, imported the way a user imports
// it ("ColonyOS: Import Connection from Environment"), with the demo echo and progress executors running in this
// test process and the same sample processes the local colony submits for itself.
import { ColoniesClient } from '../../src/colonies/index';
import { submitSampleProcesses } from '../../src/connection/sampleProcesses';
import { startEchoExecutor, startProgressExecutor, startWorkerExecutor } from '../../src/localcolony/executors/index';

export interface RealServer {
  host: string;
  port: number;
  tls: boolean;
  colonyName: string;
  /** Stops the demo executors (they unregister themselves). */
  stop(): Promise<void>;
}

export function realServerConfigured(): boolean {
  return Boolean(process.env.COLONIES_SERVER_HOST?.trim());
}

function required(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) throw new Error(`${name} is not set: the e2e walkthrough against a real server needs COLONIES_SERVER_HOST, COLONIES_COLONY_NAME, COLONIES_COLONY_PRVKEY and COLONIES_PRVKEY`);
  return value;
}

/** Starts the demo executors against the configured server and submits the sample processes. */
export async function prepareRealServer(): Promise<RealServer> {
  const host = required('COLONIES_SERVER_HOST');
  const port = Number(process.env.COLONIES_SERVER_PORT ?? process.env.COLONIES_SERVER_HTTP_PORT ?? 50080);
  const tls = /^(1|true|yes)$/i.test(process.env.COLONIES_TLS ?? '');
  const colonyName = required('COLONIES_COLONY_NAME');
  const colonyPrvKey = required('COLONIES_COLONY_PRVKEY');
  const userPrvKey = required('COLONIES_PRVKEY');
  const base = { host, port, tls, colonyName, colonyPrvKey, assignTimeoutSec: 2 };
  const echo = await startEchoExecutor(base);
  const progress = await startProgressExecutor(base);
  const worker = await startWorkerExecutor(base);
  const client = new ColoniesClient({ host, port, tls });
  try {
    await submitSampleProcesses(client, colonyName, userPrvKey);
  } finally {
    client.dispose();
  }
  return {
    host, port, tls, colonyName,
    stop: async () => {
      await echo.stop();
      await progress.stop();
      await worker.stop();
    },
  };
}
