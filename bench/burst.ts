// Burst: 10,000 messages into the panel. A channel already holding 10,000 entries (the server's maximum) is opened:
// the panel's ChannelController connects, its ChannelSession receives the whole history in one frame, and the
// built webview in Chromium renders it. Measured: connect() → the newest message's row in the DOM; connect() → all
// 10,000 handled by the webview (the host posts the newest rows first, the older ones right after); the longest
// main-thread task in the page (PerformanceObserver 'longtask'); DOM elements; page JS heap after GC (CDP).
// A second figure posts 10,000 single-entry `entries` messages back to back inside the page (the webview alone,
// worst case with no host-side coalescing).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { crypto } from '../src/colonies/index';
import { ChannelController } from '../src/panels/channelController';
import { EntryViewBuilder, rowKey } from '../src/panels/entryView';
import { TranscriptStore } from '../src/panels/transcriptStore';
import { EXECUTOR, ME, entry } from '../test/webview/harness';
import { assignedChat, BenchPage, startBenchColony } from './lib/setup';
import { nowMs, round, sleep } from './lib/stats';

const COUNT = 10_000;

async function pageFigures(page: BenchPage, since: number, offset: number) {
  const p = page.chat.page;
  const cdp = await p.context().newCDPSession(p);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
  await cdp.detach();
  const rec = await page.record();
  const longTasks = rec.longTasks.filter((t) => t.start + offset >= since - 1);
  return {
    domNodes: await p.evaluate(() => document.getElementsByTagName('*').length),
    rows: await p.evaluate(() => document.querySelectorAll('#list .row').length),
    longest: Math.max(0, ...longTasks.map((t) => t.duration)),
    longTasks: longTasks.length,
    heapBytes: heap.usedSize,
  };
}

