// Random and malformed input at three boundaries: the webview's message handler (built webview in Chromium), the
// panel host's handler for webview messages, and the local colony's /api and /pubsub endpoints. Each must stay up,
// report clearly (or ignore), and keep working for well-formed input afterwards. Seeds are fixed: a failure replays.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket from 'ws';
import { crypto, createEnvelope, type ChannelEntry } from '../../src/colonies/index';
import { parseWebviewMessage, type HostMessage } from '../../src/panels/protocol';
import { ChatBrowser, EXECUTOR, ME, entry, init, views, type ChatPage } from '../webview/harness';
import { failOnUnhandledRejections, panelController, startChat, until, type ChatSetup } from './helpers';
import { mutateText, Random, randomValue } from './random';

const HOST_FIELDS = [
  'type', 'init', 'entries', 'status', 'sendResult', 'mode', 'append', 'replace', 'splice', 'start', 'deleteCount', 'info', 'composer', 'enabled', 'reason', 'hint',
  'kind', 'live', 'reconnecting', 'finished', 'offline', 'error', 'attempt', 'state', 'message', 'requestId', 'ok', 'sequence',
  'key', 'inReplyTo', 'parentKey', 'sender', 'senderId', 'senderLabel', 'time', 'body', 'text', 'json', 'binary', 'empty',
  'size', 'hex', 'truncated', 'savable', 'processId', 'shortId', 'channel', 'funcname', 'colonyName', '__proto__',
];
const WEBVIEW_FIELDS = ['type', 'ready', 'send', 'savePayload', 'copyMessage', 'copyAll', 'exportTranscript', 'webviewError', 'requestId', 'text', 'kind', 'data', 'end', 'inReplyTo', 'key', 'message'];

/** Replaces or removes fields of a well-formed value at random depth, so most mutants get past the first checks. */
function perturb(r: Random, value: unknown, fields: readonly string[], depth = 0): unknown {
  if (r.chance(depth === 0 ? 0.1 : 0.15)) return randomValue(r, fields);
  if (Array.isArray(value)) return value.map((v) => perturb(r, v, fields, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (r.chance(0.08)) continue;
      out[k] = perturb(r, v, fields, depth + 1);
    }
    if (r.chance(0.1)) out[r.pick(fields)] = randomValue(r, fields);
    return out;
  }
  return value;
}

function sampleEntries(n: number): ChannelEntry[] {
  return Array.from({ length: n }, (_, i) =>
    entry(i % 2 ? ME : EXECUTOR, i + 1, i % 5 === 0 ? new Uint8Array([0, 1, 2, 255]) : i % 3 === 0 ? `{"step":${i}}` : `message ${i}`, {
      inreplyto: i % 4 === 0 ? i : 0,
      type: i === n - 1 ? 'end' : 'data',
    }),
  );
}

function wellFormedHostMessages(): HostMessage[] {
  const rows = views(sampleEntries(12));
  return [
    init(rows),
    { type: 'entries', mode: 'append', entries: rows.slice(0, 3) },
    { type: 'entries', mode: 'replace', entries: rows },
    { type: 'entries', mode: 'splice', start: 2, deleteCount: 1, entries: rows.slice(4, 6) },
    { type: 'status', status: { kind: 'reconnecting', attempt: 2, reason: 'socket closed' }, composer: { enabled: false, reason: 'offline' } },
    { type: 'status', status: { kind: 'finished', state: 'SUCCESS' }, composer: { enabled: true, hint: 'hint' } },
    { type: 'sendResult', requestId: 'r1', ok: false, error: 'nope' },
    { type: 'sendResult', requestId: 'r1', ok: true, sequence: 3 },
  ];
}

