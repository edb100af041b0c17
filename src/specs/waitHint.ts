// A hint on `conditions` in spec and workflow files before submit: when the active connection's colony catalog says
// nothing could run the spec (no executor of the type, wrong names, none approved, a location none is in, a resource
// ceiling), an Information diagnostic names why in one sentence (src/store/whyWaiting.ts whyNotRunnable). It reads
// only the last snapshot; opening a spec asks for a fresh one at most once a minute.
import { KeyedDebouncer } from '../base/debounce';
import * as vscode from 'vscode';
import { Disposable } from '../base/disposable';
import { activeStoreKey, catalogConnection, type ConnectionService } from '../connection/types';
import type { ColonyCatalog } from '../store/colonyCatalog';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { parsedDocument, validationScope } from './documents';
import { nodeAt, type JsonPath } from './jsonText';
import { conditionsPaths, waitHintText } from './waitHintText';

const DEBOUNCE_MS = 400;
const SNAPSHOT_MAX_AGE_MS = 60_000;
export const WAIT_HINT_CODE = 'nothing-can-run';

export class SpecWaitHints extends Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('colonyos-wait');
  private readonly debounce = new KeyedDebouncer(DEBOUNCE_MS);

  constructor(
    private readonly connection: ConnectionService,
    private readonly catalog: ColonyCatalog,
  ) {
    super();
    this.register(this.collection);
    this.registerAll(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e) this.schedule(e.document, true);
      }),
      catalog.onDidChange((key) => {
        if (key === this.activeKey()) this.refreshAll();
      }),
      connection.onDidChange(() => this.refreshAll()),
    );
    this.refreshAll();
  }

  refreshAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.update(doc, false);
  }

  private activeKey(): string | undefined {
    return activeStoreKey(this.connection);
  }

  private schedule(doc: vscode.TextDocument, wantFresh = false): void {
    this.debounce.run(doc.uri.toString(), () => {
      if (!doc.isClosed) this.update(doc, wantFresh);
    });
  }

  private update(doc: vscode.TextDocument, wantFresh: boolean): void {
    if (!validationScope(doc)) {
      this.collection.delete(doc.uri);
      return;
    }
    const parsed = parsedDocument(doc);
    const key = this.activeKey();
    const snapshot = key ? this.catalog.get(key).snapshot : undefined;
    if (wantFresh && this.connection.state.kind === 'connected' && (!snapshot || Date.now() - snapshot.fetchedAt > SNAPSHOT_MAX_AGE_MS)) {
      void this.connection.requireSession().then((s) => this.catalog.fresh(catalogConnection(s), SNAPSHOT_MAX_AGE_MS), () => undefined);
    }
    if (!parsed || parsed.syntaxIssues.length > 0 || !snapshot) {
      this.collection.delete(doc.uri);
      return;
    }
    const now = Date.now();
    const hints: vscode.Diagnostic[] = [];
    for (const path of conditionsPaths(parsed.value)) {
      const text = waitHintText(valueAt(parsed.value, path), snapshot, now);
      const node = nodeAt(parsed.root, path, 'key');
      if (!text || !node) continue;
      const range = new vscode.Range(doc.positionAt(node.offset), doc.positionAt(node.offset + node.length));
      const d = new vscode.Diagnostic(range, text, vscode.DiagnosticSeverity.Information);
      d.source = DIAGNOSTIC_SOURCE;
      d.code = WAIT_HINT_CODE;
      hints.push(d);
    }
    this.collection.set(doc.uri, hints);
  }

  override dispose(): void {
    this.debounce.dispose();
    super.dispose();
  }
}

function valueAt(value: unknown, path: JsonPath): unknown {
  let v: unknown = value;
  for (const seg of path) v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined;
  return v;
}
