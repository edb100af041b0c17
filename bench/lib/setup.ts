// Benchmark fixtures: a local colony in a child process with one assigned chat process, and the chat webview in
// Chromium (the test harness page) instrumented to report when rows reach the DOM.
import { ColoniesClient, crypto, funcSpec } from '../../src/colonies/index';
import { ChatBrowser, type ChatPage } from '../../test/webview/harness';
import { BenchChild } from './child';
import { nowMs } from './stats';

export interface BenchColony {
  server: BenchChild;
  port: number;
  colonyName: string;
  colonyPrvKey: string;
  userPrvKey: string;
  client: ColoniesClient;
  stop(): Promise<void>;
}

export async function startBenchColony(opts: { unlimited?: boolean } = {}): Promise<BenchColony> {
  const server = await BenchChild.start('server');
  const info = await server.request<{ port: number; colonyName: string; colonyPrvKey: string; userPrvKey: string }>('start', opts);
  const client = new ColoniesClient({ host: '127.0.0.1', port: info.port });
  return {
    server,
    ...info,
    client,
    stop: async () => {
      client.dispose();
      await server.stop();
    },
  };
}

let executors = 0;

/** Registers an approved executor (over RPC, with the colony owner key) and returns its key and id. */
export async function addExecutor(c: BenchColony, type: string): Promise<{ prvkey: string; id: string }> {
  const prvkey = crypto.generatePrivateKey();
  const id = crypto.id(prvkey);
  const name = `${type}-${++executors}`;
  await c.client.addExecutor({ executorid: id, executortype: type, executorname: name, colonyname: c.colonyName }, c.colonyPrvKey);
  await c.client.approveExecutor(c.colonyName, name, c.colonyPrvKey);
  return { prvkey, id };
}

/** A process with channel `chat`, submitted by the dev user and assigned to a fresh executor. */
export async function assignedChat(c: BenchColony, type: string): Promise<{ processId: string; executor: { prvkey: string; id: string } }> {
  const executor = await addExecutor(c, type);
  const p = await c.client.submitFuncSpec(funcSpec({ funcname: type, colonyname: c.colonyName, executortype: type, channels: ['chat'] }), c.userPrvKey);
  const assigned = await c.client.assign(c.colonyName, 5, executor.prvkey);
  if (assigned.processid !== p.processid) throw new Error('bench setup: assigned an unexpected process');
  return { processId: p.processid, executor };
}

/** What the instrumented page recorded. Times are the page's clock (timeOrigin + now). */
export interface PageRecord {
  /** [row key, row text, time the row element was inserted] for every .row inserted into #list. */
  rows: [string, string, number][];
  /** [entry key, time the message carrying it had been handled] for every entry in an init/entries message. */
  received: [string, number][];
  /** [entry key, time the message carrying it was handed to window.postMessage in the page]. */
  arrived: [string, number][];
  longTasks: { start: number; duration: number }[];
}

// A plain string: functions serialised from tsx-compiled code would reference tsx's helpers (__name).
const INSTRUMENT = `(() => {
  const w = window;
  w.__bench = { rows: [], received: [], arrived: [], longTasks: [] };
  const now = () => performance.timeOrigin + performance.now();
  new MutationObserver((mutations) => {
    const t = now();
    for (const m of mutations) {
      for (const el of m.addedNodes) {
        if (el.nodeType === 1 && el.classList.contains('row')) w.__bench.rows.push([el.dataset.key, el.textContent, t]);
      }
    }
  }).observe(document.getElementById('list'), { childList: true });
  // Registered after the webview's own listener, so this runs once the webview has handled the message.
  window.addEventListener('message', (e) => {
    const d = e.data;
    if (d && (d.type === 'entries' || d.type === 'init') && Array.isArray(d.entries)) {
      const t = now();
      for (const v of d.entries) w.__bench.received.push([v.key, t]);
    }
  });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__bench.longTasks.push({ start: performance.timeOrigin + e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
})()`;

export class BenchPage {
  private constructor(
    readonly browser: ChatBrowser,
    readonly chat: ChatPage,
  ) {}

  static async open(): Promise<BenchPage> {
    const browser = new ChatBrowser();
    await browser.launch();
    const chat = await browser.open();
    await chat.page.evaluate(INSTRUMENT);
    return new BenchPage(browser, chat);
  }

  /**
   * Posts like VS Code's webview.postMessage: each message becomes its own window message event in the page, in
   * call order. Messages queued while a page.evaluate is in flight go over together in the next one, so the CDP
   * round trip (a harness cost, not VS Code's) does not build a backlog. The batch travels as one JSON string, as
   * VS Code serializes webview messages (Playwright's own argument serialization is far slower for large
   * messages). The page notes when each message arrived.
   */
  private queue: unknown[] = [];
  private sending: Promise<void> | undefined;
  post(message: unknown): void {
    this.queue.push(message);
    this.sending ??= this.flush();
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      await this.chat.page
        .evaluate((json) => {
          const b = (window as any).__bench;
          const t = performance.timeOrigin + performance.now();
          for (const m of JSON.parse(json)) {
            if (m && Array.isArray(m.entries)) for (const v of m.entries) b.arrived.push([v.key, t]);
            window.postMessage(m, '*');
          }
        }, JSON.stringify(batch))
        .catch(() => undefined);
    }
    this.sending = undefined;
  }

  async drained(): Promise<void> {
    while (this.sending) await this.sending;
  }

  /** This process's clock minus the page's, from the evaluate round trip with the smallest delay. */
  async clockOffset(samples = 20): Promise<number> {
    let best = { rtt: Infinity, offset: 0 };
    for (let i = 0; i < samples; i++) {
      const t0 = nowMs();
      const theirs = await this.chat.page.evaluate(() => performance.timeOrigin + performance.now());
      const t1 = nowMs();
      if (t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: (t0 + t1) / 2 - theirs };
    }
    return best.offset;
  }

  record(): Promise<PageRecord> {
    return this.chat.page.evaluate(() => (window as any).__bench);
  }

  async resetRecord(): Promise<void> {
    await this.chat.page.evaluate(() => {
      const b = (window as any).__bench;
      b.rows.length = 0;
      b.received.length = 0;
      b.arrived.length = 0;
      b.longTasks.length = 0;
    });
  }

  async close(): Promise<void> {
    await this.chat.close().catch(() => undefined);
    await this.browser.close();
  }
}
