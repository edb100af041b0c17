// Spec editing and submitting inside a real extension host: VS Code's JSON service with our schema, our own
// diagnostics and quick fix, CodeLenses, and the submit commands against the local colony.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Process, ProcessGraph } from '../../../src/colonies/types';
import { activeExtension, eventually, workspaceFile } from '../helpers';

const messages = (uri: vscode.Uri, source?: string) =>
  vscode.languages.getDiagnostics(uri).filter((d) => !source || d.source === source).map((d) => d.message);

suite('specs', function () {
  this.timeout(60_000);
  const created: vscode.Uri[] = [];

  suiteSetup(async () => {
    await activeExtension();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of created) await vscode.workspace.fs.delete(uri, { recursive: true }).then(undefined, () => undefined);
    await vscode.commands.executeCommand('colonyos.stopLocalColony').then(undefined, () => undefined);
  });

  test('*.colonyos.json: the JSON service completes and hovers from our schema; each problem shows once, as Submit sees it', async () => {
    const uri = workspaceFile('typo.colonyos.json');
    created.push(uri);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('{\n  "func": "chat",\n  "conditions": { "executortype": "echo" },\n  "priority": 99999\n}\n'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    // The JSON service has read the (completion-only) schema: hovers and key completion come from it.
    await eventually('a hover from the JSON service', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(2, 5));
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /Where the process may run/.test(text) ? text : undefined;
    });
    const completions = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(1, 2));
    assert.ok(completions.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'funcname'), 'funcname is offered');
    const found = await eventually('our diagnostics', () => {
      const all = messages(uri, 'ColonyOS').join('\n');
      return all.includes('Did you mean "funcname"') && /Missing "funcname"/.test(all) && /50000/.test(all) ? all : undefined;
    });
    assert.match(found, /Unknown key "func", ignored by the server\. Did you mean "funcname"\?/);
    // Submit refuses a missing funcname: the Problems view says error, once, not also a JSON-service warning.
    const funcname = vscode.languages.getDiagnostics(uri).filter((d) => /Missing (property )?"funcname"/.test(d.message));
    assert.deepEqual(funcname.map((d) => [d.source, d.severity]), [['ColonyOS', vscode.DiagnosticSeverity.Error]]);
    assert.deepEqual(vscode.languages.getDiagnostics(uri).filter((d) => d.source !== 'ColonyOS').map((d) => d.message), []);
  });

  test('colonyos.specFileGlobs brings other file names under validation, with every schema check', async () => {
    const uri = workspaceFile('extra-specs/job.json');
    created.push(workspaceFile('extra-specs'));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('{\n  "funcname": "job",\n  "conditions": { "executortype": "echo" },\n  "chanels": ["chat"]\n}\n'));
    const config = vscode.workspace.getConfiguration('colonyos');
    await config.update('specFileGlobs', ['extra-specs/*.json'], vscode.ConfigurationTarget.Workspace);
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const found = await eventually('our diagnostics on the extra file', () => {
        const m = messages(uri, 'ColonyOS');
        return m.length > 0 ? m : undefined;
      });
      assert.deepEqual(found, ['Unknown key "chanels", ignored by the server. Did you mean "channels"?']);
    } finally {
      await config.update('specFileGlobs', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await eventually('the diagnostics to go with the setting', () => (messages(uri, 'ColonyOS').length === 0 ? true : undefined));
  });

  test('a spec file too large to check while typing gets one note instead of the checks, and keeps its Submit lens', async () => {
    const uri = workspaceFile('big.colonyos.json');
    created.push(uri);
    const spec = { funcname: 'big', conditions: { executortype: 'echo' }, kwargs: { data: 'x'.repeat(700_000) }, chanels: ['chat'] };
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(spec, null, 2)));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const found = await eventually('the size note', () => {
      const m = messages(uri, 'ColonyOS');
      return m.length > 0 ? m : undefined;
    });
    assert.deepEqual(found, ['This file is 684 KB: ColonyOS checks spec files while you type only up to 512 KB. Submitting it still checks it in full.']);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.deepEqual(lenses.map((l) => l.command?.command), ['colonyos.submit', 'colonyos.submitAndFollow']);
  });

  test('CodeLenses above a spec and a workflow', async () => {
    const lenses = async (name: string) => {
      const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
      const result = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      return result.map((l) => l.command?.command).filter((c) => c?.startsWith('colonyos.'));
    };
    assert.deepEqual(await lenses('chat.colonyos.json'), ['colonyos.submit', 'colonyos.submitAndFollow', 'colonyos.submitAndOpenChannel']);
    assert.deepEqual(await lenses('hello.workflow.json'), ['colonyos.submitWorkflow', 'colonyos.submitAndFollow']);
  });

  test('maxexectime 0 is flagged in an untitled spec, and the quick fix sets it to -1', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'json',
      content: '{\n  "funcname": "chat",\n  "conditions": { "executortype": "echo" },\n  "maxexectime": 0\n}\n',
    });
    await vscode.window.showTextDocument(doc);
    const diag = await eventually('the maxexectime diagnostic', () =>
      vscode.languages.getDiagnostics(doc.uri).find((d) => d.source === 'ColonyOS' && d.code === 'maxexectime-zero'),
    );
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(diag.range.start.line, 3);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range);
    const fix = actions.find((a) => a.title === 'Set maxexectime to -1');
    assert.ok(fix?.edit, 'the quick fix is offered');
    await vscode.workspace.applyEdit(fix.edit);
    assert.match(doc.getText(), /"maxexectime": -1/);
    await eventually('the diagnostic to go', () => (messages(doc.uri, 'ColonyOS').length === 0 ? true : undefined));
  });

  test('Submit sends the unsaved editor text with the CLI defaults; a broken spec is refused with diagnostics', async () => {
    await vscode.commands.executeCommand('colonyos.startLocalColony');
    const doc = await vscode.workspace.openTextDocument(workspaceFile('chat.colonyos.json'));
    const editor = await vscode.window.showTextDocument(doc);
    const labelAt = doc.getText().indexOf('"demo"');
    await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(labelAt), doc.positionAt(labelAt + 6)), '"unsaved-edit"'));
    assert.ok(doc.isDirty);
    const process = await vscode.commands.executeCommand<Process | undefined>('colonyos.submit', doc.uri);
    assert.ok(process, 'the command returns the submitted process');
    assert.equal(process.spec.label, 'unsaved-edit');
    assert.equal(process.spec.conditions.colonyname, 'dev');
    assert.equal(process.spec.maxexectime, -1);
    assert.deepEqual(process.spec.channels, ['chat']);
    await vscode.commands.executeCommand('workbench.action.files.revert');

    const broken = await vscode.workspace.openTextDocument({ language: 'json', content: '{\n  "funcname": "x",\n  "conditions": { "executortyp": "echo" }\n}' });
    await vscode.window.showTextDocument(broken);
    const refused = await vscode.commands.executeCommand<Process | undefined>('colonyos.submit');
    assert.equal(refused, undefined, 'nothing is sent');
    const shown = messages(broken.uri, 'ColonyOS');
    assert.ok(shown.some((m) => m.startsWith('Missing "conditions.executortype"')), shown.join('\n'));
    assert.ok(shown.some((m) => m === 'Unknown key "executortyp", ignored by the server. Did you mean "executortype"?'), shown.join('\n'));
  });

  test('Submit Workflow reports a graph with one process per spec', async () => {
    const graph = await vscode.commands.executeCommand<ProcessGraph | undefined>('colonyos.submitWorkflow', workspaceFile('hello.workflow.json'));
    assert.ok(graph);
    assert.equal(graph.processids?.length, 2);
    assert.equal(graph.colonyname, 'dev');
  });

  test('Submit & Follow follows a workflow in a terminal to exit 0, and a failing spec to exit 1', async () => {
    await vscode.commands.executeCommand('colonyos.startLocalColony');
    const code = await vscode.commands.executeCommand<number | undefined>('colonyos.submitAndFollow', workspaceFile('hello.workflow.json'));
    assert.equal(code, 0);
    const terminal = vscode.window.terminals.find((t) => t.name.startsWith('Follow workflow '));
    assert.ok(terminal, vscode.window.terminals.map((t) => t.name).join(', '));
    terminal.sendText('x', false); // any key closes a finished follow, with its exit status
    const status = await eventually('the terminal to close', () => terminal.exitStatus);
    assert.equal(status.code, 0);

    const uri = workspaceFile('fails.colonyos.json');
    created.push(uri);
    const spec = { funcname: 'fail', args: ['broken on purpose'], conditions: { executortype: 'worker' }, maxexectime: -1 };
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(spec, null, 2)));
    assert.equal(await vscode.commands.executeCommand<number | undefined>('colonyos.submitAndFollow', uri), 1);
  });

  test('Submit & Open Channel waits for the echo executor and opens the chat panel', async () => {
    await vscode.commands.executeCommand('colonyos.submitAndOpenChannel', workspaceFile('chat.colonyos.json'));
    await eventually('the channel panel', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('colonyos.channel')),
    );
  });
});
