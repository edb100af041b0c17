// Follows the log of one process, of every member of a workflow, or of one executor across its processes, like
// `colonies log get --follow` and `colonies function submit --follow`: it pages the log with an exact `since`
// (docs/protocol.md P11), takes each process's state from the process store (docs/architecture-store.md: no
// getProcess poll of its own), and ends when every process has ended and its last lines were read. No `vscode`.
import { isTerminal } from '../colonies/client';
import { Emitter, type Disposable, type Event } from '../colonies/events';
import { ColoniesError, errorMessage } from '../colonies/rpc';
import { ProcessState, type Process } from '../colonies/types';
import type { ConnectionProcesses } from '../store/connectionProcesses';
import { shortId } from '../base/format';
import { FollowExit, messageLines, type FollowExitCode } from './followText';
import { LOG_PAGE, readLogsSince, type LogsClient } from './logLines';

export interface FollowLine {
  /** The member's label (a workflow's nodename), or a short process id when following an executor; '' alone. */
  label: string;
  processId: string;
  timestamp: bigint;
  /** Cleaned (no control characters but tab) and capped. */
  text: string;
}

export interface FollowMember {
  readonly processId: string;
  label: string;
  process?: Process;
  gone?: string;
  since: bigint;
  lines: number;
  done: boolean;
}

export type FollowNotice =
  | { kind: 'state'; member: FollowMember; state: ProcessState }
  | { kind: 'ended'; member: FollowMember }
  | { kind: 'warning'; label: string; text: string };

export interface FollowEnd {
  code: FollowExitCode;
  /** Why, when the server could not be reached. */
  reason?: string;
  members: readonly FollowMember[];
}

export interface LogFollowerOptions {
  processes: ConnectionProcesses;
  logs: LogsClient;
  prvkey: string;
  colonyName: string;
  /** Follow these processes (one, or a workflow's members) … */
  processIds?: readonly string[];
  /** … or this executor's log, until disposed. */
  executorName?: string;
  pollMs?: number;
  /** With no answer from the server for this long, the follow ends with FollowExit.Unreachable. */
  unreachableMs?: number;
  maxLineChars?: number;
  /** Log lines read per process per poll; the rest wait for the next poll (nothing is lost). */
  maxLinesPerPoll?: number;
  /** Lines shown per process in all; beyond it the follow only waits for the end. */
  maxLinesPerProcess?: number;
  /** Log reads at the same time (a workflow has many members; docs/protocol.md P1). */
  concurrency?: number;
  /** Lines of an executor's log shown from before the follow started. */
  executorBacklog?: number;
}

export class LogFollower implements Disposable {
  private readonly lineEmitter = new Emitter<FollowLine[]>();
  private readonly noticeEmitter = new Emitter<FollowNotice>();
  private readonly endEmitter = new Emitter<FollowEnd>();
  readonly onLines: Event<FollowLine[]> = this.lineEmitter.event;
  readonly onNotice: Event<FollowNotice> = this.noticeEmitter.event;
  readonly onEnd: Event<FollowEnd> = this.endEmitter.event;
  readonly members: FollowMember[];
  private readonly ctrl = new AbortController();
  private readonly subs: Disposable[] = [];
  private readonly o: Required<Omit<LogFollowerOptions, 'processIds' | 'executorName'>>;
  private lastContact = Date.now();
  private lastError?: string;
  private warned = new Set<string>();
  private wake?: () => void;
  private ended?: FollowEnd;
  /** One poll round's lines and endings, written together: lines of all members in time order, then the endings. */
  private round: FollowLine[] = [];
  private roundEnded: FollowMember[] = [];

  constructor(private readonly opts: LogFollowerOptions) {
    this.o = {
      pollMs: 1000,
      unreachableMs: 30_000,
      maxLineChars: 2000,
      maxLinesPerPoll: 1000,
      maxLinesPerProcess: 100_000,
      concurrency: 4,
      executorBacklog: 100,
      ...opts,
    };
    this.members = (opts.processIds ?? []).map((processId) => ({ processId, label: '', since: 0n, lines: 0, done: false }));
  }

  get result(): FollowEnd | undefined {
    return this.ended;
  }

