// The logic behind one channel panel, without `vscode`: the live session, the local transcript, the process state, and
// the conversation with the webview. The vscode panel (channelPanel.ts) only moves messages and shows dialogs, so this
// runs unchanged in the integration tests against the local colony.
import { ChannelSession, errorMessage, isTerminal, type ColoniesClient, type StreamStatus } from '../colonies/index';
import { safeFileName, shortId } from '../base/format';
import { insertInOrder } from '../colonies/entries';
import { ColoniesError } from '../colonies/rpc';
import { PROCESS_STATE_NAMES, ProcessState, type ChannelEntry, type Process } from '../colonies/types';
import { boundEntry, entryWeight, formatBytes, formatCount } from './entryLimits';
import { EntryViewBuilder, rowKey, payloadText, viewWeight, type Parties } from './entryView';
import {
  MAX_MESSAGE_CHARS,
  parseWebviewMessage,
  sendRequestId,
  type ComposerView,
  type EntryView,
  type HostMessage,
  type PanelInfo,
  type StatusView,
  type WebviewMessage,
} from './protocol';
import { entryToClipboardText, transcriptToPlainText } from './transcriptExport';
import { DEFAULT_CHANNEL_LIMITS, type ChannelLimits, type TranscriptFile, type TranscriptMeta } from './transcriptStore';
import { ConnectionProcesses, ProcessStore, connectionKey } from '../store/processStore';
import type { Disposable } from '../colonies/events';

export interface ControllerLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What the controller needs from the editor: dialogs and the clipboard. */
export interface ControllerActions {
  savePayload(bytes: Uint8Array, suggestedName: string): Promise<void>;
  copyText(text: string): Promise<void>;
  exportTranscript(): Promise<void>;
}

export interface ConnectedSession {
  client: ColoniesClient;
  prvkey: string;
  myId: string;
  /**
   * The process store seen through this panel's own connection: the process's state comes from there (one read, then
   * the store's shared watch). Without it (tests that drive a controller alone) the controller keeps a private store.
   */
  processes?: ConnectionProcesses;
}

export interface ChannelControllerOptions {
  processId: string;
  channel: string;
  file: TranscriptFile;
  /** Sends to the webview. Messages may be dropped while the webview is hidden; resync() repairs that. */
  post: (message: HostMessage) => void;
  actions: ControllerActions;
  log: ControllerLog;
  /** Unused: the process store's watch says when an executor takes the process (kept so old callers compile). */
  waitingPollMs?: number;
  /** Unused: the process store's watch says when the process finished (kept so old callers compile). */
  pollStateMs?: number;
  /** Fired when the title information (funcname) becomes known or changes. */
  onInfoChanged?: (info: PanelInfo) => void;
  /** What this channel keeps (read as entries arrive, so a settings change applies to the next ones). */
  limits?: () => ChannelLimits;
}

/**
 * A long transcript goes to the webview newest first: the first message holds the newest rows, so they show at once;
 * the older rows follow in messages of at most LATER_CHUNK_ROWS, each inserted above the rows already sent. Every
 * message also stays within MAX_MESSAGE_CHARS of row data (rows are bounded, so one always fits).
 */
export const FIRST_CHUNK_ROWS = 500;
export const LATER_CHUNK_ROWS = 5000;

/** The text of the notice at the top of the panel when older entries were dropped. */
export function droppedNotice(count: number, limits: ChannelLimits): string {
  const what = count === 1 ? '1 older message was' : `${formatCount(count)} older messages were`;
  return `${what} dropped from this transcript: a channel keeps its newest ${formatCount(limits.maxEntries)} messages within ${formatBytes(limits.maxBytes)} (settings colonyos.transcripts.maxEntriesPerChannel, maxMBPerChannel and maxTotalMB).`;
}


