// The end-to-end chat scenario, step by step, as a person does it: open the ColonyOS view, start the local colony,
// see the tree; open the example chat spec and submit it from the command palette; open its chat channel from the
// tree; type "Hello!" and read the echo executor's "You said: Hello!" inside the webview (two iframes deep).
// Each step asserts through the DOM and leaves a screenshot in .artifacts/e2e/.
import type { FrameLocator, Locator } from 'playwright-core';
import { realServerConfigured } from './colonyTarget';
import {
  editorTab, escapeRegExp, expandViewPane, openFile, openViewContainer, runCommand, treeRows, waitForNotification, webviewContent,
  type Workbench,
} from './workbench';

const STEP_TIMEOUT_MS = 60_000;

/** The tree shows the colony with its state groups (what "connected" looks like). */
export async function awaitConnectedTree(pane: Locator): Promise<void> {
  // The state groups show under the colony node once the first process list has loaded.
  await treeRows(pane, /^Running/).first().waitFor({ timeout: STEP_TIMEOUT_MS });
}

/**
 * Opens the ColonyOS view and connects it: to the real server the COLONIES_* variables name (imported from the
 * environment through the command palette), or else to a local colony started from the command palette.
 */
export async function connectColony(wb: Workbench): Promise<Locator> {
  if (!realServerConfigured()) return startLocalColony(wb);
  await openViewContainer(wb.page, 'ColonyOS');
  const pane = await expandViewPane(wb.page, 'Processes');
  await runCommand(wb.page, 'ColonyOS: Import Connection from Environment');
  await waitForNotification(wb.page, /(Imported|Updated) connection ".*" from the environment/);
  await pane.locator('.welcome-view-content').waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
  await awaitConnectedTree(pane);
  await wb.screenshot('11-real-server');
  return pane;
}

/** Opens the ColonyOS view and starts the local colony from the command palette; returns the Processes pane. */
export async function startLocalColony(wb: Workbench): Promise<Locator> {
  await openViewContainer(wb.page, 'ColonyOS');
  const pane = await expandViewPane(wb.page, 'Processes');
  await wb.screenshot('10-view-opened');
  await runCommand(wb.page, 'ColonyOS: Start Local Colony');
  await waitForNotification(wb.page, /Local colony running on 127\.0\.0\.1:\d+/);
  // Connected: the "no connection" welcome content gives way to the process tree.
  await pane.locator('.welcome-view-content').waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
  await awaitConnectedTree(pane);
  await wb.screenshot('11-local-colony');
  return pane;
}

/**
 * Opens a spec of the workspace and runs "ColonyOS: Submit Function Spec"; returns the short process id that the
 * confirmation names ("Submitted <file> as process <id> (...)").
 */
export async function submitSpec(wb: Workbench, specFile: string): Promise<string> {
  await openFile(wb.page, specFile);
  await runCommand(wb.page, 'ColonyOS: Submit Function Spec');
  const toast = await waitForNotification(wb.page, new RegExp(`Submitted ${escapeRegExp(specFile)}.* as process`));
  const text = await toast.innerText();
  const match = /as process ([0-9a-f]+)/.exec(text);
  if (!match) throw new Error(`the submit confirmation names no process id: ${JSON.stringify(text)}`);
  await wb.screenshot('12-submitted');
  return match[1];
}

/** The tree row of a process, found by a prefix of its id (the tree's description shows the first 8 characters). */
export async function processRow(wb: Workbench, pane: Locator, idPrefix: string): Promise<Locator> {
  const row = treeRows(pane, idPrefix.slice(0, 8)).first();
  await row.waitFor({ timeout: STEP_TIMEOUT_MS });
  return row;
}

/**
 * The list index of the row right below the process row with this id prefix, when it is that process's child with
 * this label. Read in one pass over the DOM: the tree re-renders while processes change state, so indexes go stale.
 */
function childRowIndex(pane: Locator, idPrefix: string, childLabel: string): Promise<number | undefined> {
  return pane.evaluate((el, { idPrefix, childLabel }) => {
    const rows = [...el.querySelectorAll<HTMLElement>('.monaco-list-row')].sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
    const i = rows.findIndex((r) => r.querySelector('.label-description')?.textContent?.includes(idPrefix));
    const parent = rows[i];
    const child = rows[i + 1];
    if (i < 0 || !child || Number(child.dataset.index) !== Number(parent.dataset.index) + 1) return undefined;
    if (Number(child.getAttribute('aria-level')) !== Number(parent.getAttribute('aria-level')) + 1) return undefined;
    return child.querySelector('.label-name')?.textContent?.trim() === childLabel ? Number(child.dataset.index) : undefined;
  }, { idPrefix: idPrefix.slice(0, 8), childLabel });
}

/**
 * Expands a process row and clicks its channel row, as a person would; returns the chat webview once its composer
 * shows. Retries when the tree re-rendered between finding the row and clicking it.
 */
export async function openChannelFromTree(wb: Workbench, pane: Locator, idPrefix: string, channel: string): Promise<FrameLocator> {
  const row = await processRow(wb, pane, idPrefix);
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  // The process tooltip opens under the pointer and would cover the rows below.
  await wb.page.mouse.move(900, 700);
  const tab = editorTab(wb.page, new RegExp(`#${escapeRegExp(channel)}.*${idPrefix.slice(0, 12)}`));
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  let expandedShown = false;
  while (!(await tab.isVisible())) {
    if (Date.now() > deadline) throw new Error(`no "${channel}" channel row under process ${idPrefix} opened its chat panel`);
    const index = await childRowIndex(pane, idPrefix, channel);
    if (index !== undefined) {
      if (!expandedShown) await wb.screenshot('13-process-expanded');
      expandedShown = true;
      await pane.locator(`.monaco-list-row[data-index="${index}"]`).click({ timeout: 2_000 }).catch(() => undefined);
    }
    await tab.waitFor({ timeout: 1_000 }).catch(() => undefined);
  }
  const chat = webviewContent(wb.page);
  await chat.locator('textarea#input').waitFor({ timeout: STEP_TIMEOUT_MS });
  await wb.screenshot('14-channel-open');
  return chat;
}

/** Sends a message from the chat composer and waits for the echo executor's reply in the message list. */
export async function sendAndAwaitReply(wb: Workbench, chat: FrameLocator, message: string, reply: string): Promise<void> {
  const input = chat.locator('textarea#input');
  await input.fill(message);
  await input.press('Enter');
  await chat.locator('#list').getByText(message, { exact: true }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await chat.locator('#list').getByText(reply, { exact: true }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await wb.screenshot('15-chat-reply');
}
