// The Processes view: model, provider, refresh manager, process watches, documents and tree commands.
import * as vscode from 'vscode';
import { shortId } from '../base/format';
import type { Process } from '../colonies/types';
import { commandRegistrar, UserFacingError } from '../base/errors';
import { registerProcessActions } from './processActions';
import { registerWhyWaiting } from './whyWaiting';
import { activeStoreKey, storeConnection, type ConnectionService, type Session } from '../connection/types';
import type { ProcessCounts } from '../connection/statusBar';
import type { ColonyCatalog } from '../store/colonyCatalog';
import { ConnectionProcesses, type ProcessStore } from '../store/processStore';
import type { Disposable } from '../colonies/events';
import { isTerminal } from '../colonies/client';
import { describeFilters, hasFilters, normalizeFilters, type TreeFilters } from './filters';
import { runFilterCommand } from './filterCommand';
import { parseDocUri, ProcessDocumentProvider, SCHEME } from './processDocuments';
import { followProcesses, registerFollowCommands } from './followCommands';
import { FollowTerminals, type FollowOutcome } from './followTerminal';
import { ProcessRefreshManager, type RefreshHooks } from './processRefresh';
import { ProcessTreeModel, type ModelSession } from './processTreeModel';
import { ProcessTreeProvider } from './processTreeProvider';
import { isMine } from './stateMapping';
import { processIdOf, type TreeNode } from './treeNodes';
import { ProcessState } from '../colonies/types';

export const VIEW_ID = 'colonyos.processes';
const FILTERS_KEY = 'colonyos.processFilters';
const AGE_REFRESH_MS = 30_000;
/** The tree's own watches (opened, revealed, mine); the oldest is let go beyond this. */
const MAX_TREE_WATCHES = 10;
/** My unfinished processes are watched while the tree holds fewer watches than this. */
const MAX_MINE_WATCHES = 5;

export interface ProcessTreeDeps {
  output: vscode.LogOutputChannel;
  connection: ConnectionService & RefreshHooks;
  processes: ProcessStore;
  catalog: ColonyCatalog;
  /** Receives the colony's process counts (the server's own) after each change of the model: the status bar. */
  onCounts?: (counts: ProcessCounts | undefined) => void;
}

export interface ProcessTree {
  model: ProcessTreeModel;
  provider: ProcessTreeProvider;
  view: vscode.TreeView<TreeNode>;
  /** Finds the process, expands its state group and selects it. */
  revealProcess(processId: string): Promise<void>;
  /** Follows the process's state changes with subscribeprocessmsg until it finishes. */
  watchProcess(processId: string): void;
  /** Resolves after a refresh that started after the call. */
  refresh(): Promise<void>;
  /** Opens a terminal that follows processes' logs (Submit & Follow). */
  followProcesses(session: Session, processIds: readonly string[], intro: readonly string[], graphId?: string): FollowOutcome;
}