export class ChannelController {
  readonly processId: string;
  readonly channel: string;
  /** The kept entries in the server's log order, each bounded (boundEntry), within the channel's limits. */
  private entries: ChannelEntry[] = [];
  private keptBytes = 0;
  private views: EntryView[] = [];
  private byKey = new Map<string, ChannelEntry>();
  private builder = new EntryViewBuilder({ myId: '' });
  private meta: TranscriptMeta;
  private process: Process | undefined;
  private session: ChannelSession | undefined;
  private sessionSubs: { dispose(): void }[] = [];
  private connected: ConnectedSession | undefined;
  private streamStatus: StreamStatus = { kind: 'connecting' };
  private offlineReason: string | undefined = 'Not connected yet';
  private gone: string | undefined;
  /** The store subscription and watch of the current connection. */
  private processSubs: Disposable[] = [];
  private processes: ConnectionProcesses | undefined;
  /** A store of our own when the caller gave none; disposed with the connection. */
  private ownStore: ProcessStore | undefined;
  private generation = 0;
  private disposed = false;
  /** The rows the webview was last sent; the next flush posts only what differs from `views`. */
  private shown: EntryView[] = [];
  /** views[0..dirtyFrom) are the very objects in shown[0..dirtyFrom). */
  private dirtyFrom = 0;
  private flushScheduled = false;
  private lastStatusJson = '';
  private lastDroppedPosted = 0;
  /** Entries to append to the transcript, in arrival order; written after the rows are posted, so encoding them never delays the view. */
  private pendingWrite: ChannelEntry[] = [];
  private writeScheduled = false;
  /** The answer to the latest send, posted again on resync: VS Code drops messages to a hidden webview. */
  private lastSendResult: Extract<HostMessage, { type: 'sendResult' }> | undefined;

  constructor(private readonly opts: ChannelControllerOptions) {
    this.processId = opts.processId;
    this.channel = opts.channel;
    this.meta = { processId: opts.processId, channel: opts.channel };
  }

  get info(): PanelInfo {
    return {
      processId: this.processId,
      shortId: shortId(this.processId),
      channel: this.channel,
      funcname: this.meta.funcname ?? '',
      colonyName: this.meta.colonyName ?? '',
    };
  }

  get transcript(): readonly ChannelEntry[] {
    return this.entries;
  }

  get transcriptMeta(): TranscriptMeta {
    return this.meta;
  }

  get parties(): Parties {
    return this.builder.parties;
  }

  /** The status strip and composer as the webview shows them now. */
  get view(): { status: StatusView; composer: ComposerView } {
    return { status: this.statusView(), composer: this.composerView() };
  }

  /** How many older entries the caps removed from this transcript. */
  get droppedCount(): number {
    return this.opts.file.dropped;
  }

  private get limits(): ChannelLimits {
    return this.opts.limits?.() ?? DEFAULT_CHANNEL_LIMITS;
  }

  /** Loads the stored transcript and shows it; call before connect(). */
  async load(): Promise<void> {
    const [entries, meta] = await Promise.all([this.opts.file.load(this.limits), this.opts.file.loadMeta()]);
    if (meta) this.meta = { ...meta, processId: this.processId, channel: this.channel };
    this.setParties({ myId: '', initiatorId: this.meta.initiatorId, executorId: this.meta.executorId });
    this.replaceEntries(entries);
    this.opts.onInfoChanged?.(this.info);
  }

