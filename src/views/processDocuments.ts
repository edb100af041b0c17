// Read-only documents on the `colonyos:` scheme: a process's details (readable text, processSummary.ts) and its raw
// JSON, both refreshed when the process changes, and its logs (following new lines while the process runs).
import * as vscode from 'vscode';
import { safeFileName, shortId } from '../base/format';
import { stringifyJson } from '../colonies/json';
import type { Process } from '../colonies/types';
import { describeError } from '../base/errorText';
import { activeStoreKey, storeConnection, type ConnectionService, type Session } from '../connection/types';
import { Disposable, type IDisposable } from '../base/disposable';
import type { ProcessStore } from '../store/processStore';
import { LogCursor, capLogLines, droppedLinesNote, type LogBuffer } from './logLines';
import { isTerminal } from '../colonies/client';
import type { ProcessTreeModel } from './processTreeModel';
import type { ColonyCatalog } from '../store/colonyCatalog';
import { processSummary } from './processSummary';

export const SCHEME = 'colonyos';
const LOG_POLL_MS = 2000;

export type DocKind = 'details' | 'json' | 'logs';

const EXTENSIONS: Record<DocKind, string> = { details: 'txt', json: 'json', logs: 'log' };
/** The documents that show the process itself (re-rendered when the store's snapshot changes). */
const PROCESS_KINDS: ReadonlySet<string> = new Set(['details', 'json']);

export function processDocUri(kind: DocKind, processId: string, funcname = 'process'): vscode.Uri {
  return vscode.Uri.from({
    scheme: SCHEME,
    path: `/${kind}/${safeFileName(funcname, 'process', 40)}-${shortId(processId, 8)}.${EXTENSIONS[kind]}`,
    query: `id=${processId}`,
  });
}

export function parseDocUri(uri: vscode.Uri): { kind: DocKind; processId: string } | undefined {
  const kind = uri.path.split('/')[1];
  const id = new URLSearchParams(uri.query).get('id');
  if (!(kind in EXTENSIONS) || !id) return undefined;
  return { kind: kind as DocKind, processId: id };
}

interface LogFollow {
  cursor: LogCursor;
  buffer: LogBuffer;
  timer?: ReturnType<typeof setTimeout>;
  error?: string;
  finished: boolean;
  ctrl: AbortController;
  /** The store's watch on the process: its state says when the log is complete (no state poll of our own). */
  watch?: IDisposable;
}

interface DocSession {
  session: Promise<Session>;
  /** The store key, once the session is known. */
  key?: string;
  hold?: IDisposable;
}

