// Streams of small updates: many single-entry appends (rendered once per frame, not once per message) and the
// `splice` message that puts late entries at their place in the list.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChannelController, FIRST_CHUNK_ROWS } from '../../src/panels/channelController';
import type { EntryView, HostMessage } from '../../src/panels/protocol';
import { TranscriptStore } from '../../src/panels/transcriptStore';
import { useChatPage, EXECUTOR, INFO, ME, atBottom, domSize, entry, init, manyEntries, views, visibleSeqs, type ChatPage } from './harness';

/** Waits for two animation frames, so a render scheduled for the next frame has run. */
const frames = (chat: ChatPage) => chat.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** The rendered rows as [data-index, sequence], in index order. */
const renderedRows = (chat: ChatPage) =>
  chat.page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('#list .row')]
      .map((r) => [Number(r.dataset.index), Number(r.querySelector('.seq')?.textContent?.slice(1))] as [number, number])
      .sort((a, b) => a[0] - b[0]),
  );

/** Scrolls the list to the top and waits for the first row. */
async function scrollToTop(chat: ChatPage): Promise<void> {
  await chat.page.evaluate(() => (document.getElementById('list')!.scrollTop = 0));
  await chat.page.waitForFunction(() => document.querySelector<HTMLElement>('#list .row')?.dataset.index === '0');
  await frames(chat);
}

/**
 * Dispatches `entries` messages synchronously, one per view, all within one task (no frame can run between them).
 * Returns how many row elements were inserted during that task.
 */
function dispatchAppends(chat: ChatPage, rows: EntryView[]): Promise<number> {
  return chat.page.evaluate((vs) => {
    const mo = new MutationObserver(() => undefined);
    mo.observe(document.getElementById('list')!, { childList: true });
    for (const v of vs) window.dispatchEvent(new MessageEvent('message', { data: { type: 'entries', mode: 'append', entries: [v] } }));
    const records = mo.takeRecords();
    mo.disconnect();
    return records.reduce((n, r) => n + [...r.addedNodes].filter((el) => (el as HTMLElement).classList?.contains('row')).length, 0);
  }, rows as any[]);
}

