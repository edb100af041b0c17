// The Python side of the interop tier: a virtual environment with pycolonies pinned to one exact release,
// kept in a cache outside the repository and reused while it holds that release. Creating or installing it
// may fail (no python3, no venv module, no network); then the tier fails with the reason, it never skips.
//
// Why 1.0.25: it is the newest release PyPI serves (`pip index versions pycolonies`) and the first with the
// channel API (channel_append / channel_read / subscribe_channel) the channels tutorial's flows need (docs/protocol.md §12).

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const PYCOLONIES_VERSION = '1.0.25';

export interface PyEnv {
  /** The venv's interpreter. */
  python: string;
  venvDir: string;
  /** Where the peers' bytecode goes, so nothing is written inside the repository. */
  pycachePrefix: string;
  version: string;
  /** True when this run created the venv (false: reused). */
  created: boolean;
  /** Seconds spent creating and installing (0 when reused). */
  setupSeconds: number;
}

const VENV_LIMIT_MS = 3 * 60_000;
const PIP_LIMIT_MS = 15 * 60_000;
const CHECK_LIMIT_MS = 2 * 60_000;

function cacheRoot(): string {
  const xdg = process.env.XDG_CACHE_HOME?.trim();
  return path.join(xdg ? xdg : path.join(os.homedir(), '.cache'), 'colonyos-vscode');
}

export function venvDirFor(version = PYCOLONIES_VERSION): string {
  return path.join(cacheRoot(), `interop-venv-${version}`);
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  timedOut: boolean;
  /** Set when the command could not be started at all (e.g. ENOENT). */
  spawnError?: string;
}

/** Runs a setup command with a deadline (killed when it passes); resolves with its exit and combined output. */
function run(cmd: string, args: string[], limitMs: number, env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    let spawnError: string | undefined;
    let child;
    try {
      child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      resolve({ code: null, signal: null, output: '', timedOut: false, spawnError: String(err) });
      return;
    }
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-16_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('error', (err) => {
      spawnError = String(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output, timedOut, spawnError });
    });
  });
}

function describeFailure(what: string, r: RunResult, limitMs: number): string {
  if (r.spawnError) return `${what} could not be started: ${r.spawnError}`;
  const how = r.timedOut ? `was killed after ${limitMs / 1000} s` : r.code === null ? `could not run or was killed (${r.signal ?? 'no exit code'})` : `exited with code ${r.code}`;
  return `${what} ${how}:\n${r.output.trim().split('\n').slice(-30).join('\n')}`;
}

/** The pycolonies version installed in the venv of `python`, or undefined when there is none / it is broken. */
async function installedVersion(python: string): Promise<string | undefined> {
  if (!fs.existsSync(python)) return undefined;
  const r = await run(
    python,
    ['-c', "import importlib.metadata as m, pycolonies; print(m.version('pycolonies'))"],
    CHECK_LIMIT_MS,
    { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  );
  return r.code === 0 ? r.output.trim().split('\n').pop()?.trim() : undefined;
}

function pythonIn(venv: string): string {
  return path.join(venv, 'bin', 'python');
}

async function createVenv(version: string): Promise<{ python: string; seconds: number }> {
  const finalDir = venvDirFor(version);
  fs.mkdirSync(path.dirname(finalDir), { recursive: true });
  // Built beside the final place and renamed when complete, so an interrupted install or a concurrent run
  // never leaves a half-made venv where the next run would reuse it.
  const tmpDir = `${finalDir}.tmp-${process.pid}-${Date.now()}`;
  const base = process.env.COLONYOS_INTEROP_PYTHON?.trim() || 'python3';
  const started = Date.now();
  try {
    const venv = await run(base, ['-m', 'venv', tmpDir], VENV_LIMIT_MS);
    if (venv.code !== 0) throw new Error(describeFailure(`${base} -m venv ${tmpDir}`, venv, VENV_LIMIT_MS));
    // --no-compile: bytecode is written on first use under the peers' pycache prefix, with the final paths.
    const pip = await run(
      pythonIn(tmpDir),
      ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--no-compile', `pycolonies==${version}`],
      PIP_LIMIT_MS,
      { ...process.env, PIP_NO_INPUT: '1', PYTHONDONTWRITEBYTECODE: '1' },
    );
    if (pip.code !== 0) throw new Error(describeFailure(`pip install pycolonies==${version}`, pip, PIP_LIMIT_MS));
    const got = await installedVersion(pythonIn(tmpDir));
    if (got !== version) throw new Error(`pip installed pycolonies but importing it reports version ${got ?? '(import failed)'}, expected ${version}`);
    fs.rmSync(finalDir, { recursive: true, force: true });
    try {
      fs.renameSync(tmpDir, finalDir);
    } catch (err) {
      // Another run finished first: keep its venv when it is good.
      if ((await installedVersion(pythonIn(finalDir))) !== version) throw err;
    }
    return { python: pythonIn(finalDir), seconds: (Date.now() - started) / 1000 };
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

let ready: Promise<PyEnv> | undefined;

/**
 * The venv with pycolonies `PYCOLONIES_VERSION`, created on first use (memoized for the mocha process).
 * Rejects with the reason when it cannot be made: the tier is meant to fail then, not to skip.
 */
export function ensurePyColonies(): Promise<PyEnv> {
  ready ??= (async (): Promise<PyEnv> => {
    const venvDir = venvDirFor();
    const python = pythonIn(venvDir);
    const pycachePrefix = path.join(venvDir, 'peer-pycache');
    const existing = await installedVersion(python);
    if (existing === PYCOLONIES_VERSION) {
      console.log(`      pycolonies ${PYCOLONIES_VERSION}: reusing ${venvDir}`);
      return { python, venvDir, pycachePrefix, version: existing, created: false, setupSeconds: 0 };
    }
    console.log(`      pycolonies ${PYCOLONIES_VERSION}: creating ${venvDir}${existing ? ` (it held ${existing})` : ''}`);
    const made = await createVenv(PYCOLONIES_VERSION);
    console.log(`      pycolonies ${PYCOLONIES_VERSION}: venv created and installed in ${made.seconds.toFixed(1)} s`);
    return { python: made.python, venvDir, pycachePrefix, version: PYCOLONIES_VERSION, created: true, setupSeconds: made.seconds };
  })();
  // A failure is kept too: every describe block then fails at once with the same reason.
  return ready;
}
