// The Executors view: the colony's executors from the colony catalog (store/colonyCatalog.ts), refreshed only while
// the view is visible (the same rules as the Processes view: refreshScheduler.ts), never by subscribeprocessesmsg.
// Approve, reject and remove need the colony owner's key (docs/protocol.md P15), kept apart from the member key.
import * as vscode from 'vscode';
import { commandRegistrar, UserFacingError } from '../base/errors';
import { crypto, isValidPrivateKey } from '../colonies/index';
import { errorMessage } from '../colonies/rpc';
import { catalogConnection, type ConnectionService, type Session } from '../connection/types';
import { staleLimitMs } from '../connection/connectionService';
import type { ColonyCatalog } from '../store/colonyCatalog';
import type { ExecutorGrouping } from './executorModel';
import { ExecutorTreeProvider, type ExecutorNode } from './executorTree';
import { RefreshScheduler, refreshIntervalMs } from './refreshScheduler';

export const EXECUTORS_VIEW_ID = 'colonyos.executors';
const GROUPING_KEY = 'colonyos.executors.grouping';
/** Executors change less often than processes: never poll them faster than this. */
const MIN_EXECUTOR_POLL_MS = 10_000;

export interface ExecutorsViewDeps {
  output: vscode.LogOutputChannel;
  connection: ConnectionService;
  catalog: ColonyCatalog;
}

export interface ExecutorsView {
  provider: ExecutorTreeProvider;
  view: vscode.TreeView<ExecutorNode>;
  refreshNow(): Promise<void>;
  /** Whether the owner actions are offered now (for the tests). */
  readonly isOwner: boolean;
}

const staleSeconds = (): number => staleLimitMs() / 1000;

function pollMs(): number {
  const ms = refreshIntervalMs(vscode.workspace.getConfiguration('colonyos').get<unknown>('refreshInterval') ?? 5);
  return ms === 0 ? 0 : Math.max(MIN_EXECUTOR_POLL_MS, ms);
}