describe('reliability: random and malformed input', function () {
  this.timeout(180_000);
  failOnUnhandledRejections();

  describe('the webview message handler (Chromium)', () => {
    const browser = new ChatBrowser();
    let chat: ChatPage;
    before(async () => browser.launch());
    after(async () => browser.close());

    it('survives 3,000 random and malformed host messages, then renders a well-formed transcript', async () => {
      chat = await browser.open();
      const page = chat.page;
      await page.evaluate(() => {
        const w = window as any;
        w.__rejections = [];
        window.addEventListener('unhandledrejection', (e) => w.__rejections.push(String(e.reason)));
      });
      const r = new Random(20260101);
      const skeletons = wellFormedHostMessages();
      for (let batch = 0; batch < 30; batch++) {
        const messages = Array.from({ length: 100 }, () =>
          r.chance(0.7) ? perturb(r, r.pick(skeletons), HOST_FIELDS) : randomValue(r, HOST_FIELDS),
        );
        await page.evaluate((ms) => {
          for (const m of ms) window.postMessage(m, '*');
        }, messages as any[]);
        // Let the queued message events and a frame of rendering run.
        await page.evaluate(() => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res))));
      }
      const after = await page.evaluate(() => ({
        rejections: (window as any).__rejections as string[],
        pwned: (window as any).__pwned,
        injected: document.querySelectorAll('#list img, #list script, #list svg, #list a[href]').length,
      }));
      assert.deepEqual(after, { rejections: [], pwned: undefined, injected: 0 });

      // Well-formed input still works: the transcript shows, in order, and the status strip follows.
      const rows = views(sampleEntries(5));
      await chat.send(init(rows));
      await page.waitForFunction(() => document.querySelectorAll('#list .row').length === 5);
      const keys = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('#list .row')].sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index)).map((e) => e.dataset.key),
      );
      assert.deepEqual(keys, rows.map((v) => v.key));
      await chat.send({ type: 'status', status: { kind: 'live' }, composer: { enabled: true } });
      assert.equal(await page.locator('#status-text').innerText(), 'Live');

      const posted = await chat.posted();
      await chat.close();
      for (const m of posted) assert.ok(parseWebviewMessage(m).ok, `posted a message outside the protocol: ${JSON.stringify(m).slice(0, 300)}`);
      // A splice that does not fit the shown rows is answered by design with a report and a resync request.
      const reports = posted
        .filter((m) => m.type === 'webviewError' && !/does not fit \d+ shown rows; resyncing$/.test(m.message))
        .map((m) => String(m.message).split('\n')[0]);
      assert.deepEqual(chat.problems, [], 'page errors, console errors or CSP violations');
      assert.deepEqual(reports, [], 'the webview reported handler errors');
    });
  });

  describe('the panel host handler and the local colony endpoints', () => {
    let chat: ChatSetup;
    let dir: string;
    before(async () => {
      chat = await startChat();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-fuzz-'));
    });
    after(async () => {
      await chat.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('the panel host ignores 2,000 malformed webview messages with a logged reason and keeps serving', async () => {
      const logs: string[] = [];
      const posted: HostMessage[] = [];
      const controller = panelController(chat, dir, posted, logs);
      try {
        await controller.load();
        await controller.connect({ client: chat.client(), prvkey: chat.userKey, myId: crypto.id(chat.userKey) });
        const r = new Random(7);
        const skeletons = [
          { type: 'send', requestId: 'x', text: 'hi', kind: 'data', inReplyTo: 0 },
          { type: 'savePayload', key: 'k' },
          { type: 'copyMessage', key: 'k' },
          { type: 'webviewError', message: 'm' },
        ];
        let malformed = 0;
        for (let i = 0; i < 2000; i++) {
          let m = r.chance(0.6) ? perturb(r, r.pick(skeletons), WEBVIEW_FIELDS) : randomValue(r, WEBVIEW_FIELDS);
          // Well-formed sends would really send; keep the fuzz about malformed input.
          if (parseWebviewMessage(m).ok && (m as { type: string }).type === 'send') m = { ...(m as object), kind: 'bogus' };
          if (!parseWebviewMessage(m).ok) malformed++;
          await controller.handleMessage(m);
        }
        const ignored = logs.filter((l) => l.includes('ignored a message from the webview'));
        assert.equal(ignored.length, malformed, 'each malformed message is logged once with its reason');
        assert.ok(ignored.every((l) => /\(.+\)$/.test(l)), ignored.find((l) => !/\(.+\)$/.test(l)));
        // Still serving: a real send from the composer reaches the server.
        await controller.handleMessage({ type: 'send', requestId: 'final', text: 'still here', kind: 'data', inReplyTo: 0 });
        const result = posted.find((m) => m.type === 'sendResult' && m.requestId === 'final');
        assert.deepEqual(result && { ...result }, { type: 'sendResult', requestId: 'final', ok: true, sequence: 1 });
      } finally {
        controller.dispose();
      }
    });

    it('the local colony answers 1,500 mutated envelopes on /api and garbage on /pubsub, and keeps serving', async () => {
      const port = chat.colony.port;
      const r = new Random(99);
      const valid = [
        JSON.stringify(createEnvelope('getprocessmsg', { processid: chat.processId }, chat.userKey)),
        JSON.stringify(createEnvelope('channelappendmsg', { processid: chat.processId, name: 'chat', sequence: 5, payload: 'aGk=' }, chat.userKey)),
        JSON.stringify(createEnvelope('getprocessesmsg', { colonyname: 'dev', count: 5, state: 0 }, chat.userKey)),
        JSON.stringify(createEnvelope('subscribechannelmsg', { processid: chat.processId, name: 'chat', afterseq: 0, timeout: 1 }, chat.userKey)),
      ];
      const statuses = new Map<number, number>();
      for (let i = 0; i < 1500; i += 50) {
        const replies = await Promise.all(
          Array.from({ length: 50 }, async () => {
            let body = r.pick(valid);
            for (let k = 1 + r.int(3); k > 0; k--) body = mutateText(r, body);
            const res = await fetch(`http://127.0.0.1:${port}/api`, { method: 'POST', body, signal: AbortSignal.timeout(10_000) });
            await res.arrayBuffer();
            return res.status;
          }),
        );
        for (const s of replies) statuses.set(s, (statuses.get(s) ?? 0) + 1);
      }
      assert.ok([...statuses.keys()].every((s) => s >= 200 && s < 600), `HTTP statuses ${[...statuses.entries()].join(' ')}`);
      assert.ok((statuses.get(400) ?? 0) + (statuses.get(403) ?? 0) > 500, `most mutants are refused: ${[...statuses.entries()].join(' ')}`);

      // /pubsub: random frames, text and binary, then an abrupt close; the server must neither crash nor hang.
      for (let i = 0; i < 40; i++) {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/pubsub`);
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        });
        const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
        ws.on('error', () => undefined);
        for (let k = 0; k < 5; k++) {
          const frame = r.chance(0.5) ? mutateText(r, r.pick(valid)) : Buffer.from(Array.from({ length: r.int(300) }, () => r.int(256)));
          ws.send(frame);
        }
        setTimeout(() => ws.terminate(), 50);
        await closed;
      }

      // Still serving, and still correct.
      const c = chat.client();
      const p = await c.getProcess(chat.processId, chat.userKey);
      assert.equal(p.processid, chat.processId);
      const got: string[] = [];
      await c.channelAppend(chat.processId, 'chat', 1000, 'after the fuzz', chat.userKey);
      await c.subscribeChannel(chat.processId, 'chat', chat.userKey, {
        afterSeq: 0,
        timeout: 1,
        callback: (batch) => {
          got.push(...batch.map((e) => Buffer.from(e.payload).toString()));
          return !got.includes('after the fuzz');
        },
      });
      await until(() => got.includes('after the fuzz'), 'the append after the fuzz');
    });
  });
});
