// End-to-end: the issue's chat scenario in the real workbench, as a person does it (see chatScenario.ts).
// Runs against the repository (development folder) or, with COLONYOS_E2E_VSIX, against the packaged extension.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator } from 'playwright-core';
import { awaitConnectedTree, connectColony, openChannelFromTree, sendAndAwaitReply, submitSpec } from './chatScenario';
import { prepareRealServer, realServerConfigured, type RealServer } from './colonyTarget';
import { contextMenuAction, editorTab, modalDialog, openWorkbench, runCommand, treeRowLabels, treeRows, webviewContent, type Workbench } from './workbench';

describe('e2e: chat with the echo executor', function () {
  this.timeout(300_000);
  let wb: Workbench;
  let pane: Locator;
  let shortId: string;
  let chat: FrameLocator;
  let real: RealServer | undefined;

  before(async () => {
    if (realServerConfigured()) real = await prepareRealServer();
    wb = await openWorkbench();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      console.log(`screenshot: ${await wb.screenshot(`failed-chat-${this.currentTest.title.replace(/\W+/g, '-')}`)}`);
      console.log(`workbench log (last 80 lines):\n${wb.logs.slice(-80).join('\n')}`);
    }
  });

  after(async () => {
    await wb?.close();
    await real?.stop();
  });

  it(`opens the ColonyOS view and shows the tree connected to ${realServerConfigured() ? 'the real server' : 'a local colony'}`, async () => {
    pane = await connectColony(wb);
    const labels = await treeRowLabels(pane);
    // The colony node first, then its state groups.
    assert.equal(labels[0], real?.colonyName ?? 'dev', `first row is not the colony: ${JSON.stringify(labels)}`);
    for (const group of ['Waiting', 'Running', 'Successful', 'Failed', 'Cancelled']) {
      assert.ok(labels.includes(group), `no ${group} group: ${JSON.stringify(labels)}`);
    }
  });

  it('submits the example chat spec from the command palette', async () => {
    shortId = await submitSpec(wb, 'chat.colonyos.json');
    assert.match(shortId, /^[0-9a-f]{6,}$/);
    assert.equal(await editorTab(wb.page, 'chat.colonyos.json').count(), 1);
  });

  it('opens the chat channel of the submitted process from the tree', async () => {
    chat = await openChannelFromTree(wb, pane, shortId, 'chat');
    // The panel is the chat of this process: the tab and the webview header name the channel and the process.
    assert.ok(await editorTab(wb.page, `#chat`).isVisible(), 'no "#chat" editor tab');
    assert.match(await editorTab(wb.page, `#chat`).innerText(), new RegExp(shortId.slice(0, 12)));
    assert.equal((await chat.locator('#title-channel').innerText()).trim().replace(/^#/, ''), 'chat');
    assert.match(await chat.locator('#title-process').innerText(), new RegExp(shortId.slice(0, 12)));
    assert.ok(await chat.locator('textarea#input').isEditable(), 'the composer is not editable');
  });

  it('sends "Hello!" and shows "You said: Hello!" from the echo executor', async () => {
    await sendAndAwaitReply(wb, chat, 'Hello!', 'You said: Hello!');
    const list = (await chat.locator('#list').innerText()).replace(/\s+/g, ' ');
    assert.ok(list.indexOf('Hello!') < list.indexOf('You said: Hello!'), `message order in the transcript: ${list}`);
  });

  it('Ctrl+F in the panel opens its own find bar, which searches the transcript', async () => {
    // The real webview forwards Ctrl+F to the workbench too: only the panel's bar may answer it.
    await chat.locator('#list').click();
    await wb.page.keyboard.press('Control+f');
    await chat.locator('#find-input').waitFor({ state: 'visible', timeout: 30_000 });
    await wb.page.keyboard.type('hello');
    // "Hello!" and "You said: Hello!"; the search starts at the first row on screen.
    await chat.locator('#find-count').getByText('1 of 2', { exact: true }).waitFor({ timeout: 30_000 });
    assert.equal(await chat.locator('#list mark.find-hit').count(), 2, 'both messages are marked');
    assert.equal(await wb.page.locator('.monaco-workbench .find-widget.visible').count(), 0, 'no VS Code find widget opened');
    assert.ok(await chat.locator('#jump').isHidden(), 'both messages fit: the view still follows the stream');
    await wb.screenshot('15b-find-in-chat');
    await wb.page.keyboard.press('Escape');
    await chat.locator('#find').waitFor({ state: 'hidden', timeout: 30_000 });
    assert.equal(await chat.locator('#list mark').count(), 0);
  });

  it('cancels a waiting process from its context menu once confirmed, then removes it', async () => {
    // The demo's train-model waits for a GPU executor that never comes.
    const waiting = treeRows(pane, 'train-model').first();
    await waiting.waitFor({ timeout: 60_000 });
    const id = /\b([0-9a-f]{8})\b/.exec(await waiting.locator('.label-description').innerText())?.[1];
    assert.ok(id, 'the row shows the short process id');
    const row = () => treeRows(pane, id).first();
    const dialog = modalDialog(wb.page);

    // Dismissing the question changes nothing.
    await contextMenuAction(wb.page, row(), 'Cancel Process');
    await dialog.waitFor({ timeout: 30_000 });
    // The modal's own "Cancel" dismisses it; the action's button says "Stop Process", never "Cancel" too.
    assert.match(await dialog.innerText(), new RegExp(`Stop process "train-model" \\(${id}`));
    assert.match(await dialog.innerText(), /marks it cancelled: it will not be assigned to an executor/);
    assert.deepEqual((await dialog.getByRole('button').allInnerTexts()).map((t) => t.trim()).filter((t) => /process|cancel/i.test(t)).sort(), ['Cancel', 'Stop Process']);
    await wb.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    assert.match((await row().getAttribute('aria-label')) ?? '', /train-model, Waiting/);

    await contextMenuAction(wb.page, row(), 'Cancel Process');
    await dialog.getByRole('button', { name: 'Stop Process' }).click();
    // It leaves Waiting for Cancelled. The group is expanded here if it is collapsed, again if a click landed while
    // the tree was re-rendering the move.
    const cancelledGroup = treeRows(pane, /^Cancelled/).first();
    const cancelledRow = pane.locator(`.monaco-list-row[aria-label^="train-model, Cancelled"]`).filter({ hasText: id });
    const deadline = Date.now() + 60_000;
    while (!(await cancelledRow.isVisible())) {
      assert.ok(Date.now() < deadline, `process ${id} never showed under Cancelled`);
      if ((await cancelledGroup.getAttribute('aria-expanded')) === 'false') await cancelledGroup.click();
      await cancelledRow.waitFor({ timeout: 2_000 }).catch(() => undefined);
    }
    await wb.screenshot('15c-cancelled');

    await contextMenuAction(wb.page, row(), 'Remove Process');
    assert.match(await dialog.innerText(), /deleted from the server\. This cannot be undone/);
    await dialog.getByRole('button', { name: 'Remove Process' }).click();
    await row().waitFor({ state: 'detached', timeout: 60_000 });
    // The move between groups refreshed the tree in one pass (two separate group refreshes once made VS Code
    // report the element as registered twice), and nothing else went wrong on the way.
    const errors = wb.page.locator('.notifications-toasts .notification-toast').filter({ has: wb.page.locator('.codicon-error') });
    assert.deepEqual(await errors.allInnerTexts(), []);
  });

  it('ends the conversation with the labelled End Conversation button: the echo executor closes the process', async () => {
    const end = chat.locator('#end-conversation');
    assert.match(await chat.locator('#composer-hint').innerText(), /End Conversation sends an "end" message/);
    await end.click();
    // The echo executor closes its process on an `end` entry; the composer then gives way to the reason.
    await chat.locator('#composer-disabled', { hasText: /has finished \(success/i }).waitFor({ timeout: 60_000 });
    assert.ok(await end.isHidden());
    await wb.screenshot('15d-conversation-ended');
  });

  it('restores the chat panel with its transcript after a window reload', async () => {
    // A reload restarts the extension host, and the in-host local colony with it: what the panel shows after the
    // reload comes from the serializer and the transcript kept in workspace storage, not from the server.
    // The command shuts the window down cleanly (editor state saved), as a person's reload does; page.reload() races it.
    await Promise.all([wb.page.waitForEvent('load', { timeout: 60_000 }), runCommand(wb.page, 'Developer: Reload Window')]);
    await wb.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    await editorTab(wb.page, '#chat').waitFor({ timeout: 60_000 });
    await editorTab(wb.page, '#chat').click();
    const restored = webviewContent(wb.page);
    await restored.locator('#list').getByText('You said: Hello!', { exact: true }).first().waitFor({ timeout: 60_000 });
    const list = (await restored.locator('#list').innerText()).replace(/\s+/g, ' ');
    assert.ok(list.indexOf('Hello!') < list.indexOf('You said: Hello!'), `restored transcript: ${list}`);
    assert.match(await restored.locator('#title-process').innerText(), new RegExp(shortId.slice(0, 12)));
    if (real) {
      // A real server outlives the window: the tree reconnects with the imported profile and its stored key.
      await awaitConnectedTree(pane);
    } else {
      // The colony died with the old extension host; the tree says so and offers to start a new one.
      await wb.page.locator('.part.sidebar .monaco-list-row', { hasText: 'Local colony not running' }).waitFor({ timeout: 60_000 });
      await wb.page.locator('.part.sidebar .monaco-list-row', { hasText: 'Start Local Colony' }).waitFor({ timeout: 60_000 });
    }
    await wb.screenshot('16-restored-after-reload');
  });
});
