#!/usr/bin/env node
// `npm run demo`: the whole extension running against a local colony, from a fresh clone, in one command.
// It installs what is missing (npm dependencies, the VS Code server, apt packages when root), builds, starts a local
// colony with the demo executors (echo chat, progress streamer, workflow step worker) plus a few sample processes, starts a VS Code server
// with the extension installed and connected to that colony on a workspace with example specs, and prints the URL.
// Ctrl+C stops everything it started.
//
//   npm run demo -- [--port N] [--colony-port N] [--no-install] [--desktop] [--smoke]
//
// This file imports only Node built-ins and scripts/vscode-server.mjs at load time: it must run before `npm ci`.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  APT_PACKAGES, CHROMIUM_PATH, REPO_ROOT, defaultCodeServerDir, ensureAptPackages, ensureCodeServer, freePort, serverMainPath,
  isMain, killGroup, launchBrowser, linkExtension, startServer,
} from './vscode-server.mjs';

const USAGE = `Usage: npm run demo -- [options]
  --port N          port of the VS Code server (the URL to open); a free port by default
  --colony-port N   port of the local colony; 50080 when free, else a free port
  --no-install      do not run npm ci or install the VS Code server / apt packages (fail if missing)
  --desktop         open a desktop VS Code (\`code\` on PATH) instead of the browser workbench
  --smoke           start everything, check in headless Chromium that the tree is connected, then stop`;

const DEFAULT_COLONY_PORT = 50080;
const PROFILE_NAME = 'Local colony (demo)';
const WORKSPACE_DIR = path.join(REPO_ROOT, '.demo-workspace');
const FIXTURE_WORKSPACE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace');
const ARTIFACTS_DIR = path.join(REPO_ROOT, '.artifacts', 'demo');
const COLONY_START_TIMEOUT_MS = 30_000;
const SMOKE_TIMEOUT_MS = 120_000;

/**
 * Loads a TypeScript module of this repository through tsx (a dev dependency, so only after ensureNodeModules).
 * The sources are CommonJS-flavoured TypeScript; tsx's require hook loads them where its ESM loader does not.
 */
function requireTs(relativePath) {
  const require = createRequire(import.meta.url);
  require('tsx/cjs/api').register();
  return require(relativePath);
}

function say(message) {
  process.stderr.write(`[demo] ${message}\n`);
}

function parseArgs(argv) {
  const opts = { port: undefined, colonyPort: undefined, install: true, desktop: false, smoke: false };
  const portValue = (flag, value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${flag} needs a port number (1-65535), got "${value ?? ''}"\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--port') opts.port = portValue(flag, value());
    else if (flag === '--colony-port') opts.colonyPort = portValue(flag, value());
    else if (flag === '--no-install') opts.install = false;
    else if (flag === '--desktop') opts.desktop = true;
    else if (flag === '--smoke') opts.smoke = true;
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown argument: ${argv[i]}\n${USAGE}`);
  }
  if (opts.desktop && opts.smoke) throw new Error('--smoke checks the browser workbench; it cannot be combined with --desktop');
  return opts;
}

// ---------------------------------------------------------------------------------------------------------------
// Install and build

/**
 * node_modules is stale when npm's hidden lockfile (written by npm ci / npm install) lacks a package of
 * package-lock.json at the locked version. Optional packages are skipped: npm leaves out those for other platforms.
 */
export function nodeModulesProblem(root = REPO_ROOT) {
  const hiddenPath = path.join(root, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(hiddenPath)) return 'node_modules is missing';
  const locked = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')).packages ?? {};
  const installed = JSON.parse(fs.readFileSync(hiddenPath, 'utf8')).packages ?? {};
  for (const [key, entry] of Object.entries(locked)) {
    if (!key || entry.optional || entry.link) continue;
    if (installed[key]?.version !== entry.version) return `${key} is not installed at ${entry.version}`;
  }
  return undefined;
}

function runVisible(cmd, args) {
  try {
    execFileSync(cmd, args, { cwd: REPO_ROOT, stdio: ['ignore', process.stderr, process.stderr] });
  } catch (err) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${err.status ?? err.signal ?? err.message})`);
  }
}

/**
 * Runs `npm ci` when node_modules is missing or out of step with the lockfile (unless `install` is false);
 * `tell` says so in the caller's voice.
 */
export function ensureNodeModules(install = true, tell = say) {
  const problem = nodeModulesProblem();
  if (!problem) return;
  if (!install) throw new Error(`npm dependencies are not installed (${problem}); run npm ci, or drop --no-install`);
  tell(`${problem}: running npm ci`);
  runVisible('npm', ['ci', '--no-fund', '--no-audit']);
}

