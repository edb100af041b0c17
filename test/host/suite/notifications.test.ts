// Notifications when a process you submitted finishes, inside a real extension host against the local colony.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { funcSpec, ProcessState } from '../../../src/colonies/index';
import type { ConnectionServiceImpl } from '../../../src/connection/connectionService';
import type { LocalColonyController } from '../../../src/connection/localColonyController';
import type { ProcessTree } from '../../../src/views/index';
import type { ProcessNotice } from '../../../src/views/processNotices';
import { activeExtension } from '../helpers';
import { waitFor as eventually } from '../../support/poll';

interface Api {
  connection: ConnectionServiceImpl;
  localColony: LocalColonyController;
  tree: ProcessTree;
  notifications: { shown: ProcessNotice[] };
}

const config = () => vscode.workspace.getConfiguration('colonyos');

suite('process notifications', function () {
  this.timeout(90_000);

  suiteTeardown(async () => {
    const a = (await activeExtension()).exports as Api;
    await a.localColony.stop();
    await config().update('notifications.processEnd', undefined, vscode.ConfigurationTarget.Global);
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await config().update('activeConnection', undefined, vscode.ConfigurationTarget.Global);
  });

  test('a process I submitted tells me when it ends, success with its channel, and nothing when set to failures only', async () => {
    const { connection, localColony, tree, notifications } = (await activeExtension()).exports as Api;
    await localColony.start();
    await eventually('a connected local colony', async () => (connection.state.kind === 'connected' ? true : undefined));
    const s = await connection.requireSession();

    const chat = async () => {
      const p = await s.client.submitFuncSpec(funcSpec({ funcname: 'chat', colonyname: s.profile.colonyName, executortype: 'echo', channels: ['chat'] }), s.prvkey);
      await s.client.subscribeProcess(p.processid, ProcessState.RUNNING, 20, s.prvkey);
      tree.watchProcess(p.processid);
      await eventually('the store to follow the running process', async () => (await tree.refresh(), tree.model.findProcess(p.processid)?.state === ProcessState.RUNNING ? true : undefined));
      await s.client.channelAppend(p.processid, 'chat', 1, '', s.prvkey, { payloadType: 'end' });
      return p;
    };

    const first = await chat();
    const notice = await eventually('the success notification', async () => notifications.shown.find((n) => n.processId === first.processid));
    assert.equal(notice.severity, 'info');
    assert.match(notice.message, /^chat \([0-9a-f]{8}\) finished successfully/);
    assert.equal(notice.channel, 'chat');

    await config().update('notifications.processEnd', 'failures', vscode.ConfigurationTarget.Global);
    const second = await chat();
    await eventually('the second process to finish', async () => ((await s.client.getProcess(second.processid, s.prvkey)).state === ProcessState.SUCCESS ? true : undefined));
    await tree.refresh();
    assert.equal(notifications.shown.find((n) => n.processId === second.processid), undefined, 'failures only: no notice for a success');
  });
});
