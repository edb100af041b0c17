// Activation time as the real VS Code extension host reports it ("Developer: Show Running Extensions"), for the
// production bundle: a throw-away extension folder holds package.json, the media and the minified bundles, and a
// fresh VS Code server + workbench loads it as the extension under development. One server per sample.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureCodeServer, launchBrowser, startServer, type HeadlessBrowser } from '../../scripts/vscode-server.mjs';

const REPO = path.resolve(__dirname, '..', '..');
const ROW_TIMEOUT_MS = 60_000;

/** Copies what the packaged extension holds, with `bundles` (file name → built path) in dist/. */
export function stageExtension(dir: string, bundles: Record<string, string>): void {
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
  for (const f of ['package.json', 'README.md', 'LICENSE']) fs.copyFileSync(path.join(REPO, f), path.join(dir, f));
  fs.cpSync(path.join(REPO, 'media'), path.join(dir, 'media'), { recursive: true });
  fs.cpSync(path.join(REPO, 'dist', 'media'), path.join(dir, 'dist', 'media'), { recursive: true });
  for (const [name, file] of Object.entries(bundles)) fs.copyFileSync(file, path.join(dir, 'dist', name));
}

/** One sample: the "Activation: N ms" the workbench shows for our extension. */
export async function hostActivationMs(extensionDir: string): Promise<number> {
  const codeServerDir = ensureCodeServer({ apt: false });
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-bench-ws-'));
  const server = await startServer({ codeServerDir });
  let browser: HeadlessBrowser | undefined;
  try {
    browser = await launchBrowser();
    const { page } = browser;
    await page.goto(server.workbenchUrl({ folder, extensionDevelopmentPath: extensionDir }));
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: ROW_TIMEOUT_MS });
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: ROW_TIMEOUT_MS });
    await input.fill('>Developer: Show Running Extensions');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Show Running Extensions' }).first().waitFor({ timeout: ROW_TIMEOUT_MS });
    await input.press('Enter');
    const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'colonyos-vscode' }).first();
    const text = await row.filter({ hasText: /Activation: \d+/ }).innerText({ timeout: ROW_TIMEOUT_MS });
    const m = /Activation:\s*(\d+(?:\.\d+)?)\s*ms/.exec(text);
    if (!m) throw new Error(`no activation time in the Running Extensions row: ${JSON.stringify(text)}`);
    return Number(m[1]);
  } finally {
    await browser?.close();
    await server.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
