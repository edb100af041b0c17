// The logic behind one channel panel, without `vscode`: the live session, the process state, and the conversation with
// the webview. The transcript is one OrderedTranscript (src/colonies/transcript.ts) that every session of this panel
// adds to; its changes drive the rows (rowSync.ts) and the file (transcriptWriter.ts), and statusView.ts words the
// state. The vscode panel (channelPanel.ts) only moves messages and shows dialogs, so this runs unchanged in the
// integration tests against the local colony.
import { ChannelSession, errorMessage, isTerminal, type StreamStatus } from '../colonies/index';
import { shortId } from '../base/format';
import { ColoniesError } from '../colonies/rpc';
import { OrderedTranscript, type TranscriptChangeEvent } from '../colonies/transcript';
import { PROCESS_STATE_NAMES, ProcessState, type ChannelEntry, type Process } from '../colonies/types';
import { boundEntry, entryWeight } from './entryLimits';
import { rowKey, type Parties } from './entryView';
import type { ComposerView, PanelInfo, StatusView } from './protocol';
import { RowSync } from './rowSync';
import { composerView, droppedNotice, metaFromProcess, statusView, type PanelState } from './statusView';
import { DEFAULT_CHANNEL_LIMITS, type ChannelLimits, type TranscriptMeta } from './transcriptLimits';
import { TranscriptWriter } from './transcriptWriter';
import type { ChannelControllerOptions, ConnectedSession } from './controllerOptions';
import { handleWebviewMessage, type ControllerActions, type ControllerLog, type SendResult } from './webviewRequests';
import { ConnectionProcesses, ProcessStore, connectionKey } from '../store/processStore';
import type { Disposable } from '../colonies/events';

export type { ChannelControllerOptions, ConnectedSession, ControllerActions, ControllerLog };

export { FIRST_CHUNK_ROWS, LATER_CHUNK_ROWS } from './rowSync';
export { droppedNotice } from './statusView';

export class ChannelController {
  readonly processId: string;
  readonly channel: string;
  /** The kept entries in the server's log order, each bounded (boundEntry), within the channel's limits. */
  private readonly ordered: OrderedTranscript;
  private readonly rows: RowSync;
  private readonly writer: TranscriptWriter;
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
  private flushScheduled = false;
  private lastStatusJson = '';
  private lastDroppedPosted = 0;
  /** The answer to the latest send, posted again on resync: VS Code drops messages to a hidden webview. */
  private lastSendResult: SendResult | undefined;

  constructor(private readonly opts: ChannelControllerOptions) {
    this.processId = opts.processId;
    this.channel = opts.channel;
    this.meta = { processId: opts.processId, channel: opts.channel };
    this.ordered = new OrderedTranscript({ map: boundEntry, key: rowKey, weight: entryWeight, cap: () => this.limits });
    this.ordered.onDidChange((change) => this.onTranscriptChange(change));
    this.rows = new RowSync(opts.post);
    this.writer = new TranscriptWriter(
      opts.file,
      (e) => this.ordered.get(rowKey(e)) === e,
      (err) => this.opts.log.error(`Channel ${this.label}: could not save the transcript: ${errorMessage(err)}`),
    );
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
    return this.ordered.entries;
  }

  get transcriptMeta(): TranscriptMeta {
    return this.meta;
  }

  get parties(): Parties {
    return this.rows.parties;
  }

  /** The status strip and composer as the webview shows them now. */
  get view(): { status: StatusView; composer: ComposerView } {
    const state = this.panelState;
    return { status: statusView(state), composer: composerView(state) };
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
    this.rows.setParties({ myId: '', initiatorId: this.meta.initiatorId, executorId: this.meta.executorId });
    this.ordered.reset(entries);
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
    this.updateParties({ ...this.rows.parties, myId: conn.myId });
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
    const session = new ChannelSession(conn.client, {
      processId: this.processId,
      channel: this.channel,
      prvkey: conn.prvkey,
      // The session adds to this panel's transcript, which bounds each entry and applies the channel's limits.
      transcript: this.ordered,
      // Entries the caps dropped were received too: the stream resumes after all of them (it checks the server's log
      // before resuming, so a wrong count costs one read of the log, never a lost entry).
      afterIndex: this.ordered.length + this.writer.dropped,
      // The end of the process comes from the store's watch, not from a poll of the stream's own.
      processState: {
        current: () => processes.get(this.processId)?.state,
        read: async () => (await processes.read(this.processId)).state,
        onChange: (listener) => processes.onProcess(this.processId, (p) => p && listener(p.state)),
      },
    });
    this.session = session;
    this.sessionSubs.push(session.onStatus((s) => this.onStreamStatus(s)));
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
    this.rows.postAll((entries) => this.opts.post({ type: 'init', info: this.info, entries, ...this.view }));
    // Said again after every init (a reloaded webview has no notice), and taken back when a Clear reset the count.
    if (this.writer.dropped > 0 || this.lastDroppedPosted > 0) this.postDropped();
    this.lastDroppedPosted = this.writer.dropped;
    // A send answered while the panel was hidden: its answer was dropped with the other messages.
    if (this.lastSendResult) this.opts.post(this.lastSendResult);
  }

