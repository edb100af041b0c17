// Regenerates the README screenshots (media/screenshots/) through the real workbench, the way the e2e tests
// drive it: npx tsx scripts/readme-screenshots.ts
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openFile, openWorkbench, webviewContent } from '../test/e2e/workbench';
import { sendAndAwaitReply, startLocalColony } from '../test/e2e/chatScenario';

const OUT = path.resolve(__dirname, '..', 'media', 'screenshots');

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const wb = await openWorkbench();
  const { page } = wb;
  try {
    await page.setViewportSize({ width: 1400, height: 860 });
    await startLocalColony(wb);
    await openFile(page, 'chat.colonyos.json');
    const lens = page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Submit & Open Channel' }).first();
    await lens.waitFor({ timeout: 30_000 });
    // No hover tooltip (the activity bar item was the last thing clicked) in the picture.
    await page.mouse.move(700, 600);
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(OUT, 'spec.png') });
    await lens.click();
    const chat = webviewContent(page);
    await chat.locator('textarea#input').waitFor({ timeout: 30_000 });
    await sendAndAwaitReply(wb, chat, 'Hello!', 'You said: Hello!');
    await sendAndAwaitReply(wb, chat, 'How is the training going?', 'You said: How is the training going?');
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(OUT, 'overview.png') });
    console.log(`screenshots written to ${OUT}`);
  } finally {
    await wb.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
