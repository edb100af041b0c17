// A live workflow graph panel's logic, without `vscode`: reads the graph once per connect, draws it, and keeps the
// node states from the process store (docs/architecture-store.md). It never polls a process itself: members are read
// once through the store, and only the ones that can change next (running, or waiting on parents that all
// succeeded) are watched, at most MAX_WATCHES, while the panel is visible; the store's budget decides sockets vs polls.
import { isTerminal } from '../colonies/client';
import type { Disposable } from '../colonies/events';
import { errorMessage } from '../colonies/rpc';
import { ColoniesError } from '../colonies/rpc';
import { ProcessState, type Process, type ProcessGraph } from '../colonies/types';
import type { ConnectionProcesses } from '../store/processStore';
import type { ConnectedSession } from './controllerOptions';
import { graphMemberIds, liveGraphView, nodeState } from './graphModel';
import { GRAPH_LIMITS, parseGraphWebviewMessage, type GraphHostMessage, type GraphView, type NodeAction, type NodeStateKey } from './graphProtocol';

/** Members a panel watches at once (the store shares its sockets among everyone). */
export const MAX_WATCHES = 32;
/** Member reads in flight at once when a graph is opened (the client caps a server at 16). */
const READ_CONCURRENCY = 8;
/** State changes are posted at most this often. */
const POST_EVERY_MS = 150;

export interface GraphSession extends Pick<ConnectedSession, 'prvkey' | 'myId'> {
  client: { getProcessGraph(id: string, prvkey: string, opts?: { signal?: AbortSignal }): Promise<ProcessGraph> };
  processes: ConnectionProcesses;
}

export interface GraphControllerOptions {
  graphId: string;
  post: (m: GraphHostMessage) => void;
  /** A node's action (reveal, details, logs, channel) on its process. */
  onNodeAction: (processId: string, action: NodeAction, channel?: string) => void;
  log: { debug(message: string): void; warn(message: string): void };
  onTitle?: (title: string) => void;
}

/**
 * Why a node's action (Reveal, Details, Logs, a channel) cannot run now: those commands use the active connection,
 * and a panel kept on another server would read the wrong one. Undefined when the panel's server is the active one.
 */
export function nodeActionBlocker(held: { key: string; name: string } | undefined, activeKey: string | undefined): string | undefined {
  if (!held || held.key === activeKey) return undefined;
  return `This workflow is on the connection "${held.name}", not the active one: switch to "${held.name}" to open its processes.`;
}

export class GraphController implements Disposable {
  private session: GraphSession | undefined;
  private graph: ProcessGraph | undefined;
  private members: string[] = [];
  private readonly subs: Disposable[] = [];
  private readonly watches = new Map<string, Disposable>();
  private abort: AbortController | undefined;
  private visible = true;
  private status: 'connecting' | 'live' | 'offline' = 'connecting';
  private problem: string | undefined;
  private dirty = new Set<string>();
  private postTimer: ReturnType<typeof setTimeout> | undefined;
  private regraphTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private readonly owner = {};

  constructor(private readonly opts: GraphControllerOptions) {}

  /** What PanelConnection looks at: an offline panel reconnects when its client comes back. */
  get view(): { status: { kind: string } } {
    return { status: { kind: this.status } };
  }

  get graphId(): string {
    return this.opts.graphId;
  }

  /** The drawing as it would be posted now (tests and the panel's first message). */
  currentView(): GraphView | undefined {
    if (!this.graph || !this.session) {
      return this.problem ? { mode: 'live', title: `Workflow ${this.opts.graphId.slice(0, 12)}`, nodes: [], edges: [], error: this.problem } : undefined;
    }
    const processes = this.session.processes;
    const view = liveGraphView(this.graph, (id) => processes.get(id));
    if (this.problem) view.error = this.problem;
    return view;
  }

  /** The ids this panel watches right now. */
  get watched(): string[] {
    return [...this.watches.keys()];
  }

  async connect(session: GraphSession): Promise<void> {
    this.disconnect();
    this.session = session;
    this.status = 'connecting';
    const abort = new AbortController();
    this.abort = abort;
    try {
      this.graph = await session.client.getProcessGraph(this.opts.graphId, session.prvkey, { signal: abort.signal });
      this.problem = undefined;
    } catch (err) {
      if (abort.signal.aborted) return;
      this.status = err instanceof ColoniesError ? 'live' : 'offline';
      this.problem = err instanceof ColoniesError && (err.status === 404 || err.status === 500)
        ? `This workflow no longer exists on the server (${errorMessage(err)}).`
        : `Could not read the workflow: ${errorMessage(err)}`;
      this.resync();
      return;
    }
    if (abort.signal.aborted) return;
    this.status = 'live';
    this.members = graphMemberIds(this.graph).slice(0, GRAPH_LIMITS.nodes);
    const memberSet = new Set(this.members);
    this.subs.push(
      session.processes.store.onDidChange((change) => {
        if (change.key !== session.processes.conn.key) return;
        for (const p of change.processes) if (memberSet.has(p.processid)) this.changed(p);
      }),
    );
    this.opts.onTitle?.(liveGraphView(this.graph, () => undefined).title);
    this.resync();
    await this.readMembers(abort.signal);
    if (!abort.signal.aborted) this.updateWatches();
  }

