#!/usr/bin/env node
// A real ColonyOS server for the test tiers: the release pinned in scripts/real-server/go.mod, built once from the Go
// module proxy into ~/.cache/colonyos-vscode/, on a PostgreSQL 15 cluster of its own, with ColonyOS's public
// development identities (colony "dev", user "myuser"; the same keys as the local colony's defaults).
//
// The ColonyOS server always listens on every interface (its HTTP port and its embedded etcd have no bind-address
// option). So, as root, everything runs in a private network namespace that has only a loopback interface: the
// server, its database and the command under test, which reaches it on 127.0.0.1. Nothing outside can connect to it
// and it cannot send traffic anywhere else.
//
// CLI:
//   node scripts/real-server.mjs install          build the server binary (Go) and install PostgreSQL (apt, as root)
//   node scripts/real-server.mjs run -- CMD ...   start a fresh server, run CMD with the COLONIES_* variables set,
//                                                 stop everything; exits with CMD's status
//   node scripts/real-server.mjs shell            the same with an interactive shell as CMD

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, ensureAptPackages, freePort, isMain, killGroup } from './vscode-server.mjs';

const GO_MODULE_DIR = path.join(REPO_ROOT, 'scripts', 'real-server');
const IN_NAMESPACE = 'COLONYOS_REAL_SERVER_NAMESPACE';
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;

/** ColonyOS's public development identities (its docker-compose.env); never real keys. */
export const DEV_IDENTITY = {
  COLONIES_SERVER_ID: '039231c7644e04b6895471dd5335cf332681c54e27f81fac54f9067b3f2c0103',
  COLONIES_SERVER_PRVKEY: 'fcc79953d8a751bf41db661592dc34d30004b1a651ffa0725b03ac227641499d',
  COLONIES_COLONY_NAME: 'dev',
  COLONIES_COLONY_ID: '4787a5071856a4acf702b2ffcea422e3237a679c681314113d86139461290cf4',
  COLONIES_COLONY_PRVKEY: 'ba949fa134981372d6da62b6a56f336ab4d843b22c02a4257dcf7d0d73097514',
  COLONIES_ID: '3fc05cf3df4b494e95d6a3d297a34f19938f7daa7422ab0d4f794454133341ac',
  COLONIES_PRVKEY: 'ddf7f7791208083b6a9ed975a72684f6406a269cfa36f1b1c32045c0a71fff05',
};

/** Inside the namespace the usual ports are free; outside it, free ports are picked for each run. */
const USUAL_PORTS = { http: 50080, pg: 5432, etcdClient: 2379, etcdPeer: 2380, relay: 2381, monitor: 21120 };

async function choosePorts() {
  if (process.env[IN_NAMESPACE] === '1') return USUAL_PORTS;
  const ports = {};
  for (const name of Object.keys(USUAL_PORTS)) ports[name] = await freePort();
  return ports;
}

function log(message) {
  process.stderr.write(`[real-server] ${message}\n`);
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The ColonyOS release in go.mod, e.g. "v1.9.12". */
export function pinnedVersion() {
  const mod = fs.readFileSync(path.join(GO_MODULE_DIR, 'go.mod'), 'utf8');
  const m = /^require github\.com\/colonyos\/colonies (v\S+)$/m.exec(mod);
  if (!m) throw new Error(`${path.join(GO_MODULE_DIR, 'go.mod')}: no "require github.com/colonyos/colonies vX.Y.Z" line`);
  return m[1];
}

export function binaryPath() {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'colonyos-vscode', `colonies-${pinnedVersion()}`, 'colonies');
}

function postgresBinDir() {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(a) - Number(b));
  return versions.length ? path.join(base, versions[versions.length - 1], 'bin') : undefined;
}

/**
 * Builds the pinned server once. `go install …@version` would be the usual way, but the module proxy refuses the
 * module's version list, which `go install` reads to check for deprecations; building inside a module that requires
 * the version (with go.sum pinning every dependency) needs only the version itself.
 */
