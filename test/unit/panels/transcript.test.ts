// Transcript storage, export formats and payload classification: plain Node, no server.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChannelEntry } from '../../../src/colonies/types';
import { EntryViewBuilder, describeBody, payloadText } from '../../../src/panels/entryView';
import { transcriptToJsonl, transcriptToMarkdown } from '../../../src/panels/transcriptExport';
import { TranscriptStore } from '../../../src/panels/transcriptStore';

const ME = 'm'.repeat(64);
const EX = 'e'.repeat(64);
const enc = (s: string) => new TextEncoder().encode(s);
function entry(sender: string, sequence: number, payload: string | Uint8Array, extra: Partial<ChannelEntry> = {}): ChannelEntry {
  return {
    sequence,
    inreplyto: 0,
    timestamp: `2026-01-02T10:00:0${sequence}.${sender === ME ? 5 : 1}Z`,
    senderid: sender,
    payload: typeof payload === 'string' ? enc(payload) : payload,
    type: 'data',
    error: '',
    ...extra,
  };
}

describe('panels: transcript store', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-store-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('appends, rewrites atomically when the order changes, and round-trips bytes exactly', async () => {
    const store = new TranscriptStore(dir);
    const file = store.open('p1', 'chat');
    assert.deepEqual(await file.load(), []);
    const a = entry(EX, 1, new Uint8Array([0, 255, 10]));
    const b = entry(ME, 1, 'hi', { inreplyto: 1 });
    await file.append([a], [a]);
    await file.append([b], [a, b]);
    assert.equal(fs.readFileSync(file.file, 'utf8').split('\n').filter(Boolean).length, 2);
    const reread = await store.open('p1', 'chat').load();
    assert.deepEqual(reread, [a, b]);
    await file.rewrite([b, a]);
    assert.deepEqual(await store.open('p1', 'chat').load(), [b, a]);
    assert.deepEqual(fs.readdirSync(path.dirname(file.file)).filter((f) => f.endsWith('.tmp')), [], 'no temp files left');
  });

  it('drops a half-written last line and repairs the file on the next write', async () => {
    const store = new TranscriptStore(dir);
    const file = store.open('p1', 'chat');
    const a = entry(EX, 1, 'one');
    await file.append([a], [a]);
    fs.appendFileSync(file.file, '{"sequence":2,"senderid":"ee');
    const damaged = store.open('p1', 'chat');
    assert.deepEqual(await damaged.load(), [a]);
    assert.equal(damaged.needsRepair, true);
    const b = entry(EX, 2, 'two');
    await damaged.append([b], [a, b]);
    assert.deepEqual(await store.open('p1', 'chat').load(), [a, b]);
  });

  it('keeps channel names from escaping the storage folder', () => {
    const store = new TranscriptStore(dir);
    for (const name of ['../../etc/passwd', '..', 'a/b\\c', 'x'.repeat(500), '']) {
      const f = path.resolve(store.transcriptFile('p1', name));
      assert.ok(f.startsWith(path.join(dir, 'transcripts', 'p1') + path.sep), `${name} -> ${f}`);
    }
    assert.notEqual(store.transcriptFile('p', 'a/b'), store.transcriptFile('p', 'a_b'));
  });

  it('stores metadata beside the transcript', async () => {
    const file = new TranscriptStore(dir).open('p1', 'chat');
    await file.saveMeta({ processId: 'p1', channel: 'chat', funcname: 'echo', finalState: 'Successful' });
    assert.equal((await new TranscriptStore(dir).open('p1', 'chat').loadMeta())?.funcname, 'echo');
  });
});

describe('panels: payload classification and views', () => {
  it('classifies text, JSON, binary and empty payloads', () => {
    assert.deepEqual(describeBody(enc('héllo\nworld')), { kind: 'text', text: 'héllo\nworld', truncated: false, size: 12 });
    assert.deepEqual(describeBody(enc(' {"a":[1]} ')), { kind: 'json', text: '{\n  "a": [\n    1\n  ]\n}', size: 11 });
    // Integers beyond 2^53 stay exact (JSON.parse would print 1795716309916579600).
    assert.deepEqual(describeBody(enc('{"t":1795716309916579663}')), { kind: 'json', text: '{\n  "t": 1795716309916579663\n}', size: 25 });
    assert.equal(describeBody(enc('{not json')).kind, 'text');
    assert.deepEqual(describeBody(new Uint8Array([0xc3, 0x28])), { kind: 'binary', size: 2, hex: 'c3 28' }, 'invalid UTF-8');
    assert.equal(describeBody(enc('bell\u0007')).kind, 'binary', 'control bytes');
    assert.equal(payloadText(enc('tab\tok\r\n')), 'tab\tok\r\n');
    assert.deepEqual(describeBody(new Uint8Array()), { kind: 'empty' });
    const big = describeBody(enc('x'.repeat(100_000)));
    assert.ok(big.kind === 'text' && big.truncated && big.text.length === 64 * 1024 && big.size === 100_000);
  });

  it('labels senders and resolves reply parents to the other party first', () => {
    const builder = new EntryViewBuilder({ myId: ME, initiatorId: ME, executorId: EX });
    const views = builder.all([entry(EX, 1, 'q'), entry(ME, 1, 'a', { inreplyto: 1 }), entry(EX, 2, 'b', { inreplyto: 1 }), entry('o'.repeat(64), 3, 'x')]);
    // An unknown sender on my own process is an earlier executor (before a retry), shown with its short id.
    assert.deepEqual(views.map((v) => v.senderLabel), ['Executor', 'You', 'Executor', 'Executor oooooooooooo']);
    assert.equal(views[1].parentKey, views[0].key, 'my reply to #1 points at the executor #1');
    assert.equal(views[2].parentKey, views[1].key, "the executor's reply to #1 points at my #1");
    assert.equal(views[0].parentKey, undefined);
  });
});

describe('panels: export', () => {
  const parties = { myId: ME, initiatorId: ME, executorId: EX };
  const entries = [entry(EX, 1, 'has ``` fences'), entry(ME, 1, '{"a":1}', { inreplyto: 1 }), entry(EX, 2, new Uint8Array([1, 2])), entry(EX, 3, '', { type: 'end' })];

  it('writes Markdown whose code fences cannot be broken by payloads', () => {
    const md = transcriptToMarkdown(entries, { processId: 'p1', channel: 'chat', funcname: 'echo', finalState: 'Successful' }, parties, new Date(0));
    assert.match(md, /^# Channel `chat` of `echo` p1/);
    assert.match(md, /````\nhas ``` fences\n````/);
    assert.match(md, /\*\*You\*\* · .* · #1 · reply to #1/);
    assert.match(md, /```json\n\{\n  "a": 1\n\}\n```/);
    assert.match(md, /_binary payload, 2 bytes:_ `01 02`/);
    assert.match(md, /type: end/);
  });

  it('writes one JSON object per line, text as text and binary as base64', () => {
    const lines = transcriptToJsonl(entries, parties).trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 4);
    assert.equal(lines[0].payload, 'has ``` fences');
    assert.equal(lines[1].sender, 'You');
    assert.equal(lines[1].inreplyto, 1);
    assert.equal(lines[2].payload_base64, 'AQI=');
    assert.equal(lines[3].type, 'end');
  });
});