export function registerProcessTree(context: vscode.ExtensionContext, deps: ProcessTreeDeps): ProcessTree {
  const { output, connection, processes: store } = deps;
  const session = async (): Promise<ModelSession> => {
    const s = await connection.requireSession();
    return {
      client: s.client,
      colonyName: s.profile.colonyName,
      prvkey: s.prvkey,
      myId: s.myId,
      processes: new ConnectionProcesses(store, storeConnection(s)),
    };
  };
  const model = new ProcessTreeModel(session, normalizeFilters(context.workspaceState.get(FILTERS_KEY)));
  const provider = new ProcessTreeProvider(model, connection);
  if (deps.onCounts) {
    const onCounts = deps.onCounts;
    context.subscriptions.push(model.onDidChange(() => onCounts(model.status.kind === 'ok' && !hasFilters(model.filters) ? countsOf(model) : undefined)));
  }
  const view = vscode.window.createTreeView<TreeNode>(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  // Row ages ("5 s ago") go stale between polls that change nothing: re-render from the model (no requests) while visible.
  const ageTicker = setInterval(() => {
    if (view.visible) provider.refresh();
  }, AGE_REFRESH_MS);
  context.subscriptions.push({ dispose: () => clearInterval(ageTicker) });
  const manager = new ProcessRefreshManager(model, connection, view, output);
  provider.onGroupShown = () => manager.updateActive();
  const documents = new ProcessDocumentProvider(connection, model, store, deps.catalog);
  // The tree's watches in the store, oldest first, for the active connection only (dropped on a switch).
  const watches = new Map<string, Disposable>();
  const unwatch = (id: string) => {
    watches.get(id)?.dispose();
    watches.delete(id);
  };
  const unwatchAll = () => [...watches.keys()].forEach(unwatch);
  const watchProcess = (processId: string): void => {
    if (watches.has(processId)) return;
    void connection.requireSession().then(
      (s) => {
        if (watches.has(processId) || s.client !== connection.client) return;
        while (watches.size >= MAX_TREE_WATCHES) unwatch(watches.keys().next().value as string);
        watches.set(processId, store.watch(storeConnection(s), processId, watches));
      },
      (err: unknown) => output.debug(`Not watching ${processId}: ${String(err)}`),
    );
  };
  context.subscriptions.push(
    model,
    provider,
    view,
    manager,
    documents,
    { dispose: unwatchAll },
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, documents),
    // The tree shows what the store knows for the active connection (list rows were placed by the model itself).
    store.onDidChange((change) => {
      if (change.key !== activeStoreKey(connection)) return;
      if (change.source !== 'list') for (const p of change.processes) model.applyProcess(p);
      for (const p of change.processes) if (isTerminal(p.state)) unwatch(p.processid);
      for (const g of change.gone) unwatch(g.processId);
    }),
  );

  // My own unfinished processes get push updates while there is room; opened ones always do.
  context.subscriptions.push(
    model.onDidChange((change) => {
      if (change.kind !== 'group' && change.kind !== 'all') return;
      for (const state of [ProcessState.WAITING, ProcessState.RUNNING]) {
        for (const p of model.group(state).processes) {
          if (watches.size >= MAX_MINE_WATCHES) return;
          if (isMine(p, model.myId)) watchProcess(p.processid);
        }
      }
    }),
  );

  context.subscriptions.push(
    connection.onDidChange((change) => {
      if (change.profile || change.client) {
        // Open documents and panels keep their own connection; only the tree follows the active one.
        unwatchAll();
        model.reset();
        manager.requestRefresh();
      } else if (change.state && connection.state.kind === 'connected') {
        manager.requestRefresh();
      }
    }),
  );

  const updateFilterUi = () => {
    const f = model.filters;
    view.message = describeFilters(f);
    void vscode.commands.executeCommand('setContext', 'colonyos.hasFilters', hasFilters(f));
  };
  const setFilters = async (f: TreeFilters) => {
    model.setFilters(f);
    await context.workspaceState.update(FILTERS_KEY, model.filters);
    updateFilterUi();
    manager.requestRefresh();
  };
  updateFilterUi();

  const selectedProcessId = () => {
    const node = view.selection[0];
    return node ? processIdOf(node) : undefined;
  };

  async function revealProcess(processId: string): Promise<void> {
    const s = await connection.requireSession();
    if (s.profile && connection.state.kind !== 'connected') await connection.checkConnection();
    const p: Process = await model.locate(processId);
    if (!model.isVisible(p)) {
      throw new UserFacingError(`Process ${shortId(processId, 8)} is hidden by the current filters.`, [
        { title: 'Clear Filters', command: 'colonyos.clearFilters' },
      ]);
    }
    watchProcess(processId);
    await view.reveal(provider.processNode(p), { select: true, focus: true, expand: false });
  }

  const reg = commandRegistrar(context, output);
  reg('colonyos.refresh', async () => {
    if (connection.state.kind === 'unreachable' || connection.state.kind === 'unauthorized') await connection.checkConnection();
    await manager.refreshNow();
  });
  reg('colonyos.revealProcess', async (arg?: unknown) => {
    const id = processIdOf(arg);
    if (!id) throw new UserFacingError('Reveal Process needs a process id.');
    await revealProcess(id);
  });
  reg('colonyos.showDetails', async (arg?: unknown) => {
    const id = processIdOf(arg) ?? selectedProcessId();
    if (!id) throw new UserFacingError('Select a process in the ColonyOS Processes view first.');
    watchProcess(id);
    await documents.open('details', id);
  });
  reg('colonyos.showRawJson', async (arg?: unknown) => {
    // From the Details editor's title bar the argument is that document's URI; from the palette, the active editor's.
    const uri = arg instanceof vscode.Uri ? arg : arg === undefined ? vscode.window.activeTextEditor?.document.uri : undefined;
    const fromDoc = uri?.scheme === SCHEME ? parseDocUri(uri)?.processId : undefined;
    const id = fromDoc ?? processIdOf(arg) ?? selectedProcessId();
    if (!id) throw new UserFacingError('Select a process in the ColonyOS Processes view first.');
    watchProcess(id);
    await documents.open('json', id);
  });
  reg('colonyos.showLogs', async (arg?: unknown) => {
    const id = processIdOf(arg) ?? selectedProcessId();
    if (!id) throw new UserFacingError('Select a process in the ColonyOS Processes view first.');
    await documents.open('logs', id);
  });
  reg('colonyos.setFilter', () => runFilterCommand(model, connection, output, setFilters));
  reg('colonyos.clearFilters', () => setFilters({}));
  reg('colonyos.showConnectionError', async (text?: unknown) => {
    const message = typeof text === 'string' ? text : 'The ColonyOS connection has a problem.';
    const choice = await vscode.window.showErrorMessage(message, 'Retry', 'Edit Connection', 'Show Output');
    if (choice === 'Retry') await vscode.commands.executeCommand('colonyos.retryConnection');
    else if (choice === 'Edit Connection') await vscode.commands.executeCommand('colonyos.editConnection');
    else if (choice === 'Show Output') output.show(true);
  });
  reg('colonyos.copyMyId', async () => {
    const id = await connection.myId();
    if (!id) throw new UserFacingError('The active connection has no private key.', [{ title: 'Set Private Key', command: 'colonyos.setPrivateKey' }]);
    await vscode.env.clipboard.writeText(id);
    vscode.window.setStatusBarMessage(`$(copy) Copied your ColonyOS id ${shortId(id, 8)}…`, 3000);
  });

  registerProcessActions(context, {
    output,
    connection,
    selectedProcessId,
    readProcess: (s, id) => store.read(storeConnection(s), id),
    forgetProcess: (id) => {
      unwatch(id);
      const key = activeStoreKey(connection);
      if (key) store.remove(key, id);
      model.removeProcess(id);
    },
    requestRefresh: () => manager.requestRefresh(),
  });

  const terminals = new FollowTerminals(connection, store);
  context.subscriptions.push(terminals);
  registerFollowCommands(context, { output, connection, terminals, selectedProcessId });
  registerWhyWaiting(context, {
    output,
    connection,
    catalog: deps.catalog,
    model,
    provider,
    manager,
    activeKey: () => activeStoreKey(connection),
    readProcess: (s, id) => store.read(storeConnection(s), id),
    selectedProcessId,
  });

  manager.requestRefresh();
  return {
    followProcesses: (s, ids, intro, graphId) => followProcesses(terminals, s, ids, intro, graphId),
    model,
    provider,
    view,
    revealProcess,
    watchProcess,
    refresh: () => manager.refreshNow(),
  };
}

const COUNT_KEYS: Record<ProcessState, keyof ProcessCounts> = {
  [ProcessState.WAITING]: 'waiting',
  [ProcessState.RUNNING]: 'running',
  [ProcessState.SUCCESS]: 'successful',
  [ProcessState.FAILED]: 'failed',
  [ProcessState.CANCELLED]: 'cancelled',
};

/** The groups' counts (statistics from the server, or an uncut list's length) for the status bar. */
function countsOf(model: ProcessTreeModel): ProcessCounts {
  const out: ProcessCounts = {};
  for (const g of model.groups()) if (g.count !== undefined) out[COUNT_KEYS[g.state]] = g.count;
  return out;
}
