// Channel latency, three subscribers on one local colony (its own process), measured side by side in one run:
//   floor    a bare `ws` subscriber: one WebSocket, JSON.parse + base64, nothing else;
//   client   our ChannelSession (ChannelStream underneath): the onDidChange callback;
//   webview  our panel pipeline: ChannelController (its own ChannelSession) → post → the built chat webview in
//            Chromium (test harness page) → the row element inserted into the DOM (MutationObserver in the page).
// One run: an executor process appends 1,000 messages at 100/s (the real server's channel limit) over HTTP with
// pre-signed envelopes, as a real executor would; latency = receive time − when each request left the executor.
// (The local colony once could not sustain signed appends at that rate, and this benchmark stored the entries
// straight into its channel log instead; its signature recovery now keeps up.) Process clocks are aligned by
// round-trip offset estimation (smallest-RTT sample).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket from 'ws';
import { ChannelSession, crypto, createEnvelope } from '../src/colonies/index';
import { rowKey } from '../src/panels/entryView';
import { ChannelController } from '../src/panels/channelController';
import { TranscriptStore } from '../src/panels/transcriptStore';
import { BenchChild } from './lib/child';
import { assignedChat, BenchPage, startBenchColony } from './lib/setup';
import { distribution, formatDistribution, nowMs, round, sleep, type Distribution } from './lib/stats';

const COUNT = 1000;
const RATE = 100;
const WARMUP = 50;

/** Arrival times by payload text, first arrival only. */
class Arrivals {
  readonly at = new Map<string, number>();
  note(text: string, t: number): void {
    if (!this.at.has(text)) this.at.set(text, t);
  }
}

