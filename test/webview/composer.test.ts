// The composer: what it posts (exactly the protocol's messages), replies, retry, disabled states, persisted state.
import * as assert from 'node:assert/strict';
import { useChatPage, EXECUTOR, ME, entry, init, views, type ChatPage } from './harness';

const lastSend = async (chat: ChatPage) => (await chat.posted()).filter((m) => m.type === 'send').at(-1);

describe('chat webview: composer', function () {
  this.timeout(60_000);
  const { browser, chat: page } = useChatPage();
  let chat: ChatPage;
  beforeEach(async () => {
    chat = page();
    await chat.send(init(views([entry(EXECUTOR, 1, 'hello'), entry(ME, 1, 'hi'), entry(EXECUTOR, 2, 'how can I help?')])));
  });

  it('posts ready first, then exactly the protocol messages for send, copy and export', async () => {
    const input = chat.page.locator('#input');
    await input.fill('first line');
    await input.press('Shift+Enter');
    await input.pressSequentially('second line');
    assert.equal(await input.inputValue(), 'first line\nsecond line');
    assert.equal(await lastSend(chat), undefined, 'Shift+Enter does not send');
    await input.press('Enter');
    const sent = await lastSend(chat);
    assert.deepEqual({ ...sent, requestId: typeof sent.requestId }, { type: 'send', requestId: 'string', text: 'first line\nsecond line', kind: 'data', inReplyTo: 0 });
    assert.equal(await chat.page.locator('#send').innerText(), 'Sending…');

    await chat.send({ type: 'sendResult', requestId: sent.requestId, ok: true, sequence: 2 });
    assert.equal(await input.inputValue(), '', 'cleared after a successful send');

    await chat.page.locator('#copy-all').click();
    await chat.page.locator('#export').click();
    const row = chat.page.locator('#list .row').nth(0);
    await row.hover();
    await row.locator('[data-action="copy"]').click();
    const posted = await chat.posted();
    assert.deepEqual(posted[0], { type: 'ready' });
    assert.deepEqual(posted.slice(-3), [{ type: 'copyAll' }, { type: 'exportTranscript' }, { type: 'copyMessage', key: await row.getAttribute('data-key') }]);
  });

  it('replies with inreplyto and a removable quote chip', async () => {
    const row = chat.page.locator('#list .row', { hasText: 'how can I help?' });
    await row.hover();
    await row.locator('[data-action="reply"]').click();
    assert.match(await chat.page.locator('#reply-chip-text').innerText(), /Executor #2: how can I help\?/);
    await chat.page.locator('#reply-chip-remove').click();
    assert.ok(await chat.page.locator('#reply-chip').isHidden());

    await row.hover();
    await row.locator('[data-action="reply"]').click();
    await chat.page.locator('#input').fill('tell me a joke');
    await chat.page.locator('#send').click();
    const sent = await lastSend(chat);
    assert.equal(sent.inReplyTo, 2);
    assert.equal(sent.text, 'tell me a joke');
    await chat.send({ type: 'sendResult', requestId: sent.requestId, ok: true, sequence: 2 });
    assert.ok(await chat.page.locator('#reply-chip').isHidden(), 'chip removed after sending');
  });

  it('sends end and error types', async () => {
    await chat.page.locator('#kind').selectOption('end');
    await chat.page.locator('#send').click();
    const end = await lastSend(chat);
    assert.deepEqual([end.kind, end.text], ['end', '']);
    await chat.send({ type: 'sendResult', requestId: end.requestId, ok: true, sequence: 2 });
    assert.equal(await chat.page.locator('#kind').inputValue(), 'data', 'type resets to data');
    await chat.page.locator('#kind').selectOption('error');
    await chat.page.locator('#input').fill('stop, please');
    await chat.page.locator('#input').press('Enter');
    assert.deepEqual([(await lastSend(chat)).kind, (await lastSend(chat)).text], ['error', 'stop, please']);
  });

  it('ends the conversation with a labelled button: an "end" message, the draft kept', async () => {
    const end = chat.page.locator('#end-conversation');
    assert.equal(await end.innerText(), 'End Conversation');
    assert.match((await end.getAttribute('title')) ?? '', /type "end"[\s\S]*Typing end only sends the word/);
    await chat.send({ type: 'status', status: { kind: 'live' }, composer: { enabled: true, hint: 'End Conversation sends an "end" message.' } });
    assert.match(await chat.page.locator('#composer-hint').innerText(), /End Conversation sends an "end" message/);
    await chat.page.locator('#input').fill('a draft');
    await end.click();
    const sent = await lastSend(chat);
    assert.deepEqual({ ...sent, requestId: typeof sent.requestId }, { type: 'send', requestId: 'string', text: '', kind: 'end', inReplyTo: 0 });
    assert.equal(await end.innerText(), 'Ending…');
    assert.ok(await end.isDisabled(), 'one end at a time');
    assert.ok(await chat.page.locator('#send').isDisabled());
    await chat.send({ type: 'sendResult', requestId: sent.requestId, ok: true, sequence: 3 });
    assert.equal(await end.innerText(), 'End Conversation');
    assert.equal(await chat.page.locator('#input').inputValue(), 'a draft', 'the typed text is not sent with the end, nor lost');
    await chat.send({ type: 'status', status: { kind: 'finished', state: 'successful' }, composer: { enabled: false, reason: 'The process has finished (successful).' } });
    assert.ok(await end.isHidden(), 'gone with the composer once the process has finished');
  });

  it('keeps the text after a failed send and retries it', async () => {
    await chat.page.locator('#input').fill('important');
    await chat.page.locator('#input').press('Enter');
    const first = await lastSend(chat);
    await chat.send({ type: 'sendResult', requestId: first.requestId, ok: false, error: 'rate limit exceeded' });
    assert.equal(await chat.page.locator('#input').inputValue(), 'important');
    assert.match(await chat.page.locator('#send-error').innerText(), /Not sent: rate limit exceeded/);
    await chat.page.locator('#retry').click();
    const second = await lastSend(chat);
    assert.notEqual(second.requestId, first.requestId);
    assert.equal(second.text, 'important');
    await chat.send({ type: 'sendResult', requestId: second.requestId, ok: true, sequence: 2 });
    assert.ok(await chat.page.locator('#send-error').isHidden());
    assert.equal(await chat.page.locator('#input').inputValue(), '');
  });

  it('is replaced by the reason when sending is not possible, and shows the waiting hint', async () => {
    await chat.send({ type: 'status', status: { kind: 'finished', state: 'Successful' }, composer: { enabled: false, reason: 'The process has finished (Successful).' } });
    assert.ok(await chat.page.locator('#composer-row').isHidden());
    assert.equal(await chat.page.locator('#composer-disabled').innerText(), 'The process has finished (Successful).');
    await chat.send({ type: 'status', status: { kind: 'waiting' }, composer: { enabled: true, hint: 'Queued for the executor: it will read the channel history when it starts.' } });
    assert.ok(await chat.page.locator('#composer-row').isVisible());
    assert.match(await chat.page.locator('#composer-hint').innerText(), /Queued for the executor/);
  });

  it('persists the channel, the draft and the reply target in the webview state', async () => {
    const state0 = (await chat.state()) as Record<string, unknown>;
    assert.equal(state0.processId, 'a'.repeat(64));
    assert.equal(state0.channel, 'chat');
    const row = chat.page.locator('#list .row', { hasText: 'hello' });
    await row.hover();
    await row.locator('[data-action="reply"]').click();
    await chat.page.locator('#input').fill('half-written');
    await chat.page.waitForFunction(() => (window as any).__state?.draft === 'half-written');
    const state = (await chat.state()) as Record<string, any>;
    assert.equal(state.replyTo.sequence, 1);

    // A reloaded webview (VS Code recreates it when the panel is shown again) restores them.
    const again = await browser.open({ state });
    await again.send(init(views([entry(EXECUTOR, 1, 'hello'), entry(ME, 1, 'hi'), entry(EXECUTOR, 2, 'how can I help?')])));
    assert.equal(await again.page.locator('#input').inputValue(), 'half-written');
    assert.match(await again.page.locator('#reply-chip-text').innerText(), /Executor #1: hello/);
    await again.close();
    assert.deepEqual(again.problems, []);
  });
});
