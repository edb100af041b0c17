// A Python peer (a script in ./py run by the pycolonies venv) as the tests see it: it gets the connection and
// keys through environment variables, reports what it did as JSON lines on stdout, and is killed when it
// outlives its limit or when the test that started it ends. Keys never appear in what a failure prints.

import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { poll } from '../support/poll';
import type { Target } from '../integration/target';
import type { PyEnv } from './pyenv';

export interface PeerEvent {
  event: string;
  [field: string]: unknown;
}

export interface PeerKeys {
  /** COLONIES_COLONY_PRVKEY: for peers that register an executor. */
  colonyPrvKey?: string;
  /** COLONIES_PRVKEY: for peers that submit as a colony member. */
  userPrvKey?: string;
}

export interface PeerOptions {
  /** Script file name in ./py. */
  script: string;
  /** Command-line arguments (never keys). */
  args?: string[];
  keys: PeerKeys;
  /** The peer is killed when it runs longer than this. */
  limitMs: number;
}

const PY_DIR = path.join(__dirname, 'py');
const live = new Set<PyPeer>();
/** INTEROP_TRACE=1 prints every event line as it arrives (keys redacted), to see where a slow flow spends time. */
const TRACE = /^(1|true|yes)$/i.test(process.env.INTEROP_TRACE ?? '');

export class PyPeer {
  readonly events: PeerEvent[] = [];
  private readonly child: ChildProcess;
  private readonly secrets: string[];
  private stderr = '';
  private stdoutRest = '';
  private exitCode: number | null | undefined;
  private exitSignal: NodeJS.Signals | null = null;
  private killedBecause: string | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly started = Date.now();

  constructor(py: PyEnv, private readonly target: Target, private readonly opts: PeerOptions) {
    this.secrets = [opts.keys.colonyPrvKey, opts.keys.userPrvKey, target.colonyPrvKey, target.userPrvKey, target.serverPrvKey].filter(
      (k): k is string => typeof k === 'string' && k.length > 0,
    );
    // A clean environment: only what Python needs plus the connection, so nothing else leaks into the peer.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      LANG: 'C.UTF-8',
      PYTHONUNBUFFERED: '1',
      PYTHONIOENCODING: 'utf-8',
      PYTHONPYCACHEPREFIX: py.pycachePrefix,
      COLONIES_SERVER_HOST: target.host,
      COLONIES_SERVER_PORT: String(target.port),
      COLONIES_TLS: target.tls ? 'true' : 'false',
      COLONIES_COLONY_NAME: target.colonyName,
    };
    if (opts.keys.colonyPrvKey) env.COLONIES_COLONY_PRVKEY = opts.keys.colonyPrvKey;
    if (opts.keys.userPrvKey) env.COLONIES_PRVKEY = opts.keys.userPrvKey;
    this.child = spawn(py.python, ['-u', path.join(PY_DIR, opts.script), ...(opts.args ?? [])], {
      cwd: PY_DIR,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => this.onStdout(chunk.toString('utf8')));
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-12_000);
    });
    this.child.on('error', (err) => {
      this.stderr += `\nspawn error: ${String(err)}`;
      if (this.exitCode === undefined) this.exitCode = null;
    });
    this.child.on('exit', (code, signal) => {
      this.exitCode = code;
      this.exitSignal = signal;
      clearTimeout(this.timer);
      live.delete(this);
    });
    this.timer = setTimeout(() => this.kill(`it ran longer than its limit of ${opts.limitMs / 1000} s`), opts.limitMs);
    live.add(this);
  }

  private onStdout(text: string): void {
    const lines = (this.stdoutRest + text).split('\n');
    this.stdoutRest = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      if (TRACE) console.log(`        [${this.opts.script}] ${this.redact(line)}`);
      try {
        const value = JSON.parse(line) as unknown;
        if (value && typeof value === 'object' && typeof (value as PeerEvent).event === 'string') {
          this.events.push(value as PeerEvent);
          continue;
        }
      } catch {
        // fall through: kept as a raw line
      }
      this.events.push({ event: 'raw', line });
    }
  }

  get exited(): boolean {
    return this.exitCode !== undefined;
  }

  /** Kills the peer (and records why, for the failure message). */
  kill(reason: string): void {
    if (this.exited) return;
    this.killedBecause ??= reason;
    this.child.kill('SIGKILL');
  }

  private redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('<redacted key>');
    return out;
  }

  /** What the peer did so far, for failure messages: its events, its exit and the tail of its stderr. */
  describe(): string {
    const exit = !this.exited
      ? `still running after ${((Date.now() - this.started) / 1000).toFixed(1)} s`
      : this.killedBecause
        ? `killed because ${this.killedBecause}`
        : `exited with ${this.exitCode === null ? `signal ${this.exitSignal}` : `code ${this.exitCode}`}`;
    const errors = this.events.filter((e) => e.event === 'error');
    const lines = [
      `python peer ${this.opts.script} ${exit} (${this.target.kind} target)`,
      ...errors.map((e) => `  reported error: ${String(e.type ?? '')} ${String(e.message ?? '')}`),
      `  events: ${this.events.map((e) => e.event).join(', ') || '(none)'}`,
    ];
    const tail = this.stderr.trim().split('\n').slice(-25).join('\n');
    if (tail) lines.push(`  stderr (tail):\n${tail.replace(/^/gm, '    ')}`);
    return this.redact(lines.join('\n'));
  }

  /** The first event matching `pred`; fails at once (with the peer's story) if the peer reports an error or exits. */
  waitFor(what: string, pred: (e: PeerEvent) => boolean, limitMs = 60_000): Promise<PeerEvent> {
    return poll(
      () => {
        const hit = this.events.find(pred);
        if (hit) return hit;
        if (this.events.some((e) => e.event === 'error') || this.exited) {
          throw new Error(`while waiting for ${what}: ${this.describe()}`);
        }
        return undefined;
      },
      { what: `${what} from ${this.opts.script}`, limitMs, stepMs: 25, retryErrors: false },
    ).catch((err: unknown) => {
      const msg = err instanceof Error ? err.message : String(err);
      throw new Error(msg.includes('python peer') ? msg : `${msg}\n${this.describe()}`);
    });
  }

  /** Resolves with the events once the peer exits with code 0; otherwise kills it and rejects with its story. */
  async finished(limitMs = 90_000): Promise<PeerEvent[]> {
    try {
      await poll(() => (this.exited ? true : undefined), { what: `${this.opts.script} to exit`, limitMs, stepMs: 25, retryErrors: false });
    } catch {
      this.kill(`it did not exit within ${limitMs / 1000} s of the test waiting for it`);
      throw new Error(this.describe());
    }
    if (this.exitCode !== 0 || this.events.some((e) => e.event === 'error')) throw new Error(this.describe());
    return this.events;
  }

  /** All events named `name`. */
  all(name: string): PeerEvent[] {
    return this.events.filter((e) => e.event === name);
  }

  /** The one event named `name`; fails when there is none. */
  one(name: string): PeerEvent {
    const hit = this.events.find((e) => e.event === name);
    if (!hit) throw new Error(`no "${name}" event; ${this.describe()}`);
    return hit;
  }
}

/** Kills every peer still running (called after each test, so a failed test leaves nothing behind). */
export function killAllPeers(reason: string): void {
  for (const p of [...live]) p.kill(reason);
}
