// The function catalog in spec files: completion and hovers from the connected colony's executors and registered
// functions, and warnings where a spec names something the colony does not have. The catalog itself
// (store/colonyCatalog.ts) owns the requests: one shared refresh per connection, started here when a spec file is
// opened or focused and the snapshot is older than a minute. The last snapshot is saved per server identity
// (store/catalogMemory.ts) and restored on activation and on a connection switch, so all of it works offline.
import { KeyedDebouncer } from '../base/debounce';
import * as vscode from 'vscode';
import { Disposable } from '../base/disposable';
import { escapeMarkdown } from '../base/format';
import { identityKey } from '../connection/identity';
import { activeStoreKey, catalogConnection, type ConnectionService } from '../connection/types';
import { CatalogMemory, type MementoLike } from '../store/catalogMemory';
import type { CatalogSnapshot, ColonyCatalog } from '../store/colonyCatalog';
import { catalogIssues } from './catalogCheck';
import { catalogHover } from './catalogHover';
import { catalogPlaceAt, type CatalogPlace } from './catalogPlace';
import { catalogSuggestions, type SuggestionKind } from './catalogSuggest';
import { kindFromValue, type SpecKind } from './detect';
import { toDiagnostic } from './diagnostics';
import { documentKind, parsedDocument, validationScope } from './documents';

/** A snapshot younger than this is used as is; an older one is refreshed when a spec file is opened or focused. */
export const CATALOG_MAX_AGE_MS = 60_000;
/** After a refresh was started, the next one waits at least this long (a server that fails is not asked in a loop). */
const RETRY_MS = 15_000;
/** How long a completion waits for a first snapshot before answering without one. */
const FIRST_READ_WAIT_MS = 5_000;
const DEBOUNCE_MS = 300;
/** Warnings say how old the snapshot is ("as of 2 min ago"); shown ones are re-worded this often. */
const AGE_REWORD_MS = 60_000;
const SELECTOR: vscode.DocumentSelector = [{ language: 'json' }, { language: 'jsonc' }];

const ITEM_KINDS: Record<SuggestionKind, vscode.CompletionItemKind> = {
  function: vscode.CompletionItemKind.Function,
  type: vscode.CompletionItemKind.Class,
  executor: vscode.CompletionItemKind.Reference,
  location: vscode.CompletionItemKind.Folder,
  key: vscode.CompletionItemKind.Property,
};

export interface CatalogFeatureDeps {
  connection: ConnectionService;
  catalog: ColonyCatalog;
  /** Where the last snapshot of each server is kept (the extension's globalState). */
  memento: MementoLike;
  output: vscode.LogOutputChannel;
}

export class SpecCatalogFeatures extends Disposable implements vscode.CompletionItemProvider, vscode.HoverProvider {
  private readonly collection = vscode.languages.createDiagnosticCollection('colonyos-catalog');
  private readonly memory: CatalogMemory;
  private readonly lastStart = new Map<string, number>();
  private readonly savedAt = new Map<string, number>();
  private readonly debounce = new KeyedDebouncer(DEBOUNCE_MS);

