// Workflow graph panels: one per (connection, process graph id), reused, restored after a window reload. The panel
// keeps the connection it was opened on (panelConnection.ts), as channel panels do; its logic is in graphController.ts.
import * as vscode from 'vscode';
import { shortId } from '../base/format';
import { Disposable } from '../base/disposable';
import { registerCommand, runReported, UserFacingError } from '../base/errors';
import { activeStoreKey, type ConnectionService } from '../connection/types';
import type { ProcessStore } from '../store/processStore';
import { errorMessage } from '../colonies/rpc';
import { mediaRoot } from './channelPanel';
import { makeNonce } from './chatHtml';
import { GraphController, nodeActionBlocker } from './graphController';
import { renderGraphHtml } from './graphHtml';
import { parseGraphPersistedState, type GraphHostMessage, type GraphPersistedState, type NodeAction } from './graphProtocol';
import { PanelConnection } from './panelConnection';

export const GRAPH_VIEW_TYPE = 'colonyos.workflowGraph';

/** The page of a graph panel (live or preview): same script, style and CSP. */
export function graphWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, saved: GraphPersistedState): string {
  const root = mediaRoot(extensionUri);
  return renderGraphHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'graph.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'graph.css')).toString(),
    saved,
  });
}

export function graphWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [mediaRoot(extensionUri)] };
}

/** Posts to a webview unless it is hidden (VS Code drops those; the panel re-sends everything when it shows). */
export function postToPanel(panel: vscode.WebviewPanel, m: GraphHostMessage, output: vscode.LogOutputChannel): void {
  if (!panel.visible) return;
  panel.webview.postMessage(m).then(undefined, (err: unknown) => output.debug(`Graph panel: postMessage failed: ${String(err)}`));
}

/** What a node's action runs: the existing process commands (package.json). */
export async function runNodeAction(processId: string, action: NodeAction, channel?: string): Promise<void> {
  if (action === 'reveal') await vscode.commands.executeCommand('colonyos.revealProcess', processId);
  else if (action === 'details') await vscode.commands.executeCommand('colonyos.showDetails', processId);
  else if (action === 'logs') await vscode.commands.executeCommand('colonyos.showLogs', processId);
  else if (action === 'channel' && channel) await vscode.commands.executeCommand('colonyos.openChannel', processId, channel);
}

interface GraphPanelDeps {
  extensionUri: vscode.Uri;
  output: vscode.LogOutputChannel;
  connection: ConnectionService;
  processes: ProcessStore;
}

export class GraphPanel extends Disposable implements vscode.Disposable {
  readonly controller: GraphController;
  readonly connection: PanelConnection;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly graphId: string,
    deps: GraphPanelDeps,
  ) {
    super();
    panel.webview.options = graphWebviewOptions(deps.extensionUri);
    this.controller = new GraphController({
      graphId,
      post: (m) => !this.isDisposed && postToPanel(panel, m, deps.output),
      onNodeAction: (id, action, channel) =>
        void runReported(deps.output, 'Workflow graph', async () => {
          const held = this.connection.held;
          const blocked = nodeActionBlocker(held && { key: held.key, name: held.profile.name }, activeStoreKey(deps.connection));
          if (blocked) throw new UserFacingError(blocked, [{ title: 'Switch Connection', command: 'colonyos.switchConnection' }]);
          await runNodeAction(id, action, channel);
        }),
      log: deps.output,
      onTitle: (title) => !this.isDisposed && (panel.title = title),
    });
    panel.title = `Workflow ${shortId(graphId)}`;
    panel.webview.html = graphWebviewHtml(panel.webview, deps.extensionUri, { kind: 'live', graphId });
    const listeners = [
      panel.webview.onDidReceiveMessage((m: unknown) => this.controller.handleMessage(m)),
      panel.onDidChangeViewState((e) => this.controller.setVisible(e.webviewPanel.visible)),
      panel.onDidDispose(() => this.dispose()),
    ];
    this.connection = new PanelConnection(deps.connection, this.controller, deps.processes);
    this.registerAll(panel, this.connection, ...listeners, this.controller);
  }

  /** The store key of the connection this panel holds (undefined until it first connected). */
  get connectionKey(): string | undefined {
    return this.connection.held?.key;
  }

  start(): Promise<void> {
    return this.connection.connect();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}

export interface GraphPanels {
  openGraph(graphId: string): Promise<void>;
  /** The open panel of this graph on the active connection (for the extension-host tests). */
  panelFor(graphId: string): GraphPanel | undefined;
}

/** Accepts a graph id, or a tree node / object carrying `graphId` or `processgraphid`. */
export function graphIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && /^[0-9a-f]{64}$/i.test(arg.trim())) return arg.trim();
  if (arg && typeof arg === 'object') {
    const o = arg as { graphId?: unknown; processgraphid?: unknown };
    const id = typeof o.graphId === 'string' ? o.graphId : typeof o.processgraphid === 'string' ? o.processgraphid : undefined;
    if (id && /^[0-9a-f]{64}$/i.test(id)) return id;
  }
  return undefined;
}

export function registerGraphPanels(context: vscode.ExtensionContext, deps: Omit<GraphPanelDeps, 'extensionUri'>): GraphPanels {
  const full: GraphPanelDeps = { ...deps, extensionUri: context.extensionUri };
  const panels = new Set<GraphPanel>();

  const adopt = (webviewPanel: vscode.WebviewPanel, graphId: string): GraphPanel => {
    const panel = new GraphPanel(webviewPanel, graphId, full);
    panels.add(panel);
    panel.onDidDispose(() => panels.delete(panel));
    panel.start().catch((err: unknown) => deps.output.error(`Workflow graph ${graphId}: ${errorMessage(err)}`));
    return panel;
  };
  const find = (graphId: string, key: string | undefined) => [...panels].find((p) => p.graphId === graphId && (!key || p.connectionKey === key));

  async function openGraph(graphId: string): Promise<void> {
    const session = await deps.connection.requireSession();
    const existing = find(graphId, session.key);
    if (existing) return existing.panel.reveal();
    const webviewPanel = vscode.window.createWebviewPanel(
      GRAPH_VIEW_TYPE,
      `Workflow ${shortId(graphId)}`,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      graphWebviewOptions(context.extensionUri),
    );
    adopt(webviewPanel, graphId);
  }

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
      async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown) {
        const saved = parseGraphPersistedState(state);
        if (saved?.kind !== 'live') {
          deps.output.warn('Workflow graph: could not restore a panel without saved state; closing it.');
          webviewPanel.dispose();
          return;
        }
        // The saved view (pan and zoom) is read again by the webview from its own state.
        adopt(webviewPanel, saved.graphId);
      },
    }),
    { dispose: () => [...panels].forEach((p) => p.dispose()) },
  );

  registerCommand(
    context,
    'colonyos.openWorkflowGraph',
    async (arg?: unknown) => {
      const id = graphIdOf(arg);
      if (!id) throw new UserFacingError('Open Graph needs a workflow: use it on a workflow in the ColonyOS Workflows view.');
      await openGraph(id);
    },
    { output: deps.output },
  );

  return { openGraph, panelFor: (graphId) => find(graphId, undefined) };
}
