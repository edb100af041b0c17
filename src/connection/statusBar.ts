// The status bar item: active profile and its state, and a warning for plain HTTP to another machine; clicking it
// switches profile.
import * as vscode from 'vscode';
import type { ConnectionServiceImpl } from './connectionService';
import type { ConnectionProfile, ConnectionState } from './types';
import { address, describeState } from './probe';
import { isPlainHttpToRemote, plainHttpWarning } from './identity';

const ICONS: Record<string, string> = {
  none: '$(plug)',
  connecting: '$(loading~spin)',
  connected: '$(vm-active)',
  unreachable: '$(debug-disconnect)',
  unauthorized: '$(lock)',
  noKey: '$(key)',
};

export interface StatusBarContent {
  text: string;
  tooltip: vscode.MarkdownString;
  /** Shown on a warning background: a failing connection, or plain HTTP to another machine. */
  warning: boolean;
  accessibilityLabel: string;
}

/** What the status bar item shows for a profile and its state (kept apart so the host tests can read it). */
export function statusBarContent(profile: ConnectionProfile | undefined, state: ConnectionState): StatusBarContent {
  const plainHttp = !!profile && isPlainHttpToRemote(profile);
  const text = `${ICONS[state.kind]} ${profile ? profile.name : 'ColonyOS'}${plainHttp ? ' $(warning) HTTP' : ''}`;
  const accessibilityLabel =
    `ColonyOS connection ${profile ? `${profile.name}, ${describeState(state)}` : 'not configured'}` +
    (plainHttp ? ', warning: plain HTTP to a remote host' : '');
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  if (!profile) {
    md.appendMarkdown('**ColonyOS**: no connection configured.\n\nClick to add or switch a connection.');
  } else {
    md.appendMarkdown(`**ColonyOS** — ${describeState(state)}\n\n`);
    if (plainHttp) {
      md.appendMarkdown('$(warning) **Not encrypted.** ');
      md.appendText(`${plainHttpWarning(profile)} Edit the connection to use HTTPS.\n\n`);
    }
    md.appendText(`Connection: ${profile.name}\nServer: ${address(profile)}\nColony: ${profile.colonyName}\n`);
    if (profile.tls && profile.caFile) md.appendText(`CA certificate: ${profile.caFile}\n`);
    if (state.kind === 'connected') md.appendText(`Your id: ${state.myId}\n`);
    if (state.kind === 'unreachable' || state.kind === 'unauthorized') md.appendText(`\n${state.reason}\n`);
    if (state.kind === 'noKey') md.appendText('\nNo private key is stored for this connection. Run "ColonyOS: Set Private Key".\n');
    md.appendMarkdown('\nClick to switch connection.');
  }
  const warning = state.kind === 'unreachable' || state.kind === 'unauthorized' || plainHttp;
  return { text, tooltip: md, warning, accessibilityLabel };
}

export function createStatusBar(connection: ConnectionServiceImpl): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('colonyos.connection', vscode.StatusBarAlignment.Left, 10);
  item.name = 'ColonyOS Connection';
  item.command = 'colonyos.switchConnection';

  const update = () => {
    const content = statusBarContent(connection.profile, connection.state);
    item.text = content.text;
    item.tooltip = content.tooltip;
    item.accessibilityInformation = { label: content.accessibilityLabel };
    item.backgroundColor = content.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  update();
  const sub = connection.onDidChange(update);
  return vscode.Disposable.from(item, sub);
}
