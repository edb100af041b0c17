// Find in the chat panel: it searches every message of the transcript, also those the virtualized list has not
// rendered, marks what it found with text-only <mark> elements, and keeps its place while messages stream in.
import * as assert from 'node:assert/strict';
import { useChatPage, EXECUTOR, ME, domSize, entry, init, manyEntries, views, visibleSeqs, type ChatPage } from './harness';

const findCount = (chat: ChatPage) => chat.page.locator('#find-count').innerText();
const currentMark = (chat: ChatPage) =>
  chat.page.evaluate(() => {
    const m = document.querySelector('#list mark.find-current');
    return m ? { text: m.textContent, seq: m.closest('.row')?.querySelector('.seq')?.textContent } : undefined;
  });

describe('chat webview: find in all messages', function () {
  this.timeout(120_000);
  const { chat: page } = useChatPage();
  let chat: ChatPage;
  beforeEach(async () => {
    chat = page();
  });

  it('Ctrl+F finds matches in rows that are not rendered, and Enter / Shift+Enter / F3 walk through them', async () => {
    const entries = manyEntries(5_000);
    entries[9].payload = new TextEncoder().encode('the needle is here, early in the log');
    entries[2_499].payload = new TextEncoder().encode('a NEEDLE in the middle, and another needle');
    await chat.send(init(views(entries)));
    assert.ok(!(await visibleSeqs(chat)).includes('#10'), 'row 10 starts far off screen');
    const rendered = await chat.page.locator('#list .row').count();

    await chat.page.locator('#list').focus();
    await chat.page.keyboard.press('Control+f');
    assert.ok(await chat.page.locator('#find').isVisible());
    assert.ok(await chat.page.locator('#find-input').evaluate((el) => el === document.activeElement), 'the input has focus');
    // Nothing matches after the rows on screen (the end of the log), so the search wraps to the newest match.
    await chat.page.locator('#find-input').fill('needle');
    assert.equal(await findCount(chat), '3 of 3');
    assert.deepEqual(await currentMark(chat), { text: 'needle', seq: '#2500' });
    assert.ok((await visibleSeqs(chat)).includes('#2500'));
    // Every occurrence in a rendered row is marked, the current one once.
    assert.equal(await chat.page.locator('#list .row[data-index="2499"] mark.find-hit').count(), 2);
    assert.equal(await chat.page.locator('#list mark.find-current').count(), 1);

    await chat.page.keyboard.press('Enter');
    assert.equal(await findCount(chat), '1 of 3', 'Enter wraps to the first');
    assert.deepEqual(await currentMark(chat), { text: 'needle', seq: '#10' });
    assert.ok((await visibleSeqs(chat)).includes('#10'), 'the match was scrolled into view');
    await chat.page.keyboard.press('Enter');
    assert.equal(await findCount(chat), '2 of 3');
    assert.deepEqual(await currentMark(chat), { text: 'NEEDLE', seq: '#2500' });
    await chat.page.keyboard.press('Shift+Enter');
    assert.equal(await findCount(chat), '1 of 3');
    await chat.page.keyboard.press('F3');
    assert.equal(await findCount(chat), '2 of 3');
    // Typing more refines from the current match: 'needle ' (with the space) is only in #10 and #2500's first.
    await chat.page.keyboard.press('End');
    await chat.page.keyboard.type(' ');
    assert.equal(await findCount(chat), '2 of 2');
    assert.deepEqual(await currentMark(chat), { text: 'NEEDLE ', seq: '#2500' });
    await chat.page.keyboard.press('Backspace');
    assert.ok((await domSize(chat)) < 1000, 'the DOM stays bounded');
    assert.ok(rendered < 100);

    // Match case: only the lower-case ones, searching on from the current match.
    await chat.page.locator('#find-case').click();
    assert.equal(await chat.page.locator('#find-case').getAttribute('aria-pressed'), 'true');
    assert.equal(await findCount(chat), '2 of 2');
    assert.deepEqual(await currentMark(chat), { text: 'needle', seq: '#2500' });
    await chat.page.locator('#find-input').fill('no such text');
    assert.equal(await findCount(chat), 'No results');
    assert.ok(await chat.page.locator('#find-next').isDisabled());
    assert.equal(await chat.page.locator('#list mark').count(), 0);
  });

  it('Escape closes it, removes the marks and puts the focus on the row of the last match', async () => {
    await chat.send(init(views(manyEntries(300))));
    await chat.page.locator('#find-open').click();
    await chat.page.locator('#find-input').fill('message number 150 ');
    assert.equal(await findCount(chat), '1 of 1');
    await chat.page.keyboard.press('Escape');
    assert.ok(await chat.page.locator('#find').isHidden());
    assert.equal(await chat.page.locator('#list mark').count(), 0);
    const focused = await chat.page.evaluate(() => (document.activeElement as HTMLElement).querySelector('.seq')?.textContent);
    assert.equal(focused, '#150');
    // The list's keys go on from there.
    await chat.page.keyboard.press('ArrowDown');
    assert.equal(await chat.page.evaluate(() => (document.activeElement as HTMLElement).querySelector('.seq')?.textContent), '#151');
  });

  it('marks markup in payloads as text and never creates elements from it', async () => {
    const evil = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    await chat.send(init(views([entry(EXECUTOR, 1, `before ${evil} after`), entry(ME, 2, 'plain')])));
    await chat.page.keyboard.press('Control+f');
    await chat.page.keyboard.type('<b>bold');
    assert.equal(await findCount(chat), '1 of 1');
    assert.deepEqual(await currentMark(chat), { text: '<b>bold', seq: '#1' });
    const row = chat.page.locator('#list .row[data-index="0"] .body');
    assert.equal(await row.innerText(), `before ${evil} after`);
    assert.equal(await row.locator('img, b').count(), 0);
    assert.equal(await chat.page.evaluate(() => (window as any).__pwned), undefined);
  });

  it('recounts as messages stream in, keeping the current match and the view', async () => {
    await chat.send(init(views([entry(EXECUTOR, 1, 'progress 10%'), entry(EXECUTOR, 2, 'progress 20%'), entry(EXECUTOR, 3, 'done')])));
    await chat.page.keyboard.press('Control+f');
    await chat.page.keyboard.type('progress');
    assert.equal(await findCount(chat), '1 of 2', 'searches from the first row on screen');
    await chat.page.keyboard.press('Enter');
    assert.equal(await findCount(chat), '2 of 2');
    const more = views([entry(EXECUTOR, 4, 'progress 30%'), entry(EXECUTOR, 5, 'progress 40%')]);
    await chat.send({ type: 'entries', mode: 'append', entries: more });
    await chat.page.waitForFunction(() => document.getElementById('find-count')!.textContent === '2 of 4');
    assert.deepEqual(await currentMark(chat), { text: 'progress', seq: '#2' });
    // Typing into the box is not taken by the list's keys (R, C) and the find bar keeps Enter for itself.
    assert.equal((await chat.posted()).filter((m) => m.type === 'send' || m.type === 'copyMessage').length, 0);
  });
});