  /** Starts (or restarts, after a profile switch) the live session. */
  async connect(conn: ConnectedSession): Promise<void> {
    this.disconnect();
    const generation = ++this.generation;
    this.connected = conn;
    this.processes = conn.processes ?? this.privateProcesses(conn);
    this.offlineReason = undefined;
    this.gone = undefined;
    this.streamStatus = { kind: 'connecting' };
    this.updateParties({ ...this.builder.parties, myId: conn.myId });
    this.postStatus();
    try {
      await this.refreshProcess();
    } catch (err) {
      if (generation !== this.generation) return;
      if (err instanceof ColoniesError && err.status === 404) {
        this.gone = 'The process no longer exists on the server (it was removed).';
      } else if (err instanceof ColoniesError && err.status === 403) {
        this.streamStatus = { kind: 'error', message: err.message, fatal: true };
      } else {
        this.offlineReason = `Could not read the process: ${errorMessage(err)}`;
      }
      this.opts.log.warn(`Channel ${this.label}: ${errorMessage(err)}`);
      this.postStatus();
      return;
    }
    if (generation !== this.generation || this.disposed) return;
    if (this.isFinished) {
      // The server deleted the channel at close; the local transcript is all there is.
      this.postStatus();
      return;
    }
    const processes = this.processes;
    this.processSubs.push(
      processes.onProcess(this.processId, (p, gone) => {
        if (generation !== this.generation) return;
        if (p) this.applyProcess(p);
        else if (gone && !this.isFinished) {
          this.gone = /not found|no longer exists/i.test(gone) ? 'The process no longer exists on the server (it was removed).' : gone;
          this.postStatus();
        }
      }),
      processes.watch(this.processId, this),
    );
    const limits = this.limits;
    const session = new ChannelSession(conn.client, {
      processId: this.processId,
      channel: this.channel,
      prvkey: conn.prvkey,
      initialEntries: this.entries.slice(),
      // Entries the caps dropped were received too: the stream resumes after all of them (it checks the server's log
      // before resuming, so a wrong count costs one read of the log, never a lost entry).
      afterIndex: this.entries.length + this.opts.file.dropped,
      retain: { maxEntries: limits.maxEntries, maxBytes: limits.maxBytes },
      // The end of the process comes from the store's watch, not from a poll of the stream's own.
      processState: {
        current: () => processes.get(this.processId)?.state,
        read: async () => (await processes.read(this.processId)).state,
        onChange: (listener) => processes.onProcess(this.processId, (p) => p && listener(p.state)),
      },
    });
    this.session = session;
    this.sessionSubs.push(
      session.onDidChange((e) => this.onSessionChange(session, e.added)),
      session.onStatus((s) => this.onStreamStatus(s)),
    );
    session.start();
  }

  private privateProcesses(conn: ConnectedSession): ConnectionProcesses {
    this.ownStore = new ProcessStore();
    return new ConnectionProcesses(this.ownStore, { key: connectionKey('panel', conn.client), client: conn.client, prvkey: conn.prvkey });
  }

  /** Stops the live session (the transcript stays shown). */
  disconnect(reason?: string): void {
    this.generation++;
    for (const d of this.sessionSubs.splice(0)) d.dispose();
    this.session?.dispose();
    this.session = undefined;
    this.connected = undefined;
    for (const d of this.processSubs.splice(0)) d.dispose();
    this.processes = undefined;
    this.ownStore?.dispose();
    this.ownStore = undefined;
    if (reason !== undefined) {
      this.offlineReason = reason;
      this.postStatus();
    }
  }

  /** Sends the full state; for `ready` and whenever the webview may have missed messages (it was hidden). */
  resync(): void {
    this.lastStatusJson = JSON.stringify(this.view);
    this.markShown();
    this.postNewestFirst(0, this.shown, (entries) => this.opts.post({ type: 'init', info: this.info, entries, ...this.view }));
    // Said again after every init (a reloaded webview has no notice), and taken back when a Clear reset the count.
    if (this.opts.file.dropped > 0 || this.lastDroppedPosted > 0) this.postDropped();
    this.lastDroppedPosted = this.opts.file.dropped;
    // A send answered while the panel was hidden: its answer was dropped with the other messages.
    if (this.lastSendResult) this.opts.post(this.lastSendResult);
  }

