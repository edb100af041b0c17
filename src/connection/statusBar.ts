// The status bar item: active profile and its state; clicking it switches profile.
import * as vscode from 'vscode';
import type { ConnectionServiceImpl } from './connectionService';
import { address, describeState } from './probe';

const ICONS: Record<string, string> = {
  none: '$(plug)',
  connecting: '$(loading~spin)',
  connected: '$(vm-active)',
  unreachable: '$(debug-disconnect)',
  unauthorized: '$(lock)',
  noKey: '$(key)',
};

export function createStatusBar(connection: ConnectionServiceImpl): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('colonyos.connection', vscode.StatusBarAlignment.Left, 10);
  item.name = 'ColonyOS Connection';
  item.command = 'colonyos.switchConnection';

  const update = () => {
    const profile = connection.profile;
    const state = connection.state;
    item.text = `${ICONS[state.kind]} ${profile ? profile.name : 'ColonyOS'}`;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = false;
    if (!profile) {
      md.appendMarkdown('**ColonyOS**: no connection configured.\n\nClick to add or switch a connection.');
    } else {
      md.appendMarkdown(`**ColonyOS** — ${describeState(state)}\n\n`);
      md.appendText(`Connection: ${profile.name}\nServer: ${address(profile)}\nColony: ${profile.colonyName}\n`);
      if (state.kind === 'connected') md.appendText(`Your id: ${state.myId}\n`);
      if (state.kind === 'unreachable' || state.kind === 'unauthorized') md.appendText(`\n${state.reason}\n`);
      if (state.kind === 'noKey') md.appendText('\nNo private key is stored for this connection. Run "ColonyOS: Set Private Key".\n');
      md.appendMarkdown('\nClick to switch connection.');
    }
    item.tooltip = md;
    item.backgroundColor =
      state.kind === 'unreachable' || state.kind === 'unauthorized'
        ? new vscode.ThemeColor('statusBarItem.warningBackground')
        : undefined;
    item.show();
  };
  update();
  const sub = connection.onDidChange(update);
  return vscode.Disposable.from(item, sub);
}
