// A chat panel open on one server keeps talking to it after the active connection is switched to another server
// (the scenario of issue 13): its status stays live, then finished, and never turns into a red error.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { entryText, funcSpec, ProcessState } from '../../../src/colonies/index';
import { startLocalColony, type LocalColony } from '../../../src/localcolony/index';
import { identityKey } from '../../../src/connection/identity';
import type { ConnectionServiceImpl } from '../../../src/connection/connectionService';
import type { LocalColonyController } from '../../../src/connection/localColonyController';
import type { ChannelPanels } from '../../../src/panels/index';
import { activeExtension } from '../helpers';
import { waitFor as eventually } from '../../support/poll';

interface Api {
  connection: ConnectionServiceImpl;
  localColony: LocalColonyController;
  panels: ChannelPanels;
}

const config = () => vscode.workspace.getConfiguration('colonyos');

suite('a panel keeps its connection when the active one is switched', function () {
  this.timeout(90_000);
  let other: LocalColony | undefined;

  suiteTeardown(async () => {
    const a = (await activeExtension()).exports as Api;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await a.localColony.stop();
    await other?.stop();
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await config().update('activeConnection', undefined, vscode.ConfigurationTarget.Global);
  });

  test('chat on the local colony, switch to a second colony, the panel still chats and ends on the first', async function () {
    if (process.env.COLONIES_SERVER_HOST) this.skip(); // two local colonies; the real-server tier has one server
    const a = (await activeExtension()).exports as Api;
    const { connection, panels } = a;
    await a.localColony.start();
    await eventually('a connection to the local colony', async () => (connection.state.kind === 'connected' ? true : undefined));
    const s = await connection.requireSession();
    const first = s.profile;

    const submitted = await s.client.submitFuncSpec(funcSpec({ funcname: 'chat', colonyname: first.colonyName, executortype: 'echo', channels: ['chat'] }), s.prvkey);
    await s.client.subscribeProcess(submitted.processid, ProcessState.RUNNING, 20, s.prvkey);
    await vscode.commands.executeCommand('colonyos.openChannel', submitted.processid, 'chat');
    const controller = await eventually('the channel panel', async () => panels.controllerFor(submitted.processid, 'chat'));
    await eventually('the live stream', async () => (controller.view.status.kind === 'live' ? true : undefined));

    // A second colony with the same development identities, on another port: another server identity.
    other = await startLocalColony({ port: 0, demo: true });
    const second = { name: 'Second colony', host: '127.0.0.1', port: other.port, tls: false, colonyName: other.colonyName };
    await connection.keys.set(second, other.userPrvKey);
    await connection.profiles.upsert(second);
    await connection.profiles.setActive(second.name);
    await eventually('the second colony to be active and connected', async () =>
      connection.profile?.port === other!.port && connection.state.kind === 'connected' ? true : undefined,
    );
    assert.notEqual(connection.client, s.client);
    assert.equal(s.client.disposed, false, "the panel holds the first colony's client open");

    // A window reload while the second colony is active: the restored panel goes back to the first colony.
    const restoredProcess = await s.client.submitFuncSpec(funcSpec({ funcname: 'chat', colonyname: first.colonyName, executortype: 'echo', channels: ['chat'] }), s.prvkey);
    await s.client.subscribeProcess(restoredProcess.processid, ProcessState.RUNNING, 20, s.prvkey);
    const webviewPanel = vscode.window.createWebviewPanel('colonyos.channel', 'restored', vscode.ViewColumn.Active, { enableScripts: true });
    panels.restorePanel(webviewPanel, { processId: restoredProcess.processid, channel: 'chat', connection: identityKey(first) });
    const restored = await eventually('the restored panel', async () => panels.controllerFor(restoredProcess.processid, 'chat'));
    await eventually('the restored panel live on the first colony', async () => (restored.view.status.kind === 'live' ? true : undefined));
    const restoredSent = await restored.send('after the reload', 'data');
    await eventually('the echo reply to the restored panel', async () =>
      restored.transcript.find((e) => e.inreplyto === restoredSent && entryText(e) === 'You said: after the reload'),
    );
    assert.equal(connection.profile?.port, other.port, 'the active connection is still the second colony');
    await restored.send('', 'end');
    await eventually('the restored panel finished', async () => (restored.view.status.kind === 'finished' ? true : undefined));

    const sent = await controller.send('after the switch', 'data');
    await eventually('the echo reply from the first colony', async () =>
      controller.transcript.find((e) => e.inreplyto === sent && entryText(e) === 'You said: after the switch'),
    );
    assert.equal(controller.view.status.kind, 'live');
    await controller.send('', 'end');
    await eventually('the finished status', async () => (controller.view.status.kind === 'finished' ? true : undefined));
    assert.deepEqual(controller.view.status, { kind: 'finished', state: 'Successful' });
    await assert.rejects(
      (await connection.requireSession()).client.getProcess(submitted.processid, other.userPrvKey),
      'the process lives only on the first colony',
    );

    // Back to the first colony while the panel still holds its client: that client is shared, not a second one.
    await connection.profiles.setActive(first.name);
    await eventually('the first colony to be active and connected', async () =>
      connection.profile?.name === first.name && connection.state.kind === 'connected' ? true : undefined,
    );
    assert.equal(connection.client, s.client, 'one client (and one store key) per server while a panel holds it');
    assert.equal((await connection.requireSession()).key, s.key);
  });
});
