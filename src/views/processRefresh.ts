// Glue between a tree view, the connection and the RefreshScheduler: what "visible", "active" and
// "one refresh" mean for the Processes view and the Workflows view (the same rules for both).
import * as vscode from 'vscode';
import { ColoniesError, ColoniesTransportError } from '../colonies/rpc';
import type { ConnectionService } from '../connection/types';
import type { ProcessState } from '../colonies/types';
import { RefreshScheduler, refreshIntervalMs } from './refreshScheduler';

/** What the refresh manager needs of a tree model: one refresh, and which state groups are open. */
export interface RefreshableModel {
  refresh(): Promise<void>;
  setExpanded(state: ProcessState, expanded: boolean): void;
  readonly hasExpandedGroups: boolean;
}

/** The tree nodes the manager looks at: state groups (and the Processes view's colony row). */
export type RefreshableNode = { kind: string; state?: ProcessState };
import { errorMessage } from '../colonies/rpc';
import { Disposable } from '../base/disposable';

export interface RefreshHooks {
  /** Lets the connection re-probe when the tree's requests start failing or succeeding again. */
  noteRequestOutcome?(ok: boolean): void;
}

function intervalSetting(): number {
  // Bounded in code, not only in the schema: a workspace's settings may hold any number.
  return refreshIntervalMs(vscode.workspace.getConfiguration('colonyos').get<unknown>('refreshInterval') ?? 5);
}

export class ProcessRefreshManager extends Disposable implements vscode.Disposable {
  readonly scheduler: RefreshScheduler;
  private colonyExpanded = true;
  /** Called after each successful refresh of the list (the Why-is-it-waiting catalog follows the tree this way). */
  onRefreshed: () => void = () => undefined;

  constructor(
    private readonly model: RefreshableModel,
    private readonly connection: ConnectionService & RefreshHooks,
    view: vscode.TreeView<RefreshableNode>,
    output: vscode.LogOutputChannel,
  ) {
    super();
    // Disposed newest first: the listeners, then the scheduler.
    this.scheduler = this.register(
      new RefreshScheduler({
        intervalMs: intervalSetting(),
        run: () => this.runOnce(),
        onError: (err) => output.debug(`Process list refresh failed: ${errorMessage(err)}`),
      }),
    );
    this.registerAll(
      view.onDidChangeVisibility((e) => this.scheduler.setVisible(e.visible)),
      view.onDidExpandElement((e) => {
        if (e.element.kind === 'group' && e.element.state !== undefined) model.setExpanded(e.element.state, true);
        if (e.element.kind === 'colony') this.colonyExpanded = true;
        this.updateActive();
      }),
      view.onDidCollapseElement((e) => {
        if (e.element.kind === 'group' && e.element.state !== undefined) model.setExpanded(e.element.state, false);
        if (e.element.kind === 'colony') this.colonyExpanded = false;
        this.updateActive();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('colonyos.refreshInterval')) this.scheduler.setInterval(intervalSetting());
      }),
      connection.onDidChange(() => this.updateActive()),
    );
    this.scheduler.setVisible(view.visible);
    this.updateActive();
  }

  /** Polling is worth it while a group is open, or to retry (with backoff) while the connection is failing. */
  updateActive(): void {
    const kind = this.connection.state.kind;
    const failing = kind === 'unreachable' || kind === 'unauthorized';
    this.scheduler.setActive(failing || (this.colonyExpanded && this.model.hasExpandedGroups && kind === 'connected'));
  }

  requestRefresh(): void {
    this.scheduler.requestRefresh();
  }

  refreshNow(): Promise<void> {
    return this.scheduler.refreshNow();
  }

  private async runOnce(): Promise<void> {
    const state = this.connection.state;
    if (state.kind === 'none' || state.kind === 'noKey') return;
    if (state.kind === 'unreachable' || state.kind === 'unauthorized') {
      await this.connection.checkConnection();
      const after = this.connection.state;
      if (after.kind === 'unreachable' || after.kind === 'unauthorized') throw new Error(after.reason);
    }
    try {
      await this.model.refresh();
      this.connection.noteRequestOutcome?.(true);
      this.onRefreshed();
    } catch (err) {
      if (err instanceof ColoniesTransportError || (err instanceof ColoniesError && err.status === 403)) {
        this.connection.noteRequestOutcome?.(false);
      }
      throw err;
    }
  }
}
