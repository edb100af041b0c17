// The message list: virtualization, follow mode, replies, end/error rendering, keyboard navigation.
import * as assert from 'node:assert/strict';
import { useChatPage, EXECUTOR, ME, atBottom, manyEntries, domSize, entry, init, views, visibleSeqs, type ChatPage } from './harness';

describe('chat webview: message list', function () {
  this.timeout(120_000);
  const { chat: page } = useChatPage();
  let chat: ChatPage;
  beforeEach(async () => {
    chat = page();
  });

  it('renders 10,000 messages with a bounded DOM, following the latest', async () => {
    const entries = manyEntries(10_000);
    await chat.send(init(views(entries)));
    assert.ok(await atBottom(chat), 'starts at the latest message');
    const shown = await visibleSeqs(chat);
    assert.ok(shown.includes('#10000'), `last message visible, saw ${shown.join(',')}`);
    const nodes = await domSize(chat);
    assert.ok(nodes < 1000, `DOM has ${nodes} elements`);

    // Scroll to the top, then to the middle: the right rows appear, the DOM stays bounded.
    await chat.page.evaluate(() => (document.getElementById('list')!.scrollTop = 0));
    await chat.page.waitForFunction(() => document.querySelector('#list .row .seq')?.textContent === '#1');
    assert.ok((await visibleSeqs(chat)).includes('#1'));
    await chat.page.evaluate(() => {
      const l = document.getElementById('list')!;
      l.scrollTop = l.scrollHeight / 2;
    });
    await chat.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const middle = (await visibleSeqs(chat)).map((s) => Number(String(s).slice(1)));
    assert.ok(middle.length > 0 && middle.every((n) => n > 3000 && n < 7000), `middle rows: ${middle.join(',')}`);
    assert.ok((await domSize(chat)) < 1000);
    // Rows are contiguous: no gaps or overlaps between consecutive rendered rows.
    const gaps = await chat.page.evaluate(() => {
      const rows = [...document.querySelectorAll<HTMLElement>('#list .row')]
        .map((r) => ({ i: Number(r.dataset.index), top: r.getBoundingClientRect().top, bottom: r.getBoundingClientRect().bottom }))
        .sort((a, b) => a.i - b.i);
      const bad: string[] = [];
      for (let k = 1; k < rows.length; k++) {
        if (rows[k].i === rows[k - 1].i + 1 && Math.abs(rows[k].top - rows[k - 1].bottom) > 1) bad.push(`${rows[k - 1].i}->${rows[k].i}`);
      }
      return bad;
    });
    assert.deepEqual(gaps, []);

    // Appending more while scrolled up keeps the position and counts the new ones.
    const before = await visibleSeqs(chat);
    await chat.send({ type: 'entries', mode: 'append', entries: views([...entries, entry(EXECUTOR, 10_001, 'late')]).slice(-1) });
    assert.deepEqual(await visibleSeqs(chat), before);
    assert.equal(await chat.page.locator('#jump').innerText(), 'Jump to latest (1 new)');
    assert.ok((await domSize(chat)) < 1000);
  });

  it('follows new messages only when already at the bottom', async () => {
    const entries = manyEntries(200);
    await chat.send(init(views(entries)));
    assert.ok(await atBottom(chat));
    assert.ok(await chat.page.locator('#jump').isHidden());

    let all = [...entries, entry(EXECUTOR, 201, 'one more')];
    await chat.send({ type: 'entries', mode: 'append', entries: views(all).slice(-1) });
    assert.ok(await atBottom(chat), 'still following');
    assert.ok((await visibleSeqs(chat)).includes('#201'));

    await chat.page.evaluate(() => (document.getElementById('list')!.scrollTop = 100));
    await chat.page.waitForFunction(() => !document.getElementById('jump')!.hidden);
    all = [...all, entry(EXECUTOR, 202, 'a'), entry(EXECUTOR, 203, 'b'), entry(EXECUTOR, 204, 'c')];
    await chat.send({ type: 'entries', mode: 'append', entries: views(all).slice(-3) });
    assert.ok(!(await atBottom(chat)), 'did not jump while reading history');
    assert.equal(await chat.page.locator('#jump').innerText(), 'Jump to latest (3 new)');

    await chat.page.locator('#jump').click();
    await chat.page.waitForFunction(() => document.getElementById('jump')!.hidden);
    assert.ok(await atBottom(chat));
    assert.ok((await visibleSeqs(chat)).includes('#204'));
  });

  it('renders end as a divider and error in error style', async () => {
    await chat.send(init(views([entry(EXECUTOR, 1, 'working'), entry(EXECUTOR, 2, 'it broke', { type: 'error' }), entry(EXECUTOR, 3, '', { type: 'end' })])));
    const end = chat.page.locator('#list .row.type-end');
    assert.equal(await end.count(), 1);
    assert.match(await end.locator('.end-divider').innerText(), /Stream ended · Executor/);
    const err = chat.page.locator('#list .row.type-error');
    assert.equal(await err.count(), 1);
    assert.match(await err.innerText(), /it broke/);
    const colors = await chat.page.evaluate(() => ({
      error: getComputedStyle(document.querySelector('#list .row.type-error .body')!).color,
      normal: getComputedStyle(document.querySelector('#list .row.type-data .body')!).color,
    }));
    assert.notEqual(colors.error, colors.normal);
  });

  it('shows binary payloads as size and hex with Save Payload, and JSON pretty-printed', async () => {
    await chat.send(init(views([entry(EXECUTOR, 1, new Uint8Array([0, 1, 2, 255])), entry(EXECUTOR, 2, '{"a":1,"b":[true,null]}')])));
    const bin = chat.page.locator('#list .row').nth(0);
    assert.match(await bin.locator('.binary-size').innerText(), /Binary payload · 4 B/);
    assert.equal(await bin.locator('.hex').innerText(), '00 01 02 ff');
    const key = await bin.getAttribute('data-key');
    await bin.hover();
    await bin.locator('[data-action="save"]').click();
    assert.deepEqual((await chat.posted()).at(-1), { type: 'savePayload', key });
    assert.equal(await chat.page.locator('#list .row').nth(1).locator('pre.body-json').innerText(), '{\n  "a": 1,\n  "b": [\n    true,\n    null\n  ]\n}');
  });

  it('quotes the parent of a reply; clicking the quote scrolls to the parent and highlights it', async () => {
    const entries = manyEntries(300);
    entries.push(entry(ME, 1000, 'replying to the first', { inreplyto: 1 }));
    await chat.send(init(views(entries)));
    const reply = chat.page.locator('#list .row', { hasText: 'replying to the first' });
    const quote = reply.locator('.quote');
    assert.match(await quote.innerText(), /Executor #1\s*message number 1/);
    await quote.click();
    const parent = chat.page.locator('#list .row.highlight');
    await parent.waitFor();
    assert.match(await parent.locator('.seq').innerText(), /^#1$/);
    assert.ok((await visibleSeqs(chat)).includes('#1'));
  });

  it('moves between messages with the arrow keys and starts a reply with R', async () => {
    await chat.send(init(views([entry(EXECUTOR, 1, 'first'), entry(EXECUTOR, 2, 'second'), entry(EXECUTOR, 3, 'third')])));
    await chat.page.locator('#list').focus();
    await chat.page.keyboard.press('ArrowUp'); // from nothing selected: the last message
    const activeSeq = () => chat.page.evaluate(() => document.activeElement?.querySelector('.seq')?.textContent);
    assert.equal(await activeSeq(), '#3');
    await chat.page.keyboard.press('ArrowUp');
    assert.equal(await activeSeq(), '#2');
    await chat.page.keyboard.press('ArrowDown');
    await chat.page.keyboard.press('ArrowUp');
    await chat.page.keyboard.press('Home');
    assert.equal(await activeSeq(), '#1');
    await chat.page.keyboard.press('ArrowDown');
    await chat.page.keyboard.press('r');
    assert.ok(await chat.page.locator('#reply-chip').isVisible());
    assert.match(await chat.page.locator('#reply-chip-text').innerText(), /Executor #2: second/);
    assert.equal(await chat.page.evaluate(() => document.activeElement?.id), 'input');
  });

  it('has the log role with polite live announcements', async () => {
    const attrs = await chat.page.evaluate(() => {
      const l = document.getElementById('list')!;
      return [l.getAttribute('role'), l.getAttribute('aria-live')];
    });
    assert.deepEqual(attrs, ['log', 'polite']);
  });

  it('shows the status strip states', async () => {
    await chat.send(init(views([])));
    const text = () => chat.page.locator('#status-text').innerText();
    assert.equal(await text(), 'Live');
    for (const [status, expected] of [
      [{ kind: 'reconnecting', attempt: 3, reason: 'socket closed' }, /Reconnecting \(attempt 3\): socket closed/],
      [{ kind: 'waiting' }, /Waiting for an executor/],
      [{ kind: 'waiting', why: 'No executor of type "gpu" is registered <b>in</b> the colony.' }, /^Waiting: No executor of type "gpu" is registered <b>in<\/b> the colony\. Messages you send are queued/],
      [{ kind: 'finished', state: 'Failed' }, /Process finished \(Failed\) · transcript kept locally/],
      [{ kind: 'offline', reason: 'No private key' }, /Offline: No private key/],
    ] as const) {
      await chat.send({ type: 'status', status, composer: { enabled: false, reason: 'x' } });
      assert.match(await text(), expected);
    }
  });
});
