// The Workflows view: process graphs by state, each with its member processes; cancel and remove a whole workflow
// (the only way the server allows for its members, docs/protocol.md §4.5); Open Graph. A view of its own rather
// than a group in the Processes view: graphs have their own lists, counts and actions, the Processes view's filters
// are process filters, and a view of its own polls only while it is visible (the same refresh manager and rules).
import * as vscode from 'vscode';
import { shortId } from '../base/format';
import { commandRegistrar, UserFacingError } from '../base/errors';
import type { Disposable } from '../colonies/events';
import { isTerminal } from '../colonies/client';
import { ProcessState } from '../colonies/types';
import { storeConnection, type ConnectionService } from '../connection/types';
import { ConnectionProcesses, type ProcessStore } from '../store/processStore';
import { ProcessRefreshManager, type RefreshHooks } from './processRefresh';
import { presentState } from './stateMapping';
import { WorkflowTreeModel, type WorkflowSession } from './workflowTreeModel';
import { WorkflowTreeProvider, type WorkflowNode } from './workflowTreeProvider';

export const WORKFLOWS_VIEW_ID = 'colonyos.workflows';
/** Members of expanded workflows the view watches at once (the store's budget is shared with everyone). */
const MAX_VIEW_WATCHES = 10;

export interface WorkflowsDeps {
  output: vscode.LogOutputChannel;
  connection: ConnectionService & RefreshHooks;
  processes: ProcessStore;
}

export interface WorkflowsView {
  model: WorkflowTreeModel;
  provider: WorkflowTreeProvider;
  view: vscode.TreeView<WorkflowNode>;
  refresh(): Promise<void>;
}

function graphArg(arg: unknown, view: vscode.TreeView<WorkflowNode>): string | undefined {
  if (typeof arg === 'string' && /^[0-9a-f]{64}$/i.test(arg)) return arg;
  const node = (arg && typeof arg === 'object' ? arg : view.selection[0]) as { graphId?: unknown } | undefined;
  return typeof node?.graphId === 'string' ? node.graphId : undefined;
}

export function registerWorkflowsView(context: vscode.ExtensionContext, deps: WorkflowsDeps): WorkflowsView {
  const { output, connection, processes: store } = deps;
  const session = async (): Promise<WorkflowSession> => {
    const s = await connection.requireSession();
    return { client: s.client, colonyName: s.profile.colonyName, prvkey: s.prvkey, processes: new ConnectionProcesses(store, storeConnection(s)) };
  };
  const model = new WorkflowTreeModel(session);
  const provider = new WorkflowTreeProvider(model, connection);
  const view = vscode.window.createTreeView<WorkflowNode>(WORKFLOWS_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const manager = new ProcessRefreshManager(model, connection, view, output);
  provider.onGroupShown = () => manager.updateActive();

  // Watches on the unfinished members of expanded workflows, while the view is visible.
  const watches = new Map<string, Disposable>();
  const owner = {};
  const syncWatches = () => {
    const conn = model.processes;
    const want = new Set(view.visible && conn ? model.openUnfinishedMembers().slice(0, MAX_VIEW_WATCHES) : []);
    for (const [id, w] of watches) {
      if (want.has(id)) continue;
      w.dispose();
      watches.delete(id);
    }
    for (const id of want) if (!watches.has(id) && conn) watches.set(id, conn.watch(id, owner));
  };
  const unwatchAll = () => {
    for (const w of watches.values()) w.dispose();
    watches.clear();
  };

  context.subscriptions.push(
    model,
    provider,
    view,
    manager,
    { dispose: unwatchAll },
    store.onDidChange((change) => {
      const conn = model.processes;
      if (!conn || change.key !== conn.conn.key) return;
      for (const p of change.processes) {
        model.memberChanged(p.processid);
        if (isTerminal(p.state) && watches.has(p.processid)) {
          watches.get(p.processid)?.dispose();
          watches.delete(p.processid);
        }
      }
    }),
    model.onDidChange(() => syncWatches()),
    view.onDidChangeVisibility(() => syncWatches()),
    view.onDidCollapseElement((e) => {
      if (e.element.kind === 'graph') {
        model.closeGraph(e.element.graphId);
        syncWatches();
      }
    }),
    connection.onDidChange((change) => {
      if (change.profile || change.client) {
        unwatchAll();
        model.reset();
        manager.requestRefresh();
      } else if (change.state && connection.state.kind === 'connected') manager.requestRefresh();
    }),
  );

  const reg = commandRegistrar(context, output);
  reg('colonyos.refreshWorkflows', () => manager.refreshNow());
  reg('colonyos.copyWorkflowId', async (arg?: unknown) => {
    const id = graphArg(arg, view);
    if (!id) throw new UserFacingError('Select a workflow in the ColonyOS Workflows view first.');
    await vscode.env.clipboard.writeText(id);
    vscode.window.setStatusBarMessage(`$(copy) Copied workflow id ${shortId(id, 8)}…`, 3000);
  });

  const requireGraph = async (arg: unknown) => {
    const id = graphArg(arg, view);
    if (!id) throw new UserFacingError('Select a workflow in the ColonyOS Workflows view first.');
    const s = await connection.requireSession();
    const g = await s.client.getProcessGraph(id, s.prvkey);
    return { s, g, id };
  };

  reg('colonyos.cancelWorkflow', async (arg?: unknown) => {
    const { s, g, id } = await requireGraph(arg);
    if (g.state !== ProcessState.WAITING && g.state !== ProcessState.RUNNING) {
      throw new UserFacingError(`Workflow ${shortId(id)} is ${presentState(g.state).label.toLowerCase()}; only waiting or running workflows can be cancelled.`);
    }
    const n = g.processids?.length ?? 0;
    const button = 'Cancel Workflow';
    const ok = await vscode.window.showWarningMessage(
      `Cancel workflow ${shortId(id)}?`,
      { modal: true, detail: `All ${n} of its processes are cancelled: waiting ones are never assigned, running ones can no longer be closed by their executors.` },
      button,
    );
    if (ok !== button) return;
    await s.client.cancelProcessGraph(id, s.prvkey);
    output.info(`Cancelled workflow ${id}`);
    await manager.refreshNow();
  });

  reg('colonyos.removeWorkflow', async (arg?: unknown) => {
    const { s, g, id } = await requireGraph(arg);
    if (g.state === ProcessState.RUNNING) throw new UserFacingError(`Workflow ${shortId(id)} is running; cancel it first, then remove it.`);
    const n = g.processids?.length ?? 0;
    const button = 'Remove Workflow';
    const ok = await vscode.window.showWarningMessage(
      `Remove workflow ${shortId(id)}?`,
      { modal: true, detail: `The workflow and all ${n} of its processes, with their output and logs, are deleted from the server. This cannot be undone.` },
      button,
    );
    if (ok !== button) return;
    await s.client.removeProcessGraph(id, s.prvkey);
    output.info(`Removed workflow ${id}`);
    for (const pid of g.processids ?? []) store.remove(storeConnection(s), pid);
    model.removeGraph(id);
    manager.requestRefresh();
  });

  manager.requestRefresh();
  return { model, provider, view, refresh: () => manager.refreshNow() };
}
