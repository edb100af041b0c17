// The Workflows view, the graph panel and the workflow preview inside a real extension host, on the local colony.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ProcessState, type ProcessGraph } from '../../../src/colonies/types';
import type { GraphView } from '../../../src/panels/graphProtocol';
import { activeExtension, eventually, workspaceFile } from '../helpers';

interface Api {
  workflows: { model: { setExpanded(s: ProcessState, e: boolean): void; group(s: ProcessState): { graphs: readonly ProcessGraph[] } }; refresh(): Promise<void> };
  graphs: { panelFor(id: string): { controller: { currentView(): GraphView | undefined } } | undefined };
  specs: { previews: { previewFor(uri: vscode.Uri): { view?: GraphView; error?: string } | undefined } };
}

suite('workflows', function () {
  this.timeout(60_000);
  let api: Api;
  const created: vscode.Uri[] = [];

  suiteSetup(async () => {
    api = (await activeExtension()).exports as Api;
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of created) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    await vscode.commands.executeCommand('colonyos.stopLocalColony').then(undefined, () => undefined);
  });

  test('Preview Workflow Graph draws the file with its problems, follows edits and keeps the last graph on bad JSON', async () => {
    const uri = workspaceFile('preview-test.workflow.json');
    created.push(uri);
    const specs = [
      { nodename: 'a', funcname: 'f', conditions: { executortype: 'x' } },
      { nodename: 'b', funcname: 'f', conditions: { executortype: 'x', dependencies: ['a', 'missing'] } },
    ];
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(specs, null, 2)));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('colonyos.previewWorkflow', uri);
    const first = await eventually('the preview graph', () => api.specs.previews.previewFor(uri)?.view);
    assert.deepEqual(first.nodes.map((n) => `${n.id}:${n.state}`), ['a:unknown', 'b:unknown', 'unknown:missing:ghost']);
    assert.deepEqual(first.edges.find((e) => e.problem), { from: 'unknown:missing', to: 'b', problem: 'dangling' });

    // Typing something that is not JSON: the error shows, the last good graph stays.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), '{');
    await vscode.workspace.applyEdit(edit);
    const broken = await eventually('the parse error', () => api.specs.previews.previewFor(uri)?.error);
    assert.match(broken, /^Not valid JSON/);
    assert.equal(api.specs.previews.previewFor(uri)?.view?.nodes.length, 3);

    // Fixed, with the unknown dependency removed: the graph follows.
    const fixed = new vscode.WorkspaceEdit();
    fixed.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), JSON.stringify([specs[0], { ...specs[1], conditions: { executortype: 'x', dependencies: ['a'] } }]));
    await vscode.workspace.applyEdit(fixed);
    const good = await eventually('the fixed graph', () => {
      const p = api.specs.previews.previewFor(uri);
      return p && !p.error && p.view?.nodes.length === 2 ? p.view : undefined;
    });
    assert.deepEqual(good.edges, [{ from: 'a', to: 'b' }]);
    assert.equal(good.subtitle, '2 specs · no problems');
  });

  test('the Workflows view lists a submitted workflow and Open Graph draws it from the process store', async () => {
    await vscode.commands.executeCommand('colonyos.startLocalColony');
    const graph = await vscode.commands.executeCommand<ProcessGraph | undefined>('colonyos.submitWorkflow', workspaceFile('hello.workflow.json'));
    assert.ok(graph);
    const model = api.workflows.model;
    for (const s of [ProcessState.WAITING, ProcessState.RUNNING, ProcessState.SUCCESS, ProcessState.FAILED, ProcessState.CANCELLED]) model.setExpanded(s, true);
    await eventually('the workflow in the view', async () => {
      await api.workflows.refresh();
      const all = [0, 1, 2, 3, 4].flatMap((s) => model.group(s as ProcessState).graphs);
      return all.some((g) => g.processgraphid === graph.processgraphid) ? true : undefined;
    });
    await vscode.commands.executeCommand('colonyos.openWorkflowGraph', graph.processgraphid);
    const view = await eventually('the graph panel drawing with read states', () => {
      const v = api.graphs.panelFor(graph.processgraphid)?.controller.currentView();
      return v && v.nodes.length === 2 && v.nodes.every((n) => n.state !== 'unknown') ? v : undefined;
    });
    assert.deepEqual(view.nodes.map((n) => n.label), ['hello', 'world']);
    assert.equal(view.edges.length, 1);
    // Opening it again reuses the panel.
    await vscode.commands.executeCommand('colonyos.openWorkflowGraph', graph.processgraphid);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('Workflow '));
    assert.equal(tabs.length, 1);
  });
});
