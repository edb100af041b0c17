// A hostile executor (hostileExecutorProcess.ts: the project's own client and executor loop, in its own process)
// against the local colony, and the channel panel's host side watching: every entry it sends is shown (normalised
// where it cannot be shown as it is, with a note), every host -> webview message stays bounded, every send is
// answered once, and the transcript is only ever appended to and stays within its caps. Sizes and counts are
// asserted; speed is not (bench/ measures it).
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { ColoniesClient, crypto, funcSpec } from '../../src/colonies/index';
import { startLocalColony, type LocalColony } from '../../src/localcolony/index';
import { ChannelController } from '../../src/panels/channelController';
import { MAX_SHOWN_TEXT } from '../../src/panels/entryView';
import { MAX_MESSAGE_CHARS, applyToRows, coerceEntryView, isHostMessage, type EntryView, type HostMessage } from '../../src/panels/protocol';
import { transcriptToMarkdown } from '../../src/panels/transcriptExport';
import { TranscriptStore } from '../../src/panels/transcriptStore';
import type { TranscriptFile } from '../../src/panels/transcriptFile';
import type { ChannelLimits } from '../../src/panels/transcriptLimits';
import { failOnUnhandledRejections, until } from './helpers';
import { nestedArrays, shapesInLogOrder } from './hostilePlans';

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;
/** Heap in use after full collections, in MiB. */
function heapMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

/** A message may exceed the row budget by one row's JSON escaping at most. */
const MAX_POSTED_CHARS = 2 * MAX_MESSAGE_CHARS + 256 * 1024;
const LONG = 180_000;

interface Panel {
  controller: ChannelController;
  /** While set, posts are lost, as VS Code loses them for a hidden webview. */
  hidden: boolean;
  file: TranscriptFile;
  posted: HostMessage[];
  logs: string[];
  saved: Uint8Array[];
  shown(): EntryView[];
  /** Characters of each posted message as JSON (what crosses to the webview). */
  sizes(): number[];
}

const seqOf = (v: EntryView) => v.sequenceText ?? String(v.sequence);
const textOf = (v: EntryView) => (v.body.kind === 'text' || v.body.kind === 'json' ? v.body.text : v.body.kind);

