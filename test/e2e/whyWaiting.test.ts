// End-to-end: "Why is it waiting?" in the real workbench. A spec asks for an executor type nobody runs; after submit
// the waiting row's inline ? action, its tooltip, the chat panel's status strip and the spec file's hint on
// `conditions` each say so in one sentence. Screenshots go to .artifacts/e2e/ (and COLONYOS_SHOTS_DIR when set).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { connectColony, openChannelFromTree, processRow, submitSpec } from './chatScenario';
import { useE2eSuite } from './suite';
import { editorTab, runCommand, waitForNotification } from './workbench';

const SPEC = 'waits.colonyos.json';
const TYPE = 'gpu-runner';
// \s: a Markdown tooltip shows spaces as non-breaking ones.
const SENTENCE = new RegExp(`No\\sexecutor\\sof\\stype\\s"${TYPE}"\\sis\\sregistered\\sin\\sthe\\scolony`);

describe('e2e: why is it waiting', function () {
  this.timeout(300_000);
  const suite = useE2eSuite('why');
  const shot = (shotName: string) => suite.shot(shotName);
  let pane: Locator;
  let id: string;

  it('submits a spec for an executor type nobody runs', async () => {
    pane = await connectColony(suite.wb);
    const spec = { funcname: 'train', args: [], kwargs: {}, conditions: { colonyname: '', executortype: TYPE }, maxwaittime: -1, maxexectime: -1, maxretries: 0, priority: 0, label: 'why-demo', channels: ['chat'] };
    fs.writeFileSync(path.join(suite.wb.folder, SPEC), `${JSON.stringify(spec, null, 2)}\n`);
    id = await submitSpec(suite.wb, SPEC);
    assert.match(id, /^[0-9a-f]{6,}$/);
  });

  it('the inline ? action on the waiting row names the reason', async () => {
    const row = await processRow(suite.wb, pane, id);
    await row.hover();
    const action = row.locator('.action-label[aria-label="Why Is It Waiting?"]');
    await action.waitFor({ timeout: 30_000 });
    await action.click();
    // The submit confirmation says the same; this is the action's own message, which starts with the process id.
    const toast = await waitForNotification(suite.wb.page, new RegExp(`Process ${id.slice(0, 8)}[0-9a-f]*: ${SENTENCE.source}`));
    assert.match(await toast.innerText(), /start one of that type or fix conditions\.executortype/);
    await shot('why-01-inline-message');
  });

  it('the waiting row’s tooltip has the sentence from the last catalog read', async () => {
    // Rows move while the tree refreshes (the local colony's sample processes wait too): find the row again each try,
    // and accept only the hover of this process.
    const hover = suite.wb.page.locator('.monaco-hover').filter({ hasText: 'Why waiting' }).filter({ hasText: id.slice(0, 12) });
    for (let attempt = 0; attempt < 10 && !(await hover.isVisible()); attempt++) {
      await suite.wb.page.mouse.move(900, 700);
      const row = await processRow(suite.wb, pane, id);
      await row.locator('.label-name').hover();
      await hover.waitFor({ timeout: 3_000 }).catch(() => undefined);
    }
    assert.match(await hover.innerText(), SENTENCE);
    await shot('why-02-tooltip');
  });

  it('the chat panel’s waiting status says why', async () => {
    await runCommand(suite.wb.page, 'Notifications: Clear All Notifications');
    const chat = await openChannelFromTree(suite.wb, pane, id, 'chat');
    const status = chat.locator('#status-text');
    await status.filter({ hasText: SENTENCE }).waitFor({ timeout: 60_000 });
    assert.match(await status.innerText(), /^Waiting: No executor of type/);
    await shot('why-03-chat-status');
  });

  it('the spec file has a hint on conditions', async () => {
    await runCommand(suite.wb.page, 'Notifications: Clear All Notifications');
    await editorTab(suite.wb.page, SPEC).click();
    await suite.wb.page.keyboard.press('Control+Shift+M');
    const problem = suite.wb.page.locator('.markers-panel .monaco-list-row').filter({ hasText: 'Nothing in the connected colony can run this now' }).first();
    await problem.waitFor({ timeout: 60_000 });
    assert.match(await problem.innerText(), SENTENCE);
    await shot('why-04-spec-hint');
  });
});