  disconnect(reason?: string): void {
    this.abort?.abort();
    this.abort = undefined;
    for (const s of this.subs.splice(0)) s.dispose();
    this.unwatchAll();
    if (reason !== undefined) {
      this.status = 'offline';
      this.problem = reason;
      this.opts.post({ type: 'banner', error: reason });
    }
  }

  /** Watches only while the panel can be seen; VS Code drops messages to a hidden webview, so re-send on show. */
  setVisible(visible: boolean): void {
    if (this.visible === visible) return;
    this.visible = visible;
    if (visible) {
      this.resync();
      this.updateWatches();
    } else {
      this.unwatchAll();
    }
  }

  /** Sends the whole drawing again. */
  resync(): void {
    const view = this.currentView();
    if (view) this.opts.post({ type: 'graph', view });
  }

  /** Reads the graph again (its state and members), e.g. after Refresh. */
  async refresh(): Promise<void> {
    if (this.session) await this.connect(this.session);
  }

  handleMessage(raw: unknown): void {
    const m = parseGraphWebviewMessage(raw);
    if (!m) return this.opts.log.debug(`Graph panel: ignored a message outside the protocol`);
    if (m.type === 'ready') this.resync();
    else if (m.type === 'webviewError') this.opts.log.warn(`Graph webview error: ${m.message}`);
    else if (m.type === 'nodeAction' && this.members.includes(m.id) && m.action !== 'source') this.opts.onNodeAction(m.id, m.action, m.channel);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disconnect();
    if (this.postTimer) clearTimeout(this.postTimer);
    if (this.regraphTimer) clearTimeout(this.regraphTimer);
  }

  private async readMembers(signal: AbortSignal): Promise<void> {
    const processes = this.session?.processes;
    if (!processes) return;
    const todo = this.members.filter((id) => !processes.get(id));
    const worker = async () => {
      for (let id = todo.shift(); id !== undefined && !signal.aborted; id = todo.shift()) {
        await processes.read(id, { signal }).catch((err: unknown) => {
          if (!signal.aborted) this.opts.log.debug(`Graph ${this.opts.graphId}: reading ${id} failed: ${errorMessage(err)}`);
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, todo.length) }, worker));
  }

  /** Running members, and waiting ones whose parents all succeeded (they are next), newest need first. */
  private frontier(): string[] {
    const processes = this.session?.processes;
    if (!processes) return [];
    const running: string[] = [];
    const ready: string[] = [];
    for (const id of this.members) {
      const p = processes.get(id);
      if (!p || isTerminal(p.state)) continue;
      if (p.state === ProcessState.RUNNING) running.push(id);
      else if ((p.parents ?? []).every((parent) => processes.get(parent)?.state === ProcessState.SUCCESS)) ready.push(id);
    }
    return [...running, ...ready].slice(0, MAX_WATCHES);
  }

  private updateWatches(): void {
    const processes = this.session?.processes;
    if (!processes || !this.visible || this.disposed) return;
    const want = new Set(this.frontier());
    for (const [id, w] of this.watches) {
      if (!want.has(id)) {
        w.dispose();
        this.watches.delete(id);
      }
    }
    for (const id of want) if (!this.watches.has(id)) this.watches.set(id, processes.watch(id, this.owner));
  }

  private unwatchAll(): void {
    for (const w of this.watches.values()) w.dispose();
    this.watches.clear();
  }

  private changed(p: Process): void {
    this.dirty.add(p.processid);
    this.postTimer ??= setTimeout(() => this.flush(), POST_EVERY_MS);
    if (isTerminal(p.state)) {
      // The next members may now be ready; a failure or a cancel changes the whole graph (docs/protocol.md §4.8).
      this.updateWatches();
      const processes = this.session?.processes;
      const allDone = !!processes && this.members.every((id) => {
        const q = processes.get(id);
        return !!q && isTerminal(q.state);
      });
      if (p.state !== ProcessState.SUCCESS || allDone) this.scheduleRegraph();
    }
  }

  private flush(): void {
    this.postTimer = undefined;
    const processes = this.session?.processes;
    if (!processes || this.disposed) return;
    const nodes: { id: string; state: NodeStateKey }[] = [...this.dirty].map((id) => ({ id, state: nodeState(processes.get(id)) }));
    this.dirty.clear();
    if (nodes.length) this.opts.post({ type: 'states', nodes });
  }

  /** After a failure or a cancel: read the graph and the unfinished members once more (one pass, not a poll). */
  private scheduleRegraph(): void {
    this.regraphTimer ??= setTimeout(() => {
      this.regraphTimer = undefined;
      const session = this.session;
      const signal = this.abort?.signal;
      if (!session || !signal || signal.aborted) return;
      const open = this.members.filter((id) => {
        const p = session.processes.get(id);
        return !p || !isTerminal(p.state);
      });
      const reads = open.map((id) => session.processes.read(id, { signal }).catch(() => undefined));
      // The graph's own state (the subtitle) follows its members.
      const graph = session.client.getProcessGraph(this.opts.graphId, session.prvkey, { signal }).then(
        (g) => {
          if (!signal.aborted) this.graph = g;
        },
        () => undefined,
      );
      void Promise.all([...reads, graph]).then(() => {
        if (signal.aborted) return;
        this.resync();
        this.updateWatches();
      });
    }, 1000);
  }
}
