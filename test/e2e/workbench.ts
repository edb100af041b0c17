// Drives the real VS Code workbench (VS Code server + headless Chromium) for end-to-end tests.
// The extension is loaded either from a packaged .vsix (COLONYOS_E2E_VSIX, installed as a normal extension) or from
// this repository (built into dist/), linked into the extensions dir as the demo does. Either way the workbench runs
// as people use it: no development payload and no smoke-test driver, which would refuse every modal dialog.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import {
  REPO_ROOT, ensureCodeServer, formatWorkbenchLog, installVsix, launchBrowser, linkExtension, startServer,
  type HeadlessBrowser, type VsCodeServer,
} from '../../scripts/vscode-server.mjs';

export const ARTIFACTS_DIR = path.join(REPO_ROOT, '.artifacts', 'e2e');
const FIXTURE_WORKSPACE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace');
const UI_TIMEOUT_MS = 60_000;

export interface Manifest {
  name: string;
  publisher?: string;
  contributes?: { views?: Record<string, { id: string; name: string }[]> };
}

export function readManifest(): Manifest {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
}

export interface Workbench {
  page: Page;
  server: VsCodeServer;
  /** The temporary copy of the fixture workspace that the workbench opened. */
  folder: string;
  /** Workbench and extension host console lines seen so far (printed when a test fails). */
  logs: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface OpenWorkbenchOptions {
  /** A packaged extension to install; defaults to env COLONYOS_E2E_VSIX, else the repository is linked in. */
  vsix?: string;
  /** Extra environment for the extension host (for example COLONIES_* connection settings). */
  env?: Record<string, string>;
  /** User settings to start with (for example colonyos.connections). */
  settings?: Record<string, unknown>;
}

export async function openWorkbench(options: OpenWorkbenchOptions = {}): Promise<Workbench> {
  const vsix = options.vsix ?? process.env.COLONYOS_E2E_VSIX;
  const codeServerDir = ensureCodeServer();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-e2e-'));
  const folder = path.join(tmp, 'workspace');
  fs.cpSync(FIXTURE_WORKSPACE, folder, { recursive: true });
  const baseDir = path.join(tmp, 'server');
  if (vsix) {
    const installed = installVsix({ vsixPath: path.resolve(vsix), baseDir, codeServerDir });
    const manifest = readManifest();
    const prefix = `${manifest.publisher}.${manifest.name}-`.toLowerCase();
    if (!installed.some((name) => name.toLowerCase().startsWith(prefix))) {
      throw new Error(`installing ${vsix} did not produce ${prefix}<version> in the extensions dir (found: ${installed.join(', ')})`);
    }
  } else {
    linkExtension(path.join(baseDir, 'extensions'));
  }

  let server: VsCodeServer | undefined;
  let browser: HeadlessBrowser | undefined;
  const close = async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    server = await startServer({ codeServerDir, baseDir, env: options.env, settings: options.settings, smokeTestDriver: false });
    browser = await launchBrowser();
    const { page } = browser;
    const logs: string[] = [];
    await page.exposeFunction('codeAutomationLog', (level: string, message: unknown) => {
      logs.push(`[${level}] ${formatWorkbenchLog(message)}`);
    });
    page.on('console', (msg) => logs.push(`[console.${msg.type()}] ${msg.text()}`));
    page.on('pageerror', (err) => logs.push(`[page error] ${err.message}`));
    await page.goto(server.workbenchUrl({ folder }));
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: UI_TIMEOUT_MS });
    return {
      page, server, folder, logs, close,
      async screenshot(name: string) {
        fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
        const file = path.join(ARTIFACTS_DIR, `${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Clicks the activity bar item of a view container and returns the side bar showing it. */
export async function openViewContainer(page: Page, title: string): Promise<Locator> {
  const item = page.locator(`.activitybar a[aria-label^="${title}"]`);
  await item.waitFor({ timeout: UI_TIMEOUT_MS });
  const sidebar = page.locator('.part.sidebar');
  // A container with a single view is titled "<container>: <view>" in the side bar.
  const heading = sidebar.locator('.composite.title h2', { hasText: new RegExp(`^${escapeRegExp(title)}(:|$)`, 'i') });
  // The item toggles the side bar: only click when this container is not the one already shown.
  if (!(await heading.isVisible())) await item.click();
  await heading.waitFor({ timeout: UI_TIMEOUT_MS });
  return sidebar;
}

/** The pane of a view (by its name) inside the side bar. */
export function viewPane(page: Page, viewName: string): Locator {
  // The header stays in the DOM (hidden) when the view is alone in its container; its aria-label names the view.
  return page.locator('.part.sidebar .pane').filter({ has: page.locator(`.pane-header[aria-label="${viewName} Section"]`) });
}

/** Expands a collapsed view pane so its body is visible, and returns the pane. */
export async function expandViewPane(page: Page, viewName: string): Promise<Locator> {
  const pane = viewPane(page, viewName);
  const header = pane.locator('.pane-header');
  await header.waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
  if ((await header.isVisible()) && (await header.getAttribute('aria-expanded')) === 'false') await header.click();
  await pane.locator('.pane-body').waitFor({ timeout: UI_TIMEOUT_MS });
  return pane;
}

/** Tree rows of a view pane; optionally only those whose text contains `label`. */
export function treeRows(pane: Locator, label?: string | RegExp): Locator {
  const rows = pane.locator('.monaco-list-row');
  return label === undefined ? rows : rows.filter({ hasText: label });
}

/** The labels (without descriptions) of the tree rows of a view pane, top to bottom. */
export async function treeRowLabels(pane: Locator): Promise<string[]> {
  return (await pane.locator('.monaco-list-row .label-name').allInnerTexts()).map((t) => t.trim());
}

/** Runs a command from the command palette by its palette label, e.g. "ColonyOS: Refresh". */
export async function runCommand(page: Page, label: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: UI_TIMEOUT_MS });
  await input.fill(`>${label}`);
  await quickInputRow(page, label).waitFor({ timeout: UI_TIMEOUT_MS });
  await input.press('Enter');
}

/** A row of the open quick pick / command palette whose text contains `label`. */
export function quickInputRow(page: Page, label: string | RegExp): Locator {
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: label }).first();
}

/** Picks an item of an open quick pick by its label. */
export async function pickQuickInputItem(page: Page, label: string | RegExp): Promise<void> {
  const row = quickInputRow(page, label);
  await row.waitFor({ timeout: UI_TIMEOUT_MS });
  await row.click();
}

/** Right-clicks an element and runs the context menu item with this label. */
export async function contextMenuAction(page: Page, target: Locator, label: string): Promise<void> {
  await target.click({ button: 'right' });
  // The workbench renders menus in an open shadow root; Playwright's CSS locators pierce it.
  const item = page.locator('.context-view .monaco-menu .action-item').filter({ hasText: label }).first();
  await item.waitFor({ timeout: UI_TIMEOUT_MS });
  // The menu ignores a click that comes right after it opened (so releasing the right button does not pick an item);
  // click again while it stays open.
  for (let attempt = 1; ; attempt++) {
    await item.click();
    const closed = await item.waitFor({ state: 'detached', timeout: 1_000 }).then(() => true, () => false);
    if (closed) return;
    if (attempt === 5) throw new Error(`the context menu item "${label}" did not run after ${attempt} clicks`);
  }
}

/** The open modal dialog (showWarningMessage with modal: true, in the web workbench). */
export function modalDialog(page: Page): Locator {
  return page.locator('.monaco-dialog-box');
}

/** Answers an open input box (showInputBox) with `text`. */
export async function answerInputBox(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: UI_TIMEOUT_MS });
  await input.fill(text);
  await input.press('Enter');
}

/** Waits for a notification toast whose text matches, and returns it. */
export async function waitForNotification(page: Page, text: string | RegExp): Promise<Locator> {
  const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first();
  await toast.waitFor({ timeout: UI_TIMEOUT_MS });
  return toast;
}

/**
 * The content of a webview: VS Code hosts it two iframes deep. With several webviews open, `title` selects the
 * editor tab's webview by the iframe's title attribute when given.
 */
export function webviewContent(page: Page, title?: string): FrameLocator {
  const outer = title === undefined ? page.locator('iframe.webview.ready') : page.locator(`iframe.webview.ready[title="${title}"]`);
  return outer.first().contentFrame().frameLocator('iframe#active-frame');
}

/** The tab of an open editor (including webview panels) by its label. */
export function editorTab(page: Page, label: string | RegExp): Locator {
  return page.locator('.tabs-container .tab').filter({ hasText: label }).first();
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Opens a workspace file in an editor through Quick Open (Ctrl+P). */
export async function openFile(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: UI_TIMEOUT_MS });
  await input.fill(fileName);
  await quickInputRow(page, fileName).waitFor({ timeout: UI_TIMEOUT_MS });
  await input.press('Enter');
  await editorTab(page, fileName).waitFor({ timeout: UI_TIMEOUT_MS });
}