describe('chat webview: streamed updates', function () {
  this.timeout(120_000);
  const { chat: page } = useChatPage();
  let chat: ChatPage;
  beforeEach(async () => {
    chat = page();
  });

  it('renders a flood of single-entry appends without a render per message, in order, with a bounded DOM, following the latest', async () => {
    const all = views(manyEntries(3000));
    await chat.send(init(all.slice(0, 10)));
    assert.ok(await atBottom(chat));
    const inserted = await chat.page.evaluate(() => {
      const w = window as any;
      w.__inserted = 0;
      new MutationObserver((ms) => {
        for (const m of ms) for (const n of m.addedNodes) if ((n as HTMLElement).classList?.contains('row')) w.__inserted++;
      }).observe(document.getElementById('list')!, { childList: true });
      return w.__inserted as number;
    });
    assert.equal(inserted, 0);

    // The first messages before a frame render at once; the other ~2,988 wait for one render in the frame.
    const duringTask = await dispatchAppends(chat, all.slice(10));
    assert.ok(duringTask <= 5, `at most one render before the frame, not one per message: ${duringTask} rows were inserted`);
    await frames(chat);
    const insertedRows: number = await chat.page.evaluate(() => (window as any).__inserted);
    assert.ok(insertedRows < 100, `one render for the frame, not one per message: ${insertedRows} rows were inserted`);

    assert.ok(await atBottom(chat), 'still following');
    assert.ok((await visibleSeqs(chat)).includes('#3000'), 'the newest message is in view');
    assert.ok(await chat.page.locator('#jump').isHidden());
    assert.ok((await domSize(chat)) < 1000, 'the DOM stays bounded');
    // Every rendered row sits at the index of its sequence: nothing was lost, repeated or reordered.
    const atEnd = await renderedRows(chat);
    assert.ok(atEnd.length > 0 && atEnd.every(([i, seq]) => seq === i + 1), JSON.stringify(atEnd));
    assert.equal(atEnd.at(-1)![0], 2999, '3,000 rows in the list');
    await scrollToTop(chat);
    const atTop = await renderedRows(chat);
    assert.ok(atTop[0][0] === 0 && atTop.every(([i, seq]) => seq === i + 1), JSON.stringify(atTop));
  });

  it('counts single-entry appends while the user reads history, without moving the view', async () => {
    const all = views(manyEntries(1500));
    await chat.send(init(all.slice(0, 1000)));
    await chat.page.evaluate(() => (document.getElementById('list')!.scrollTop = 2000));
    await chat.page.waitForFunction(() => !document.getElementById('jump')!.hidden);
    await frames(chat);
    const before = await visibleSeqs(chat);
    await dispatchAppends(chat, all.slice(1000));
    await frames(chat);
    assert.deepEqual(await visibleSeqs(chat), before);
    assert.equal(await chat.page.locator('#jump').innerText(), 'Jump to latest (500 new)');
    await chat.page.locator('#jump').click();
    await chat.page.waitForFunction(() => document.getElementById('jump')!.hidden);
    assert.ok((await visibleSeqs(chat)).includes('#1500'));
    assert.ok((await domSize(chat)) < 1000);
  });

  it('puts late entries in place with a splice, and a reply finds its late parent', async () => {
    // #5 from the executor arrives late; my #6 replies to it.
    const full = [1, 2, 3, 4, 5].map((i) => entry(EXECUTOR, i, `step ${i}`));
    full.push(entry(ME, 6, 'about step five', { inreplyto: 5 }), entry(EXECUTOR, 7, 'step 7'));
    const early = views(full.filter((e) => e.sequence !== 5));
    const late = views(full);
    await chat.send(init(early));
    const reply = chat.page.locator('#list .row', { hasText: 'about step five' });
    assert.match(await reply.locator('.quote').innerText(), /Reply to #5\s*not in this transcript/);

    // The host sends the late entry and the reply's new view (its parent changed), replacing the old reply row.
    await chat.send({ type: 'entries', mode: 'splice', start: 4, deleteCount: 1, entries: late.slice(4, 6) });
    assert.deepEqual(await renderedRows(chat), [1, 2, 3, 4, 5, 6, 7].map((seq, i) => [i, seq]));
    assert.match(await reply.locator('.quote').innerText(), /Executor #5\s*step 5/);
    assert.ok(await atBottom(chat), 'still following');
    assert.ok((await visibleSeqs(chat)).includes('#7'));
    await reply.locator('.quote').click();
    await chat.page.locator('#list .row.highlight').waitFor();
    assert.equal(await chat.page.locator('#list .row.highlight .seq').innerText(), '#5');
    assert.ok(await chat.page.locator('#jump').isVisible(), 'jumping to the parent left follow mode');
  });

  it('keeps the rows in view in place when a splice inserts above them', async () => {
    const entries = manyEntries(400);
    await chat.send(init(views(entries)));
    await chat.page.evaluate(() => {
      const l = document.getElementById('list')!;
      l.scrollTop = l.scrollHeight / 2;
    });
    await frames(chat);
    const before = await visibleSeqs(chat);
    const top = () => chat.page.evaluate(() => document.querySelector(`#list .row[data-key="${CSS.escape((window as any).__firstKey)}"]`)?.getBoundingClientRect().top);
    await chat.page.evaluate(() => {
      const l = document.getElementById('list')!.getBoundingClientRect();
      const first = [...document.querySelectorAll<HTMLElement>('#list .row')]
        .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
        .find((r) => r.getBoundingClientRect().bottom > l.top)!;
      (window as any).__firstKey = first.dataset.key;
    });
    const topBefore = await top();
    const inserted = views([entry(ME, 901, 'late one'), entry(ME, 902, 'late two\nwith a second line')]);
    await chat.send({ type: 'entries', mode: 'splice', start: 10, deleteCount: 0, entries: inserted });
    assert.deepEqual(await visibleSeqs(chat), before);
    const topAfter = await top();
    assert.ok(topBefore !== undefined && topAfter !== undefined && Math.abs(topAfter - topBefore) <= 1, `first visible row moved from ${topBefore} to ${topAfter}`);
    assert.equal(await chat.page.locator('#jump').innerText(), 'Jump to latest (2 new)');
    await scrollToTop(chat);
    const seqs = (await renderedRows(chat)).map(([, seq]) => seq);
    assert.deepEqual(seqs.slice(0, 13), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 901, 902, 11]);
  });

  it('asks the host for the whole state when a splice does not fit what it shows', async () => {
    await chat.send(init(views([entry(EXECUTOR, 1, 'one'), entry(EXECUTOR, 2, 'two')])));
    const postedBefore = (await chat.posted()).length;
    await chat.send({ type: 'entries', mode: 'splice', start: 1, deleteCount: 5, entries: [] });
    const posted = (await chat.posted()).slice(postedBefore);
    assert.deepEqual(posted.map((m) => m.type), ['webviewError', 'ready']);
    assert.match(posted[0].message, /does not fit 2 shown rows/);
    assert.deepEqual(await renderedRows(chat), [[0, 1], [1, 2]], 'the list was left as it was');
  });
  it('shows a long stored transcript newest first, then all of it in order, with quotes of older rows resolved', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-chunks-'));
    try {
      const count = FIRST_CHUNK_ROWS * 3 + 7;
      const stored = manyEntries(count);
      // The newest message replies to the first one, which only arrives with the older rows.
      stored[count - 1] = entry(EXECUTOR, count, 'about the very first message', { inreplyto: 1 });
      stored[0] = entry(ME, 1, 'the very first message');
      const file = new TranscriptStore(dir).open(INFO.processId, 'chat');
      await file.rewrite(stored);
      const posted: HostMessage[] = [];
      const controller = new ChannelController({
        processId: INFO.processId,
        channel: 'chat',
        file,
        post: (m) => posted.push(m),
        actions: { savePayload: async () => undefined, copyText: async () => undefined, exportTranscript: async () => undefined },
        log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      });
      await controller.load();
      await controller.handleMessage({ type: 'ready' });
      controller.dispose();
      const entryCounts = posted.filter((m) => m.type === 'init' || m.type === 'entries').map((m) => ('entries' in m ? m.entries.length : 0));
      assert.equal(entryCounts[0], FIRST_CHUNK_ROWS, 'the first message holds only the newest rows');
      assert.equal(entryCounts.reduce((a, b) => a + b, 0), count);

      await chat.send(posted[0]);
      assert.ok((await visibleSeqs(chat)).includes(`#${count}`), 'the newest message shows before the older rows arrive');
      const quote = () => chat.page.evaluate((n) => document.querySelector(`#list .row[data-index="${n}"] .quote`)?.textContent ?? '', FIRST_CHUNK_ROWS - 1);
      assert.match(await quote(), /not in this transcript/);
      for (const m of posted.slice(1)) await chat.send(m);
      await frames(chat);
      assert.ok(await atBottom(chat), 'still at the newest message after the older rows went in above');
      const last = await chat.page.evaluate((n) => document.querySelector(`#list .row[data-index="${n}"] .quote`)?.textContent ?? '', count - 1);
      assert.match(last, /bbbbbbbbbbbb #1(?!\d)/, 'the quote names its parent once that arrived');
      assert.match(last, /the very first message/);
      const atEnd = await renderedRows(chat);
      assert.equal(atEnd.at(-1)![0], count - 1, `${count} rows in the list`);
      await scrollToTop(chat);
      const atTop = await renderedRows(chat);
      assert.ok(atTop[0][0] === 0 && atTop.every(([i, seq]) => seq === i + 1), JSON.stringify(atTop));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
