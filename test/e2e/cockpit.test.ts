// End-to-end: the colony at a glance in the real workbench (local colony, or a real server when COLONIES_* is set):
// the Executors view with the demo executors, their functions and owner actions; a process's readable Details with
// Show Raw JSON; the status bar's counts; and the notification when a process of mine ends. Screenshots go to
// .artifacts/e2e/ (and COLONYOS_SHOTS_DIR when set).
import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { connectColony, submitSpec } from './chatScenario';
import { useE2eSuite } from './suite';
import { editorTab, runCommand, treeRows, waitForNotification } from './workbench';

describe('e2e: the colony at a glance', function () {
  this.timeout(300_000);
  const suite = useE2eSuite('cockpit');
  let processes: Locator;
  const shot = (name: string) => suite.shot(name);

  it('the Executors view lists the demo executors by type, with their functions', async () => {
    processes = await connectColony(suite.wb);
    // The Executors view starts collapsed under Processes: give it the side bar, as a user would.
    const processesHeader = processes.locator('.pane-header');
    if ((await processesHeader.getAttribute('aria-expanded')) === 'true') await processesHeader.click();
    const executors = suite.wb.page.locator('.part.sidebar .pane').filter({ has: suite.wb.page.locator('.pane-header', { hasText: /^\s*Executors/i }) });
    const header = executors.locator('.pane-header');
    await header.waitFor({ timeout: 60_000 });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    const echo = treeRows(executors, /^echo/).first();
    await echo.waitFor({ timeout: 60_000 });
    for (const type of ['progress', 'worker']) await treeRows(executors, new RegExp(`^${type}`)).first().waitFor({ timeout: 60_000 });
    // Under the echo type: its executor; under the executor: its details and the registered functions.
    const executorRow = treeRows(executors, /^echo-/).first();
    await executorRow.waitFor({ timeout: 30_000 });
    await executorRow.click();
    if ((await executorRow.getAttribute('aria-expanded')) !== 'true') await suite.wb.page.keyboard.press('ArrowRight');
    await treeRows(executors, 'Last heard from').first().waitFor({ timeout: 30_000 });
    await treeRows(executors, /^Functions/).first().click();
    await treeRows(executors, /^chat/).first().waitFor({ timeout: 30_000 });
    assert.match(await treeRows(executors, /^chat/).first().innerText(), /never called|calls?/);
    await shot('cockpit-01-executors');
    // Back to Processes (it polls only while visible; the status bar's counts come from it).
    await header.click();
    await processesHeader.click();
  });

  it('a process of mine that ends brings a notification, and its Details read as text with Show Raw JSON', async () => {
    const id = await submitSpec(suite.wb, 'progress.colonyos.json');
    const done = await waitForNotification(suite.wb.page, new RegExp(`progress \\(${id.slice(0, 8)}\\) finished successfully`));
    assert.match(await done.innerText(), /Show Output/);
    await shot('cockpit-02-notification');
    await done.locator('a.monaco-button, .monaco-button').filter({ hasText: 'Show Output' }).first().click();
    const tab = editorTab(suite.wb.page, new RegExp(`-${id.slice(0, 8)}.*\\.txt`));
    await tab.waitFor({ timeout: 60_000 });
    const editor = suite.wb.page.locator('.editor-instance .view-lines').first();
    await editor.filter({ hasText: 'Successful' }).waitFor({ timeout: 30_000 });
    const text = await editor.innerText();
    // The editor renders spaces as non-breaking ones: \s matches both.
    assert.match(text, /Executor\stype\s+progress/);
    assert.match(text, /Ran\s+\d/);
    await shot('cockpit-03-details');
    await runCommand(suite.wb.page, 'ColonyOS: Show Raw JSON');
    await editorTab(suite.wb.page, new RegExp(`-${id.slice(0, 8)}.*\\.json`)).waitFor({ timeout: 60_000 });
  });

  it('the status bar carries the colony’s counts', async () => {
    // Its accessible label is what a screen reader says; on the local colony the sample processes wait and run.
    const item = suite.wb.page.locator('.statusbar-item[aria-label^="ColonyOS connection"]').first();
    await item.waitFor({ timeout: 60_000 });
    const label = async () => String(await item.getAttribute('aria-label'));
    for (let i = 0; i < 30 && !/processes/.test(await label()); i++) await suite.wb.page.waitForTimeout(1000);
    assert.match(await label(), /, connected(, \d+ (waiting|running))*/);
    if (!suite.real) {
      assert.match(await label(), /\d+ waiting, \d+ running processes/);
      assert.match(await item.innerText(), /· \d+ waiting · \d+ running/);
    }
    await item.hover();
    await suite.wb.page.waitForTimeout(1500);
    await shot('cockpit-04-status-bar');
    assert.ok(processes);
  });
});
