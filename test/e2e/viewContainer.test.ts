// End-to-end: the real workbench with the extension loaded shows the ColonyOS view container and its views.
import * as assert from 'node:assert/strict';
import { expandViewPane, openViewContainer, openWorkbench, readManifest, viewPane, type Workbench } from './workbench';

const containerViews = readManifest().contributes?.views?.colonyos ?? [];

describe('workbench: ColonyOS view container', function () {
  this.timeout(180_000);
  let wb: Workbench;

  before(async () => {
    wb = await openWorkbench();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      console.log(`screenshot: ${await wb.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`)}`);
      console.log(`workbench log (last 80 lines):\n${wb.logs.slice(-80).join('\n')}`);
    }
  });

  after(async () => {
    await wb?.close();
  });

  it('shows the ColonyOS activity bar item and opens its side bar', async () => {
    const sidebar = await openViewContainer(wb.page, 'ColonyOS');
    assert.match(await sidebar.locator('.composite.title h2').innerText(), /colonyos/i);
    await wb.screenshot('01-view-container');
  });

  it('lists every view that package.json contributes to the container', async () => {
    assert.ok(containerViews.length > 0, 'package.json contributes no views to the "colonyos" container');
    for (const view of containerViews) {
      const pane = await expandViewPane(wb.page, view.name);
      assert.equal(await viewPane(wb.page, view.name).count(), 1, `view pane "${view.name}" not found`);
      // Every view shows something: tree rows, or its welcome content when empty.
      const shown = await pane.locator('.pane-body .monaco-list-row, .pane-body .welcome-view-content').count();
      assert.ok(shown > 0, `view "${view.name}" is blank`);
    }
    await wb.screenshot('02-views');
  });
});
