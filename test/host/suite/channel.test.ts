// The chat panel inside a real extension host: open a channel and hold a conversation with the echo executor.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { crypto, entryText, funcSpec, ProcessState } from '../../../src/colonies/index';
import { startEchoExecutor } from '../../../src/localcolony/executors/index';
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

async function api(): Promise<Api> {
  const exports = (await activeExtension()).exports as Api | undefined;
  assert.ok(exports?.panels && exports.localColony, 'activate() returns { connection, localColony, panels }');
  return exports;
}

const config = () => vscode.workspace.getConfiguration('colonyos');

/**
 * Where the chat runs: the extension's own local colony with its echo executor, or, when the extension host was
 * started with COLONIES_* variables (the real-server tier), that server, imported the way a user imports it
 * ("Import Connection from Environment"), with a demo echo executor of a fresh type registered by the colony owner.
 */
async function chatTarget(a: Api): Promise<{ executorType: string; where: string; stop: () => Promise<void> }> {
  const env = process.env;
  if (!env.COLONIES_SERVER_HOST) {
    await a.localColony.start();
    return { executorType: 'echo', where: 'the local colony', stop: async () => undefined };
  }
  const colonyPrvKey = env.COLONIES_COLONY_PRVKEY;
  assert.ok(colonyPrvKey && env.COLONIES_PRVKEY && env.COLONIES_COLONY_NAME, 'COLONIES_COLONY_PRVKEY, COLONIES_PRVKEY and COLONIES_COLONY_NAME are set');
  await vscode.commands.executeCommand('colonyos.importFromEnvironment');
  const executorType = `echo-${crypto.generatePrivateKey().slice(0, 10)}`;
  const echo = await startEchoExecutor({
    host: env.COLONIES_SERVER_HOST,
    port: Number(env.COLONIES_SERVER_PORT ?? 50080),
    tls: env.COLONIES_TLS === 'true',
    colonyName: env.COLONIES_COLONY_NAME,
    colonyPrvKey,
    executorType,
    assignTimeoutSec: 2,
  });
  return {
    executorType,
    where: `the ColonyOS server at ${env.COLONIES_SERVER_HOST}`,
    stop: async () => {
      await echo.stop();
    },
  };
}

suite('channel chat panel', function () {
  this.timeout(60_000);

  let stopTarget: (() => Promise<void>) | undefined;

  suiteTeardown(async () => {
    await stopTarget?.();
    const a = await api();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await a.localColony.stop();
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await config().update('activeConnection', undefined, vscode.ConfigurationTarget.Global);
  });

  test('open a channel, round trip with the echo executor, end it, and keep the transcript after close', async () => {
    const a = await api();
    const { connection, panels } = a;
    const target = await chatTarget(a);
    stopTarget = target.stop;
    await eventually(`a connection to ${target.where}`, async () => (connection.state.kind === 'connected' ? true : undefined));
    const s = await connection.requireSession();

    const spec = funcSpec({ funcname: 'chat', colonyname: s.profile.colonyName, executortype: target.executorType, channels: ['chat'] });
    const submitted = await s.client.submitFuncSpec(spec, s.prvkey);
    const running = await s.client.subscribeProcess(submitted.processid, ProcessState.RUNNING, 20, s.prvkey);
    assert.ok(running.assignedexecutorid, 'the echo executor took the process');

    await vscode.commands.executeCommand('colonyos.openChannel', submitted.processid, 'chat');
    const controller = await eventually('the channel panel', async () => panels.controllerFor(submitted.processid, 'chat'));
    const tab = await eventually('a webview tab of type colonyos.channel', async () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('colonyos.channel')),
    );
    assert.match(tab.label, /chat/);
    await eventually('the live stream', async () => (controller.view.status.kind === 'live' ? true : undefined));

    const sent = await controller.send('Hello!', 'data');
    const reply = await eventually('the echo reply', async () =>
      controller.transcript.find((e) => e.inreplyto === sent && entryText(e) === 'You said: Hello!'),
    );
    assert.equal(reply.senderid, running.assignedexecutorid, 'the reply comes from the assigned executor');
    assert.equal(reply.type, 'data');

    await controller.send('', 'end');
    const done = await s.client.subscribeProcess(submitted.processid, ProcessState.SUCCESS, 20, s.prvkey);
    assert.equal(done.state, ProcessState.SUCCESS, 'the echo executor closes the process on end');
    await eventually('the finished status', async () => (controller.view.status.kind === 'finished' ? true : undefined));
    assert.equal(controller.view.composer.enabled, false, 'nothing can be sent to a finished process');

    // The server deleted the channel at close; the panel still holds the whole conversation.
    await assert.rejects(s.client.channelRead(submitted.processid, 'chat', 0, 0, s.prvkey), /Channel not found/);
    assert.deepEqual(
      controller.transcript.map((e) => [entryText(e), e.type, e.senderid === s.myId ? 'me' : 'executor']),
      [
        ['Hello!', 'data', 'me'],
        ['You said: Hello!', 'data', 'executor'],
        ['', 'end', 'me'],
      ],
    );
  });
});
