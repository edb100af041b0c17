// A terminal that follows logs (Submit & Follow, Follow Logs, Follow Executor Logs): a Pseudoterminal that writes
// what a LogFollower (logFollower.ts) reads, in the words of followText.ts, and closes with the follow's exit
// status (followText.ts FollowExit) once the user has read the end. Closing it stops every request.
import * as vscode from 'vscode';
import { shortId } from '../base/format';
import { ProcessState } from '../colonies/types';
import { storeConnection, type ConnectionService, type Session } from '../connection/types';
import { ConnectionProcesses, type ProcessStore } from '../store/processStore';
import type { IDisposable } from '../base/disposable';
import { LogFollower, type FollowEnd, type FollowLine, type FollowNotice } from './logFollower';
import { colour, crlf, dim, endLines, exitLine, logTime, prefix, stateWord, stripControl, type FollowExitCode } from './followText';

const MAX_LINE_CHARS = 2000;

export interface FollowRequest {
  /** The terminal's name (its tab). */
  name: string;
  /** Lines written before the log (what was submitted, for example); cleaned like executor text. */
  intro?: readonly string[];
  processIds?: readonly string[];
  executorName?: string;
}

/** What a follow terminal ends with, for callers that wait (tests, tasks). */
export interface FollowOutcome {
  terminal: vscode.Terminal;
  /** Settles with the exit status when the follow ends, or undefined when the terminal was closed first. */
  ended: Promise<FollowExitCode | undefined>;
}

class FollowPty implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private follower?: LogFollower;
  private width = 0;
  private exitCode?: FollowExitCode;
  private closed = false;
  private settle!: (code: FollowExitCode | undefined) => void;
  readonly ended = new Promise<FollowExitCode | undefined>((resolve) => (this.settle = resolve));

  constructor(
    private readonly request: FollowRequest,
    private readonly makeFollower: () => LogFollower,
    private readonly hold: IDisposable,
  ) {}

  /** Stops following and closes the terminal (the extension is going away). */
  stop(): void {
    this.finish(undefined);
  }

  open(): void {
    this.write([...(this.request.intro ?? []).map((l) => stripControl(l)), dim('Following the log; close this terminal to stop.'), '']);
    const follower = this.makeFollower();
    this.follower = follower;
    follower.onLines((lines) => this.lines(lines));
    follower.onNotice((n) => this.notice(n));
    follower.onEnd((end) => this.end(end));
    void follower.run();
  }

  /** After the end, any key closes the terminal with the exit status; before it, Ctrl+C stops following. */
  handleInput(data: string): void {
    if (this.exitCode !== undefined) return this.finish(this.exitCode);
    if (data === '\u0003') {
      this.write(['', dim('Stopped following (the process itself goes on).')]);
      this.finish(undefined);
    }
  }

  setDimensions(): void {
    // Lines are written whole; the terminal wraps them.
  }

  close(): void {
    this.dispose();
  }

  private finish(code: FollowExitCode | undefined): void {
    if (this.closed) return;
    this.dispose();
    this.closeEmitter.fire(code);
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.follower?.dispose();
    this.hold.dispose();
    this.settle(this.exitCode);
  }

  private write(lines: readonly string[]): void {
    if (!this.closed) this.writeEmitter.fire(crlf(lines));
  }

  private labelWidth(): number {
    if (this.width === 0 && this.follower) this.width = Math.max(0, ...this.follower.members.map((m) => m.label.length));
    return this.width;
  }

  private lines(lines: readonly FollowLine[]): void {
    const width = this.request.executorName !== undefined ? 8 : this.labelWidth();
    this.write(lines.map((l) => `${dim(logTime(l.timestamp))} ${prefix(l.label, width)}${l.text}`));
  }

  private notice(n: FollowNotice): void {
    const width = this.labelWidth();
    if (n.kind === 'warning') {
      this.write([`${prefix(n.label, width)}${colour(33, `! ${stripControl(n.text).slice(0, MAX_LINE_CHARS)}`)}`]);
    } else if (n.kind === 'state') {
      // A terminal state is told with its output when the member has ended (below).
      if (n.state === ProcessState.WAITING || n.state === ProcessState.RUNNING) {
        const where = n.state === ProcessState.WAITING ? ` for an executor of type "${stripControl(n.member.process?.spec?.conditions?.executortype ?? '?').slice(0, 100)}"` : '';
        this.write([`${prefix(n.member.label, width)}${dim('──')} ${stateWord(n.state)}${dim(where)}`]);
      }
    } else if (n.kind === 'ended') {
      const [head, ...rest] = endLines(n.member.process, n.member.gone, MAX_LINE_CHARS);
      const pad = n.member.label ? ' '.repeat(Math.min(width, 40) + 3) : '';
      this.write([`${prefix(n.member.label, width)}${dim('──')} ${head}`, ...rest.map((l) => `${pad}${l}`)]);
    }
  }

  private end(end: FollowEnd): void {
    this.exitCode = end.code;
    const lines = [''];
    if (end.members.length > 1) {
      const ok = end.members.filter((m) => !m.gone && m.process?.state === ProcessState.SUCCESS).length;
      lines.push(`${ok} of ${end.members.length} processes successful`);
    }
    lines.push(exitLine(end.code, end.reason), dim('Press any key to close this terminal.'));
    this.write(lines);
    this.settle(end.code);
  }
}

/** Opens follow terminals, each on the connection it was started from (its client held open, as a panel does). */
export class FollowTerminals implements IDisposable {
  private readonly open = new Set<FollowPty>();

  constructor(
    private readonly connection: ConnectionService,
    private readonly store: ProcessStore,
  ) {}

  dispose(): void {
    for (const pty of [...this.open]) pty.stop();
  }

  start(session: Session, request: FollowRequest): FollowOutcome {
    const client = this.connection.retainClient(session.client);
    const processes = new ConnectionProcesses(this.store, storeConnection(session));
    const make = () =>
      new LogFollower({
        processes,
        logs: session.client,
        prvkey: session.prvkey,
        colonyName: session.profile.colonyName,
        processIds: request.processIds,
        executorName: request.executorName,
        maxLineChars: MAX_LINE_CHARS,
      });
    // Released when the terminal closes, however it closes.
    const release = { dispose: () => (client.dispose(), this.open.delete(pty)) };
    const pty: FollowPty = new FollowPty(request, make, release);
    this.open.add(pty);
    const terminal = vscode.window.createTerminal({ name: request.name, pty, iconPath: new vscode.ThemeIcon('output') });
    terminal.show(true);
    return { terminal, ended: pty.ended };
  }
}

/** "Follow 1a2b3c4d", "Follow workflow 1a2b3c4d", "Follow executor worker-1": the tab names. */
export function followName(kind: 'process' | 'workflow' | 'executor', id: string): string {
  return kind === 'executor' ? `Follow executor ${stripControl(id).slice(0, 40)}` : `Follow ${kind === 'workflow' ? 'workflow ' : ''}${shortId(id, 8)}`;
}