  /**
   * Handles one raw message from the webview; unknown or malformed ones are logged and ignored, except that a
   * malformed `send` is still answered (with an error), so the composer never waits for an answer that cannot come.
   */
  async handleMessage(raw: unknown): Promise<void> {
    await handleWebviewMessage(
      {
        processId: this.processId,
        channel: this.channel,
        label: this.label,
        actions: this.opts.actions,
        log: this.opts.log,
        transcript: () => this.transcript,
        parties: () => this.parties,
        entryByKey: (key) => this.entryByKey(key),
        resync: () => this.resync(),
        send: (text, kind, inReplyTo) => this.send(text, kind, inReplyTo),
        answerSend: (result) => this.answerSend(result),
      },
      raw,
    );
  }
  /** Sends a message as the composer would; resolves with the sequence used. */
  async send(text: string, kind: 'data' | 'end' | 'error', inReplyTo = 0): Promise<number> {
    const composer = composerView(this.panelState);
    if (!composer.enabled) throw new Error(composer.reason ?? 'Sending is not possible now.');
    if (!this.session) throw new Error('Not connected to the channel.');
    if (kind === 'data' && text.length === 0) throw new Error('Type a message first.');
    const sequence = await this.session.send(text, { inReplyTo: inReplyTo || undefined, type: kind });
    this.opts.onSent?.(kind);
    return sequence;
  }

  entryByKey(key: string): ChannelEntry | undefined {
    return this.ordered.get(key);
  }

  /** Resolves when every transcript write so far has reached the disk. */
  async flush(): Promise<void> {
    await this.writer.flush();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disconnect();
    this.disposed = true;
    this.writer.close();
    this.ordered.dispose();
  }

  private get label(): string {
    return `${shortId(this.processId)}/${this.channel}`;
  }

  private get isFinished(): boolean {
    return (this.process !== undefined && isTerminal(this.process.state)) || this.streamStatus.kind === 'ended';
  }

  private answerSend(result: SendResult): void {
    this.lastSendResult = result;
    this.opts.post(result);
  }

  /**
   * What the transcript says changed: entries the caps removed are marked dropped in the file, the rows follow the
   * changes, and new entries are written after the rows are posted. A reset (load) only rebuilds the rows.
   */
  private onTranscriptChange(change: TranscriptChangeEvent): void {
    for (const c of change.changes) if (c.kind === 'remove') this.writer.drop(c.entries.map((e) => rowKey(e)));
    this.rows.apply(this.ordered.entries, change.changes);
    if (change.added.length === 0) return;
    this.writer.queue(change.added);
    this.scheduleFlush();
    this.learnExecutor(change.added);
  }

  /** An entry from someone other than us and the submitter is the executor's: the process was assigned. */
  private learnExecutor(added: readonly ChannelEntry[]): void {
    const p = this.rows.parties;
    const other = added.find((e) => e.senderid && e.senderid !== p.myId && e.senderid !== p.initiatorId);
    if (other && this.process?.state === ProcessState.WAITING) void this.refreshProcessQuietly();
  }

  private onStreamStatus(s: StreamStatus): void {
    this.streamStatus = s;
    if (s.kind === 'ended') {
      this.meta.finalState = PROCESS_STATE_NAMES[s.processState] ?? String(s.processState);
      this.writer.saveMeta(this.meta);
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
    this.meta = metaFromProcess(this.meta, p);
    if (JSON.stringify(this.meta) !== before) {
      this.writer.saveMeta(this.meta);
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

  /** Sender labels depend on who is who: relabel the shown transcript when that changes. */
  private updateParties(parties: Parties): void {
    const p0 = this.rows.parties;
    if (parties.initiatorId === p0.initiatorId && parties.executorId === p0.executorId && parties.myId === p0.myId) return;
    this.rows.setParties(parties);
    if (this.ordered.length === 0) return;
    this.rows.rebuild(this.ordered.entries);
    this.rows.postAll((entries) => this.opts.post({ type: 'entries', mode: 'replace', entries }));
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Coalesces a burst of entries (a progress stream, or out-of-order arrivals) into one message.
    setTimeout(() => {
      this.flushScheduled = false;
      if (this.disposed) return;
      this.rows.flush((key) => this.ordered.get(key) !== undefined);
      if (this.writer.dropped !== this.lastDroppedPosted) {
        this.lastDroppedPosted = this.writer.dropped;
        this.postDropped();
      }
      this.writer.scheduleWrite();
    }, 0);
  }

  private postDropped(): void {
    this.opts.post({ type: 'dropped', count: this.writer.dropped, text: droppedNotice(this.writer.dropped, this.limits) });
  }

  /** Posts the status again if it changed (the waiting sentence follows the colony catalog, not this controller). */
  refreshStatus(): void {
    this.postStatus();
  }

  private postStatus(): void {
    if (this.disposed) return;
    const view = this.view;
    const json = JSON.stringify(view);
    if (json === this.lastStatusJson) return;
    this.lastStatusJson = json;
    this.opts.post({ type: 'status', ...view });
  }

  private get panelState(): PanelState {
    return {
      gone: this.gone,
      finished: this.isFinished,
      process: this.process,
      finalState: this.meta.finalState,
      offlineReason: this.offlineReason,
      streamStatus: this.streamStatus,
      myId: this.rows.parties.myId,
      waitReason: this.process?.state === ProcessState.WAITING ? this.opts.whyWaiting?.(this.process) : undefined,
    };
  }
}