export class ProcessDocumentProvider extends Disposable implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly follows = new Map<string, LogFollow>();
  /**
   * The connection each open document was first shown from, its client held open: like a channel panel, a document
   * keeps asking the server its process lives on after the active connection is switched.
   */
  private readonly sessions = new Map<string, DocSession>();

  constructor(
    private readonly connection: ConnectionService,
    private readonly model: ProcessTreeModel,
    private readonly store: ProcessStore,
    /** Names the executor that ran a process (store/colonyCatalog.ts); optional in tests. */
    private readonly catalog?: ColonyCatalog,
  ) {
    super();
    // Disposed newest first: the listeners, then the emitter.
    this.register(this.changeEmitter);
    this.registerAll(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme !== SCHEME) return;
        this.stopFollowing(doc.uri.toString());
        this.releaseSession(doc.uri.toString());
      }),
      // Details follow the store: a change of the process under the document's own connection re-renders it.
      store.onDidChange((change) => {
        for (const doc of vscode.workspace.textDocuments) {
          const parsed = doc.uri.scheme === SCHEME ? parseDocUri(doc.uri) : undefined;
          if (!parsed || !PROCESS_KINDS.has(parsed.kind)) continue;
          const p = change.processes.find((x) => x.processid === parsed.processId);
          if (p && this.keyOf(doc.uri) === change.key) this.changeEmitter.fire(doc.uri);
        }
      }),
    );
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const parsed = parseDocUri(uri);
    if (!parsed) return `// Unknown ColonyOS document: ${uri.toString()}`;
    return parsed.kind === 'logs' ? this.logs(uri, parsed.processId) : this.details(uri, parsed.kind, parsed.processId, token);
  }

  /** The document's own connection: the active one when it was first shown. */
  private sessionFor(uri: vscode.Uri): Promise<Session> {
    const key = uri.toString();
    const known = this.sessions.get(key);
    if (known) return known.session;
    const record: DocSession = { session: this.connection.requireSession() };
    this.sessions.set(key, record);
    record.session.then(
      (s) => {
        record.key = s.key;
        if (this.sessions.get(key) === record) record.hold = this.connection.retainClient(s.client);
      },
      () => this.sessions.get(key) === record && this.sessions.delete(key), // no usable connection yet: ask again next time
    );
    return record.session;
  }

  private keyOf(uri: vscode.Uri): string | undefined {
    return this.sessions.get(uri.toString())?.key;
  }

  private releaseSession(key: string): void {
    this.sessions.get(key)?.hold?.dispose();
    this.sessions.delete(key);
  }

  private async details(uri: vscode.Uri, kind: DocKind, processId: string, token: vscode.CancellationToken): Promise<string> {
    let key: string | undefined;
    let myId: string | undefined;
    try {
      const s = await this.sessionFor(uri);
      key = s.key;
      myId = s.myId;
      const ctrl = new AbortController();
      token.onCancellationRequested(() => ctrl.abort());
      const p = await this.store.read(storeConnection(s), processId, { signal: ctrl.signal });
      return this.render(kind, p, key, myId);
    } catch (err) {
      const known = this.model.findProcess(processId);
      const reason = oneLine(describeError(err).message);
      const note = kind === 'json' ? '// ' : '';
      return known ? `${note}Could not refresh (${reason}); last known state:\n${this.render(kind, known, key, myId)}` : `${note}Could not load process ${processId}: ${reason}\n`;
    }
  }

  private render(kind: DocKind, p: Process, key: string | undefined, myId: string | undefined): string {
    if (kind === 'json') return `${stringifyJson(p, 2)}\n`;
    const executors = key ? this.catalog?.get(key).snapshot?.executors : undefined;
    const executorName = executors?.find((e) => e.executorid === p.assignedexecutorid)?.executorname;
    return processSummary(p, { now: Date.now(), executorName, myId });
  }

  private async logs(uri: vscode.Uri, processId: string): Promise<string> {
    const key = uri.toString();
    let follow = this.follows.get(key);
    if (!follow) {
      const cursor = new LogCursor();
      follow = { cursor, buffer: { lines: cursor.lines, chars: 0, dropped: 0, checked: 0 }, finished: false, ctrl: new AbortController() };
      this.follows.set(key, follow);
      await this.pullLogs(uri, processId, follow, false);
    }
    const footer = follow.error
      ? `\n--- ${oneLine(follow.error)} ---\n`
      : follow.finished
        ? `\n--- end of log (process finished) ---\n`
        : `\n--- following new lines… ---\n`;
    const header = follow.buffer.dropped > 0 ? droppedLinesNote(follow.buffer.dropped) : '';
    const body = follow.cursor.lines.length ? `${follow.cursor.lines.join('\n')}\n` : 'No log lines yet.\n';
    return header + body + footer;
  }

  private async pullLogs(uri: vscode.Uri, processId: string, follow: LogFollow, notify: boolean): Promise<void> {
    const key = uri.toString();
    let changed: boolean;
    try {
      const s = await this.sessionFor(uri);
      const conn = storeConnection(s);
      // The state as the store knows it (one read to start, then its watch), taken before the lines, so the last
      // lines written before the close are still fetched below.
      let p = this.store.get(conn, processId);
      if (!p) p = await this.store.read(conn, processId, { signal: follow.ctrl.signal });
      if (!follow.watch && !isTerminal(p.state)) follow.watch = this.store.watch(conn, processId, follow);
      const added = await follow.cursor.pull(s.client, s.profile.colonyName, processId, s.prvkey, follow.ctrl.signal);
      capLogLines(follow.buffer);
      changed = added > 0 || follow.error !== undefined || follow.finished !== isTerminal(p.state);
      follow.error = undefined;
      follow.finished = isTerminal(p.state);
    } catch (err) {
      if (follow.ctrl.signal.aborted) return;
      const message = `Could not read logs: ${describeError(err).message}`;
      changed = message !== follow.error;
      follow.error = message;
    }
    if (notify && changed) this.changeEmitter.fire(uri);
    if (!follow.finished && this.follows.get(key) === follow && !follow.ctrl.signal.aborted) {
      follow.timer = setTimeout(() => void this.pullLogs(uri, processId, follow, true), follow.error ? LOG_POLL_MS * 5 : LOG_POLL_MS);
    }
  }

  private stopFollowing(key: string): void {
    const follow = this.follows.get(key);
    if (!follow) return;
    follow.ctrl.abort();
    follow.watch?.dispose();
    if (follow.timer) clearTimeout(follow.timer);
    this.follows.delete(key);
  }

  /** Opens (or re-shows) a read-only document for the process. */
  async open(kind: DocKind, processId: string): Promise<vscode.TextEditor> {
    const key = activeStoreKey(this.connection);
    const known = this.model.findProcess(processId) ?? (key ? this.store.get(key, processId) : undefined);
    const funcname = known?.spec?.funcname;
    const uri = processDocUri(kind, processId, funcname);
    const doc = await vscode.workspace.openTextDocument(uri);
    if (kind === 'json' && doc.languageId !== 'json') await vscode.languages.setTextDocumentLanguage(doc, 'json');
    else this.changeEmitter.fire(uri);
    return vscode.window.showTextDocument(doc, { preview: true });
  }

  /** Drops every follow and every document's connection. */
  reset(): void {
    for (const key of [...this.follows.keys()]) this.stopFollowing(key);
    for (const key of [...this.sessions.keys()]) this.releaseSession(key);
  }

  override dispose(): void {
    this.reset();
    super.dispose();
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
