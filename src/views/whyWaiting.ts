// "Why is it waiting?" in the Processes view: the command (inline on waiting rows and in the palette), the line in
// a waiting row's tooltip, and keeping the catalog fresh enough while the Waiting group is open.
// The reasoning itself is vscode-free: src/store/whyWaiting.ts.
import { staleLimitMs } from '../connection/connectionService';
import { noticeSetting } from './processNotices';
import * as vscode from 'vscode';
import { commandRegistrar, UserFacingError } from '../base/errors';
import { shortId } from '../base/format';
import { ProcessState, PROCESS_STATE_NAMES, type Process } from '../colonies/types';
import { catalogConnection, type ConnectionService, type Session } from '../connection/types';
import type { CatalogSnapshot, ColonyCatalog } from '../store/colonyCatalog';
import { longWaitText, whyWaiting, type WaitReason } from '../store/whyWaiting';
import type { ProcessTreeModel } from './processTreeModel';
import type { ProcessTreeProvider } from './processTreeProvider';
import type { ProcessRefreshManager } from './processRefresh';
import { isMine } from './stateMapping';
import { processIdOf } from './treeNodes';

/** The command reads the catalog again when its snapshot is older than this. */
const COMMAND_MAX_AGE_MS = 10_000;
/** While the Waiting group is open, the tree's refreshes keep the catalog at most this old (tooltips read it). */
const TREE_MAX_AGE_MS = 30_000;
const ID_RE = /^[0-9a-f]{64}$/i;
/** Processes already notified about, remembered per session (the oldest forgotten beyond this). */
const MAX_NOTIFIED = 500;

export interface WhyWaitingDeps {
  output: vscode.LogOutputChannel;
  connection: ConnectionService;
  catalog: ColonyCatalog;
  model: ProcessTreeModel;
  provider: ProcessTreeProvider;
  manager: ProcessRefreshManager;
  /** The active connection's store key (undefined without one). */
  activeKey(): string | undefined;
  readProcess(s: Session, processId: string): Promise<Process>;
  selectedProcessId(): string | undefined;
}

export function registerWhyWaiting(context: vscode.ExtensionContext, deps: WhyWaitingDeps): void {
  const { connection, catalog, model, provider, manager } = deps;

  provider.waitLine = (p) => {
    const key = deps.activeKey();
    const snapshot = key ? catalog.get(key).snapshot : undefined;
    return snapshot ? whyWaiting(p, snapshot, Date.now(), { staleLimitMs: staleLimitMs() }).sentence : undefined;
  };
  manager.onRefreshed = () => {
    if (!model.isExpanded(ProcessState.WAITING) || model.group(ProcessState.WAITING).processes.length === 0) return;
    void connection.requireSession().then(
      (s) => catalog.fresh(catalogConnection(s), TREE_MAX_AGE_MS),
      (err: unknown) => deps.output.debug(`Why is it waiting: no catalog refresh: ${String(err)}`),
    );
  };
  // One notification per process of yours that has waited long with nothing able to run it (longWaitText).
  const notified = new Set<string>();
  const notifyLongWaits = (snapshot: CatalogSnapshot): void => {
    // The same switch as the end-of-process notifications (processNotifications.ts): off means none of these either.
    if (noticeSetting(vscode.workspace.getConfiguration('colonyos').get('notifications.processEnd')) === 'off') return;
    const now = Date.now();
    for (const p of model.group(ProcessState.WAITING).processes) {
      if (notified.has(p.processid) || !isMine(p, model.myId)) continue;
      const text = longWaitText(p, whyWaiting(p, snapshot, now, { staleLimitMs: staleLimitMs() }), now);
      if (!text) continue;
      if (notified.size >= MAX_NOTIFIED) notified.delete(notified.values().next().value as string);
      notified.add(p.processid);
      void vscode.window.showInformationMessage(text, 'Show Details').then(async (choice) => {
        if (choice) await vscode.commands.executeCommand('colonyos.showDetails', p.processid);
      });
    }
  };
  context.subscriptions.push(
    catalog.onDidChange((key) => {
      if (key !== deps.activeKey() || model.group(ProcessState.WAITING).processes.length === 0) return;
      provider.refresh();
      const snapshot = catalog.get(key).snapshot;
      if (snapshot && !snapshot.restored) notifyLongWaits(snapshot);
    }),
    connection.onDidChange((change) => {
      if (change.profile || change.client) notified.clear();
    }),
  );

  const reg = commandRegistrar(context, deps.output);
  reg('colonyos.whyWaiting', async (arg?: unknown) => {
    const id = processIdOf(arg) ?? deps.selectedProcessId() ?? (await askForId());
    if (!id) return;
    const s = await connection.requireSession();
    const [p, entry] = await Promise.all([deps.readProcess(s, id), catalog.fresh(catalogConnection(s), COMMAND_MAX_AGE_MS)]);
    const label = `Process ${shortId(id)}`;
    if (p.state !== ProcessState.WAITING) {
      void vscode.window.showInformationMessage(`${label} is not waiting: it is ${PROCESS_STATE_NAMES[p.state]?.toLowerCase() ?? 'in another state'}.`);
      return;
    }
    if (!entry.snapshot) throw new UserFacingError(`Could not read the colony's executors: ${entry.error ?? 'no answer'}`);
    const reason = whyWaiting(p, entry.snapshot, Date.now(), { staleLimitMs: staleLimitMs() });
    const stale = entry.error ? ` (executors as read ${Math.round((Date.now() - entry.snapshot.fetchedAt) / 1000)} s ago; the last read failed)` : '';
    await showReason(`${label}: ${reason.sentence}${stale}`, reason, id);
  });
}

async function askForId(): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: 'Why Is It Waiting?',
    prompt: 'The id of a waiting process (64 hex characters)',
    validateInput: (v) => (ID_RE.test(v.trim()) ? undefined : 'A process id is 64 hexadecimal characters'),
  });
  return value?.trim() || undefined;
}

/** Plain text only (executor names are server data). Actions where there is one to take here. */
async function showReason(message: string, reason: WaitReason, processId: string): Promise<void> {
  const actions: string[] = [];
  if (reason.fix === 'approve' && reason.executors.length > 0) actions.push('Copy Executor Names');
  if (reason.fix === 'approve' || reason.fix === 'restart-executor' || reason.fix === 'start-executor') actions.push('Show Executors');
  actions.push('Show Details');
  const choice = await vscode.window.showInformationMessage(message, ...actions);
  if (choice === 'Copy Executor Names') await vscode.env.clipboard.writeText(reason.executors.join('\n'));
  else if (choice === 'Show Executors') await vscode.commands.executeCommand('colonyos.executors.focus');
  else if (choice === 'Show Details') await vscode.commands.executeCommand('colonyos.showDetails', processId);
}
