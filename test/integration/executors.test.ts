// The demo executors' resilience: these tests own a local colony (whatever the suite's target is)
// because they restart and replace the server.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { ChannelSession, ColoniesClient, ProcessState, entryText, funcSpec } from '../../src/colonies/index';
import { startLocalColony, type LocalColony } from '../../src/localcolony/index';
import { startEchoExecutor, type ExecutorHandle } from '../../src/localcolony/executors/index';
import { until } from './helpers';

async function chatOnce(client: ColoniesClient, lc: LocalColony, text: string): Promise<string[]> {
  const p = await client.submitFuncSpec(funcSpec({ funcname: 'chat', colonyname: lc.colonyName, executortype: 'echo', channels: ['chat'] }), lc.userPrvKey);
  const s = new ChannelSession(client, { processId: p.processid, channel: 'chat', prvkey: lc.userPrvKey, pollStateMs: 200 });
  try {
    s.start();
    await s.send(text);
    await until(() => s.entries.some((e) => e.senderid !== s.myId), `the echo reply to "${text}"`, 20000);
    await s.send('', { type: 'end' });
    await client.subscribeProcess(p.processid, ProcessState.SUCCESS, 15, lc.userPrvKey);
    return s.entries.filter((e) => e.senderid !== s.myId).map(entryText);
  } finally {
    s.dispose();
  }
}

describe('integration: demo executors (own local colony)', function () {
  this.timeout(60000);
  let lc: LocalColony | undefined;
  let echo: ExecutorHandle | undefined;
  let client: ColoniesClient | undefined;

  afterEach(async () => {
    await echo?.stop();
    client?.dispose();
    await lc?.stop();
    echo = undefined;
    client = undefined;
    lc = undefined;
  });

  it('keep serving across a server restart and across a brand-new server on the same port (re-registering)', async () => {
    lc = await startLocalColony({ port: 0 });
    const port = lc.port;
    echo = await startEchoExecutor({ host: '127.0.0.1', port, colonyName: lc.colonyName, colonyPrvKey: lc.colonyPrvKey, assignTimeoutSec: 1 });
    client = new ColoniesClient({ host: '127.0.0.1', port });
    assert.deepEqual(await chatOnce(client, lc, 'one'), ['You said: one']);

    await lc.server.restart(); // processes and registrations survive, sockets and channels do not
    assert.deepEqual(await chatOnce(client, lc, 'two'), ['You said: two']);

    await lc.stop(); // everything is forgotten; the executor must notice and register again
    lc = await startLocalColony({ port });
    assert.deepEqual(await chatOnce(client, lc, 'three'), ['You said: three']);
  });

  it('runs from the command line with COLONIES_* variables and stops cleanly on SIGINT', async () => {
    lc = await startLocalColony({ port: 0 });
    const root = path.resolve(__dirname, '../..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/localcolony/executors/main.ts', 'echo'], {
      cwd: root,
      env: { ...process.env, ...lc.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until(() => /running; Ctrl\+C to stop/.test(out), 'the executor to start', 30000);
      client = new ColoniesClient({ host: '127.0.0.1', port: lc.port });
      assert.deepEqual(await chatOnce(client, lc, 'from the CLI'), ['You said: from the CLI']);
      child.kill('SIGINT');
      assert.equal(await exited, 0, out);
      assert.match(out, /SIGINT: stopping/);
      assert.doesNotMatch(out, new RegExp(lc.colonyPrvKey), 'the colony key is never printed');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses to start without a colony name or key, naming the variable', async () => {
    const root = path.resolve(__dirname, '../..');
    const run = (env: Record<string, string>) =>
      new Promise<{ code: number | null; err: string }>((resolve) => {
        const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('COLONIES_')));
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/localcolony/executors/main.ts', 'progress'], { cwd: root, env: { ...clean, ...env } });
        let err = '';
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('exit', (code) => resolve({ code, err }));
      });
    const noName = await run({ COLONIES_SERVER_HOST: '127.0.0.1', COLONIES_SERVER_PORT: '1' });
    assert.equal(noName.code, 1);
    assert.match(noName.err, /COLONIES_COLONY_NAME is not set/);
    const badKey = await run({ COLONIES_SERVER_HOST: '127.0.0.1', COLONIES_SERVER_PORT: '1', COLONIES_COLONY_NAME: 'dev', COLONIES_COLONY_PRVKEY: 'nothex' });
    assert.match(badKey.err, /COLONIES_COLONY_PRVKEY is not a valid private key/);
    assert.doesNotMatch(badKey.err, /nothex/);
  });
});
