// "Submit · Submit & Follow · Submit & Open Channel" above a function spec, "Submit Workflow · Submit & Follow" above
// a workflow; in Restricted Mode, the reason nothing can be submitted.
import * as vscode from 'vscode';
import { Disposable } from '../base/disposable';
import { documentKind, parsedValue } from './documents';
import { MANAGE_TRUST_COMMAND, RESTRICTED_SUBMIT_TEXT } from './trust';

/** Where the first non-blank line starts, found line by line (the whole text of a large file is never built here). */
function firstContent(doc: vscode.TextDocument): vscode.Position {
  for (let i = 0; i < doc.lineCount; i++) {
    const line = doc.lineAt(i);
    if (!line.isEmptyOrWhitespace) return new vscode.Position(i, line.firstNonWhitespaceCharacterIndex);
  }
  return new vscode.Position(0, 0);
}

export class SpecCodeLensProvider extends Disposable implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor() {
    super();
    // Disposed newest first: the listeners, then the emitter.
    this.registerAll(
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('colonyos.specFileGlobs')) this.changed.fire();
      }),
    );
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const kind = documentKind(doc);
    if (!kind) return [];
    const start = firstContent(doc);
    const range = new vscode.Range(start, start);
    if (!vscode.workspace.isTrusted) {
      return [new vscode.CodeLens(range, { title: `$(shield) ${RESTRICTED_SUBMIT_TEXT}`, command: MANAGE_TRUST_COMMAND })];
    }
    if (kind === 'workflow') {
      return [
        new vscode.CodeLens(range, { title: '$(run-all) Submit Workflow', command: 'colonyos.submitWorkflow', arguments: [doc.uri] }),
        new vscode.CodeLens(range, { title: '$(output) Submit & Follow', command: 'colonyos.submitAndFollow', arguments: [doc.uri] }),
      ];
    }
    const lenses = [
      new vscode.CodeLens(range, { title: '$(run) Submit', command: 'colonyos.submit', arguments: [doc.uri] }),
      new vscode.CodeLens(range, { title: '$(output) Submit & Follow', command: 'colonyos.submitAndFollow', arguments: [doc.uri] }),
    ];
    const value = parsedValue(doc) as { channels?: unknown } | undefined;
    if (Array.isArray(value?.channels) && value.channels.length > 0) {
      lenses.push(
        new vscode.CodeLens(range, { title: '$(comment-discussion) Submit & Open Channel', command: 'colonyos.submitAndOpenChannel', arguments: [doc.uri] }),
      );
    }
    return lenses;
  }
}