  /** Starts following; the promise settles when the follow ends or is disposed. */
  async run(): Promise<FollowEnd | undefined> {
    try {
      if (this.opts.executorName !== undefined) await this.followExecutor(this.opts.executorName);
      else await this.followProcesses();
    } catch (err) {
      if (!this.ctrl.signal.aborted) this.finish(FollowExit.Unreachable, errorMessage(err));
    }
    return this.ended;
  }

  dispose(): void {
    this.ctrl.abort();
    this.wake?.();
    for (const s of this.subs.splice(0)) s.dispose();
    this.lineEmitter.dispose();
    this.noticeEmitter.dispose();
    this.endEmitter.dispose();
  }

  private get stopped(): boolean {
    return this.ctrl.signal.aborted || this.ended !== undefined;
  }

  private async followProcesses(): Promise<void> {
    const { processes } = this.opts;
    await this.forEach(this.members, (m) => this.load(m));
    if (this.stopped) return;
    const several = this.members.length > 1;
    for (const m of this.members) {
      m.label = several ? m.process?.spec?.nodename || m.process?.spec?.funcname || shortId(m.processId, 8) : '';
    }
    for (const m of this.members) {
      this.subs.push(processes.onProcess(m.processId, (p, gone) => this.changed(m, p, gone)));
      this.subs.push(processes.watch(m.processId, this));
      if (m.process) this.notice({ kind: 'state', member: m, state: m.process.state });
    }
    while (!this.stopped) {
      await this.forEach(this.members.filter((m) => !m.done), (m) => this.poll(m));
      this.flushRound();
      if (this.stopped) return;
      if (this.members.every((m) => m.done)) return this.finish(this.code());
      if (Date.now() - this.lastContact > this.o.unreachableMs) return this.finish(FollowExit.Unreachable, this.lastError);
      await this.pause();
    }
  }

  /** The member's state as the store has it, read once through the store when it has none yet. */
  private async load(m: FollowMember): Promise<void> {
    m.process = this.opts.processes.get(m.processId);
    if (m.process) return;
    try {
      m.process = await this.opts.processes.read(m.processId, { signal: this.ctrl.signal });
      this.contact();
    } catch (err) {
      this.failed(err);
      if (err instanceof ColoniesError && (err.status === 404 || err.status === 403)) m.gone = errorMessage(err);
    }
  }

  private changed(m: FollowMember, p: Process | undefined, gone?: string): void {
    if (this.stopped) return;
    this.contact();
    if (gone) m.gone = gone;
    if (p) {
      const before = m.process?.state;
      m.process = p;
      if (p.state !== before) this.notice({ kind: 'state', member: m, state: p.state });
      // A failed member fails the whole workflow without an event for the others (docs/protocol.md §4.8):
      // read them once through the store so the follow does not wait for their watches to renew.
      if (p.state === ProcessState.FAILED && this.members.length > 1) {
        for (const other of this.members) {
          if (other !== m && !other.done && !(other.process && isTerminal(other.process.state))) {
            this.opts.processes.read(other.processId).catch(() => undefined);
          }
        }
      }
    }
    this.wake?.();
  }

  private async poll(m: FollowMember): Promise<void> {
    if (m.gone) {
      m.done = true;
      this.roundEnded.push(m);
      return;
    }
    // The state before the lines: lines written before the close are read in this same pass.
    const before = this.opts.processes.get(m.processId) ?? m.process;
    if (!before) return this.load(m);
    if (before.state === ProcessState.WAITING) return; // no executor yet, so no log
    let drained = true;
    if (m.lines < this.o.maxLinesPerProcess) {
      try {
        const read = await readLogsSince(this.opts.logs, { colonyName: this.opts.colonyName, processId: m.processId }, m.since, this.opts.prvkey, {
          signal: this.ctrl.signal,
          maxPages: Math.max(1, Math.ceil(this.o.maxLinesPerPoll / LOG_PAGE)),
        });
        this.contact();
        m.since = read.since;
        drained = !read.more;
        this.round.push(...this.toLines(m.label, read.logs, m));
      } catch (err) {
        if (this.ctrl.signal.aborted) return;
        this.failed(err);
        // A process removed meanwhile: its log read fails; one read through the store says whether it is gone.
        if (err instanceof ColoniesError) await this.opts.processes.read(m.processId).then(() => undefined, () => undefined);
        return;
      }
    }
    if (isTerminal(before.state) && drained && !m.done) {
      m.done = true;
      this.roundEnded.push(m);
    }
  }

