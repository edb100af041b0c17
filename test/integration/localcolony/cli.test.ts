// The local colony CLI (src/localcolony/main.ts) as a child process: it prints only the public development keys (a
// key from the environment is used and named by its id, never printed), and it listens anywhere but on loopback
// only with --allow-remote, warning loudly when it does.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { crypto } from '../../../src/colonies/crypto';
import { DEV_COLONY_PRVKEY, DEV_SERVER_PRVKEY, DEV_USER_PRVKEY, isLoopbackBindAddress } from '../../../src/localcolony';
import { until } from '../../support/poll';
import { rpc } from './helpers';

const ROOT = path.resolve(__dirname, '../../..');

interface Cli {
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/** Runs the CLI with only the COLONIES_* variables given here. */
function runCli(args: string[], env: Record<string, string> = {}): Cli {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('COLONIES_')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/localcolony/main.ts', ...args], { cwd: ROOT, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

async function started(cli: Cli): Promise<number> {
  await until(() => /Press Ctrl\+C/.test(cli.stdout()) || /localcolony:/.test(cli.stderr()), 'the local colony to start', 60_000, 50);
  const port = /listening on http:\/\/[^:]+:(\d+)/.exec(cli.stdout())?.[1];
  assert.ok(port, `it started: ${cli.stdout()} ${cli.stderr()}`);
  return Number(port);
}

describe('local colony CLI: keys and bind address', function () {
  this.timeout(120_000);
  const running: Cli[] = [];
  afterEach(async () => {
    for (const cli of running.splice(0)) await cli.stop();
  });

  it('prints the well-known development keys when none come from the environment', async () => {
    const cli = runCli(['--port', '0']);
    running.push(cli);
    await started(cli);
    const out = cli.stdout();
    assert.match(out, new RegExp(`^export COLONIES_PRVKEY=${DEV_USER_PRVKEY}$`, 'm'));
    assert.match(out, new RegExp(`^export COLONIES_COLONY_PRVKEY=${DEV_COLONY_PRVKEY}$`, 'm'));
    assert.match(out, new RegExp(`^export COLONIES_SERVER_PRVKEY=${DEV_SERVER_PRVKEY}$`, 'm'));
    assert.match(out, /public ColonyOS development keys/);
  });

  it('uses keys from the environment but never prints them, only their ids', async () => {
    const user = crypto.generatePrivateKey();
    const colony = crypto.generatePrivateKey();
    const cli = runCli(['--port', '0'], { COLONIES_PRVKEY: user, COLONIES_COLONY_PRVKEY: colony, COLONIES_COLONY_NAME: 'envcolony' });
    running.push(cli);
    const port = await started(cli);
    const all = cli.stdout() + cli.stderr();
    assert.ok(!all.includes(user) && !all.includes(colony), `a key from the environment was printed:\n${all}`);
    assert.match(all, new RegExp(`^# COLONIES_PRVKEY: from your environment, not printed \\(id ${crypto.id(user)}\\)$`, 'm'));
    assert.match(all, new RegExp(`^# COLONIES_COLONY_PRVKEY: from your environment, not printed \\(id ${crypto.id(colony)}\\)$`, 'm'));
    assert.doesNotMatch(all, /^export COLONIES_(COLONY_)?PRVKEY=/m);
    // The server key did not come from the environment: the public development one is printed.
    assert.match(all, new RegExp(`^export COLONIES_SERVER_PRVKEY=${DEV_SERVER_PRVKEY}$`, 'm'));
    assert.match(all, /^export COLONIES_COLONY_NAME=envcolony$/m);
    // The keys are really used: the environment's user key reads its colony.
    const r = await rpc(port, 'getprocessesmsg', { colonyname: 'envcolony', count: 1, state: 0 }, user);
    assert.equal(r.status, 200, r.body);
  });

  it('refuses a key from the environment that is not one, naming the variable and not the value', async () => {
    const cli = runCli(['--port', '0'], { COLONIES_PRVKEY: 'not-a-key-but-maybe-a-secret' });
    assert.equal(await cli.exited, 1);
    assert.match(cli.stderr(), /COLONIES_PRVKEY is not a valid private key/);
    assert.doesNotMatch(cli.stdout() + cli.stderr(), /not-a-key-but-maybe-a-secret/);
  });

  it('refuses to listen on a network address without --allow-remote, and says why', async () => {
    const cli = runCli(['--port', '0', '--host', '0.0.0.0']);
    assert.equal(await cli.exited, 1);
    assert.match(cli.stderr(), /Refusing to listen on 0\.0\.0\.0/);
    assert.match(cli.stderr(), /--allow-remote/);
    assert.doesNotMatch(cli.stdout(), /listening/);
  });

  it('listens on a network address with --allow-remote, after a loud warning', async () => {
    const cli = runCli(['--port', '0', '--host', '0.0.0.0', '--allow-remote']);
    running.push(cli);
    await started(cli);
    assert.match(cli.stderr(), /^WARNING: the local colony listens on 0\.0\.0\.0, reachable from other machines, over plain HTTP/m);
  });

  it('tells loopback bind addresses from the others', () => {
    for (const h of ['127.0.0.1', '127.8.9.10', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
      assert.equal(isLoopbackBindAddress(h), true, h);
    }
    for (const h of ['0.0.0.0', '::', '', '10.0.0.1', '192.168.1.2', '128.0.0.1', '::2', '1::1', '::ffff:10.0.0.1', 'example.org', 'localhost.example.org', '127.0.0.1.nip.io']) {
      assert.equal(isLoopbackBindAddress(h), false, h);
    }
  });
});
