// One channel panel: the webview's lifecycle and the editor-side actions (dialogs, clipboard). The conversation logic
// is in ChannelController, which has no `vscode` import.
import { staleLimitMs } from '../connection/connectionService';
import * as os from 'node:os';
import { countOf, safeFileName, shortId } from '../base/format';
import * as vscode from 'vscode';
import { runReported } from '../base/errors';
import { Disposable } from '../base/disposable';
import type { ConnectionService } from '../connection/types';
import type { ColonyCatalog } from '../store/colonyCatalog';
import type { ProcessStore } from '../store/processStore';
import { followWaitReason, panelWaitReason } from './panelWaitReason';
import { PanelConnection } from './panelConnection';
import { ChannelController } from './channelController';
import { makeNonce, renderChatHtml } from './chatHtml';
import type { HostMessage, PanelInfo } from './protocol';
import { transcriptToJsonl, transcriptToMarkdown } from './transcriptExport';
import type { ChannelLimits } from './transcriptLimits';
import type { TranscriptStore } from './transcriptStore';

export const CHANNEL_VIEW_TYPE = 'colonyos.channel';

export interface ChannelPanelDeps {
  extensionUri: vscode.Uri;
  output: vscode.LogOutputChannel;
  connection: ConnectionService;
  /** The process store: the panel's process state comes from there, through the panel's own connection. */
  processes: ProcessStore;
  store: TranscriptStore;
  /** What one channel keeps (from the colonyos.transcripts.* settings). */
  limits: () => ChannelLimits;
  /** The colony catalog: the waiting status says why the process waits. */
  catalog?: ColonyCatalog;
}

export function panelTitle(info: Pick<PanelInfo, 'channel' | 'funcname' | 'processId'>): string {
  return `#${info.channel} · ${info.funcname || 'process'} ${shortId(info.processId)}`;
}

export function mediaRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'media');
}

export class ChannelPanel extends Disposable implements vscode.Disposable {
  readonly controller: ChannelController;
  private readonly onDisposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.onDisposeEmitter.event;
  /** The connection this panel was opened on, kept for its life (panelConnection.ts). */
  private readonly connection: PanelConnection;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly processId: string,
    readonly channel: string,
    private readonly deps: ChannelPanelDeps,
    /** The server the panel was opened on (connection/identity.ts identityKey); saved with the webview's state. */
    private readonly identity?: string,
  ) {
    super();
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [mediaRoot(deps.extensionUri)] };
    this.controller = new ChannelController({
      processId,
      channel,
      file: deps.store.open(processId, channel),
      post: (m) => this.post(m),
      actions: {
        savePayload: async (bytes, name) => void (await runReported(deps.output, 'Save Payload', () => this.savePayload(bytes, name))),
        copyText: async (text) =>
          void (await runReported(deps.output, 'Copy', async () => {
            await vscode.env.clipboard.writeText(text);
            vscode.window.setStatusBarMessage('$(copy) Copied', 2000);
          })),
        exportTranscript: async () => void (await runReported(deps.output, 'Export Transcript', () => this.exportTranscript())),
      },
      log: deps.output,
      limits: deps.limits,
      whyWaiting: (p) => (deps.catalog ? panelWaitReason(deps.catalog, this.connection?.held, p, { staleLimitMs: staleLimitMs() }) : undefined),
      onInfoChanged: (info) => {
        if (!this.isDisposed) panel.title = panelTitle(info);
      },
      // Completes the Get Started walkthrough's chat step (package.json, walkthroughs).
      onSent: (kind) => {
        if (kind === 'end') void vscode.commands.executeCommand('setContext', 'colonyos.conversationEnded', true);
      },
    });
    panel.title = panelTitle(this.controller.info);
    webview.html = this.html();
    const listeners = [
      webview.onDidReceiveMessage((m: unknown) => void this.controller.handleMessage(m)),
      // VS Code drops messages sent while the panel is hidden: send the whole state again when it shows.
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible) this.controller.resync();
      }),
      panel.onDidDispose(() => this.dispose()),
    ];
    this.connection = new PanelConnection(deps.connection, this.controller, deps.processes, identity);
    if (deps.catalog) {
      const waitingPanel = {
        held: () => this.connection.held,
        waiting: () => this.controller.view.status.kind === 'waiting',
        refreshStatus: () => this.controller.refreshStatus(),
      };
      listeners.push(followWaitReason(waitingPanel, deps.catalog));
    }
    // Disposed newest first: the controller, the listeners, the connection, the panel; then dispose() fires onDidDispose.
    this.registerAll(panel, this.connection, ...listeners, this.controller);
  }

  /** Shows the stored transcript, then connects the live stream. */
  async start(): Promise<void> {
    await this.controller.load();
    await this.connect();
  }

  reveal(): void {
    this.panel.reveal();
  }

  async exportTranscript(): Promise<void> {
    const meta = this.controller.transcriptMeta;
    const base = safeFileName(`${meta.funcname || 'process'}-${shortId(this.processId)}-${this.channel}`, 'transcript', 200);
    const target = await vscode.window.showSaveDialog({
      title: `Export transcript of #${this.channel}`,
      defaultUri: vscode.Uri.joinPath(defaultDir(), `${base}.md`),
      filters: { Markdown: ['md'], 'JSON Lines': ['jsonl'] },
      saveLabel: 'Export',
    });
    if (!target) return;
    await this.controller.flush();
    const entries = this.controller.transcript;
    const parties = this.controller.parties;
    const text = target.path.toLowerCase().endsWith('.jsonl')
      ? transcriptToJsonl(entries, parties)
      : transcriptToMarkdown(entries, meta, parties, new Date(), this.controller.droppedCount);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    const open = await vscode.window.showInformationMessage(`Exported ${countOf(entries.length, 'message')} to ${target.fsPath}.`, 'Open');
    if (open) await vscode.window.showTextDocument(target);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    this.onDisposeEmitter.fire();
    this.onDisposeEmitter.dispose();
  }

  private html(): string {
    const webview = this.panel.webview;
    const root = mediaRoot(this.deps.extensionUri);
    return renderChatHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'chat.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'chat.css')).toString(),
      title: panelTitle(this.controller.info),
      processId: this.processId,
      channel: this.channel,
      connection: this.identity,
    });
  }

  private post(m: HostMessage): void {
    if (this.isDisposed || !this.panel.visible) return;
    this.panel.webview.postMessage(m).then(undefined, (err: unknown) => this.deps.output.debug(`Channel panel: postMessage failed: ${String(err)}`));
  }

  private connect(): Promise<void> {
    return this.connection.connect();
  }

  private async savePayload(bytes: Uint8Array, suggestedName: string): Promise<void> {
    const target = await vscode.window.showSaveDialog({
      title: 'Save message payload',
      defaultUri: vscode.Uri.joinPath(defaultDir(), suggestedName),
      saveLabel: 'Save Payload',
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, bytes);
    vscode.window.setStatusBarMessage(`$(save) Saved ${countOf(bytes.length, 'byte')}`, 3000);
  }
}

function defaultDir(): vscode.Uri {
  return vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
}
