#!/usr/bin/env node
// Stand-in for a desktop VS Code executable, for @vscode/test-electron's runTests() on machines without one:
// it takes the same flags (--extensionDevelopmentPath=, --extensionTestsPath=, and a workspace folder as the first
// plain argument), runs the tests in a real VS Code server's extension host opened in headless Chromium, prints
// the extension host's console output, and exits with the test result. It never exits 0 unless the workbench
// reported a successful test run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, ensureCodeServer, formatWorkbenchLog, launchBrowser, startServer } from './vscode-server.mjs';

const TIMEOUT_MS = Number(process.env.COLONYOS_HOST_TEST_TIMEOUT_MS || 300_000);
const ARTIFACTS_DIR = path.join(REPO_ROOT, '.artifacts', 'host');

// Workbench chatter that says nothing about the extension or the tests.
const NOISE = [
  /^Ignoring fetching additional builtin extensions/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\] registration/, // code-server does not serve VS Code's web service worker; webviews work without it
];

function parseArgs(argv) {
  const options = { extensionDevelopmentPath: undefined, extensionTestsPath: undefined, folder: undefined };
  for (const arg of argv) {
    const m = /^--(extensionDevelopmentPath|extensionTestsPath)=(.*)$/.exec(arg);
    if (m) options[m[1]] = path.resolve(m[2]);
    else if (!arg.startsWith('-') && !options.folder) options.folder = path.resolve(arg);
    // Other desktop flags (--no-sandbox, --user-data-dir=..., ...) do not apply: the server gets its own temp dirs.
  }
  if (!options.extensionDevelopmentPath) throw new Error('missing --extensionDevelopmentPath=<dir>');
  if (!options.extensionTestsPath) throw new Error('missing --extensionTestsPath=<file>');
  return options;
}

/** Test runs may write into the workspace; give them a copy with the same folder name. */
function copyWorkspace(folder) {
  if (!folder) return undefined;
  if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`workspace folder not found: ${folder}`);
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-host-ws-')), path.basename(folder));
  fs.cpSync(folder, copy, { recursive: true });
  return copy;
}

async function runInHost(options) {
  const codeServerDir = ensureCodeServer();
  const folder = copyWorkspace(options.folder);
  const server = await startServer({ codeServerDir });
  const browser = await launchBrowser().catch(async (err) => { await server.stop(); throw err; });
  const { page } = browser;
  let timer;
  try {
    const exitCode = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(
        `the workbench did not report a test result within ${TIMEOUT_MS / 1000}s (extension host failed to start or tests hung)`)), TIMEOUT_MS);
      page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code)))
        .catch(reject);
    });
    await page.exposeFunction('codeAutomationLog', (level, message) => {
      const text = formatWorkbenchLog(message);
      if (NOISE.some((re) => re.test(text))) return;
      (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(`${text}\n`);
    });
    page.on('pageerror', (err) => process.stderr.write(`[workbench page error] ${err.message}\n`));
    page.on('crash', () => process.stderr.write('[workbench] page crashed\n'));
    const url = server.workbenchUrl({ folder, extensionDevelopmentPath: options.extensionDevelopmentPath, extensionTestsPath: options.extensionTestsPath });
    process.stderr.write(`[code-host] VS Code server ${server.url} (pid ${server.pid}); opening workbench\n`);
    await page.goto(url);
    try {
      return await exitCode;
    } catch (err) {
      fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
      const shot = path.join(ARTIFACTS_DIR, 'timeout.png');
      await page.screenshot({ path: shot }).catch(() => undefined);
      process.stderr.write(`[code-host] server output tail:\n${server.serverOutputTail()}\n[code-host] screenshot: ${shot}\n`);
      throw err;
    }
  } finally {
    clearTimeout(timer);
    await browser.close();
    await server.stop();
    if (folder) fs.rmSync(path.dirname(folder), { recursive: true, force: true });
  }
}

try {
  const code = await runInHost(parseArgs(process.argv.slice(2)));
  process.stderr.write(`[code-host] tests finished with exit code ${code}\n`);
  process.exit(Number.isInteger(code) ? code : 1);
} catch (err) {
  process.stderr.write(`[code-host] FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