  /**
   * Handles one raw message from the webview; unknown or malformed ones are logged and ignored, except that a
   * malformed `send` is still answered (with an error), so the composer never waits for an answer that cannot come.
   */
  async handleMessage(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.opts.log.warn(`Channel panel ${this.label}: ignored a message from the webview (${parsed.reason})`);
      const requestId = sendRequestId(raw);
      if (requestId !== undefined) this.answerSend({ type: 'sendResult', requestId, ok: false, error: `The message could not be sent: ${parsed.reason}.` });
      return;
    }
    try {
      await this.dispatch(parsed.message);
    } catch (err) {
      this.opts.log.error(`Channel panel ${this.label}: ${parsed.message.type} failed: ${errorMessage(err)}`);
    }
  }

  /** Sends a message as the composer would; resolves with the sequence used. */
  async send(text: string, kind: 'data' | 'end' | 'error', inReplyTo = 0): Promise<number> {
    const composer = this.composerView();
    if (!composer.enabled) throw new Error(composer.reason ?? 'Sending is not possible now.');
    if (!this.session) throw new Error('Not connected to the channel.');
    if (kind === 'data' && text.length === 0) throw new Error('Type a message first.');
    return this.session.send(text, { inReplyTo: inReplyTo || undefined, type: kind });
  }

  entryByKey(key: string): ChannelEntry | undefined {
    return this.byKey.get(key);
  }

  /** Resolves when every transcript write so far has reached the disk. */
  async flush(): Promise<void> {
    this.writePending();
    await this.opts.file.flush();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disconnect();
    this.writePending();
    this.disposed = true;
    void this.opts.file.close();
  }

  private get label(): string {
    return `${shortId(this.processId)}/${this.channel}`;
  }

  private get isFinished(): boolean {
    return (this.process !== undefined && isTerminal(this.process.state)) || this.streamStatus.kind === 'ended';
  }

  private async dispatch(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.resync();
        return;
      case 'send':
        try {
          const sequence = await this.send(m.text, m.kind, m.inReplyTo);
          this.answerSend({ type: 'sendResult', requestId: m.requestId, ok: true, sequence });
        } catch (err) {
          this.opts.log.warn(`Channel ${this.label}: send failed: ${errorMessage(err)}`);
          this.answerSend({ type: 'sendResult', requestId: m.requestId, ok: false, error: errorMessage(err) });
        }
        return;
      case 'savePayload': {
        const e = this.byKey.get(m.key);
        if (!e) return this.opts.log.warn(`Channel ${this.label}: no message ${m.key} to save`);
        const ext = payloadText(e.payload) !== undefined ? 'txt' : 'bin';
        await this.opts.actions.savePayload(e.payload, `${shortId(this.processId)}-${safeFileName(this.channel, 'channel')}-${e.sequence}.${ext}`);
        return;
      }
      case 'copyMessage': {
        const e = this.byKey.get(m.key);
        if (e) await this.opts.actions.copyText(entryToClipboardText(e));
        return;
      }
      case 'copyAll':
        await this.opts.actions.copyText(transcriptToPlainText(this.entries, this.builder.parties));
        return;
      case 'exportTranscript':
        await this.opts.actions.exportTranscript();
        return;
      case 'webviewError':
        this.opts.log.error(`Channel panel ${this.label} webview: ${m.message}`);
        return;
    }
  }

  private answerSend(result: Extract<HostMessage, { type: 'sendResult' }>): void {
    this.lastSendResult = result;
    this.opts.post(result);
  }

  /**
   * New entries from the session: each is bounded, put at its place in the log order (usually the end), the oldest
   * entries beyond the channel's limits are dropped, and the views are brought up to date with what changed.
   */
  private onSessionChange(session: ChannelSession, added: readonly ChannelEntry[]): void {
    if (session !== this.session || added.length === 0) return;
    const limits = this.limits;
    const before = this.entries.length;
    const oldViews = this.views;
    let start = before;
    const fresh: ChannelEntry[] = [];
    for (const raw of added) {
      const e = boundEntry(raw);
      const key = rowKey(e);
      if (this.byKey.has(key)) continue;
      const at = insertInOrder(this.entries, e);
      start = Math.min(start, at);
      this.byKey.set(key, e);
      this.keptBytes += entryWeight(e);
      fresh.push(e);
    }
    if (fresh.length === 0) return;
    const cut = this.enforceLimits(limits);
    if (start === before) {
      // Everything landed at the end: the views before it stand.
      for (let i = Math.max(0, before - cut); i < this.entries.length; i++) oldViews.push(this.builder.add(this.entries[i]));
      if (cut > 0) oldViews.splice(0, Math.min(cut, before));
      this.views = oldViews;
    } else {
      this.rebuildViewsFrom(oldViews, start, cut);
    }
    if (cut > 0) this.dirtyFrom = 0;
    for (const e of fresh) this.pendingWrite.push(e);
    this.scheduleFlush();
    this.learnExecutor(fresh);
  }

  /** Drops the oldest entries beyond `limits`; returns how many. */
  private enforceLimits(limits: ChannelLimits): number {
    let cut = 0;
    let bytes = this.keptBytes;
    while (this.entries.length - cut > limits.maxEntries || (bytes > limits.maxBytes && cut < this.entries.length)) {
      bytes -= entryWeight(this.entries[cut]);
      cut++;
    }
    if (cut === 0) return 0;
    this.keptBytes = bytes;
    const removed = this.entries.splice(0, cut);
    const keys = removed.map((e) => rowKey(e));
    for (const k of keys) this.byKey.delete(k);
    this.track(this.opts.file.drop(keys));
    return cut;
  }

  /**
   * After entries were inserted at or after `start` of the old list and then the first `cut` entries dropped: a view
   * depends only on the entries before it (its reply parent), so the old views of the entries still before `start`
   * stand, and later views are rebuilt, reusing those whose parent did not change.
   */
  private rebuildViewsFrom(previous: readonly EntryView[], start: number, cut: number): void {
    const from = Math.max(0, start - cut);
    const reusable = new Map(previous.slice(start).map((v) => [v.key, v]));
    this.builder.reset();
    const views = previous.slice(cut, cut + from);
    for (let i = 0; i < from; i++) this.builder.note(this.entries[i], views[i].key);
    for (let i = from; i < this.entries.length; i++) {
      const e = this.entries[i];
      views.push(this.builder.add(e, reusable.get(rowKey(e))));
    }
    this.views = views;
    this.dirtyFrom = Math.min(this.dirtyFrom, from);
  }

  /** An entry from someone other than us and the submitter is the executor's: the process was assigned. */
  private learnExecutor(added: readonly ChannelEntry[]): void {
    const p = this.builder.parties;
    const other = added.find((e) => e.senderid && e.senderid !== p.myId && e.senderid !== p.initiatorId);
    if (other && this.process?.state === ProcessState.WAITING) void this.refreshProcessQuietly();
  }

  private onStreamStatus(s: StreamStatus): void {
    this.streamStatus = s;
    if (s.kind === 'ended') {
      this.meta.finalState = PROCESS_STATE_NAMES[s.processState] ?? String(s.processState);
      this.track(this.opts.file.saveMeta(this.meta));
      if (this.process) this.process = { ...this.process, state: s.processState };
    }
    if (s.kind === 'error') this.opts.log.warn(`Channel ${this.label}: ${s.message}`);
    this.postStatus();
  }

  /** An explicit read through the store (its change event brings the result to applyProcess too). */
  private async refreshProcess(): Promise<void> {
    const processes = this.processes;
    if (!processes) return;
    this.applyProcess(await processes.read(this.processId));
  }

  private applyProcess(p: Process): void {
    const conn = this.connected;
    if (!conn) return;
    this.process = p;
    const before = JSON.stringify(this.meta);
    this.meta = {
      ...this.meta,
      funcname: p.spec?.funcname || this.meta.funcname,
      colonyName: p.spec?.conditions?.colonyname || this.meta.colonyName,
      initiatorId: p.initiatorid || this.meta.initiatorId,
      executorId: p.assignedexecutorid || this.meta.executorId,
    };
    if (isTerminal(p.state)) this.meta.finalState = PROCESS_STATE_NAMES[p.state];
    if (JSON.stringify(this.meta) !== before) {
      this.track(this.opts.file.saveMeta(this.meta));
      this.opts.onInfoChanged?.(this.info);
    }
    this.updateParties({ myId: conn.myId, initiatorId: this.meta.initiatorId, executorId: this.meta.executorId });
    this.postStatus();
  }

  private async refreshProcessQuietly(): Promise<void> {
    const generation = this.generation;
    try {
      await this.refreshProcess();
    } catch (err) {
      if (generation === this.generation) this.opts.log.warn(`Channel ${this.label}: could not refresh the process: ${errorMessage(err)}`);
    }
  }

  private setParties(parties: Parties): void {
    this.builder = new EntryViewBuilder(parties);
  }

  /** Sender labels depend on who is who: relabel the shown transcript when that changes. */
  private updateParties(parties: Parties): void {
    const p0 = this.builder.parties;
    if (parties.initiatorId === p0.initiatorId && parties.executorId === p0.executorId && parties.myId === p0.myId) return;
    this.setParties(parties);
    if (this.entries.length === 0) return;
    this.replaceEntries(this.entries);
    this.markShown();
    this.postNewestFirst(0, this.shown, (entries) => this.opts.post({ type: 'entries', mode: 'replace', entries }));
  }

  private replaceEntries(entries: readonly ChannelEntry[]): void {
    this.entries = entries.slice();
    this.byKey = new Map(this.entries.map((e) => [rowKey(e), e]));
    this.keptBytes = this.entries.reduce((n, e) => n + entryWeight(e), 0);
    this.views = this.builder.all(this.entries);
    this.dirtyFrom = 0;
  }

  /** The webview is being sent every view (init or replace). */
  private markShown(): void {
    this.shown = this.views.slice();
    this.dirtyFrom = this.views.length;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Coalesces a burst of entries (a progress stream, or out-of-order arrivals) into one message.
    setTimeout(() => {
      this.flushScheduled = false;
      if (this.disposed) return;
      this.flushViews();
      if (!this.writeScheduled) {
        this.writeScheduled = true;
        setTimeout(() => {
          this.writeScheduled = false;
          this.writePending();
        }, 0);
      }
    }, 0);
  }

  /** Appends the entries that arrived since the last write and are still kept (the caps may have dropped some). */
  private writePending(): void {
    if (this.pendingWrite.length === 0) return;
    const pending = this.pendingWrite;
    this.pendingWrite = [];
    const kept = pending.filter((e) => this.byKey.get(rowKey(e)) === e);
    this.track(this.opts.file.append(kept));
  }

  /** Posts the difference between what the webview shows and `views`: an append, or one splice around the changes. */
  private flushViews(): void {
    // Rows the caps dropped are the first rows shown (only the oldest entries are dropped): remove them first.
    let gone = 0;
    while (gone < this.shown.length && this.byKey.get(this.shown[gone].key) === undefined) gone++;
    if (gone > 0) {
      this.shown.splice(0, gone);
      this.dirtyFrom = 0;
      this.opts.post({ type: 'entries', mode: 'splice', start: 0, deleteCount: gone, entries: [] });
    }
    const { shown, views } = this;
    let start = Math.min(this.dirtyFrom, shown.length);
    while (start < shown.length && start < views.length && shown[start] === views[start]) start++;
    let shownEnd = shown.length;
    let viewsEnd = views.length;
    while (shownEnd > start && viewsEnd > start && shown[shownEnd - 1] === views[viewsEnd - 1]) {
      shownEnd--;
      viewsEnd--;
    }
    this.dirtyFrom = views.length;
    if (start !== shownEnd || start !== viewsEnd) {
      const entries = views.slice(start, viewsEnd);
      if (start === shown.length) {
        for (const v of entries) shown.push(v);
        this.postNewestFirst(start, entries, (tail) => this.opts.post({ type: 'entries', mode: 'append', entries: tail }));
      } else {
        this.shown = views.slice();
        const deleteCount = shownEnd - start;
        this.postNewestFirst(start, entries, (tail) => this.opts.post({ type: 'entries', mode: 'splice', start, deleteCount, entries: tail }));
      }
    }
    if (this.opts.file.dropped !== this.lastDroppedPosted) {
      this.lastDroppedPosted = this.opts.file.dropped;
      this.postDropped();
    }
  }

  private postDropped(): void {
    this.opts.post({ type: 'dropped', count: this.opts.file.dropped, text: droppedNotice(this.opts.file.dropped, this.limits) });
  }

  /**
   * Posts `rows`, which belong at `start` in the shown list: the newest rows through `postFirst` (at most
   * FIRST_CHUNK_ROWS and MAX_MESSAGE_CHARS), then the older ones as splices at `start`, nearest first (at most
   * LATER_CHUNK_ROWS and MAX_MESSAGE_CHARS each), so each lands above the rows sent before it and the order holds.
   */
  private postNewestFirst(start: number, rows: readonly EntryView[], postFirst: (rows: EntryView[]) => void): void {
    let end = rows.length;
    let first = true;
    do {
      const maxRows = first ? FIRST_CHUNK_ROWS : LATER_CHUNK_ROWS;
      let begin = end;
      let chars = 0;
      while (begin > 0 && end - begin < maxRows) {
        const w = viewWeight(rows[begin - 1]);
        if (begin < end && chars + w > MAX_MESSAGE_CHARS) break;
        chars += w;
        begin--;
      }
      const chunk = rows.slice(begin, end);
      if (first) postFirst(chunk);
      else this.opts.post({ type: 'entries', mode: 'splice', start, deleteCount: 0, entries: chunk });
      first = false;
      end = begin;
    } while (end > 0);
  }

  private postStatus(): void {
    if (this.disposed) return;
    const view = this.view;
    const json = JSON.stringify(view);
    if (json === this.lastStatusJson) return;
    this.lastStatusJson = json;
    this.opts.post({ type: 'status', ...view });
  }

  private statusView(): StatusView {
    if (this.gone) return { kind: 'error', message: this.gone };
    if (this.isFinished) {
      const state = this.process ? PROCESS_STATE_NAMES[this.process.state] : (this.meta.finalState ?? 'closed');
      return { kind: 'finished', state: state ?? 'closed' };
    }
    if (this.offlineReason !== undefined) return { kind: 'offline', reason: this.offlineReason };
    const s = this.streamStatus;
    switch (s.kind) {
      case 'error':
        return { kind: 'error', message: s.message };
      case 'reconnecting':
        return { kind: 'reconnecting', attempt: s.attempt, reason: s.reason };
      case 'connecting':
        return { kind: 'connecting' };
      default:
        return this.process?.state === ProcessState.WAITING ? { kind: 'waiting' } : { kind: 'live' };
    }
  }

  private composerView(): ComposerView {
    if (this.gone) return { enabled: false, reason: this.gone };
    if (this.isFinished) {
      const state = this.process ? PROCESS_STATE_NAMES[this.process.state] : (this.meta.finalState ?? 'closed');
      return {
        enabled: false,
        reason: `The process has finished (${state}). The server deletes channels when a process closes; this transcript is kept locally.`,
      };
    }
    if (this.offlineReason !== undefined) return { enabled: false, reason: this.offlineReason };
    const p = this.process;
    const myId = this.builder.parties.myId;
    if (p && myId && myId !== p.initiatorid && myId !== p.assignedexecutorid) {
      return {
        enabled: false,
        reason: `Only the process's submitter and its assigned executor can use this channel; your key's id is ${shortId(myId)}….`,
      };
    }
    if (this.streamStatus.kind === 'error' && this.streamStatus.fatal) return { enabled: false, reason: this.streamStatus.message };
    if (p?.state === ProcessState.WAITING) {
      return { enabled: true, hint: 'Queued for the executor: it will read the channel history when it starts.' };
    }
    return { enabled: true };
  }

  /** Reports a failed transcript write; the file's own queue keeps the order, and flush() waits on that queue. */
  private track(write: Promise<unknown>): void {
    write.catch((err) => this.opts.log.error(`Channel ${this.label}: could not save the transcript: ${errorMessage(err)}`));
  }
}