  private flushRound(): void {
    const lines = this.round.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
    const ended = this.roundEnded;
    this.round = [];
    this.roundEnded = [];
    if (lines.length && !this.stopped) this.lineEmitter.fire(lines);
    for (const m of ended) this.notice({ kind: 'ended', member: m });
  }

  private emitLogs(label: string, logs: readonly { processid: string; message: string; timestamp: bigint }[]): void {
    const out = this.toLines(label, logs);
    if (out.length && !this.stopped) this.lineEmitter.fire(out);
  }

  private toLines(label: string, logs: readonly { processid: string; message: string; timestamp: bigint }[], m?: FollowMember): FollowLine[] {
    const out: FollowLine[] = [];
    for (const l of logs) {
      const name = label || (this.opts.executorName !== undefined ? (l.processid ? shortId(l.processid, 8) : 'executor') : '');
      for (const text of messageLines(l.message, this.o.maxLineChars)) out.push({ label: name, processId: l.processid, timestamp: l.timestamp, text });
    }
    if (m) {
      const room = this.o.maxLinesPerProcess - m.lines;
      if (out.length > room) {
        out.length = Math.max(0, room);
        this.notice({ kind: 'warning', label, text: `showing no more than ${this.o.maxLinesPerProcess.toLocaleString('en-US')} log lines of this process; waiting for it to end` });
      }
      m.lines += out.length;
    }
    return out;
  }

  private async followExecutor(executorName: string): Promise<void> {
    const source = { colonyName: this.opts.colonyName, processId: '', executorName };
    let since = 0n;
    // The newest lines first (as `colonies log get -e` shows them), then everything after them.
    if (this.o.executorBacklog > 0) {
      const backlog = await this.opts.logs.getLogs(this.opts.colonyName, '', Math.min(this.o.executorBacklog, LOG_PAGE), this.opts.prvkey, { executorName, latest: true }, {
        signal: this.ctrl.signal,
      });
      this.contact();
      for (const l of backlog) if (l.timestamp > since) since = l.timestamp;
      this.emitLogs('', backlog);
    }
    while (!this.stopped) {
      await this.pause();
      if (this.stopped) return;
      try {
        const read = await readLogsSince(this.opts.logs, source, since, this.opts.prvkey, {
          signal: this.ctrl.signal,
          maxPages: Math.max(1, Math.ceil(this.o.maxLinesPerPoll / LOG_PAGE)),
        });
        this.contact();
        since = read.since;
        this.emitLogs('', read.logs);
      } catch (err) {
        if (this.ctrl.signal.aborted) return;
        this.failed(err);
        if (Date.now() - this.lastContact > this.o.unreachableMs) return this.finish(FollowExit.Unreachable, this.lastError);
      }
    }
  }

  private code(): FollowExitCode {
    const states = this.members.map((m) => (m.gone ? undefined : m.process?.state));
    if (states.includes(ProcessState.FAILED)) return FollowExit.Failed;
    if (states.every((s) => s === ProcessState.SUCCESS)) return FollowExit.Success;
    return FollowExit.Cancelled;
  }

  private finish(code: FollowExitCode, reason?: string): void {
    if (this.stopped) return;
    this.ended = { code, reason: code === FollowExit.Unreachable ? reason ?? 'no answer' : undefined, members: this.members };
    for (const s of this.subs.splice(0)) s.dispose();
    this.endEmitter.fire(this.ended);
  }

  private contact(): void {
    this.lastContact = Date.now();
    this.lastError = undefined;
  }

  /** A server's answer still counts as contact; only a transport failure moves towards Unreachable. */
  private failed(err: unknown): void {
    const text = errorMessage(err);
    if (err instanceof ColoniesError) {
      this.contact();
      if (!this.warned.has(text)) {
        this.warned.add(text);
        this.notice({ kind: 'warning', label: '', text });
      }
      return;
    }
    this.lastError = text;
  }

  private notice(n: FollowNotice): void {
    if (!this.stopped) this.noticeEmitter.fire(n);
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.o.pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  private async forEach(items: readonly FollowMember[], fn: (m: FollowMember) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < items.length && !this.stopped) await fn(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency, items.length) }, worker));
  }
}