export async function runBurst(log: (line: string) => void): Promise<Record<string, number>> {
  const colony = await startBenchColony({ unlimited: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-bench-'));
  let page = await BenchPage.open();
  let controller: ChannelController | undefined;
  let postedAt: number | undefined;
  try {
    const { processId, executor } = await assignedChat(colony, 'burst');
    await colony.server.request('fill', { processId, channel: 'chat', senderId: executor.id, count: COUNT, prefix: 'burst message ' });
    const offset = await page.clockOffset();
    const newest = (await colony.client.channelRead(processId, 'chat', COUNT - 1, 1, colony.userPrvKey))[0];
    const lastKey = rowKey(newest);

    controller = new ChannelController({
      processId,
      channel: 'chat',
      file: new TranscriptStore(dir).open(processId, 'chat'),
      post: (m) => {
        if (m.type === 'entries' && m.entries.length > 0) postedAt ??= nowMs();
        page.post(m);
      },
      actions: { savePayload: async () => undefined, copyText: async () => undefined, exportTranscript: async () => undefined },
      log: { info: () => undefined, warn: (m) => log(`  controller: ${m}`), error: (m) => log(`  controller: ${m}`) },
    });
    await controller.load();
    await controller.handleMessage({ type: 'ready' });
    const start = nowMs();
    await controller.connect({ client: colony.client, prvkey: colony.userPrvKey, myId: crypto.id(colony.userPrvKey) });
    const connectedAt = nowMs();
    let lastRowAt: number | undefined;
    const deadline = Date.now() + 60_000;
    while (lastRowAt === undefined && Date.now() < deadline) {
      await sleep(25);
      const rec = await page.record();
      const row = rec.rows.find(([key]) => key === lastKey);
      if (row) lastRowAt = row[2] + offset;
    }
    if (lastRowAt === undefined) throw new Error('burst: the newest message never reached the DOM');
    // The host sends a long history newest first and the older rows right after: all rows are in the list once the
    // webview has handled a message carrying every one of the 10,000 keys.
    let allRowsAt: number | undefined;
    while (allRowsAt === undefined && Date.now() < deadline) {
      const rec = await page.record();
      const handled = new Map(rec.received);
      if (handled.size >= COUNT) allRowsAt = Math.max(...handled.values()) + offset;
      else await sleep(25);
    }
    if (allRowsAt === undefined) throw new Error('burst: not every message reached the list');
    const received = controller.transcript.length;
    const rec = await page.record();
    const arrivedAt = (rec.arrived.find(([key]) => key === lastKey)?.[1] ?? NaN) + offset;
    const handledAt = (rec.received.find(([key]) => key === lastKey)?.[1] ?? NaN) + offset;
    log(`  breakdown from connect(): process read ${round(connectedAt - start)} ms, history received and first rows posted ${round((postedAt ?? NaN) - start)} ms, ` +
      `reached the page ${round(arrivedAt - start)} ms, handled ${round(handledAt - start)} ms, newest row in the DOM ${round(lastRowAt - start)} ms, all ${COUNT} in the list ${round(allRowsAt - start)} ms`);
    await sleep(300);
    const viaPanel = await pageFigures(page, start, offset);
    const burstMs = lastRowAt - start;
    log(`  panel (host + webview): ${received} messages, connect → newest row in the DOM ${round(burstMs)} ms`);
    log(`    DOM elements ${viaPanel.domNodes} (rows ${viaPanel.rows}), long tasks ${viaPanel.longTasks}, longest ${round(viaPanel.longest)} ms, page heap ${round(viaPanel.heapBytes / 1048576)} MiB`);
    controller.dispose();
    controller = undefined;
    await page.close();

    // The webview alone: 10,000 separate append messages dispatched back to back in the page.
    page = await BenchPage.open();
    const views = new EntryViewBuilder({ myId: ME, initiatorId: ME, executorId: EXECUTOR }).all(
      Array.from({ length: COUNT }, (_, i) => entry(i % 3 ? EXECUTOR : ME, i + 1, `burst message ${i + 1} ${'word '.repeat(i % 30)}`)),
    );
    const p = page.chat.page;
    await page.chat.send({ type: 'init', info: { processId: 'a'.repeat(64), shortId: 'aaaaaaaaaaaa', channel: 'chat', funcname: 'burst', colonyName: 'dev' }, entries: [], status: { kind: 'live' }, composer: { enabled: true } });
    await page.resetRecord();
    const pageStart = await p.evaluate(() => performance.timeOrigin + performance.now());
    const perMessage = await p.evaluate(
      (vs) =>
        new Promise<number>((resolve) => {
          const t0 = performance.timeOrigin + performance.now();
          const lastKey = vs[vs.length - 1].key;
          const list = document.getElementById('list')!;
          const mo = new MutationObserver(() => {
            if (list.querySelector(`[data-key="${CSS.escape(lastKey)}"]`)) {
              mo.disconnect();
              resolve(performance.timeOrigin + performance.now() - t0);
            }
          });
          mo.observe(list, { childList: true });
          for (const v of vs) window.postMessage({ type: 'entries', mode: 'append', entries: [v] }, '*');
        }),
      views as any[],
    );
    await sleep(300);
    const alone = await pageFigures(page, pageStart, 0);
    log(`  webview alone, 10,000 single-entry messages: newest row in the DOM after ${round(perMessage)} ms`);
    log(`    DOM elements ${alone.domNodes} (rows ${alone.rows}), long tasks ${alone.longTasks}, longest ${round(alone.longest)} ms, page heap ${round(alone.heapBytes / 1048576)} MiB`);

    // Find over the same 10,000 messages: each keystroke searches the whole transcript, marks the rows on screen and
    // scrolls to the match, synchronously in the input handler. Typed one character at a time, as a person does.
    await p.locator('#find-open').click();
    const find = await p.evaluate((query) => {
      const input = document.getElementById('find-input') as HTMLInputElement;
      const times: number[] = [];
      for (let n = 1; n <= query.length; n++) {
        input.value = query.slice(0, n);
        const t0 = performance.now();
        input.dispatchEvent(new Event('input'));
        times.push(performance.now() - t0);
      }
      return { times, count: document.getElementById('find-count')!.textContent };
    }, 'burst message 5000 ');
    const sorted = [...find.times].sort((a, b) => a - b);
    const findMedian = sorted[Math.floor(sorted.length / 2)];
    const findMax = sorted[sorted.length - 1];
    log(`  find in 10,000 messages, per keystroke of "burst message 5000 ": median ${round(findMedian)} ms, slowest ${round(findMax)} ms (ends at "${find.count}")`);
    return {
      burst_messages: COUNT,
      burst_render_ms: round(burstMs),
      burst_all_rows_ms: round(allRowsAt - start),
      burst_longest_task_ms: round(viaPanel.longest),
      burst_long_tasks: viaPanel.longTasks,
      burst_dom_nodes: viaPanel.domNodes,
      burst_heap_mib: round(viaPanel.heapBytes / 1048576),
      burst_webview_messages_render_ms: round(perMessage),
      burst_webview_messages_longest_task_ms: round(alone.longest),
      burst_webview_messages_dom_nodes: alone.domNodes,
      burst_webview_messages_heap_mib: round(alone.heapBytes / 1048576),
      find_keystroke_median_ms: round(findMedian),
      find_keystroke_max_ms: round(findMax),
    };
  } finally {
    controller?.dispose();
    await page.close();
    await colony.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
