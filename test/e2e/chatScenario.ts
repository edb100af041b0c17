// The end-to-end chat scenario, step by step, as a person does it: open the ColonyOS view, start the local colony,
// see the tree; open the example chat spec and submit it from the command palette; open its chat channel from the
// tree; type "Hello!" and read the echo executor's "You said: Hello!" inside the webview (two iframes deep).
// Each step asserts through the DOM and leaves a screenshot in .artifacts/e2e/.
import type { FrameLocator, Locator } from 'playwright-core';
import {
  escapeRegExp, expandViewPane, openFile, openViewContainer, runCommand, treeRows, waitForNotification, webviewContent,
  type Workbench,
} from './workbench';

const STEP_TIMEOUT_MS = 60_000;

/** The tree shows the colony with its state groups (what "connected" looks like). */
export async function awaitConnectedTree(pane: Locator): Promise<void> {
  // The sample processes of a fresh local colony include a running chat, so "Running" is always there.
  await treeRows(pane, /^Running/).first().waitFor({ timeout: STEP_TIMEOUT_MS });
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

/** The tree row of a process, found by the short id in its description. */
export async function processRow(wb: Workbench, pane: Locator, shortId: string): Promise<Locator> {
  const row = treeRows(pane, shortId).first();
  await row.waitFor({ timeout: STEP_TIMEOUT_MS });
  return row;
}

/** Expands a process row and clicks its channel child row; returns the chat webview once its composer shows. */
export async function openChannelFromTree(wb: Workbench, pane: Locator, shortId: string, channel: string): Promise<FrameLocator> {
  const row = await processRow(wb, pane, shortId);
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  const level = Number(await row.getAttribute('aria-level'));
  // The channel row is a child of this process row: the first row after it, one level deeper, with that label.
  const rows = treeRows(pane);
  const index = Number(await row.getAttribute('data-index'));
  const child = rows.and(pane.locator(`[data-index="${index + 1}"][aria-level="${level + 1}"]`)).filter({ hasText: channel });
  await child.waitFor({ timeout: STEP_TIMEOUT_MS });
  await wb.screenshot('13-process-expanded');
  await child.click();
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