function floorSubscriber(port: number, processId: string, prvkey: string, arrivals: Arrivals): { ws: WebSocket; ready: Promise<void> } {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/pubsub`, { perMessageDeflate: false });
  const ready = new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      ws.send(JSON.stringify(createEnvelope('subscribechannelmsg', { processid: processId, name: 'chat', afterseq: 0, timeout: 600 }, prvkey)));
      resolve();
    });
    ws.once('error', reject);
  });
  ws.on('message', (data) => {
    const t = nowMs();
    const env = JSON.parse(data.toString());
    const entries = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as { payload: string | null }[];
    for (const e of entries) arrivals.note(Buffer.from(e.payload ?? '', 'base64').toString('utf8'), t);
  });
  return { ws, ready };
}

interface Phase {
  floor: Distribution;
  client: Distribution;
  handled: Distribution;
  webview: Distribution;
  arrived: Distribution;
  posted: Distribution;
  own: Distribution;
  missing: number;
}

export async function runLatency(log: (line: string) => void): Promise<Record<string, number>> {
  const colony = await startBenchColony();
  const sender = await BenchChild.start('sender');
  const page = await BenchPage.open();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-bench-'));
  const disposables: { dispose(): void }[] = [];
  try {
    const { processId, executor } = await assignedChat(colony, 'latency');
    const floorArrivals = new Arrivals();
    const clientArrivals = new Arrivals();
    const postedAt = new Map<string, number>();
    const floor = floorSubscriber(colony.port, processId, colony.userPrvKey, floorArrivals);
    await floor.ready;
    disposables.push({ dispose: () => floor.ws.terminate() });

    const session = new ChannelSession(colony.client, { processId, channel: 'chat', prvkey: colony.userPrvKey });
    disposables.push(session);
    session.onDidChange(({ added }) => {
      const t = nowMs();
      for (const e of added) clientArrivals.note(Buffer.from(e.payload).toString('utf8'), t);
    });
    session.start();

    const controller = new ChannelController({
      processId,
      channel: 'chat',
      file: new TranscriptStore(dir).open(processId, 'chat'),
      post: (m) => {
        if (m.type === 'entries' || m.type === 'init') {
          const t = nowMs();
          for (const v of m.entries) if (!postedAt.has(v.key)) postedAt.set(v.key, t);
        }
        page.post(m);
      },
      actions: { savePayload: async () => undefined, copyText: async () => undefined, exportTranscript: async () => undefined },
      log: { info: () => undefined, warn: (m) => log(`  controller: ${m}`), error: (m) => log(`  controller: ${m}`) },
    });
    disposables.push(controller);
    await controller.load();
    await controller.handleMessage({ type: 'ready' });
    await controller.connect({ client: colony.client, prvkey: colony.userPrvKey, myId: crypto.id(colony.userPrvKey) });
    while (session.status.kind !== 'live' || controller.view.status.kind !== 'live') await sleep(20);

    const senderOffset = await sender.clockOffset();
    const pageOffset = await page.clockOffset();
    log(`  clock offsets to this process: executor ${round(senderOffset, 3)} ms, page ${round(pageOffset, 3)} ms`);
    let nextSequence = 1;
    /** The executor appends "<prefix>1".."<prefix>count" over HTTP at RATE; send and acknowledgement times in this process's clock. */
    const append = async (prefix: string, count: number) => {
      const r = await sender.request<{ sentAt: number[]; ackedAt: number[]; failures: string[] }>('pace', {
        port: colony.port, processId, channel: 'chat', prvkey: executor.prvkey, count, ratePerSec: RATE, prefix, firstSequence: nextSequence,
      });
      nextSequence += count;
      return { sentAt: r.sentAt.map((t) => t + senderOffset), ack: distribution(r.ackedAt.flatMap((a, i) => (a === undefined ? [] : [a - r.sentAt[i]]))), failures: r.failures };
    };

    /** Collects one phase's arrivals for messages "<prefix>1".."<prefix>count" sent at `sentAt`. */
    const measure = async (prefix: string, sentAt: number[]): Promise<Phase> => {
      const texts = sentAt.map((_, i) => `${prefix}${i + 1}`);
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && !texts.every((t) => floorArrivals.at.has(t) && clientArrivals.at.has(t))) await sleep(50);
      await page.drained();
      await sleep(500);
      const rec = await page.record();
      // The webview knows entries by key; map keys back to payload texts through the session's transcript.
      const textByKey = new Map(session.entries.map((e) => [rowKey(e), Buffer.from(e.payload).toString('utf8')]));
      const rowArrivals = new Arrivals();
      for (const [key, , t] of rec.rows) rowArrivals.note(textByKey.get(key) ?? '', t + pageOffset);
      const handledArrivals = new Arrivals();
      for (const [key, t] of rec.received) handledArrivals.note(textByKey.get(key) ?? '', t + pageOffset);
      const postArrivals = new Arrivals();
      for (const [key, t] of postedAt) postArrivals.note(textByKey.get(key) ?? '', t);
      const longTasks = rec.longTasks.filter((lt) => lt.start + pageOffset >= sentAt[0]);
      log(`    page long tasks during the run: ${longTasks.length}, longest ${round(Math.max(0, ...longTasks.map((lt) => lt.duration)))} ms`);
      const pageArrivals = new Arrivals();
      for (const [key, t] of rec.arrived) pageArrivals.note(textByKey.get(key) ?? '', t + pageOffset);
      // The webview's own share: from the message reaching the page to the row in the DOM.
      const own = texts.flatMap((t) => (rowArrivals.at.has(t) && pageArrivals.at.has(t) ? [rowArrivals.at.get(t)! - pageArrivals.at.get(t)!] : []));
      const lat = (a: Arrivals) => texts.flatMap((t, i) => (a.at.has(t) ? [a.at.get(t)! - sentAt[i]] : []));
      const phase = {
        floor: distribution(lat(floorArrivals)),
        client: distribution(lat(clientArrivals)),
        handled: distribution(lat(handledArrivals)),
        webview: distribution(lat(rowArrivals)),
        arrived: distribution(lat(pageArrivals)),
        posted: distribution(lat(postArrivals)),
        own: distribution(own),
        missing: 0,
      };
      phase.missing = 3 * texts.length - phase.floor.n - phase.client.n - phase.handled.n;
      if (phase.webview.n < texts.length) log(`    ${texts.length - phase.webview.n} rows were never in the DOM (virtualized away: several arrived in one frame)`);
      log(`    floor (bare ws subscriber)   ${formatDistribution(phase.floor)}`);
      log(`    client (ChannelSession)      ${formatDistribution(phase.client)}`);
      log(`    panel host posted it         ${formatDistribution(phase.posted)}`);
      log(`    message reached the page     ${formatDistribution(phase.arrived)}`);
      log(`    webview message handled      ${formatDistribution(phase.handled)}`);
      log(`    webview row in the DOM       ${formatDistribution(phase.webview)}`);
      log(`    webview's own share (page arrival → row in the DOM) ${formatDistribution(phase.own)}`);
      log(`    client/floor: p50 ${round(phase.client.p50 / phase.floor.p50)}×, p99 ${round(phase.client.p99 / phase.floor.p99)}×` +
        (phase.missing ? `; MISSING ${phase.missing} deliveries` : ''));
      return phase;
    };

    // Warm-up (JIT, first layouts, the server's table of the executor's key); not measured.
    await append('warm ', WARMUP);
    await sleep(1000);
    await page.resetRecord();

    log(`  ${COUNT} pre-signed appends at ${RATE}/s from the executor process over HTTP, latency from when each request left`);
    const http = await append('lat ', COUNT);
    log(`    append round trip (executor) ${formatDistribution(http.ack)}${http.failures.length ? `; ${http.failures.length} failed: ${http.failures[0]}` : ''}`);
    const main = await measure('lat ', http.sentAt);

    return {
      latency_messages: COUNT,
      latency_rate_per_s: RATE,
      latency_floor_p50_ms: round(main.floor.p50),
      latency_floor_p95_ms: round(main.floor.p95),
      latency_floor_p99_ms: round(main.floor.p99),
      latency_client_p50_ms: round(main.client.p50),
      latency_client_p95_ms: round(main.client.p95),
      latency_client_p99_ms: round(main.client.p99),
      latency_client_vs_floor_p50_ratio: round(main.client.p50 / main.floor.p50),
      latency_client_vs_floor_p99_ratio: round(main.client.p99 / main.floor.p99),
      latency_webview_handled_p50_ms: round(main.handled.p50),
      latency_webview_handled_p99_ms: round(main.handled.p99),
      latency_webview_p50_ms: round(main.webview.p50),
      latency_webview_p95_ms: round(main.webview.p95),
      latency_webview_p99_ms: round(main.webview.p99),
      latency_host_post_p50_ms: round(main.posted.p50),
      latency_host_post_p99_ms: round(main.posted.p99),
      latency_webview_page_arrival_p50_ms: round(main.arrived.p50),
      latency_webview_page_arrival_p99_ms: round(main.arrived.p99),
      latency_webview_own_p50_ms: round(main.own.p50),
      latency_webview_own_p99_ms: round(main.own.p99),
      latency_missing_deliveries: main.missing,
      latency_http_append_ack_p50_ms: round(http.ack.p50),
      latency_http_append_ack_p99_ms: round(http.ack.p99),
      latency_http_append_failures: http.failures.length,
    };
  } finally {
    for (const d of disposables) d.dispose();
    await page.close();
    await sender.stop();
    await colony.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