export function registerExecutorsView(context: vscode.ExtensionContext, deps: ExecutorsViewDeps): ExecutorsView {
  const { output, connection, catalog } = deps;
  let grouping: ExecutorGrouping = context.globalState.get<ExecutorGrouping>(GROUPING_KEY) === 'state' ? 'state' : 'type';
  let owner: { key: string; ownerKey: string } | undefined;
  let session: Session | undefined;

  const provider = new ExecutorTreeProvider({
    entry: () => (session ? catalog.get(session.key) : { refreshing: false }),
    grouping: () => grouping,
    isOwner: () => owner !== undefined && owner.key === session?.key,
    staleSeconds,
  });
  const view = vscode.window.createTreeView(EXECUTORS_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const setGrouping = (g: ExecutorGrouping) => {
    grouping = g;
    void context.globalState.update(GROUPING_KEY, g);
    void vscode.commands.executeCommand('setContext', 'colonyos.executorsGrouping', g);
    provider.refresh();
  };
  void vscode.commands.executeCommand('setContext', 'colonyos.executorsGrouping', grouping);

  const describe = () => {
    const entry = session ? catalog.get(session.key) : undefined;
    const n = entry?.snapshot?.executors.length;
    view.description = n === undefined ? undefined : `${n} executor${n === 1 ? '' : 's'}`;
  };

  /** Is the colony owner's key at hand for this connection? The colony's id is its owner's id. */
  const checkOwner = async (s: Session) => {
    const ownerKey = await connection.getColonyOwnerKey();
    if (!ownerKey) {
      owner = undefined;
    } else if (owner?.key !== s.key || owner.ownerKey !== ownerKey) {
      const colony = await s.client.getColony(s.profile.colonyName, s.prvkey);
      owner = colony.colonyid === crypto.id(ownerKey) ? { key: s.key, ownerKey } : undefined;
      if (!owner) output.warn(`The colony owner key stored for "${s.profile.name}" is not the owner of colony ${s.profile.colonyName}; executor approval is hidden.`);
    }
    void vscode.commands.executeCommand('setContext', 'colonyos.isColonyOwner', owner !== undefined);
  };

  const run = async () => {
    const state = connection.state.kind;
    if (state !== 'connected') return;
    const s = await connection.requireSession();
    session = s;
    const entry = await catalog.refresh(catalogConnection(s));
    await checkOwner(s).catch((err: unknown) => output.debug(`Executors view: colony owner check failed: ${errorMessage(err)}`));
    provider.refresh();
    describe();
    if (entry.error) throw new Error(entry.error);
  };

  const scheduler = new RefreshScheduler({
    intervalMs: pollMs(),
    run,
    onError: (err) => output.debug(`Executor list refresh failed: ${errorMessage(err)}`),
  });
  const updateActive = () => scheduler.setActive(connection.state.kind === 'connected');
  context.subscriptions.push(
    view,
    provider,
    scheduler,
    view.onDidChangeVisibility((e) => scheduler.setVisible(e.visible)),
    catalog.onDidChange((key) => {
      if (key === session?.key) {
        provider.refresh();
        describe();
      }
    }),
    connection.onDidChange((change) => {
      if (change.profile || change.client) {
        session = undefined;
        owner = undefined;
        provider.refresh();
        describe();
      }
      updateActive();
      if (change.client || (change.state && connection.state.kind === 'connected')) scheduler.requestRefresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('colonyos.refreshInterval')) scheduler.setInterval(pollMs());
      if (e.affectsConfiguration('colonyos.executors.staleAfter')) provider.refresh();
    }),
  );
  scheduler.setVisible(view.visible);
  updateActive();

  const reg = commandRegistrar(context, output);
  reg('colonyos.refreshExecutors', () => scheduler.refreshNow());
  reg('colonyos.groupExecutorsByType', () => setGrouping('type'));
  reg('colonyos.groupExecutorsByState', () => setGrouping('state'));

  const ownerAction = async (node: unknown, verb: 'approve' | 'reject' | 'remove') => {
    const row = node && typeof node === 'object' && (node as ExecutorNode).kind === 'executor' ? (node as Extract<ExecutorNode, { kind: 'executor' }>).row : undefined;
    if (!row) throw new UserFacingError(`Use this from an executor in the ColonyOS Executors view.`);
    const s = await connection.requireSession();
    if (!owner || owner.key !== s.key) {
      throw new UserFacingError(`Only the colony owner can ${verb} executors, and no colony owner key is stored for "${s.profile.name}".`, [
        { title: 'Set Colony Owner Key', command: 'colonyos.setColonyOwnerKey' },
      ]);
    }
    const e = row.executor;
    if (verb === 'remove') {
      const choice = await vscode.window.showWarningMessage(
        `Remove executor "${e.executorname}" from colony ${s.profile.colonyName}?`,
        {
          modal: true,
          detail: 'The server marks it unregistered: it is no longer assigned processes. To come back it must register again and be approved.',
        },
        'Remove Executor',
      );
      if (choice !== 'Remove Executor') return;
    }
    const call = { approve: 'approveExecutor', reject: 'rejectExecutor', remove: 'removeExecutor' } as const;
    await s.client[call[verb]](s.profile.colonyName, e.executorname, owner.ownerKey);
    output.info(`Executor ${e.executorname}: ${verb}d with the colony owner key.`);
    await scheduler.refreshNow();
  };
  reg('colonyos.approveExecutor', (node?: unknown) => ownerAction(node, 'approve'));
  reg('colonyos.rejectExecutor', (node?: unknown) => ownerAction(node, 'reject'));
  reg('colonyos.removeExecutor', (node?: unknown) => ownerAction(node, 'remove'));

  reg('colonyos.setColonyOwnerKey', async () => {
    const s = await connection.requireSession();
    const key = await vscode.window.showInputBox({
      title: `Colony owner key for "${s.profile.name}" (colony ${s.profile.colonyName})`,
      prompt: 'The private key of the colony (COLONIES_COLONY_PRVKEY). Stored in Secret Storage for this server only; used only to approve, reject and remove executors.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (isValidPrivateKey(v.trim()) ? undefined : 'A private key is 64 hexadecimal characters.'),
    });
    if (!key) return;
    const colony = await s.client.getColony(s.profile.colonyName, s.prvkey);
    if (colony.colonyid !== crypto.id(key.trim())) {
      throw new UserFacingError(`That key does not own colony ${s.profile.colonyName} (the colony's id is ${colony.colonyid.slice(0, 12)}…). Nothing was stored.`);
    }
    await connection.setColonyOwnerKey(s.profile, key);
    owner = undefined;
    await scheduler.refreshNow();
    void vscode.window.showInformationMessage(`Colony owner key stored for "${s.profile.name}": you can now approve, reject and remove executors.`);
  });

  return {
    provider,
    view,
    refreshNow: () => scheduler.refreshNow(),
    get isOwner() {
      return owner !== undefined && owner.key === session?.key;
    },
  };
}
