// The Processes view and the connection area inside a real extension host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEV_USER_PRVKEY } from '../../../src/localcolony/index';
import type { ConnectionServiceImpl } from '../../../src/connection/connectionService';
import type { LocalColonyController } from '../../../src/connection/localColonyController';
import type { ProcessTree } from '../../../src/views/index';
import type { TreeNode } from '../../../src/views/treeNodes';
import { activeExtension } from '../helpers';
import { waitFor as eventually } from '../../support/poll';

interface Api {
  connection: ConnectionServiceImpl;
  localColony: LocalColonyController;
  tree: ProcessTree;
}

async function api(): Promise<Api> {
  const ext = await activeExtension();
  const exports = ext.exports as Api | undefined;
  assert.ok(exports?.tree && exports.connection, 'activate() returns { connection, localColony, tree }');
  return exports;
}


async function items(tree: ProcessTree, node?: TreeNode): Promise<{ node: TreeNode; item: vscode.TreeItem }[]> {
  const children = await tree.provider.getChildren(node);
  return children.map((child) => ({ node: child, item: tree.provider.getTreeItem(child) }));
}

const config = () => vscode.workspace.getConfiguration('colonyos');

suite('process tree', function () {
  this.timeout(60_000);

  suiteTeardown(async () => {
    const a = await api();
    await a.localColony.stop();
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await config().update('activeConnection', undefined, vscode.ConfigurationTarget.Global);
  });

  test('Start Local Colony shows processes in all five states, with counts and contextValues', async () => {
    const { tree, connection } = await api();
    await vscode.commands.executeCommand('colonyos.startLocalColony');
    await eventually('a connected local colony', async () => (connection.state.kind === 'connected' ? true : undefined));

    const contexts = await eventually('all five state groups filled', async () => {
      await tree.refresh();
      const [colony] = await items(tree);
      assert.equal(colony?.node.kind, 'colony');
      const groups = await items(tree, colony.node);
      const perGroup: string[][] = [];
      for (const g of groups) {
        const rows = await items(tree, g.node);
        perGroup.push(rows.filter((r) => r.node.kind === 'process').map((r) => String(r.item.contextValue)));
      }
      return perGroup.every((rows) => rows.length > 0) ? { groups, perGroup } : undefined;
    });
    assert.deepEqual(contexts.groups.map((g) => g.item.label), ['Waiting', 'Running', 'Successful', 'Failed', 'Cancelled']);
    const keys = ['waiting', 'running', 'success', 'failed', 'cancelled'];
    contexts.perGroup.forEach((rows, i) => {
      for (const cv of rows) assert.equal(cv, `process;state=${keys[i]};mine`);
    });
    for (const g of contexts.groups) assert.match(String(g.item.description), /^\d+\+?$/, 'each group shows a count');
    // The status bar carries the server's counts of what is under way, and all five in its tooltip.
    const { statusBar } = (await activeExtension()).exports as { statusBar: { content: { text: string; tooltip: vscode.MarkdownString } } };
    const waiting = Number(contexts.groups[0].item.description);
    assert.match(statusBar.content.text, new RegExp(` · ${waiting} waiting · \\d+ running$`));
    const tooltip = statusBar.content.tooltip.value.replace(/&nbsp;/g, ' ').replace(/\\/g, '');
    assert.match(tooltip, /Processes \(the server's counts\): \d+ waiting, \d+ running, \d+ successful, \d+ failed, \d+ cancelled/);

    // A process row: stable id = process id, children = its channel, Logs and Details.
    const running = await items(tree, contexts.groups[1].node);
    const chat = running.find((r) => r.item.label === 'chat');
    assert.ok(chat, 'the sample chat process is running');
    assert.equal(chat.item.id, (chat.node as { processId: string }).processId);
    assert.equal((chat.item.iconPath as vscode.ThemeIcon).id, 'sync~spin');
    const children = await items(tree, chat.node);
    assert.deepEqual(children.map((c) => c.item.label), ['chat', 'Logs', 'Details']);
    assert.deepEqual(children[0].item.command?.arguments, [(chat.node as { processId: string }).processId, 'chat']);
    assert.equal(children[0].item.command?.command, 'colonyos.openChannel');
  });

  test('the private key is in SecretStorage and nowhere in settings', async () => {
    const { connection } = await api();
    assert.equal(connection.profile?.name, 'Local colony');
    assert.equal(await connection.getPrivateKey(), DEV_USER_PRVKEY);
    const inspected = JSON.stringify(config().inspect('connections')) + JSON.stringify(config().inspect('activeConnection'));
    assert.ok(inspected.includes('Local colony'), 'the profile is in settings');
    assert.ok(!inspected.includes(DEV_USER_PRVKEY), 'the key is not in settings');
    const all = JSON.stringify(vscode.workspace.getConfiguration().get('colonyos'));
    assert.ok(!all.includes(DEV_USER_PRVKEY));
  });

  test('Show Details opens a readable summary of the process; Show Raw JSON, from its title bar, the JSON', async () => {
    const { tree } = await api();
    const p = tree.model.groups().flatMap((g) => g.processes).find((x) => x.spec.funcname === 'progress');
    assert.ok(p);
    await vscode.commands.executeCommand('colonyos.showDetails', p.processid);
    const editor = await eventually('the details editor', async () =>
      vscode.window.activeTextEditor?.document.uri.path.startsWith('/details/') ? vscode.window.activeTextEditor : undefined,
    );
    const text = editor.document.getText();
    assert.match(text, new RegExp(`^progress · (Waiting|Running|Successful|Failed|Cancelled)\nProcess ${p.processid}\n`));
    assert.match(text, /\nExecutor type +progress\n/);
    assert.match(text, /\nOutput\n/);
    assert.match(text, /Show Raw JSON/);

    // The editor title button passes the document's URI.
    await vscode.commands.executeCommand('colonyos.showRawJson', editor.document.uri);
    const json = await eventually('the raw JSON editor', async () =>
      vscode.window.activeTextEditor?.document.uri.path.startsWith('/json/') ? vscode.window.activeTextEditor : undefined,
    );
    assert.equal(json.document.languageId, 'json');
    const parsed = JSON.parse(json.document.getText()) as { processid: string; state: number };
    assert.equal(parsed.processid, p.processid);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('an unreachable server gives the error item, not an exception', async () => {
    const { tree, connection } = await api();
    const nowhere = { name: 'nowhere', host: '127.0.0.1', port: 1, tls: false, colonyName: 'dev' };
    await connection.keys.set(nowhere, DEV_USER_PRVKEY);
    const profiles = (config().get<unknown[]>('connections') ?? []).concat([nowhere]);
    await config().update('connections', profiles, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('colonyos.switchConnection', 'nowhere');
    await eventually('the unreachable state', async () => (connection.state.kind === 'unreachable' ? true : undefined));
    await vscode.commands.executeCommand('colonyos.refresh');
    const root = await items(tree);
    assert.equal(root[0].item.contextValue, 'connectionError');
    assert.equal(String(root[0].item.label), 'Cannot reach server');
    assert.equal(root[0].item.description, '127.0.0.1:1');
    // The tooltip names the server once (the transport's own message names it too; errorText.ts keeps its cause).
    assert.equal(String(root[0].item.tooltip).split('127.0.0.1:1').length - 1, 1, String(root[0].item.tooltip));
    assert.ok(root.some((r) => r.item.command?.command === 'colonyos.retryConnection'));
    await vscode.commands.executeCommand('colonyos.switchConnection', 'Local colony');
    await connection.keys.delete(nowhere);
  });
});
