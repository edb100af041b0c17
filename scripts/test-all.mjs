#!/usr/bin/env node
// `npm test`: builds, then runs every test tier in order (unit, integration, real-server, interop, reliability, webview, host, e2e
// and their real-server runs), prints each tier's
// counts and a final "N passed, N failed, N skipped" line. Exits non-zero when anything failed, when a tier crashed,
// or when a tier ran zero tests. The e2e tier runs against the packaged .vsix, as a user would install it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureNodeModules } from './demo.mjs';
import { packageExtension } from './package.mjs';
import { install as installRealServer } from './real-server.mjs';
import { APT_PACKAGES, REPO_ROOT, ensureAptPackages, ensureCodeServer, isMain, serverMainPath } from './vscode-server.mjs';

const TIER_TIMEOUT_MS = Number(process.env.COLONYOS_TIER_TIMEOUT_MS || 8 * 60_000);
const VSIX_PATH = path.join(REPO_ROOT, '.artifacts', 'colonyos-vscode.vsix');

// Tiers with `realServer` run inside `scripts/real-server.mjs run`: a fresh real ColonyOS server of the pinned
// release, reached through the COLONIES_* variables, in a network namespace of its own.
const TIERS = [
  // Not mocha: the type checker and ESLint (with the layer rules of eslint.config.mjs) count as one check each.
  { name: 'typecheck', dir: 'src', script: 'typecheck', check: true },
  { name: 'lint', dir: 'src', script: 'lint', check: true },
  { name: 'unit', dir: 'test/unit', script: 'test:unit' },
  { name: 'integration', dir: 'test/integration', script: 'test:integration' },
  { name: 'real-server', dir: 'test/integration', script: 'test:integration', realServer: true },
  // The Python SDK (pycolonies) as a peer; the local run creates its virtual environment, which the namespace cannot.
  { name: 'interop', dir: 'test/interop', script: 'test:interop' },
  { name: 'interop-real', dir: 'test/interop', script: 'test:interop', realServer: true },
  { name: 'reliability', dir: 'test/reliability', script: 'test:reliability' },
  { name: 'webview', dir: 'test/webview', script: 'test:webview' },
  { name: 'host', dir: 'test/host', script: 'test:host' },
  { name: 'host-real', dir: 'test/host', script: 'test:host', realServer: true, env: { COLONYOS_HOST_GREP: 'round trip with the echo executor' } },
  { name: 'e2e', dir: 'test/e2e', script: 'test:e2e', before: packageVsix, env: { COLONYOS_E2E_VSIX: VSIX_PATH } },
  { name: 'e2e-real', dir: 'test/e2e', script: 'test:e2e:chat', realServer: true },
];

function hasTestFiles(dir) {
  if (!fs.existsSync(dir)) return false;
  return fs.readdirSync(dir, { withFileTypes: true }).some((e) =>
    e.isDirectory() ? hasTestFiles(path.join(dir, e.name)) : e.name.endsWith('.test.ts'));
}

/** Runs a command in its own process group, echoing and capturing its output; kills the group on timeout. */
function runCaptured(cmd, args, { env = {}, timeoutMs = TIER_TIMEOUT_MS } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let timedOut = false;
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }, timeoutMs);
    child.on('error', (err) => { out += `\n${err.message}\n`; });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: timedOut ? 'timeout' : (code ?? signal), out });
    });
  });
}

/** Mocha's spec reporter ends with "N passing", "N pending", "N failing"; take the last of each. */
function parseMochaCounts(text) {
  const last = (re) => {
    let value;
    for (const m of text.matchAll(re)) value = Number(m[1]);
    return value;
  };
  const passed = last(/^\s*(\d+) passing\b/gm);
  return {
    reported: passed !== undefined,
    passed: passed ?? 0,
    failed: last(/^\s*(\d+) failing\b/gm) ?? 0,
    skipped: last(/^\s*(\d+) pending\b/gm) ?? 0,
  };
}

/** Mocha's failure details (from its last "N failing" line on), cut to a size a CI log keeps, to repeat at the end. */
export function failureDetails(text, maxChars = 6000) {
  const starts = [...text.matchAll(/^\s*\d+ failing\b/gm)];
  if (starts.length === 0) return '';
  const details = text.slice(starts[starts.length - 1].index).trim();
  return details.length > maxChars ? `${details.slice(0, maxChars)}\n[... ${details.length - maxChars} more characters above in the tier's output]` : details;
}

