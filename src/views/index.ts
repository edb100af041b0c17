// The Processes view: model, provider, refresh manager, process watches, documents and tree commands.
import * as vscode from 'vscode';
import { shortId } from '../base/format';
import type { Process } from '../colonies/types';
import { commandRegistrar, UserFacingError } from '../base/errors';
import { registerProcessActions } from './processActions';
import type { ConnectionService } from '../connection/types';
import { describeFilters, hasFilters, normalizeFilters, type ProcessFilters } from './filters';
import { ProcessDocumentProvider, SCHEME } from './processDocuments';
import { ProcessRefreshManager, type RefreshHooks } from './processRefresh';
import { ProcessTreeModel, type ModelSession } from './processTreeModel';
import { ProcessTreeProvider } from './processTreeProvider';
import { ProcessWatcher } from './processWatcher';
import { isMine } from './stateMapping';
import { processIdOf, type TreeNode } from './treeNodes';
import { ProcessState } from '../colonies/types';

export const VIEW_ID = 'colonyos.processes';
const FILTERS_KEY = 'colonyos.processFilters';
const AGE_REFRESH_MS = 30_000;

export interface ProcessTreeDeps {
  output: vscode.LogOutputChannel;
  connection: ConnectionService & RefreshHooks;
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
}

function profileKey(c: ConnectionService): string {
  const p = c.profile;
  return p ? JSON.stringify(p) : '';
}

export function registerProcessTree(context: vscode.ExtensionContext, deps: ProcessTreeDeps): ProcessTree {
  const { output, connection } = deps;
  const session = async (): Promise<ModelSession> => {
    const s = await connection.requireSession();
    return { client: s.client, colonyName: s.profile.colonyName, prvkey: s.prvkey, myId: s.myId };
  };
  const model = new ProcessTreeModel(session, normalizeFilters(context.workspaceState.get(FILTERS_KEY)));
  const provider = new ProcessTreeProvider(model, connection);
  const view = vscode.window.createTreeView<TreeNode>(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  // Row ages ("5 s ago") go stale between polls that change nothing: re-render from the model (no requests) while visible.
  const ageTicker = setInterval(() => {
    if (view.visible) provider.refresh();
  }, AGE_REFRESH_MS);
  context.subscriptions.push({ dispose: () => clearInterval(ageTicker) });
  const manager = new ProcessRefreshManager(model, connection, view, output);
  provider.onGroupShown = () => manager.updateActive();
  const watcher = new ProcessWatcher({
    session: async () => {
      const s = await connection.requireSession();
      return { client: s.client, prvkey: s.prvkey };
    },
    onUpdate: (p) => model.applyProcess(p),
    onLog: (m) => output.debug(m),
  });
  const documents = new ProcessDocumentProvider(connection, model);
  context.subscriptions.push(
    model,
    provider,
    view,
    manager,
    documents,
    { dispose: () => watcher.dispose() },
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, documents),
  );

  // My own unfinished processes get push updates while there is room; opened ones always do.
  context.subscriptions.push(
    model.onDidChange((change) => {
      if (change.kind !== 'group' && change.kind !== 'all') return;
      for (const state of [ProcessState.WAITING, ProcessState.RUNNING]) {
        for (const p of model.group(state).processes) {
          if (watcher.watchedIds.length >= 5) return;
          if (isMine(p, model.myId)) watcher.watch(p.processid);
        }
      }
    }),
  );

  let lastProfile = profileKey(connection);
  let lastState = connection.state.kind;
  context.subscriptions.push(
    connection.onDidChange(() => {
      const key = profileKey(connection);
      if (key !== lastProfile) {
        lastProfile = key;
        watcher.dispose();
        documents.reset();
        model.reset();
        manager.requestRefresh();
      } else if (connection.state.kind !== lastState && connection.state.kind === 'connected') {
        manager.requestRefresh();
      }
      lastState = connection.state.kind;
    }),
  );

  const updateFilterUi = () => {
    const f = model.filters;
    view.message = describeFilters(f);
    void vscode.commands.executeCommand('setContext', 'colonyos.hasFilters', hasFilters(f));
  };
  const setFilters = async (f: ProcessFilters) => {
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
    watcher.watch(processId);
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
    watcher.watch(id);
    await documents.open('details', id);
  });
  reg('colonyos.showLogs', async (arg?: unknown) => {
    const id = processIdOf(arg) ?? selectedProcessId();
    if (!id) throw new UserFacingError('Select a process in the ColonyOS Processes view first.');
    await documents.open('logs', id);
  });
  reg('colonyos.setFilter', async () => {
    const f = model.filters;
    type Item = vscode.QuickPickItem & { id: 'executorType' | 'label' | 'onlyMine' | 'clear' };
    const items: Item[] = [
      { id: 'executorType', label: '$(server-process) Executor type…', description: f.executorType ?? 'any' },
      { id: 'label', label: '$(tag) Label…', description: f.label ?? 'any' },
      { id: 'onlyMine', label: `${f.onlyMine ? '$(check)' : '$(person)'} Only processes I submitted`, description: f.onlyMine ? 'on' : 'off' },
    ];
    if (hasFilters(f)) items.push({ id: 'clear', label: '$(clear-all) Clear all filters' });
    const choice = await vscode.window.showQuickPick(items, {
      title: 'Filter Processes',
      placeHolder: 'The server applies one filter (executor type, else label); the others are applied here',
    });
    if (!choice) return;
    if (choice.id === 'clear') return setFilters({});
    if (choice.id === 'onlyMine') return setFilters({ ...f, onlyMine: !f.onlyMine });
    const value = await vscode.window.showInputBox({
      title: choice.id === 'executorType' ? 'Filter by executor type' : 'Filter by label',
      prompt: 'Leave empty to remove this filter',
      value: (choice.id === 'executorType' ? f.executorType : f.label) ?? '',
    });
    if (value === undefined) return;
    await setFilters({ ...f, [choice.id]: value.trim() || undefined });
  });
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
    applyProcess: (p) => model.applyProcess(p),
    forgetProcess: (id) => {
      watcher.unwatch(id);
      model.removeProcess(id);
    },
    requestRefresh: () => manager.requestRefresh(),
  });

  manager.requestRefresh();
  return {
    model,
    provider,
    view,
    revealProcess,
    watchProcess: (id) => watcher.watch(id),
    refresh: () => manager.refreshNow(),
  };
}