describe('reliability: a hostile executor', function () {
  this.timeout(300_000);
  failOnUnhandledRejections();
  let colony: LocalColony;
  let client: ColoniesClient;
  let child: ChildProcessWithoutNullStreams;
  let dir: string;
  const events: Array<Record<string, unknown>> = [];
  let stderr = '';
  const executorType = `hostile-${process.pid}`;
  const open: Panel[] = [];

  before(async () => {
    // The executor may send as fast as it likes here; the burst sizes in the plans are the real server's (500).
    colony = await startLocalColony({ port: 0, channelLimits: { rateLimitBurst: 1_000_000, rateLimitPerSecond: 1_000_000 } });
    client = new ColoniesClient({ host: '127.0.0.1', port: colony.port });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-hostile-'));
    const config = { port: colony.port, colonyName: colony.colonyName, colonyPrvKey: colony.colonyPrvKey, executorType };
    child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'hostileExecutorProcess.ts'), JSON.stringify(config)], {
      cwd: path.resolve(__dirname, '..', '..'),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
        events.push(JSON.parse(out.slice(0, nl)));
        out = out.slice(nl + 1);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await until(() => events.some((e) => e.event === 'ready') || child.exitCode !== null, 'the hostile executor to register', 60_000);
    assert.ok(events.some((e) => e.event === 'ready'), `the hostile executor did not start: ${stderr}`);
  });

  after(async () => {
    for (const p of open.splice(0)) p.controller.dispose();
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end();
      await exited;
    }
    client?.dispose();
    await colony?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  afterEach(async () => {
    for (const p of open.splice(0)) {
      await p.controller.flush();
      p.controller.dispose();
    }
  });

  function panel(processId: string, limits?: ChannelLimits): Panel {
    const posted: HostMessage[] = [];
    const logs: string[] = [];
    const saved: Uint8Array[] = [];
    const file = new TranscriptStore(dir).open(processId, 'chat');
    const controller = new ChannelController({
      processId,
      channel: 'chat',
      file,
      post: (m) => {
        if (!p.hidden) posted.push(structuredClone(m));
      },
      actions: { savePayload: async (bytes) => void saved.push(bytes), copyText: async () => undefined, exportTranscript: async () => undefined },
      log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
      pollStateMs: 500,
      limits: limits ? () => limits : undefined,
    });
    const p: Panel = {
      controller,
      hidden: false,
      file,
      posted,
      logs,
      saved,
      shown: () => posted.reduce<EntryView[]>(applyToRows, []),
      sizes: () => posted.map((m) => JSON.stringify(m).length),
    };
    open.push(p);
    return p;
  }

  /** Submits a process for the hostile executor running `plan`, with a panel open on its channel from the start. */
  async function run(plan: string, params: number[], limits?: ChannelLimits): Promise<{ processId: string; panel: Panel }> {
    const spec = funcSpec({ funcname: 'hostile', colonyname: colony.colonyName, executortype: executorType, channels: ['chat'], args: [plan, ...params] });
    const p = await client.submitFuncSpec(spec, colony.userPrvKey);
    const view = panel(p.processid, limits);
    await view.controller.load();
    await view.controller.handleMessage({ type: 'ready' });
    await view.controller.connect({ client, prvkey: colony.userPrvKey, myId: crypto.id(colony.userPrvKey) });
    await until(() => events.some((e) => e.processId === p.processid) || child.exitCode !== null, `the hostile executor to finish ${plan}`, LONG);
    const failed = events.find((e) => e.processId === p.processid && e.event === 'failed');
    assert.equal(failed, undefined, `the plan failed: ${JSON.stringify(failed)} ${stderr}`);
    return { processId: p.processid, panel: view };
  }

  /** Every message the webview was sent: one it accepts whole, within the size cap, every row as it would render it. */
  function assertBoundedMessages(p: Panel): void {
    for (const m of p.posted) {
      assert.ok(isHostMessage(m), `the webview would drop this message: ${JSON.stringify(m).slice(0, 300)}`);
      if ('entries' in m) for (const row of m.entries) assert.equal(coerceEntryView(row, 'x'), row, `a row over the limits: ${JSON.stringify(row).slice(0, 300)}`);
    }
    const biggest = Math.max(...p.sizes());
    assert.ok(biggest <= MAX_POSTED_CHARS, `a host -> webview message of ${biggest} characters`);
  }

  it('shows every odd entry, normalised with a note, and answers every send once', async () => {
    const { processId, panel: p } = await run('shapes', []);
    const want = shapesInLogOrder();
    await until(() => p.shown().length === want.length, 'every hostile entry in the panel', LONG);
    assertBoundedMessages(p);
    const rows = p.shown();
    assert.deepEqual(rows.map(seqOf), want.map((a) => (Number.isSafeInteger(a.sequence) ? String(a.sequence) : BigInt(a.sequence).toString())));
    const row = (label: string) => rows[want.findIndex((a) => a.label === label)];

    const big = row('seq 2^60');
    assert.deepEqual([big.sequence, big.sequenceText, textOf(big)], [0, '1152921504606846976', 'my sequence is 2^60']);
    assert.match(big.noReply ?? '', /beyond 2\^53/);
    assert.ok(big.notes?.some((n) => /beyond 2\^53/.test(n)));
    const type = row('giant type');
    assert.ok(type.type.length <= 64 && type.notes?.some((n) => /Type cut to 64 characters/.test(n)), JSON.stringify(type).slice(0, 400));
    assert.equal(row('negative seq').sequence, -7);
    assert.equal(row('negative seq').noReply, undefined);
    assert.ok(row('zero seq').noReply);
    assert.equal(row('invalid utf-8').body.kind, 'binary');
    assert.equal(row('control chars').body.kind, 'binary');
    const rtl = row('rtl override');
    assert.doesNotMatch(rtl.type, /[\u202a-\u202e\u2066-\u2069\r\n]/, 'bidi and line controls in a label are shown, not obeyed');
    assert.match(rtl.type, /\\u\{202E\}/);
    assert.equal(textOf(row('html')), '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>');
    assert.equal(row('reply to 2^60').inReplyTo, 0);
    assert.ok(row('reply to 2^60').notes?.some((n) => /1152921504606846976/.test(n)));
    const deep = row('deep nesting');
    assert.ok(deep.body.kind === 'text' && deep.body.truncated && deep.body.text.length === MAX_SHOWN_TEXT && deep.savable);
    const nested = row('nested 4 KB');
    assert.ok(nested.body.kind === 'text' && nested.body.text === nestedArrays(4096), 'shown as sent');
    assert.ok(nested.notes?.some((n) => /JSON shown as sent/.test(n)));

    // Replies: to the negative sequence it works; one the webview could not name gets an error. One answer each.
    await p.controller.handleMessage({ type: 'send', requestId: 'neg', text: 'reply to -7', kind: 'data', inReplyTo: -7 });
    await p.controller.handleMessage({ type: 'send', requestId: 'huge', text: 'reply to 2^60', kind: 'data', inReplyTo: 2 ** 60 });
    const answers = (id: string) => p.posted.filter((m): m is Extract<HostMessage, { type: 'sendResult' }> => m.type === 'sendResult' && m.requestId === id);
    assert.equal(answers('neg').length, 1);
    assert.equal(answers('huge').length, 1);
    assert.equal(answers('neg')[0].ok, true);
    assert.equal(answers('huge')[0].ok, false);
    await until(() => p.shown().some((r) => textOf(r) === 'reply to -7'), 'my reply');
    const mine = p.shown().find((r) => textOf(r) === 'reply to -7')!;
    assert.equal(mine.inReplyTo, -7);
    assert.equal(mine.parentKey, row('negative seq').key, 'the reply quotes the negative-sequence message');

    // A send answered while the panel is hidden (VS Code drops those messages): the resync brings its answer.
    p.hidden = true;
    await p.controller.handleMessage({ type: 'send', requestId: 'hidden', text: 'sent, then the panel was hidden', kind: 'data', inReplyTo: 0 });
    p.hidden = false;
    assert.equal(answers('hidden').length, 0);
    p.controller.resync();
    assert.equal(answers('hidden').length, 1);
    assert.equal(answers('hidden')[0].ok, true);
    await until(() => p.shown().some((r) => textOf(r) === 'sent, then the panel was hidden'), 'my message sent while hidden');

    // The transcript holds them all: a later panel (a reload) shows them again, from its first init.
    await p.controller.flush();
    p.controller.dispose();
    const again = panel(processId);
    await again.controller.load();
    await again.controller.handleMessage({ type: 'ready' });
    assertBoundedMessages(again);
    assert.deepEqual(again.shown().map(seqOf), p.shown().map(seqOf));
    assert.deepEqual(again.shown().map(textOf), p.shown().map(textOf));

    // Markdown export: nothing the executor chose becomes a heading.
    const md = transcriptToMarkdown(again.controller.transcript, again.controller.transcriptMeta, again.controller.parties);
    let fence: string | undefined;
    const headings: string[] = [];
    for (const line of md.split('\n')) {
      if (fence === undefined && /^`{3,}/.test(line)) fence = /^`+/.exec(line)![0];
      else if (fence !== undefined && line === fence) fence = undefined;
      else if (fence === undefined && /^#{1,6} /.test(line)) headings.push(line);
    }
    assert.equal(again.controller.transcript.length, want.length + 2, 'the hostile entries and my two messages');
    assert.equal(headings.length, 1 + again.controller.transcript.length, headings.join('\n'));
    assert.ok(headings.slice(1).every((h) => h.startsWith('### **')));
    assert.doesNotMatch(md, /\r/);
  });

  it("bounds a burst of 500 nested-JSON messages: message sizes and the host's heap", async () => {
    const before = heapMiB();
    const { panel: p } = await run('nested', [500]);
    await until(() => p.shown().length === 500, '500 nested messages', LONG);
    assertBoundedMessages(p);
    assert.ok(p.shown().every((r) => r.body.kind === 'text' && r.body.text.length === 4096 && r.notes?.length === 1));
    const total = p.sizes().reduce((a, b) => a + b, 0);
    // Indented, 10 of these made one 8.8-million-character message; as sent, 500 of them are a few MB in all.
    assert.ok(total < 8 * 1024 * 1024, `${total} characters posted for 500 messages of 4 KB`);
    await p.controller.flush();
    const grown = heapMiB() - before;
    assert.ok(grown < 64, `the host heap grew by ${grown.toFixed(1)} MiB`);
  });

  it('appends 300 messages of 64 KiB arriving in decreasing order without rewriting the transcript', async () => {
    const { processId, panel: p } = await run('decreasing', [300, 64 * 1024]);
    await until(() => p.shown().length === 300, '300 messages', LONG);
    assertBoundedMessages(p);
    assert.deepEqual(p.shown().map((r) => r.sequence), Array.from({ length: 300 }, (_, i) => i + 1), 'in sequence order');
    await p.controller.flush();
    const file = p.file.file;
    const size = fs.statSync(file).size;
    assert.equal(p.file.stats.compactions, 0, 'never rewritten');
    assert.equal(p.file.stats.appendedBytes, size, `wrote ${p.file.stats.appendedBytes} bytes for a ${size}-byte transcript`);
    assert.ok(size < 300 * (64 * 1024 * 1.34 + 400), `transcript of ${size} bytes`);
    // The file was only ever appended to: reload it and the order is made on load.
    const again = panel(processId);
    await again.controller.load();
    await again.controller.handleMessage({ type: 'ready' });
    assertBoundedMessages(again);
    assert.deepEqual(again.shown().map((r) => r.sequence), Array.from({ length: 300 }, (_, i) => i + 1));
  });

  it('keeps the newest messages of 3,000 arriving shuffled within the caps, with a visible note about the rest', async () => {
    const limits: ChannelLimits = { maxEntries: 1000, maxBytes: 50 * 1024 * 1024 };
    const { processId, panel: p } = await run('shuffled', [3000, 7], limits);
    const newest = Array.from({ length: 1000 }, (_, i) => 2001 + i);
    await until(() => p.controller.transcript.length === 1000 && p.controller.droppedCount === 2000, 'the capped transcript', LONG);
    await until(() => p.shown().length === 1000 && p.shown()[0].sequence === 2001, 'the panel to show the newest 1,000', LONG);
    assertBoundedMessages(p);
    assert.deepEqual(p.shown().map((r) => r.sequence), newest);
    const notice = [...p.posted].reverse().find((m) => m.type === 'dropped');
    assert.ok(notice && notice.type === 'dropped' && notice.count === 2000, JSON.stringify(notice));
    assert.match(notice.text, /^2,000 older messages were dropped from this transcript: a channel keeps its newest 1,000 messages/);
    await p.controller.flush();
    const written = p.file.stats.appendedBytes + p.file.stats.compactedBytes;
    assert.ok(written < 3000 * 400, `${written} bytes written for 3,000 small messages`);

    const again = panel(processId, limits);
    await again.controller.load();
    await again.controller.handleMessage({ type: 'ready' });
    assert.deepEqual(again.shown().map((r) => r.sequence), newest);
    const reloaded = again.posted.find((m) => m.type === 'dropped');
    assert.ok(reloaded && reloaded.type === 'dropped' && reloaded.count === 2000, 'the note is shown again after a reload');
  });

  it('shows payloads at the 10 MiB server limit as bounded rows and keeps the full bytes for Save Payload', async () => {
    const { panel: p } = await run('huge', []);
    await until(() => p.shown().length === 3, 'three 10 MiB messages', LONG);
    assertBoundedMessages(p);
    const [text, binary, json] = p.shown();
    assert.ok(text.body.kind === 'text' && text.body.truncated && text.body.text.length === MAX_SHOWN_TEXT && text.body.size === 10 * 1024 * 1024);
    assert.ok(binary.body.kind === 'binary' && binary.body.size === 10 * 1024 * 1024 && binary.body.hex.length < 300);
    assert.ok(json.body.kind === 'text' && json.body.truncated, 'JSON this large is shown as sent, cut');
    await p.controller.handleMessage({ type: 'savePayload', key: text.key });
    assert.equal(p.saved[0]?.length, 10 * 1024 * 1024, 'Save Payload writes all of it');
    await p.controller.flush();
    assert.ok(fs.statSync(p.file.file).size < 3 * 14.5 * 1024 * 1024);
  });
});
