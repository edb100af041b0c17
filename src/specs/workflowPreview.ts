// "ColonyOS: Preview Workflow Graph": the graph panel (panels/graphPanel.ts) drawn from a *.workflow.json document
// before it is submitted, with validate.ts's problems on its nodes and edges (workflowGraph.ts). It follows the
// document as you type (debounced), and keeps the last good graph while the text is not valid JSON.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { registerCommand, UserFacingError } from '../base/errors';
import { graphWebviewHtml, graphWebviewOptions, postToPanel } from '../panels/graphPanel';
import { parseGraphPersistedState, parseGraphWebviewMessage, type GraphView } from '../panels/graphProtocol';
import { previewGraph, type PreviewResult } from './workflowGraph';

export const PREVIEW_VIEW_TYPE = 'colonyos.workflowPreview';
const DEBOUNCE_MS = 300;

class PreviewPanel implements vscode.Disposable {
  private lastGood: GraphView | undefined;
  private error: string | undefined;
  private sources: PreviewResult['sources'] = new Map();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subs: vscode.Disposable[] = [];
  private disposed = false;
  onDidDispose: () => void = () => undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
    extensionUri: vscode.Uri,
    private readonly output: vscode.LogOutputChannel,
  ) {
    panel.webview.options = graphWebviewOptions(extensionUri);
    panel.title = `Preview ${path.basename(uri.path)}`;
    panel.webview.html = graphWebviewHtml(panel.webview, extensionUri, { kind: 'preview', uri: uri.toString() });
    this.subs.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidChangeViewState((e) => e.webviewPanel.visible && this.send()),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === uri.toString()) this.schedule(e.document);
      }),
    );
  }

  /** Reads the document (open or on disk) and draws it. */
  async load(): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.uri);
    this.update(doc);
  }

  /** The graph as it is drawn now (for the tests). */
  get current(): { view?: GraphView; error?: string } {
    return { view: this.lastGood, error: this.error };
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subs.splice(0)) s.dispose();
    this.panel.dispose();
    this.onDidDispose();
  }

  private schedule(doc: vscode.TextDocument): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.disposed) this.update(doc);
    }, DEBOUNCE_MS);
  }

  private update(doc: vscode.TextDocument): void {
    const result = previewGraph(doc.getText(), doc.fileName, path.basename(doc.fileName));
    if (result.view) {
      this.lastGood = result.view;
      this.sources = result.sources;
      this.error = undefined;
    } else {
      this.error = result.error;
    }
    this.send();
  }

  private send(): void {
    if (this.lastGood) postToPanel(this.panel, { type: 'graph', view: { ...this.lastGood, error: this.error } }, this.output);
    else postToPanel(this.panel, { type: 'banner', error: this.error ?? 'Reading the workflow…' }, this.output);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parseGraphWebviewMessage(raw);
    if (!m) return;
    if (m.type === 'ready') return this.send();
    if (m.type === 'webviewError') return this.output.warn(`Graph preview webview error: ${m.message}`);
    const at = m.action === 'source' ? this.sources.get(m.id) : undefined;
    if (!at) return;
    const doc = await vscode.workspace.openTextDocument(this.uri);
    const range = new vscode.Range(doc.positionAt(at.offset), doc.positionAt(at.offset + at.length));
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: range });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}

export interface WorkflowPreviews {
  open(uri: vscode.Uri): Promise<void>;
  /** The open preview of a file (for the extension-host tests). */
  previewFor(uri: vscode.Uri): { view?: GraphView; error?: string } | undefined;
}

function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  return vscode.window.activeTextEditor?.document.uri;
}

export function registerWorkflowPreview(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): WorkflowPreviews {
  const previews = new Map<string, PreviewPanel>();
  const adopt = (panel: vscode.WebviewPanel, uri: vscode.Uri): PreviewPanel => {
    const preview = new PreviewPanel(panel, uri, context.extensionUri, output);
    previews.set(uri.toString(), preview);
    preview.onDidDispose = () => {
      if (previews.get(uri.toString()) === preview) previews.delete(uri.toString());
    };
    preview.load().catch((err: unknown) => output.warn(`Workflow preview ${uri.toString()}: ${String(err)}`));
    return preview;
  };
  async function open(uri: vscode.Uri): Promise<void> {
    const existing = previews.get(uri.toString());
    if (existing) return existing.reveal();
    const panel = vscode.window.createWebviewPanel(
      PREVIEW_VIEW_TYPE,
      `Preview ${path.basename(uri.path)}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      graphWebviewOptions(context.extensionUri),
    );
    adopt(panel, uri);
  }
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const saved = parseGraphPersistedState(state);
        if (saved?.kind !== 'preview' || previews.has(saved.uri)) return panel.dispose();
        adopt(panel, vscode.Uri.parse(saved.uri, true));
      },
    }),
    { dispose: () => [...previews.values()].forEach((p) => p.dispose()) },
  );
  registerCommand(
    context,
    'colonyos.previewWorkflow',
    async (arg?: unknown) => {
      const uri = targetUri(arg);
      if (!uri) throw new UserFacingError('Open a workflow file (*.workflow.json) first: Preview Workflow Graph draws the file in the active editor.');
      await open(uri);
    },
    { output },
  );
  return { open, previewFor: (uri) => previews.get(uri.toString())?.current };
}
