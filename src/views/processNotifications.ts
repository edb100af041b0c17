// Notifications when a process you submitted or watch finishes (processNotices.ts decides; this shows them), with
// the actions that answer "what happened": Show Output / Open Transcript, or Show Logs for a failure.
// colonyos.notifications.processEnd: all | failures | off.
import * as vscode from 'vscode';
import type { Disposable } from '../colonies/events';
import { activeStoreKey, type ConnectionService } from '../connection/types';
import type { ProcessStore } from '../store/processStore';
import { noticeSetting, ProcessNotices, type ProcessNotice } from './processNotices';

export function registerProcessNotifications(connection: ConnectionService, store: ProcessStore): Disposable & { notices: ProcessNotices; shown: ProcessNotice[] } {
  const notices = new ProcessNotices();
  /** The last notices shown (newest last, a few kept), for the extension-host tests. */
  const shown: ProcessNotice[] = [];
  const sub = store.onDidChange((change) => {
    const setting = noticeSetting(vscode.workspace.getConfiguration('colonyos').get('notifications.processEnd'));
    const active = activeStoreKey(connection);
    const myId = change.key === active && connection.state.kind === 'connected' ? connection.state.myId : undefined;
    for (const p of change.processes) {
      const interesting = (!!myId && p.initiatorid === myId) || store.isWatched(change.key, p.processid);
      const notice = notices.observe(change.key, p, interesting, setting);
      if (!notice) continue;
      shown.push(notice);
      if (shown.length > 20) shown.shift();
      void show(notice);
    }
    for (const g of change.gone) notices.forget(change.key, g.processId);
  });
  return { notices, shown, dispose: () => sub.dispose() };
}

async function show(n: ProcessNotice): Promise<void> {
  if (n.severity === 'warning') {
    const choice = await vscode.window.showWarningMessage(n.message, 'Show Logs', 'Show Details');
    if (choice === 'Show Logs') await vscode.commands.executeCommand('colonyos.showLogs', n.processId);
    if (choice === 'Show Details') await vscode.commands.executeCommand('colonyos.showDetails', n.processId);
    return;
  }
  const actions = n.channel ? ['Show Output', 'Open Transcript'] : ['Show Output'];
  const choice = await vscode.window.showInformationMessage(n.message, ...actions);
  if (choice === 'Show Output') await vscode.commands.executeCommand('colonyos.showDetails', n.processId);
  if (choice === 'Open Transcript') await vscode.commands.executeCommand('colonyos.openChannel', n.processId, n.channel);
}
