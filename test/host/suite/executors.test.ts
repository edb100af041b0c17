// The Executors view inside a real extension host, against the local colony: executors grouped by type with their
// functions, owner actions offered because Start Local Colony stores the development colony owner key, and
// approve / reject / remove carried out on the server.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { crypto, ExecutorState } from '../../../src/colonies/index';
import { DEV_COLONY_PRVKEY } from '../../../src/localcolony/index';
import type { ConnectionServiceImpl } from '../../../src/connection/connectionService';
import type { LocalColonyController } from '../../../src/connection/localColonyController';
import type { ExecutorsView } from '../../../src/views/executorsView';
import type { ExecutorNode } from '../../../src/views/executorTree';
import { activeExtension } from '../helpers';
import { waitFor as eventually } from '../../support/poll';

interface Api {
  connection: ConnectionServiceImpl;
  localColony: LocalColonyController;
  executors: ExecutorsView;
}

const config = () => vscode.workspace.getConfiguration('colonyos');

async function rows(view: ExecutorsView, node?: ExecutorNode) {
  return view.provider.getChildren(node).map((n) => ({ node: n, item: view.provider.getTreeItem(n) }));
}

async function executorRow(view: ExecutorsView, name: string) {
  for (const g of await rows(view)) {
    for (const r of await rows(view, g.node)) if (r.item.label === name) return r;
  }
  return undefined;
}

suite('executors view', function () {
  this.timeout(90_000);

  suiteTeardown(async () => {
    const a = (await activeExtension()).exports as Api;
    await a.localColony.stop();
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await config().update('activeConnection', undefined, vscode.ConfigurationTarget.Global);
  });

  test('lists the demo executors by type with their functions, and approves, rejects and removes as the colony owner', async () => {
    const { connection, localColony, executors } = (await activeExtension()).exports as Api;
    await localColony.start();
    await eventually('a connected local colony', async () => (connection.state.kind === 'connected' ? true : undefined));
    await vscode.commands.executeCommand('colonyos.executors.focus');

    const groups = await eventually('the demo executors', async () => {
      await executors.refreshNow();
      const g = await rows(executors);
      return g.some((x) => x.item.label === 'echo') ? g : undefined;
    });
    assert.ok(groups.every((g) => g.node.kind === 'group'), 'grouped by type');
    const echoGroup = groups.find((g) => g.item.label === 'echo')!;
    const [echo] = await rows(executors, echoGroup.node);
    assert.match(String(echo.item.contextValue), /^executor;state=approved;owner$/);
    const details = await rows(executors, echo.node);
    const fns = details.find((d) => d.node.kind === 'functions');
    assert.ok(fns, 'the echo executor lists its registered functions');
    assert.ok((await rows(executors, fns.node)).some((f) => f.item.label === 'chat'));
    assert.equal(executors.isOwner, true);

    // A new executor registered with the colony owner key starts pending.
    const s = await connection.requireSession();
    const prvkey = crypto.generatePrivateKey();
    const name = `host-test-${Date.now()}`;
    await s.client.addExecutor({ executorid: crypto.id(prvkey), executortype: 'hosttest', executorname: name, colonyname: s.profile.colonyName }, DEV_COLONY_PRVKEY);
    await executors.refreshNow();
    const pending = await eventually('the pending executor', async () => executorRow(executors, name));
    assert.equal(pending.item.contextValue, 'executor;state=pending;owner');

    await vscode.commands.executeCommand('colonyos.approveExecutor', pending.node);
    assert.equal((await s.client.getExecutor(s.profile.colonyName, name, s.prvkey)).state, ExecutorState.APPROVED);
    assert.equal((await executorRow(executors, name))?.item.contextValue, 'executor;state=approved;owner');

    await vscode.commands.executeCommand('colonyos.rejectExecutor', (await executorRow(executors, name))!.node);
    assert.equal((await s.client.getExecutor(s.profile.colonyName, name, s.prvkey)).state, ExecutorState.REJECTED);

    // Remove asks first (a modal dialog): answered here the way a user would click it.
    const original = vscode.window.showWarningMessage;
    let asked = '';
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = async (message: string) => ((asked = message), 'Remove Executor');
    try {
      await vscode.commands.executeCommand('colonyos.removeExecutor', (await executorRow(executors, name))!.node);
    } finally {
      (vscode.window as { showWarningMessage: unknown }).showWarningMessage = original;
    }
    assert.match(asked, new RegExp(`Remove executor "${name}"`));
    assert.equal((await s.client.getExecutor(s.profile.colonyName, name, s.prvkey)).state, ExecutorState.UNREGISTERED);
  });
});