async function step(label, cmd, args) {
  console.log(`\n[test-all] ${label}: ${cmd} ${args.join(' ')}`);
  const { code } = await runCaptured(cmd, args);
  if (code !== 0) throw new Error(`${label} failed (${code})`);
}

/** The production .vsix: fails on vsce warnings or unexpected contents (test:e2e rebuilds the development bundle). */
async function packageVsix() {
  console.log(`\n[test-all] package .vsix: ${VSIX_PATH}`);
  await packageExtension(VSIX_PATH);
}

async function runTier(tier) {
  if (tier.check) {
    console.log(`\n[test-all] ===== check ${tier.name} (npm run ${tier.script}) =====`);
    const started = Date.now();
    const { code, out } = await runCaptured('npm', ['run', '--silent', tier.script]);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const ok = code === 0;
    const details = ok ? '' : out.trim().split('\n').slice(-60).join('\n');
    return { name: tier.name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0, ok, note: ok ? `${seconds}s` : `exit ${code}`, details };
  }
  if (!hasTestFiles(path.join(REPO_ROOT, tier.dir))) {
    return { name: tier.name, passed: 0, failed: 0, skipped: 0, ok: false, note: `no test files in ${tier.dir}` };
  }
  console.log(`\n[test-all] ===== tier ${tier.name} (npm run ${tier.script}) =====`);
  const started = Date.now();
  try {
    if (tier.realServer) installRealServer();
    await tier.before?.();
  } catch (err) {
    console.log(`[test-all] tier ${tier.name} cannot run: ${err.message}`);
    return { name: tier.name, passed: 0, failed: 1, skipped: 0, ok: false, note: err.message, details: err.message };
  }
  const npmRun = ['npm', 'run', '--silent', tier.script];
  const [cmd, ...args] = tier.realServer ? [process.execPath, 'scripts/real-server.mjs', 'run', '--', ...npmRun] : npmRun;
  const { code, out } = await runCaptured(cmd, args, { env: tier.env });
  const counts = parseMochaCounts(out);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const problems = [];
  if (code !== 0) problems.push(`exit ${code}`);
  if (!counts.reported) problems.push('no mocha results');
  else if (counts.passed + counts.failed === 0) problems.push('zero tests ran');
  // npm test gives every tier every key, so a skipped test means something that should run did not.
  if (counts.skipped > 0) problems.push(`${counts.skipped} skipped`);
  // A tier that crashed without reporting a failing test still counts as one failure in the summary.
  const failed = counts.failed || (problems.length > 0 ? 1 : 0);
  const details = problems.length > 0 ? failureDetails(out) || out.trim().split('\n').slice(-40).join('\n') : '';
  return { name: tier.name, ...counts, failed, ok: problems.length === 0, note: problems.join(', ') || `${seconds}s`, details };
}

/**
 * What a fresh clone lacks: the locked npm dependencies, Chromium (and, until the VS Code server is installed, the
 * tools to build it; apt needs root) and the VS Code server itself. Each is checked first and installed only once.
 */
function prepare() {
  ensureNodeModules(true, (m) => console.log(`[test-all] ${m}`));
  ensureAptPackages(fs.existsSync(serverMainPath()) ? ['chromium'] : APT_PACKAGES);
  ensureCodeServer({ apt: false });
  // The pinned ColonyOS server (the real-server tiers, and the Go CLI tests of the integration tier). When it cannot be
  // built, those tiers and tests fail with the reason; the others still run.
  try {
    installRealServer();
  } catch (err) {
    console.log(`[test-all] the real ColonyOS server is not available: ${err.message}`);
  }
}

async function main() {
  const results = [];
  try {
    prepare();
    await step('build extension', process.execPath, ['esbuild.js']);
    await step('build host tests', process.execPath, ['scripts/build-tests.mjs']);
  } catch (err) {
    console.log(`\n[test-all] ${err.message}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  for (const tier of TIERS) results.push(await runTier(tier));

  // The failures again, last, so that a log cut to its tail still says what failed and why.
  for (const r of results.filter((x) => x.details)) {
    console.log(`\n[test-all] ===== failures in tier ${r.name} =====\n${r.details}`);
  }
  console.log('\n[test-all] ===== summary =====');
  for (const r of results) {
    console.log(`[test-all] ${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(12)} ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped (${r.note})`);
  }
  const total = (key) => results.reduce((sum, r) => sum + r[key], 0);
  console.log(`${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped`);
  process.exit(results.every((r) => r.ok) ? 0 : 1);
}

if (isMain(import.meta.url)) {
  main().catch((err) => {
    console.error(`[test-all] ${err.stack ?? err}`);
    process.exit(1);
  });
}
