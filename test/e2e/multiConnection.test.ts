// End-to-end: the multi-connection scenario of the architecture issue, in the real workbench. Chat on one colony,
// switch the active connection to a second colony from the status bar's Switch Connection, and the open panel still
// says live, still chats with the first colony, and never claims its process was removed. The second colony is
// another local colony started here, its key given to the extension host through COLONIES_* (the environment key
// for that server identity only).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startLocalColony as startColony, type LocalColony } from '../../src/localcolony/index';
import { openChannelFromTree, sendAndAwaitReply, startLocalColony, submitSpec } from './chatScenario';
import { openWorkbench, pickQuickInputItem, runCommand, type Workbench } from './workbench';

describe('e2e: a chat panel keeps its server when the active connection is switched', function () {
  this.timeout(300_000);
  let wb: Workbench;
  let second: LocalColony;

  before(async () => {
    second = await startColony({ port: 0, demo: true });
    wb = await openWorkbench({
      env: { COLONIES_SERVER_HOST: '127.0.0.1', COLONIES_SERVER_PORT: String(second.port), COLONIES_TLS: 'false', COLONIES_COLONY_NAME: second.colonyName, COLONIES_PRVKEY: second.userPrvKey },
      settings: { 'colonyos.connections': [{ name: 'Second colony', host: '127.0.0.1', port: second.port, tls: false, colonyName: second.colonyName }] },
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      console.log(`screenshot: ${await wb.screenshot(`failed-multi-${this.currentTest.title.replace(/\W+/g, '-')}`)}`);
      console.log(`workbench log (last 80 lines):\n${wb.logs.slice(-80).join('\n')}`);
    }
  });

  after(async () => {
    await wb?.close();
    await second?.stop();
  });

  it('chats on the local colony, switches to the second colony, and the panel still chats with the first', async () => {
    const pane = await startLocalColony(wb);
    const id = await submitSpec(wb, 'chat.colonyos.json');
    const chat = await openChannelFromTree(wb, pane, id, 'chat');
    await sendAndAwaitReply(wb, chat, 'before the switch', 'You said: before the switch');

    await runCommand(wb.page, 'ColonyOS: Switch Connection');
    await pickQuickInputItem(wb.page, 'Second colony');
    await wb.page.locator('.statusbar-item[aria-label^="ColonyOS connection Second colony, connected"]').waitFor({ timeout: 60_000 });
    // The tree now shows the second colony.
    await pane.locator('.monaco-list-row').filter({ hasText: `Second colony · 127.0.0.1:${second.port}` }).first().waitFor({ timeout: 60_000 });

    await sendAndAwaitReply(wb, chat, 'after the switch', 'You said: after the switch');
    const status = chat.locator('#status-text');
    assert.doesNotMatch(await status.innerText(), /no longer exists|removed|Failed to get/i);
    assert.match(await status.innerText(), /^Live/);
    const shot = await wb.screenshot('multi-connection-after-switch');
    if (process.env.COLONYOS_SHOTS_DIR) fs.copyFileSync(shot, path.join(process.env.COLONYOS_SHOTS_DIR, path.basename(shot)));
  });
});
