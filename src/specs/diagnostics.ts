// Shows the pre-submit checks as editor diagnostics while typing, offers the quick fix for `maxexectime: 0`,
// and keeps the `colonyos.isSpecFile` / `colonyos.isWorkflowFile` context keys in step with the active editor.
// All of it runs once typing pauses, and only on documents that may be specs (documents.ts, sizeLimits.ts).
import { KeyedDebouncer } from '../base/debounce';
import { modify } from 'jsonc-parser/lib/esm/main.js';
import { Disposable } from '../base/disposable';
import * as vscode from 'vscode';
import { kindFromFileName } from './detect';
import { documentKind, isJsonDocument, oversizedSpecLength, parsedDocument, validationScope } from './documents';
import type { IssueFix, SpecIssue } from './issues';
import { tooLargeToCheckText } from './sizeLimits';
import { analyzeSpecText } from './validate';

const DEBOUNCE_MS = 250;
export const DIAGNOSTIC_SOURCE = 'ColonyOS';

function toRange(doc: vscode.TextDocument, issue: SpecIssue): vscode.Range {
  return new vscode.Range(doc.positionAt(issue.offset), doc.positionAt(issue.offset + issue.length));
}

export function toDiagnostic(doc: vscode.TextDocument, issue: SpecIssue): vscode.Diagnostic {
  const d = new vscode.Diagnostic(
    toRange(doc, issue),
    issue.message,
    issue.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  d.source = DIAGNOSTIC_SOURCE;
  d.code = issue.code;
  return d;
}

/** The workspace edit that applies an issue's fix, touching only the value it changes. */
export function fixEdit(doc: vscode.TextDocument, fix: IssueFix): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of modify(doc.getText(), fix.path, fix.value, { formattingOptions: { insertSpaces: true, tabSize: 2 } })) {
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.content);
  }
  return edit;
}

export class SpecDiagnostics extends Disposable implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection('colonyos-specs');
  private readonly issuesByUri = new Map<string, SpecIssue[]>();
  private readonly debounce = new KeyedDebouncer(DEBOUNCE_MS);

  constructor() {
    super();
    this.register(this.collection);
    this.registerAll(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateContextKeys()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('colonyos.specFileGlobs')) this.refreshAll();
      }),
      vscode.languages.registerCodeActionsProvider([{ language: 'json' }, { language: 'jsonc' }], this, {
        providedCodeActionKinds: SpecDiagnostics.providedCodeActionKinds,
      }),
    );
    this.refreshAll();
    this.updateContextKeys();
  }

  refreshAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.validate(doc);
  }

  /** Validates `doc` now if it is one of the documents this extension checks; clears it otherwise. */
  validate(doc: vscode.TextDocument): void {
    if (!validationScope(doc)) {
      this.clear(doc.uri);
      return;
    }
    const oversized = oversizedSpecLength(doc);
    if (oversized !== undefined) {
      this.showTooLarge(doc, oversized);
      return;
    }
    this.showIssues(doc, this.analyze(doc));
  }

  private analyze(doc: vscode.TextDocument): SpecIssue[] {
    return analyzeSpecText(doc.getText(), doc.fileName, { parsed: parsedDocument(doc) }).issues;
  }

  /** One note instead of the checks: parsing the file on every pause in typing would block the editor. */
  private showTooLarge(doc: vscode.TextDocument, chars: number): void {
    const note = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), tooLargeToCheckText(chars), vscode.DiagnosticSeverity.Information);
    note.source = DIAGNOSTIC_SOURCE;
    note.code = 'too-large';
    this.issuesByUri.set(doc.uri.toString(), []);
    this.collection.set(doc.uri, [note]);
  }

  /** Shows issues on the document, whatever its name (a refused submit shows them on any file). */
  showIssues(doc: vscode.TextDocument, issues: SpecIssue[]): void {
    // VS Code's JSON service already shows syntax errors for spec-named files; no duplicates. Schema problems are
    // ours alone: its schema (media/schemas/editor, editorSchema.ts) does not validate, since it would say "warning"
    // for what Submit refuses as an error.
    const shown = validationScope(doc)?.jsonServiceValidates ? issues.filter((i) => i.source !== 'syntax') : issues;
    this.issuesByUri.set(doc.uri.toString(), shown);
    this.collection.set(doc.uri, shown.map((i) => toDiagnostic(doc, i)));
  }

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    // Not checked yet (typing has not paused): check now, if it is a document the checks cover at all.
    const issues = this.issuesByUri.get(doc.uri.toString()) ?? (validationScope(doc) && oversizedSpecLength(doc) === undefined ? this.analyze(doc) : []);
    const actions: vscode.CodeAction[] = [];
    for (const issue of issues) {
      if (!issue.fix || !toRange(doc, issue).intersection(range)) continue;
      const action = new vscode.CodeAction(issue.fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = fixEdit(doc, issue.fix);
      action.diagnostics = [toDiagnostic(doc, issue)];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }

  private schedule(doc: vscode.TextDocument): void {
    // Output channels and other languages change often and are never specs.
    if (!isJsonDocument(doc) && !kindFromFileName(doc.fileName)) return;
    this.debounce.run(doc.uri.toString(), () => {
      if (doc.isClosed) return;
      this.validate(doc);
      if (doc === vscode.window.activeTextEditor?.document) this.updateContextKeys();
    });
  }

  private clear(uri: vscode.Uri): void {
    const key = uri.toString();
    this.debounce.cancel(key);
    this.issuesByUri.delete(key);
    this.collection.delete(uri);
  }

  private updateContextKeys(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const kind = doc ? documentKind(doc) : undefined;
    void vscode.commands.executeCommand('setContext', 'colonyos.isSpecFile', kind === 'funcspec');
    void vscode.commands.executeCommand('setContext', 'colonyos.isWorkflowFile', kind === 'workflow');
  }

  override dispose(): void {
    this.debounce.dispose();
    super.dispose();
  }
}
