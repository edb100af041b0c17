// Regenerates the README's workflow screenshots (media/screenshots/workflows.png, workflow-preview.png) through the
// real workbench, the way scripts/readme-screenshots.ts does: npx tsx scripts/workflow-screenshots.ts
// A pipeline runs on the local colony's progress executor (one step keeps running, one waits for an executor type
// nobody serves), and a broken workflow file shows its problems in the preview.
// With COLONIES_* set (node scripts/real-server.mjs run -- npx tsx scripts/workflow-screenshots.ts) the same walk runs
// against that ColonyOS server, with the demo executors started here, and the pictures go only to COLONYOS_SHOTS_DIR
// (named real-*.png): the README keeps the local colony's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contextMenuAction, expandViewPane, openFile, openWorkbench, runCommand, treeRows, waitForNotification, webviewContent } from '../test/e2e/workbench';
import { connectColony } from '../test/e2e/chatScenario';
import { prepareRealServer, realServerConfigured, type RealServer } from '../test/e2e/colonyTarget';

const REAL = realServerConfigured();
const EXTRA = process.env.COLONYOS_SHOTS_DIR;
const OUT = REAL ? (EXTRA ?? path.resolve(__dirname, '..', '.artifacts', 'e2e')) : path.resolve(__dirname, '..', 'media', 'screenshots');

const step = (nodename: string, dependencies: string[], stepms: number, executortype = 'progress') => ({
  nodename,
  funcname: nodename === 'train' ? 'train-model' : nodename,
  kwargs: { stepms },
  channels: executortype === 'progress' ? ['progress'] : [],
  conditions: { executortype, dependencies },
  maxexectime: -1,
});

const PIPELINE = [
  step('fetch', [], 30),
  step('clean', ['fetch'], 30),
  step('features', ['fetch'], 30),
  step('train', ['clean', 'features'], 30_000),
  step('evaluate', ['train'], 10, 'gpu'),
  step('report', ['evaluate', 'clean'], 10),
];

const BROKEN = [
  step('fetch', [], 10),
  step('train', ['fetch', 'clean-data'], 10),
  step('evaluate', ['train', 'report'], 10),
  step('report', ['evaluate'], 10),
  step('train', ['fetch'], 10),
];

async function save(page: import('playwright-core').Page, name: string): Promise<void> {
  const file = path.join(OUT, REAL ? `real-${name}` : name);
  await page.screenshot({ path: file });
  if (EXTRA && !REAL) fs.copyFileSync(file, path.join(EXTRA, name));
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  if (EXTRA) fs.mkdirSync(EXTRA, { recursive: true });
  const real: RealServer | undefined = REAL ? await prepareRealServer() : undefined;
  const wb = await openWorkbench();
  const { page } = wb;
  try {
    await page.setViewportSize({ width: 1400, height: 860 });
    fs.writeFileSync(path.join(wb.folder, 'pipeline.workflow.json'), `${JSON.stringify(PIPELINE, null, 2)}\n`);
    fs.writeFileSync(path.join(wb.folder, 'broken.workflow.json'), `${JSON.stringify(BROKEN, null, 2)}\n`);
    await connectColony(wb);
    await openFile(page, 'pipeline.workflow.json');
    await runCommand(page, 'ColonyOS: Submit Workflow');
    await waitForNotification(page, /Submitted .*workflow/i);
    const pane = await expandViewPane(page, 'Workflows');
    const row = treeRows(pane, /^Workflow [0-9a-f]{12}/).first();
    await row.waitFor({ timeout: 60_000 });
    // The first steps finish in a second; wait until train runs.
    await page.waitForTimeout(4000);
    await page.keyboard.press('Escape');
    await contextMenuAction(page, row, 'Open Graph');
    const graph = webviewContent(page);
    await graph.locator('#nodes g.node').nth(5).waitFor({ timeout: 60_000 });
    await graph.locator('#nodes g.state-running').first().waitFor({ timeout: 60_000 });
    await graph.locator('#nodes g.node', { hasText: 'evaluate' }).click();
    await row.click();
    await page.keyboard.press('ArrowRight');
    await page.mouse.move(700, 840);
    await page.waitForTimeout(1500);
    await save(page, 'workflows.png');

    await openFile(page, 'broken.workflow.json');
    await runCommand(page, 'ColonyOS: Preview Workflow Graph');
    // The preview opens beside the editor: the newest webview on the page.
    const preview = page.locator('iframe.webview.ready').last().contentFrame().frameLocator('iframe#active-frame');
    await preview.locator('#nodes g.state-ghost').waitFor({ timeout: 60_000 });
    await preview.locator('#nodes g.node', { hasText: 'clean-data' }).click();
    await page.mouse.move(700, 840);
    await page.waitForTimeout(1500);
    await save(page, 'workflow-preview.png');
    console.log(`screenshots written to ${OUT}`);
  } catch (err) {
    if (EXTRA) await page.screenshot({ path: path.join(EXTRA, 'failed.png') });
    throw err;
  } finally {
    await wb.close();
    await real?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