/** Installs the VS Code server (and, as root, the apt packages it and the smoke check need); returns its directory. */
function ensureVsCodeServer({ install, smoke }) {
  const installed = fs.existsSync(serverMainPath());
  // chromium is only needed to look at the workbench here; people open the URL in their own browser.
  const needed = installed ? [] : APT_PACKAGES.filter((p) => p !== 'chromium');
  if (smoke) needed.push('chromium');
  if (!install) {
    if (!installed) throw new Error('the VS Code server is not installed; run node scripts/vscode-server.mjs install, or drop --no-install');
    if (smoke && !fs.existsSync(CHROMIUM_PATH)) throw new Error(`--smoke needs ${CHROMIUM_PATH} (apt-get install chromium)`);
    return defaultCodeServerDir();
  }
  ensureAptPackages(needed);
  return ensureCodeServer({ apt: false });
}

function onPath(command) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, command)));
}

// ---------------------------------------------------------------------------------------------------------------
// Local colony

function isPortFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * Runs dist/localcolony.js --demo as a child in its own process group and reads the COLONIES_* variables it
 * prints. Resolves once it listens.
 */
function startColonyProcess(port) {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'localcolony.js'), '--port', String(port), '--demo'], {
    cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    // Its identities come from COLONIES_* when set; the demo wants the well-known development ones.
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('COLONIES_'))),
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  let stdout = '';
  let stderrTail = '';
  child.stderr.on('data', (d) => {
    stderrTail = (stderrTail + d).slice(-2000);
  });
  const handle = {
    pid: child.pid,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`the local colony did not start within ${COLONY_START_TIMEOUT_MS / 1000}s`), COLONY_START_TIMEOUT_MS);
    const fail = (message) => {
      clearTimeout(timer);
      handle.stop().finally(() => reject(new Error(`${message}\n${stderrTail}`)));
    };
    child.once('error', (err) => fail(`cannot run the local colony: ${err.message}`));
    void exited.then((code) => fail(`the local colony exited (${code}) before it was ready`));
    child.stdout.on('data', (d) => {
      stdout += d;
      // The CLI prints its `export` lines, then "Press Ctrl+C": everything we need is there.
      if (!/Press Ctrl\+C/.test(stdout)) return;
      clearTimeout(timer);
      const env = Object.fromEntries([...stdout.matchAll(/^export (COLONIES_[A-Z_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
      if (!env.COLONIES_PRVKEY || !env.COLONIES_COLONY_NAME) {
        fail(`the local colony did not print COLONIES_PRVKEY / COLONIES_COLONY_NAME:\n${stdout}`);
        return;
      }
      resolve({ ...handle, env, port, colonyName: env.COLONIES_COLONY_NAME });
    });
  });
}

/** A few processes in every state, so the tree has something to show (the same ones "Start Local Colony" submits). */
async function submitSamples(colony) {
  const { ColoniesClient } = requireTs('../src/colonies/index.ts');
  const { submitSampleProcesses } = requireTs('../src/connection/sampleProcesses.ts');
  const client = new ColoniesClient({ host: '127.0.0.1', port: colony.port, timeoutMs: 10_000 });
  try {
    const processes = await submitSampleProcesses(client, colony.colonyName, colony.env.COLONIES_PRVKEY);
    say(`submitted ${processes.length} sample processes`);
  } finally {
    client.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Workspace and VS Code

/** The example specs, in a folder git ignores; files the person already has there (maybe edited) are kept. */
function prepareWorkspace() {
  fs.mkdirSync(WORKSPACE_DIR, { recursive: true });
  fs.cpSync(FIXTURE_WORKSPACE, WORKSPACE_DIR, { recursive: true, force: false, errorOnExist: false });
  fs.writeFileSync(path.join(WORKSPACE_DIR, 'README.md'), [
    '# ColonyOS demo workspace',
    '',
    'Made by `npm run demo` (a copy of test/fixtures/workspace; git ignores this folder).',
    '',
    '- Open `chat.colonyos.json` and run **ColonyOS: Submit & Open Channel** from the command palette:',
    '  the echo executor answers every message you type in the chat panel.',
    '- `progress.colonyos.json` streams progress lines on its `progress` channel.',
    '- `hello.workflow.json` is a two-step workflow run by the `worker` executor (**ColonyOS: Submit & Follow** streams its logs).',
    '- The ColonyOS view in the activity bar shows the processes of the local colony.',
    '',
  ].join('\n'));
  return WORKSPACE_DIR;
}

function connectionSettings(colony) {
  return {
    'colonyos.connections': [{ name: PROFILE_NAME, host: '127.0.0.1', port: colony.port, tls: false, colonyName: colony.colonyName }],
    'colonyos.activeConnection': PROFILE_NAME,
  };
}

/**
 * Tells the extension it runs in the demo (src/walkthrough.ts): it then opens its Get Started walkthrough once per
 * VS Code data dir, which the demo makes fresh each run, instead of leaving a new user on an empty Explorer.
 */
const DEMO_ENV = { COLONYOS_DEMO: '1' };

/** The variables the extension reads its key from (keys may live in the environment, never in settings). */
function connectionEnv(colony) {
  return {
    COLONIES_SERVER_HOST: '127.0.0.1',
    COLONIES_SERVER_PORT: String(colony.port),
    COLONIES_TLS: 'false',
    COLONIES_COLONY_NAME: colony.colonyName,
    COLONIES_PRVKEY: colony.env.COLONIES_PRVKEY,
  };
}

async function startBrowserWorkbench(opts, codeServerDir, colony, workspace, cleanup) {
  const port = opts.port;
  removeWorkspaceConnection(workspace);
  const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-demo-'));
  cleanup.push('removed the VS Code server data dir', async () => fs.rmSync(baseDir, { recursive: true, force: true }));
  // The repository as an installed extension, in any browser; no smoke-test driver, so confirmations work.
  linkExtension(path.join(baseDir, 'extensions'));
  const server = await startServer({ codeServerDir, baseDir, port, env: { ...connectionEnv(colony), ...DEMO_ENV }, settings: connectionSettings(colony), smokeTestDriver: false });
  cleanup.push(`stopped the VS Code server (process group ${server.pid})`, () => server.stop(), server.pid);
  return { server, url: `${server.url}/?folder=${encodeURIComponent(workspace)}` };
}

/**
 * Takes the demo connection out of the demo workspace's settings (earlier versions wrote it there for --desktop),
 * keeping anything else there. The extension now ignores, and reports, connections in a workspace's settings.
 */
function removeWorkspaceConnection(workspace) {
  const file = path.join(workspace, '.vscode', 'settings.json');
  let current;
  try {
    current = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if (err.code !== 'ENOENT') say(`not touching ${file}: ${err.message}`);
    return;
  }
  const next = { ...current };
  for (const key of Object.keys(connectionSettings({ port: 0, colonyName: '' }))) delete next[key];
  if (Object.keys(next).length === 0) fs.rmSync(file, { force: true });
  else fs.writeFileSync(file, JSON.stringify(next, null, 2) + '\n');
}

/**
 * Desktop VS Code: connections are the person's own (a workspace's settings cannot define one), so the demo does
 * not touch their user settings either: VS Code starts with the COLONIES_* variables, and the extension offers to
 * import them (or run "ColonyOS: Import Connection from Environment").
 */
function startDesktop(colony, workspace) {
  removeWorkspaceConnection(workspace);
  say('In VS Code, choose "Use Them" when ColonyOS offers the COLONIES_* variables (or run "ColonyOS: Import Connection from Environment").');
  const child = spawn('code', ['--new-window', `--extensionDevelopmentPath=${REPO_ROOT}`, workspace], {
    env: { ...process.env, ...connectionEnv(colony), ...DEMO_ENV }, stdio: 'inherit',
  });
  child.on('error', (err) => say(`could not start code: ${err.message}`));
}

// ---------------------------------------------------------------------------------------------------------------
// Smoke check: what a person sees after opening the URL

async function smokeCheck(url) {
  const { expandViewPane, openViewContainer, treeRowLabels, treeRows } = requireTs('../test/e2e/workbench.ts');
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const browser = await launchBrowser();
  const { page } = browser;
  try {
    await page.goto(url);
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: SMOKE_TIMEOUT_MS });
    // The extension opens its walkthrough in the demo: where a new user starts.
    await page.locator('.part.editor .gettingStartedContainer', { hasText: 'Get Started with ColonyOS' }).first().waitFor({ timeout: SMOKE_TIMEOUT_MS });
    await openViewContainer(page, 'ColonyOS');
    const pane = await expandViewPane(page, 'Processes');
    // Connected means the colony node with its state groups and the sample processes under "Running"; the
    // tree's error rows (no key, unreachable, not a member) end the wait at once.
    try {
      const outcome = treeRows(pane, /^Running|^No private key|^Local colony not running|^Cannot reach|^Not a member|^Access denied/).first();
      await outcome.waitFor({ timeout: SMOKE_TIMEOUT_MS });
      const text = (await outcome.innerText()).replace(/\s+/g, ' ');
      if (!/^Running/.test(text)) throw new Error(`the tree shows "${text}"`);
      await pane.locator('.monaco-list-row .label-name', { hasText: /^chat$/ }).first().waitFor({ timeout: SMOKE_TIMEOUT_MS });
    } finally {
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'workbench.png') });
    }
    return await treeRowLabels(pane);
  } catch (err) {
    const rows = await page.locator('.part.sidebar .monaco-list-row').allInnerTexts().catch(() => []);
    throw new Error(`the demo workbench did not show a connected process tree: ${err.message}\n` +
      `rows seen: ${JSON.stringify(rows)}\nscreenshot: ${path.join(ARTIFACTS_DIR, 'workbench.png')}`);
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------

/** What the demo started, stopped in reverse order, each reported. */
class Cleanup {
  steps = [];
  running;
  /** Process groups still running: killed synchronously if the demo itself dies before stopping them. */
  groups = new Set();
  constructor() {
    process.once('exit', () => {
      for (const pgid of this.groups) killGroup(pgid, 'SIGKILL');
    });
  }
  push(done, stop, pgid) {
    if (pgid !== undefined) this.groups.add(pgid);
    this.steps.push({
      done,
      stop: async () => {
        await stop();
        this.groups.delete(pgid);
      },
    });
  }
  run() {
    this.running ??= (async () => {
      for (const { done, stop } of this.steps.reverse()) {
        try {
          await stop();
          say(done);
        } catch (err) {
          say(`FAILED: ${done.replace(/^\w+/, (w) => `could not be ${w}`)}: ${err.message}`);
        }
      }
      this.steps = [];
    })();
    return this.running;
  }
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    say(err.message);
    process.exit(2);
  }
  const cleanup = new Cleanup();
  const stopOnSignal = (signal) => {
    say(`${signal}: stopping everything the demo started`);
    cleanup.run().then(() => process.exit(opts.smoke ? 1 : 0));
  };
  process.on('SIGINT', stopOnSignal);
  process.on('SIGTERM', stopOnSignal);
  try {
    if (opts.desktop && !onPath('code')) {
      throw new Error('--desktop needs the `code` command on PATH (in VS Code: "Shell Command: Install \'code\' command in PATH")');
    }
    if (opts.port !== undefined && !(await isPortFree(opts.port))) throw new Error(`--port ${opts.port} is in use on 127.0.0.1; pick another one`);
    ensureNodeModules(opts.install);
    const codeServerDir = opts.desktop ? undefined : ensureVsCodeServer(opts);
    say('building the extension (node esbuild.js)');
    runVisible(process.execPath, ['esbuild.js']);

    const colonyPort = opts.colonyPort ?? ((await isPortFree(DEFAULT_COLONY_PORT)) ? DEFAULT_COLONY_PORT : await freePort());
    if (!(await isPortFree(colonyPort))) throw new Error(`--colony-port ${colonyPort} is in use on 127.0.0.1; pick another one`);
    const colony = await startColonyProcess(colonyPort);
    cleanup.push(`stopped the local colony (pid ${colony.pid})`, () => colony.stop(), colony.pid);
    void colony.exited.then((code) => {
      if (!cleanup.running) say(`the local colony exited unexpectedly (${code}); the extension will show it as unreachable`);
    });
    await submitSamples(colony);
    const workspace = prepareWorkspace();

    const vars = Object.entries(colony.env).map(([k, v]) => `  export ${k}=${v}`).join('\n');
    if (opts.desktop) {
      startDesktop(colony, workspace);
      process.stdout.write(`\nColonyOS demo: a desktop VS Code window opens on ${workspace}\n` +
        `Local colony (with echo, progress and worker executors) on 127.0.0.1:${colony.port}, colony "${colony.colonyName}".\n` +
        `To use the ColonyOS CLI or SDKs against it:\n${vars}\n\nPress Ctrl+C to stop the local colony.\n`);
      return;
    }
    const { url } = await startBrowserWorkbench(opts, codeServerDir, colony, workspace, cleanup);
    if (opts.smoke) {
      const rows = await smokeCheck(url);
      say(`smoke check passed: the Get Started walkthrough is open and the process tree is connected (${rows.join(' | ')})`);
      say(`screenshot: ${path.join(ARTIFACTS_DIR, 'workbench.png')}`);
      await cleanup.run();
      return;
    }
    process.stdout.write(`\nColonyOS demo is running. Open this URL in a browser:\n\n  ${url}\n\n` +
      `The ColonyOS view (activity bar) is connected to a local colony on 127.0.0.1:${colony.port} (colony ` +
      `"${colony.colonyName}") with an echo chat executor, a progress executor and a worker for workflow steps. Open chat.colonyos.json and run\n` +
      `"ColonyOS: Submit & Open Channel" from the command palette (F1) to chat with the echo executor.\n\n` +
      `Development keys only. To use the ColonyOS CLI or SDKs against this colony:\n${vars}\n\n` +
      'Press Ctrl+C to stop the VS Code server and the local colony.\n');
  } catch (err) {
    say(`FAILED: ${err.message}`);
    await cleanup.run();
    process.exit(1);
  }
}

if (isMain(import.meta.url)) {
  main().catch((err) => {
    say(`FAILED: ${err.stack ?? err}`);
    process.exit(1);
  });
}
