// The three demo executors under their own executor types (echo, progress, worker), as the shipped examples name
// them: in-process on the local colony (what `startLocalColony({ demo: true })` starts), and as separate
// `npm run executor -- <kind>` processes configured by COLONIES_* against an external server, as a user would run
// them there.

import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { startEchoExecutor, startProgressExecutor, startWorkerExecutor, type ExecutorHandle } from '../../src/localcolony/executors/index';
import type { Target } from './target';
import { waitFor } from '../support/poll';

const REPO = path.resolve(__dirname, '../..');
const KINDS = ['echo', 'progress', 'worker'] as const;

export interface RunningDemoExecutors {
  /** How they run, for the test's log line. */
  how: string;
  stop(): Promise<void>;
}

function spawnExecutor(kind: string, t: Target, colonyPrvKey: string): { child: ChildProcess; ready: Promise<void>; output: () => string } {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    COLONIES_SERVER_HOST: t.host,
    COLONIES_SERVER_PORT: String(t.port),
    COLONIES_TLS: t.tls ? 'true' : 'false',
    COLONIES_COLONY_NAME: t.colonyName,
    COLONIES_COLONY_PRVKEY: colonyPrvKey,
  };
  // The executor makes its own key when it registers itself: the user key must not double as an executor id.
  delete env.COLONIES_PRVKEY;
  delete env.COLONIES_EXECUTOR_PRVKEY;
  const child = spawn(process.execPath, [path.join(REPO, 'node_modules/tsx/dist/cli.mjs'), 'src/localcolony/executors/main.ts', kind], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const ready = waitFor(`the ${kind} executor process to start`, async () => {
    if (child.exitCode !== null) throw new Error(`the ${kind} executor exited with ${child.exitCode}: ${out}`);
    return /running; Ctrl\+C to stop/.test(out) ? true : undefined;
  }, 60_000, 100).then(() => undefined);
  return { child, ready, output: () => out };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export async function startShippedDemoExecutors(t: Target, colonyPrvKey: string): Promise<RunningDemoExecutors> {
  if (t.kind === 'local') {
    const base = { host: t.host, port: t.port, tls: t.tls, colonyName: t.colonyName, colonyPrvKey, assignTimeoutSec: 2 };
    const handles: ExecutorHandle[] = [await startEchoExecutor(base), await startProgressExecutor(base), await startWorkerExecutor(base)];
    return { how: 'in-process', stop: async () => void (await Promise.all(handles.map((h) => h.stop()))) };
  }
  const started = KINDS.map((kind) => spawnExecutor(kind, t, colonyPrvKey));
  try {
    await Promise.all(started.map((s) => s.ready));
  } catch (err) {
    await Promise.all(started.map((s) => stopChild(s.child)));
    throw err;
  }
  return { how: 'as npm run executor processes', stop: async () => void (await Promise.all(started.map((s) => stopChild(s.child)))) };
}