  constructor(private readonly deps: CatalogFeatureDeps) {
    super();
    this.memory = new CatalogMemory(deps.memento);
    this.register(this.collection);
    this.registerAll(
      vscode.languages.registerCompletionItemProvider(SELECTOR, this, '"'),
      vscode.languages.registerHoverProvider(SELECTOR, this),
      deps.connection.onDidChange(() => {
        this.restoreActive();
        void this.maybeRefresh(vscode.window.activeTextEditor?.document);
        this.checkAll();
      }),
      deps.catalog.onDidChange((key) => {
        if (key !== this.activeKey()) return;
        void this.persist(key);
        this.checkAll();
      }),
      vscode.workspace.onDidOpenTextDocument((d) => {
        void this.maybeRefresh(d);
        this.schedule(d);
      }),
      vscode.window.onDidChangeActiveTextEditor((e) => void this.maybeRefresh(e?.document)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
    );
    const reword = setInterval(() => {
      for (const doc of vscode.workspace.textDocuments) if (this.collection.has(doc.uri)) this.check(doc);
    }, AGE_REWORD_MS);
    this.register({ dispose: () => clearInterval(reword) });
    this.restoreActive();
    void this.maybeRefresh(vscode.window.activeTextEditor?.document);
    this.checkAll();
  }

  /** The catalog key of the active connection (the process store's: identity and client), if any. */
  private activeKey(): string | undefined {
    return activeStoreKey(this.deps.connection);
  }

  private current(): { snapshot: CatalogSnapshot; colony: string } | undefined {
    const key = this.activeKey();
    const snapshot = key ? this.deps.catalog.get(key).snapshot : undefined;
    const colony = this.deps.connection.profile?.colonyName;
    return snapshot && colony !== undefined ? { snapshot, colony } : undefined;
  }

  private restoreActive(): void {
    const key = this.activeKey();
    const profile = this.deps.connection.profile;
    if (!key || !profile || this.deps.catalog.get(key).snapshot) return;
    this.deps.catalog.restore(key, this.memory.load(identityKey(profile)));
  }

  private async persist(key: string): Promise<void> {
    const profile = this.deps.connection.profile;
    const snapshot = this.deps.catalog.get(key).snapshot;
    if (!profile || !snapshot || snapshot.restored || this.savedAt.get(key) === snapshot.fetchedAt) return;
    this.savedAt.set(key, snapshot.fetchedAt);
    await this.memory.save(identityKey(profile), this.deps.catalog.saved(key)).then(undefined, (e: unknown) => this.deps.output.warn(`Could not save the colony catalog: ${String(e)}`));
  }

  /** The spec kind of a document, also while it is half typed (completion runs on broken JSON). */
  private kindOf(doc: vscode.TextDocument): SpecKind | undefined {
    return documentKind(doc) ?? kindFromValue(parsedDocument(doc)?.value);
  }

  /** Starts a refresh of the active connection's catalog when `doc` is a spec and the snapshot is old or missing. */
  private maybeRefresh(doc: vscode.TextDocument | undefined): Promise<unknown> | undefined {
    if (!doc || !this.kindOf(doc) || this.deps.connection.state.kind !== 'connected') return undefined;
    const key = this.activeKey();
    if (!key) return undefined;
    const entry = this.deps.catalog.get(key);
    const s = entry.snapshot;
    if (entry.refreshing || (s && !s.restored && Date.now() - s.fetchedAt <= CATALOG_MAX_AGE_MS)) return undefined;
    if (Date.now() - (this.lastStart.get(key) ?? 0) < RETRY_MS) return undefined;
    this.lastStart.set(key, Date.now());
    return this.deps.connection
      .requireSession()
      .then((session) => (session.key === key ? this.deps.catalog.fresh(catalogConnection(session), CATALOG_MAX_AGE_MS) : undefined))
      .catch((e: unknown) => this.deps.output.debug(`Colony catalog not refreshed: ${String(e)}`));
  }

  private placeAt(doc: vscode.TextDocument, position: vscode.Position): CatalogPlace | undefined {
    const parsed = parsedDocument(doc);
    const kind = parsed ? this.kindOf(doc) : undefined;
    return parsed && kind ? catalogPlaceAt(parsed.text, doc.offsetAt(position), kind) : undefined;
  }

  /** The string under the cursor as a range on one line (an unterminated string runs to the end of the text). */
  private nodeRange(doc: vscode.TextDocument, node: NonNullable<CatalogPlace['node']>): vscode.Range {
    const start = doc.positionAt(node.offset);
    const end = doc.positionAt(node.offset + node.length);
    return new vscode.Range(start, end.line === start.line ? end : doc.lineAt(start.line).range.end);
  }

  async provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[] | undefined> {
    const place = this.placeAt(doc, position);
    if (!place) return undefined;
    let current = this.current();
    if (!current) {
      const pending = this.maybeRefresh(doc);
      if (pending) await Promise.race([pending, new Promise((r) => setTimeout(r, FIRST_READ_WAIT_MS))]);
      current = this.current();
    }
    if (!current) return undefined;
    const range = place.node ? this.nodeRange(doc, place.node) : new vscode.Range(position, position);
    const quoted = doc.getText(range).startsWith('"');
    return catalogSuggestions(current.snapshot, place).map((s) => {
      const item = new vscode.CompletionItem(s.label, ITEM_KINDS[s.kind]);
      item.detail = s.detail;
      if (s.documentation) item.documentation = s.documentation;
      item.insertText = s.snippet ? new vscode.SnippetString(s.insertText) : s.insertText;
      item.filterText = quoted ? JSON.stringify(s.label) : s.label;
      item.sortText = s.sortText;
      item.range = range;
      return item;
    });
  }

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const place = this.placeAt(doc, position);
    const current = this.current();
    if (!place?.node || !current) return undefined;
    const parts = catalogHover(current.snapshot, place, current.colony, Date.now());
    if (!parts) return undefined;
    // Server text is escaped (base/format.ts escapeMarkdown); the Markdown is untrusted and without HTML.
    const md = new vscode.MarkdownString();
    md.isTrusted = false;
    md.supportHtml = false;
    md.appendMarkdown(parts.map((p) => (p.kind === 'md' ? p.value : escapeMarkdown(p.value))).join(''));
    return new vscode.Hover(md, this.nodeRange(doc, place.node));
  }

  private schedule(doc: vscode.TextDocument): void {
    this.debounce.run(doc.uri.toString(), () => {
      if (!doc.isClosed) this.check(doc);
    });
  }

  private checkAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.check(doc);
  }

  /** The catalog warnings of `doc`: only for a spec the extension checks, without syntax errors, with a snapshot. */
  check(doc: vscode.TextDocument): void {
    const scope = validationScope(doc);
    const parsed = scope ? parsedDocument(doc) : undefined;
    const current = this.current();
    if (!scope || !parsed || parsed.syntaxIssues.length > 0 || !current) {
      this.collection.delete(doc.uri);
      return;
    }
    const issues = catalogIssues({ text: parsed.text, root: parsed.root, value: parsed.value, kind: scope.kind, ...current, now: Date.now() });
    this.collection.set(doc.uri, issues.map((i) => toDiagnostic(doc, i)));
  }

  override dispose(): void {
    this.debounce.dispose();
    super.dispose();
  }
}
