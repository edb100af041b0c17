// The demo executors' resilience: the first block owns a local colony (whatever the suite's target is)
// because it restarts and replaces the server. The second runs on the suite's target (a real server too):
// a stopped executor must not stay registered, or later submits for its type wait for nobody.

import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { ChannelSession, ColoniesClient, ExecutorState, ProcessState, entryText, funcSpec } from '../../src/colonies/index';
import { startLocalColony, type LocalColony } from '../../src/localcolony/index';
import { NO_OWNER_KEY_REASON, startEchoExecutor, startWorkerExecutor, type ExecutorHandle } from '../../src/localcolony/executors/index';
import { registerExecutor, until } from './helpers';
import { needKey, unique, useTarget, type Target } from './target';
import { waitFor } from '../support/poll';

const ROOT = path.resolve(__dirname, '../..');

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
      assert.match(out, /^echo executor echo-[0-9a-f]{8} unregistered$/m);
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

/** The demo executor CLI as a child process, with only the COLONIES_* variables given here. */
function startCli(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('COLONIES_')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/localcolony/executors/main.ts', ...args], {
    cwd: ROOT,
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

function serverEnv(t: Target): Record<string, string> {
  return { COLONIES_SERVER_HOST: t.host, COLONIES_SERVER_PORT: String(t.port), COLONIES_TLS: String(t.tls), COLONIES_COLONY_NAME: t.colonyName };
}

describe('integration: demo executors unregister when they stop', function () {
  this.timeout(90000);
  const target = useTarget();
  const cleanups: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  });

  async function executorState(client: ColoniesClient, t: Target, name: string, userPrvKey: string): Promise<ExecutorState> {
    return (await client.getExecutor(t.colonyName, name, userPrvKey)).state;
  }

  it('with the colony owner key: fails the process it was running, then removes itself (state 3)', async function () {
    const t = target();
    const colonyPrvKey = needKey(this, t, 'colonyPrvKey', 'the executor registers itself');
    const userPrvKey = needKey(this, t, 'userPrvKey', 'submitting and reading executors');
    const client = t.client();
    const type = unique('echo');
    const echo = await startEchoExecutor({ host: t.host, port: t.port, tls: t.tls, colonyName: t.colonyName, colonyPrvKey, executorType: type, assignTimeoutSec: 2 });
    cleanups.push(() => echo.stop());
    await waitFor('the executor to be approved', async () => ((await executorState(client, t, echo.executorName, userPrvKey)) === ExecutorState.APPROVED ? true : undefined));
    const p = await client.submitFuncSpec(funcSpec({ funcname: 'chat', colonyname: t.colonyName, executortype: type, channels: ['chat'] }), userPrvKey);
    await waitFor('the process to run', async () => ((await client.getProcess(p.processid, userPrvKey)).state === ProcessState.RUNNING ? true : undefined), 30000);

    assert.deepEqual(await echo.stop(), { unregistered: true });
    assert.equal(await executorState(client, t, echo.executorName, userPrvKey), ExecutorState.UNREGISTERED);
    const listed = (await client.getExecutors(t.colonyName, userPrvKey)).find((e) => e.executorname === echo.executorName);
    assert.ok(listed === undefined || listed.state === ExecutorState.UNREGISTERED, `still listed as ${listed?.state}`);
    // Failed before the removal: a server puts a removed executor's running processes back in the queue.
    const after = await client.getProcess(p.processid, userPrvKey);
    assert.equal(after.state, ProcessState.FAILED);
    assert.deepEqual(after.errors, [`The ${type} executor ${echo.executorName} was stopped`]);
    assert.deepEqual(await echo.stop(), { unregistered: true }, 'a second stop reports the same');
  });

  it('registers its function once, with a description, and a finished chat counts in its statistics (seconds)', async function () {
    const t = target();
    const colonyPrvKey = needKey(this, t, 'colonyPrvKey', 'the executor registers itself');
    const userPrvKey = needKey(this, t, 'userPrvKey', 'submitting and reading functions');
    const client = t.client();
    const type = unique('echo');
    const echo = await startEchoExecutor({ host: t.host, port: t.port, tls: t.tls, colonyName: t.colonyName, colonyPrvKey, executorType: type, assignTimeoutSec: 2 });
    cleanups.push(() => echo.stop());
    const [registered] = await waitFor('the function to be registered', async () => {
      const fns = await client.getFunctions(t.colonyName, userPrvKey, echo.executorName);
      return fns.length > 0 ? fns : undefined;
    });
    assert.equal(registered.funcname, 'chat');
    assert.equal(registered.executortype, type);
    assert.match(registered.description ?? '', /chat/);
    assert.equal(registered.counter, 0);

    const p = await client.submitFuncSpec(funcSpec({ funcname: 'chat', colonyname: t.colonyName, executortype: type, channels: ['chat'] }), userPrvKey);
    const s = new ChannelSession(client, { processId: p.processid, channel: 'chat', prvkey: userPrvKey, pollStateMs: 200 });
    cleanups.push(async () => s.dispose());
    s.start();
    await s.send('hi');
    await until(() => s.entries.some((e) => e.senderid !== s.myId), 'the echo reply', 30000);
    await s.send('', { type: 'end' });
    await client.subscribeProcess(p.processid, ProcessState.SUCCESS, 20, userPrvKey);
    const after = await waitFor('the statistics', async () => {
      const [fn] = await client.getFunctions(t.colonyName, userPrvKey, echo.executorName);
      return fn?.counter === 1 ? fn : undefined;
    });
    assert.equal((await client.getFunctions(t.colonyName, userPrvKey, echo.executorName)).length, 1, 'registered once');
    // Float seconds: the chat ran for a fraction of a second up to a few seconds, never milliseconds or nanoseconds.
    assert.ok(after.avgexectime > 0 && after.avgexectime < 60, `avgexectime ${after.avgexectime}`);
    assert.ok(after.minwaittime >= 0 && after.maxwaittime < 60, `wait ${after.minwaittime}..${after.maxwaittime}`);
  });

  it('the worker registers the four steps it runs, so spec files can complete them', async function () {
    const t = target();
    const colonyPrvKey = needKey(this, t, 'colonyPrvKey', 'the executor registers itself');
    const userPrvKey = needKey(this, t, 'userPrvKey', 'reading functions');
    const client = t.client();
    const worker = await startWorkerExecutor({ host: t.host, port: t.port, tls: t.tls, colonyName: t.colonyName, colonyPrvKey, executorType: unique('worker'), assignTimeoutSec: 2 });
    cleanups.push(() => worker.stop());
    const fns = await waitFor('the functions to be registered', async () => {
      const list = await client.getFunctions(t.colonyName, userPrvKey, worker.executorName);
      return list.length >= 4 ? list : undefined;
    });
    assert.deepEqual(fns.map((f) => f.funcname).sort(), ['echo', 'fail', 'sleep', 'upper']);
    assert.ok(fns.every((f) => (f.description ?? '').length > 10), 'each with a description');
  });

  it('without the colony owner key: stays registered and says why', async function () {
    const t = target();
    const colonyPrvKey = needKey(this, t, 'colonyPrvKey', 'registering the executor for the test');
    const userPrvKey = needKey(this, t, 'userPrvKey', 'reading executors');
    const client = t.client();
    const type = unique('echo');
    const me = await registerExecutor(client, t, colonyPrvKey, type);
    cleanups.push(() => client.removeExecutor(t.colonyName, me.name, colonyPrvKey));
    const echo = await startEchoExecutor({ host: t.host, port: t.port, tls: t.tls, colonyName: t.colonyName, prvkey: me.prvkey, executorName: me.name, executorType: type, assignTimeoutSec: 2 });
    cleanups.push(() => echo.stop());
    assert.deepEqual(await echo.stop(), { unregistered: false, reason: NO_OWNER_KEY_REASON });
    assert.equal(await executorState(client, t, me.name, userPrvKey), ExecutorState.APPROVED);
  });

  it('the CLI unregisters on SIGINT and prints that it did', async function () {
    const t = target();
    const colonyPrvKey = needKey(this, t, 'colonyPrvKey', 'the CLI registers itself');
    const userPrvKey = needKey(this, t, 'userPrvKey', 'reading executors');
    const client = t.client();
    const name = unique('cli-echo');
    const cli = startCli(['echo', '--name', name, '--type', unique('echo')], { ...serverEnv(t), COLONIES_COLONY_PRVKEY: colonyPrvKey });
    cleanups.push(async () => {
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
      await client.removeExecutor(t.colonyName, name, colonyPrvKey);
    });
    await until(() => /running; Ctrl\+C to stop/.test(cli.output()), 'the CLI to start', 30000);
    await waitFor('the CLI executor to be approved', async () => ((await executorState(client, t, name, userPrvKey)) === ExecutorState.APPROVED ? true : undefined));

    cli.child.kill('SIGINT');
    assert.equal(await cli.exited, 0, cli.output());
    assert.match(cli.output(), /SIGINT: stopping/);
    assert.match(cli.output(), new RegExp(`^echo executor ${name} unregistered$`, 'm'));
    assert.equal(await executorState(client, t, name, userPrvKey), ExecutorState.UNREGISTERED);
    assert.doesNotMatch(cli.output(), new RegExp(colonyPrvKey), 'the colony key is never printed');
  });

  it('the CLI without the colony owner key stays registered on SIGINT and says so', async function () {
    const t = target();
    const colonyPrvKey = needKey(this, t, 'colonyPrvKey', 'registering the executor for the test');
    const userPrvKey = needKey(this, t, 'userPrvKey', 'reading executors');
    const client = t.client();
    const type = unique('echo');
    const me = await registerExecutor(client, t, colonyPrvKey, type);
    cleanups.push(() => client.removeExecutor(t.colonyName, me.name, colonyPrvKey));
    const cli = startCli(['echo', '--name', me.name, '--type', type], { ...serverEnv(t), COLONIES_PRVKEY: me.prvkey });
    cleanups.push(async () => {
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    });
    await until(() => /running; Ctrl\+C to stop/.test(cli.output()), 'the CLI to start', 30000);

    cli.child.kill('SIGINT');
    assert.equal(await cli.exited, 0, cli.output());
    assert.ok(
      cli.output().includes(`echo executor ${me.name} is still registered (${NO_OWNER_KEY_REASON}); the colony owner can remove it with: colonies executor remove --name ${me.name}`),
      cli.output(),
    );
    assert.equal(await executorState(client, t, me.name, userPrvKey), ExecutorState.APPROVED);
  });
});