export function ensureBinary() {
  const bin = binaryPath();
  if (fs.existsSync(bin)) return bin;
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    throw new Error('the real-server tier needs Go to build the ColonyOS server (go is not on PATH); install Go 1.22 or newer');
  }
  log(`building the ColonyOS server ${pinnedVersion()} with ${go.stdout.trim()} (the first build takes a few minutes)`);
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  const tmp = `${bin}.partial`;
  const started = Date.now();
  const r = spawnSync('go', ['build', '-o', tmp, 'github.com/colonyos/colonies/cmd'], {
    cwd: GO_MODULE_DIR,
    stdio: ['ignore', process.stderr, process.stderr],
    env: { ...process.env, GOFLAGS: '-mod=readonly' },
  });
  if (r.status !== 0) throw new Error(`go build of the ColonyOS server failed (exit ${r.status ?? r.signal}); see the output above`);
  fs.renameSync(tmp, bin);
  log(`built ${bin} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return bin;
}

export function ensurePostgres() {
  if (!postgresBinDir()) ensureAptPackages(['postgresql']);
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed and could not be installed (apt-get install postgresql, as root)');
  return bin;
}

export function install() {
  if (isRoot()) ensureAptPackages(['iproute2']); // `ip`, to bring up the namespace's loopback interface
  ensurePostgres();
  return ensureBinary();
}

function probeHealth(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** A command run as the PostgreSQL user when we are root (initdb refuses root), as ourselves otherwise. */
function pg(binDir, tool, args, options = {}) {
  const cmd = path.join(binDir, tool);
  const [file, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  return execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
}

/**
 * Starts PostgreSQL and the server in a fresh directory and creates the colony and the user. Returns the
 * COLONIES_* environment a client needs and a stop function.
 */
export async function startServer({ echo = false } = {}) {
  const PORTS = await choosePorts();
  const colonies = ensureBinary();
  const pgBin = ensurePostgres();
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-real-'));
  fs.chmodSync(base, 0o755);
  const pgData = path.join(base, 'pg');
  fs.mkdirSync(pgData, { mode: 0o700 });
  if (isRoot()) execFileSync('chown', ['postgres', pgData]);

  let server;
  let pgStarted = false;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      killGroup(server.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(server.pid, 'SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    if (pgStarted) {
      try {
        pg(pgBin, 'pg_ctl', ['-D', pgData, '-m', 'immediate', '-w', 'stop']);
      } catch (err) {
        log(`stopping PostgreSQL failed: ${err.stderr || err.message}`);
      }
    }
    fs.rmSync(base, { recursive: true, force: true });
  };

  try {
    pg(pgBin, 'initdb', ['-D', pgData, '-U', 'postgres', '--auth=trust', '--no-sync']);
    pg(pgBin, 'pg_ctl', ['-D', pgData, '-l', path.join(pgData, 'log'), '-w', '-t', '120', '-o',
      `-p ${PORTS.pg} -k ${pgData} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
    pgStarted = true;

    const env = {
      ...process.env,
      ...DEV_IDENTITY,
      // A zone other than UTC on purpose: the server renders times in its local zone, and clients must cope.
      LANG: 'C.UTF-8', TZ: 'Europe/Stockholm',
      COLONIES_SERVER_HOST: '127.0.0.1', COLONIES_SERVER_PORT: String(PORTS.http), COLONIES_TLS: 'false',
      COLONIES_DB_TYPE: 'postgresql', COLONIES_DB_HOST: '127.0.0.1', COLONIES_DB_PORT: String(PORTS.pg),
      COLONIES_DB_USER: 'postgres', COLONIES_DB_PASSWORD: 'unused',
      COLONIES_EXCLUSIVE_ASSIGN: 'true', COLONIES_ALLOW_EXECUTOR_REREGISTER: 'true',
      COLONIES_RETENTION: 'false', COLONIES_RETENTION_POLICY: '200',
      COLONIES_CRON_CHECKER_PERIOD: '1000', COLONIES_GENERATOR_CHECKER_PERIOD: '1000',
      COLONIES_MONITOR_PORT: String(PORTS.monitor), COLONIES_MONITOR_INTERVAL: '1',
      COLONIES_SERVER_PROFILER: 'false', COLONIES_VERBOSE: 'false',
    };
    const logFile = path.join(base, 'server.log');
    const out = fs.openSync(logFile, 'a');
    server = spawn(colonies, ['server', 'start', '--initdb', '--insecure', '--port', String(PORTS.http),
      '--etcdhost', '127.0.0.1', '--etcddatadir', path.join(base, 'etcd'), '--etcdclientport', String(PORTS.etcdClient),
      '--etcdpeerport', String(PORTS.etcdPeer), '--relayport', String(PORTS.relay)], {
      cwd: base, env, detached: true, stdio: ['ignore', echo ? 'inherit' : out, echo ? 'inherit' : out],
    });
    fs.closeSync(out);
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await probeHealth(PORTS.http))) {
      if (server.exitCode !== null || Date.now() > deadline) {
        const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
        throw new Error(`the ColonyOS server did not become healthy (${server.exitCode !== null ? `exited ${server.exitCode}` : 'timed out'}):\n${tail}`);
      }
      await sleep(300);
    }
    const cli = (args) => execFileSync(colonies, [...args, '--insecure'], { env, cwd: base, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    cli(['colony', 'add', '--name', DEV_IDENTITY.COLONIES_COLONY_NAME, '--colonyid', DEV_IDENTITY.COLONIES_COLONY_ID]);
    cli(['user', 'add', '--name', 'myuser', '--email', 'myuser@example.com', '--phone', '0', '--userid', DEV_IDENTITY.COLONIES_ID]);
    if (!/myuser/.test(cli(['user', 'ls']))) throw new Error('the ColonyOS server did not list the user myuser after creating it');
    const clientEnv = {
      COLONIES_SERVER_HOST: '127.0.0.1', COLONIES_SERVER_PORT: String(PORTS.http), COLONIES_TLS: 'false',
      COLONIES_COLONY_NAME: DEV_IDENTITY.COLONIES_COLONY_NAME,
      COLONIES_COLONY_PRVKEY: DEV_IDENTITY.COLONIES_COLONY_PRVKEY,
      COLONIES_PRVKEY: DEV_IDENTITY.COLONIES_PRVKEY,
      COLONIES_SERVER_PRVKEY: DEV_IDENTITY.COLONIES_SERVER_PRVKEY,
    };
    const proc = server;
    // A server that dies under the tests (docs/protocol.md P27) says why at once, not as a wall of ECONNREFUSED.
    proc.on('exit', (code, signal) => {
      if (stopping) return;
      const lines = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n') : [];
      const panic = lines.findIndex((l) => l.startsWith('panic:'));
      const shown = panic >= 0 ? lines.slice(panic, panic + 8) : lines.slice(-10);
      log(`the ColonyOS server exited during the run (${signal ?? `code ${code}`}); from its log ${logFile}:\n${shown.join('\n')}`);
    });
    return { env: clientEnv, logFile, stop, version: pinnedVersion(), port: PORTS.http };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Runs `command` against a fresh server and returns its exit code. Must already be inside the namespace (or not root). */
async function runAgainstServer(command) {
  const started = Date.now();
  const srv = await startServer();
  log(`ColonyOS server ${srv.version} up on http://127.0.0.1:${srv.port} (colony dev, user myuser) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, ...srv.env } });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise((resolve) => {
    child.on('error', (err) => { log(`${command[0]}: ${err.message}`); resolve(127); });
    child.on('exit', (c, s) => resolve(c ?? (s ? 128 : 1)));
  });
  process.off('SIGINT', forward);
  process.off('SIGTERM', forward);
  await srv.stop();
  log('server stopped');
  return code;
}

/** As root: re-runs this script inside a new network namespace that has only loopback. */
function runInNamespace(command) {
  install(); // network access (Go proxy, apt) happens out here
  if (!isRoot()) {
    log('not root: running without a private network namespace; the ColonyOS server listens on every interface while the tests run');
    return undefined;
  }
  // A container may forbid new namespaces even to root: say so loudly, and run as a non-root user would.
  const probe = spawnSync('unshare', ['--net', 'true'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    log(`WARNING: cannot create a network namespace (${(probe.stderr || probe.error?.message || `exit ${probe.status}`).trim()}); running without one: the ColonyOS server listens on every interface while the tests run`);
    return undefined;
  }
  const r = spawnSync('unshare', ['--net', '--', process.execPath, process.argv[1], 'run', '--', ...command], {
    stdio: 'inherit', env: { ...process.env, [IN_NAMESPACE]: '1' },
  });
  if (r.error) throw new Error(`unshare --net failed: ${r.error.message}`);
  return r.status ?? 1;
}

async function main(argv) {
  const [cmd, ...rest] = argv;
  if (cmd === 'install') {
    console.log(install());
    return 0;
  }
  if (cmd === 'run' || cmd === 'shell') {
    const command = cmd === 'shell' ? [process.env.SHELL || 'bash'] : rest[0] === '--' ? rest.slice(1) : rest;
    if (command.length === 0) throw new Error('usage: real-server.mjs run -- COMMAND [ARGS...]');
    if (process.env[IN_NAMESPACE] === '1') {
      execFileSync('ip', ['link', 'set', 'lo', 'up']);
      return runAgainstServer(command);
    }
    const code = runInNamespace(command);
    return code ?? runAgainstServer(command);
  }
  throw new Error('usage: real-server.mjs install | run -- COMMAND [ARGS...] | shell');
}

if (isMain(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    console.error(`real-server: ${err.message}`);
    process.exit(1);
  });
}
