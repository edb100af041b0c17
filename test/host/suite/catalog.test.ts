// The function catalog in spec files inside a real extension host, against the local colony and its demo executors
// (echo registers "chat", progress registers "progress"): completion, hovers and warnings.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnectionServiceImpl } from '../../../src/connection/connectionService';
import type { LocalColonyController } from '../../../src/connection/localColonyController';
import { activeExtension } from '../helpers';
import { waitFor as eventually } from '../../support/poll';

interface Api {
  connection: ConnectionServiceImpl;
  localColony: LocalColonyController;
}

async function api(): Promise<Api> {
  const exports = (await activeExtension()).exports as Api | undefined;
  assert.ok(exports?.connection && exports.localColony, 'activate() returns { connection, localColony }');
  return exports;
}

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

const label = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);

/** The position just inside the first occurrence of `needle` (after its opening quote). */
function inside(doc: vscode.TextDocument, needle: string): vscode.Position {
  const at = doc.getText().indexOf(needle);
  assert.ok(at >= 0, `${needle} in the document`);
  return doc.positionAt(at + 1);
}

async function completions(doc: vscode.TextDocument, pos: vscode.Position, want: string[]): Promise<vscode.CompletionItem[]> {
  return eventually(`completion items ${want.join(', ')}`, async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
    const ours = list.items.filter((i) => want.includes(label(i)) && i.detail);
    return want.every((w) => ours.some((i) => label(i) === w)) ? ours : undefined;
  });
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n')
    // Server text goes in with every punctuation character backslash-escaped (base/format.ts escapeMarkdown).
    .replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

suite('function catalog in spec files', function () {
  this.timeout(60_000);
  const created: vscode.Uri[] = [];

  suiteSetup(async () => {
    const { connection } = await api();
    await vscode.commands.executeCommand('colonyos.startLocalColony');
    await eventually('a connected local colony', async () => (connection.state.kind === 'connected' ? true : undefined));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of created) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    await (await api()).localColony.stop();
  });

  test('funcname and conditions.executortype complete from the demo executors, with type and state', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('chat.colonyos.json'));
    await vscode.window.showTextDocument(doc);
    const funcs = await completions(doc, inside(doc, '"chat"'), ['chat', 'progress']);
    assert.equal(funcs.find((i) => label(i) === 'chat')?.detail, 'echo · 1 executor');
    assert.equal(funcs.find((i) => label(i) === 'progress')?.detail, 'progress · 1 executor');
    assert.equal(funcs.find((i) => label(i) === 'chat')?.kind, vscode.CompletionItemKind.Function);

    const types = await completions(doc, inside(doc, '"echo"'), ['echo', 'progress']);
    assert.equal(types.find((i) => label(i) === 'echo')?.detail, '1 executor (1 approved) · 1 function');
    const item = types.find((i) => label(i) === 'progress');
    assert.equal(item?.insertText, '"progress"');
    assert.ok(item?.range instanceof vscode.Range && doc.getText(item.range) === '"echo"', 'replaces the whole string');
  });

  test('kwargs keys come from the registered args of the function', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('progress.colonyos.json'));
    await vscode.window.showTextDocument(doc);
    const keys = await completions(doc, inside(doc, '"steps"'), ['stepms']);
    assert.match(keys[0].detail ?? '', /^number · optional/);
  });

  test('hover on funcname: description, registering executor and its calls', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('chat.colonyos.json'));
    await vscode.window.showTextDocument(doc);
    const hovers = await eventually('a hover on funcname', async () => {
      const hs = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, inside(doc, '"chat"'));
      return hoverText(hs).includes('**Function**') ? hs : undefined;
    });
    const text = hoverText(hovers);
    for (const c of hovers.flatMap((h) => h.contents)) {
      if (c instanceof vscode.MarkdownString) assert.ok(!c.isTrusted && !c.supportHtml, 'untrusted Markdown without HTML');
    }
    assert.match(text, /\*\*Function\*\* chat · executor type echo/);
    assert.match(text, /A chat on the "chat" channel/);
    assert.match(text, /Registered by 1 executor/);
    assert.match(text, /Colony dev, as of/);
  });

  test('a type with no executor and an executor name that does not exist are warnings, naming colony and age', async () => {
    const uri = workspaceFile('catalog-miss.colonyos.json');
    created.push(uri);
    const spec = { funcname: 'chat', conditions: { executortype: 'no-such-type', executornames: ['nobody-here'] } };
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(spec, null, 2)));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const found = await eventually('the catalog warnings', async () => {
      const ds = vscode.languages.getDiagnostics(uri).filter((d) => String(d.code).startsWith('catalog-'));
      return ds.length === 2 ? ds : undefined;
    });
    for (const d of found) assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(found[0].message, /^No executor of type "no-such-type" in colony "dev" \(as of (just now|\d+ s ago)\)/);
    assert.match(found[1].message, /^No executor named "nobody-here" in colony "dev"/);
  });
});
