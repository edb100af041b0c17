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

/** The colony's process counts as the server states them (getcolonystatsmsg), for the active connection. */
export interface ProcessCounts {
  waiting?: number;
  running?: number;
  successful?: number;
  failed?: number;
  cancelled?: number;
}

const COUNT_NAMES: [keyof ProcessCounts, string][] = [
  ['waiting', 'waiting'],
  ['running', 'running'],
  ['successful', 'successful'],
  ['failed', 'failed'],
  ['cancelled', 'cancelled'],
];

export interface StatusBarContent {
  text: string;
  tooltip: vscode.MarkdownString;
  /** Shown on a warning background: a failing connection, or plain HTTP to another machine. */
  warning: boolean;
  accessibilityLabel: string;
}

/** What the status bar item shows for a profile and its state (kept apart so the host tests can read it). */
export function statusBarContent(profile: ConnectionProfile | undefined, state: ConnectionState, counts?: ProcessCounts): StatusBarContent {
  const plainHttp = !!profile && isPlainHttpToRemote(profile);
  const live = state.kind === 'connected' && counts ? counts : undefined;
  // The bar shows what is under way (waiting, running); the tooltip has all five.
  const busy = live ? COUNT_NAMES.slice(0, 2).filter(([k]) => (live[k] ?? 0) > 0).map(([k, name]) => `${live[k]} ${name}`) : [];
  const text = `${ICONS[state.kind]} ${profile ? profile.name : 'ColonyOS'}${plainHttp ? ' $(warning) HTTP' : ''}${busy.length ? ` · ${busy.join(' · ')}` : ''}`;
  const accessibilityLabel =
    `ColonyOS connection ${profile ? `${profile.name}, ${describeState(state)}` : 'not configured'}` +
    (busy.length ? `, ${busy.join(', ')} processes` : '') +
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
    if (live) {
      const known = COUNT_NAMES.filter(([k]) => live[k] !== undefined).map(([k, name]) => `${live[k]!.toLocaleString('en-US')} ${name}`);
      if (known.length) md.appendText(`Processes (the server's counts): ${known.join(', ')}\n`);
    }
    if (state.kind === 'unreachable' || state.kind === 'unauthorized') md.appendText(`\n${state.reason}\n`);
    if (state.kind === 'noKey') md.appendText('\nNo private key is stored for this connection. Run "ColonyOS: Set Private Key".\n');
    md.appendMarkdown('\nClick to switch connection.');
  }
  const warning = state.kind === 'unreachable' || state.kind === 'unauthorized' || plainHttp;
  return { text, tooltip: md, warning, accessibilityLabel };
}

export interface ConnectionStatusBar extends vscode.Disposable {
  /** The active colony's counts from the Processes view's last refresh; undefined when it has none. */
  setCounts(counts: ProcessCounts | undefined): void;
  /** What it shows now (for the extension-host tests). */
  readonly content: StatusBarContent;
}

export function createStatusBar(connection: ConnectionServiceImpl): ConnectionStatusBar {
  const item = vscode.window.createStatusBarItem('colonyos.connection', vscode.StatusBarAlignment.Left, 10);
  item.name = 'ColonyOS Connection';
  item.command = 'colonyos.switchConnection';

  const update = () => {
    const content = statusBarContent(connection.profile, connection.state, counts);
    item.text = content.text;
    item.tooltip = content.tooltip;
    item.accessibilityInformation = { label: content.accessibilityLabel };
    item.backgroundColor = content.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  let counts: ProcessCounts | undefined;
  update();
  const sub = connection.onDidChange((change) => {
    if (change.profile || change.client) counts = undefined;
    update();
  });
  const disposable = vscode.Disposable.from(item, sub);
  return {
    setCounts: (next) => {
      if (JSON.stringify(next) === JSON.stringify(counts)) return;
      counts = next;
      update();
    },
    dispose: () => disposable.dispose(),
    get content() {
      return statusBarContent(connection.profile, connection.state, counts);
    },
  };
}
