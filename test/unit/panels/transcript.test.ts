// Transcript storage, export formats and payload classification: plain Node, no server.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChannelEntry } from '../../../src/colonies/types';
import { EntryViewBuilder, describeBody, rowKey, payloadText } from '../../../src/panels/entryView';
import { transcriptToJsonl, transcriptToMarkdown } from '../../../src/panels/transcriptExport';
import { SerialQueue } from '../../../src/panels/serialQueue';
import { encodeEntryLine } from '../../../src/panels/transcriptFormat';
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

  it('appends in arrival order, never rewrites, orders on load, and round-trips bytes exactly', async () => {
    const store = new TranscriptStore(dir);
    const file = store.open('p1', 'chat');
    assert.deepEqual(await file.load(), []);
    const a = entry(EX, 1, new Uint8Array([0, 255, 10]));
    const b = entry(ME, 1, 'hi', { inreplyto: 1 });
    const c = entry(EX, 2, 'late');
    await file.append([a]);
    const inode = fs.statSync(file.file).ino;
    // The executor's #2 arrives before... my #1 (whose time is earlier): appended as it came.
    await file.append([c]);
    await file.append([b]);
    assert.equal(fs.readFileSync(file.file, 'utf8').split('\n').filter(Boolean).length, 3);
    assert.equal(fs.statSync(file.file).ino, inode, 'the file was never replaced');
    assert.deepEqual(file.stats.compactions, 0);
    const reread = await store.open('p1', 'chat').load();
    assert.deepEqual(reread, [a, b, c], 'the log order is made on load');
    assert.deepEqual(fs.readdirSync(path.dirname(file.file)).filter((f) => f.endsWith('.tmp')), [], 'no temp files left');
  });

  it('skips a half-written last line and ends it before the next append', async () => {
    const store = new TranscriptStore(dir);
    const file = store.open('p1', 'chat');
    const a = entry(EX, 1, 'one');
    await file.append([a]);
    fs.appendFileSync(file.file, '{"sequence":2,"senderid":"ee');
    const damaged = store.open('p1', 'chat');
    assert.deepEqual(await damaged.load(), [a]);
    const b = entry(EX, 2, 'two');
    await damaged.append([b]);
    assert.deepEqual(await store.open('p1', 'chat').load(), [a, b]);
    assert.equal(damaged.stats.compactions, 0, 'repaired by appending, not by a rewrite');
  });

  it('loads a transcript of the previous format (entries in display order, no header) unchanged', async () => {
    const legacy = [entry(EX, 1, 'one'), entry(ME, 1, 'two', { inreplyto: 1 }), entry(EX, 2, 'three')];
    const file = new TranscriptStore(dir).open('p1', 'chat');
    fs.mkdirSync(path.dirname(file.file), { recursive: true });
    fs.writeFileSync(file.file, legacy.map((e) => `${encodeEntryLine(e)}\n`).join(''));
    assert.deepEqual(await file.load(), legacy);
    assert.equal(file.dropped, 0);
  });

  it('keeps the newest entries within the caps on load, counting the rest as dropped', async () => {
    const file = new TranscriptStore(dir).open('p1', 'chat');
    const all = Array.from({ length: 30 }, (_, i) => entry(EX, i + 1, `m${i + 1}`));
    // Out of order on disk: the newest by sequence are kept, whatever the order of the lines.
    await file.append([...all].reverse());
    const kept = await new TranscriptStore(dir).open('p1', 'chat').load({ maxEntries: 10, maxBytes: 1e9 });
    assert.deepEqual(kept.map((e) => e.sequence), all.slice(20).map((e) => e.sequence));
    const again = new TranscriptStore(dir).open('p1', 'chat');
    await again.load({ maxEntries: 10, maxBytes: 1e9 });
    assert.equal(again.dropped, 20);
    // Dropped entries never written are recorded, so the count survives a reload.
    await again.drop(['never-written-1', 'never-written-2']);
    const third = new TranscriptStore(dir).open('p1', 'chat');
    await third.load({ maxEntries: 10, maxBytes: 1e9 });
    assert.equal(third.dropped, 22);
  });

  it('compacts once the dropped entries outweigh the kept ones, keeping writes within three times what arrived', async () => {
    const file = new TranscriptStore(dir).open('p1', 'chat');
    await file.load({ maxEntries: 5, maxBytes: 1e9 });
    const big = 'x'.repeat(64 * 1024);
    const keys: string[] = [];
    let arrived = 0;
    for (let i = 1; i <= 200; i++) {
      const e = entry(EX, i, `${i} ${big}`);
      await file.append([e]);
      arrived += encodeEntryLine(e).length + 1;
      keys.push(rowKey(e));
      if (keys.length > 5) await file.drop(keys.splice(0, keys.length - 5));
    }
    await file.flush();
    assert.ok(file.stats.compactions > 0, 'compacted');
    const written = file.stats.appendedBytes + file.stats.compactedBytes;
    assert.ok(written < 3 * arrived, `wrote ${written} bytes for ${arrived} arriving`);
    const size = fs.statSync(file.file).size;
    assert.ok(size <= 2 * 5 * (64 * 1024 * 1.4) + 1024 * 1024 + 100_000, `the file stays bounded: ${size} bytes`);
    const reread = new TranscriptStore(dir).open('p1', 'chat');
    const kept = await reread.load({ maxEntries: 5, maxBytes: 1e9 });
    assert.deepEqual(kept.map((e) => e.sequence), [196, 197, 198, 199, 200]);
    assert.equal(reread.dropped, 195);
  });

  it('prunes old and over-budget transcripts of closed panels, and clears them all', async () => {
    const store = new TranscriptStore(dir);
    const now = Date.now();
    const make = async (pid: string, ageDays: number, kb: number) => {
      const f = store.open(pid, 'chat');
      await f.append([entry(EX, 1, 'x'.repeat(kb * 1024))]);
      await f.saveMeta({ processId: pid, channel: 'chat' });
      await f.flush();
      const t = new Date(now - ageDays * 86_400_000);
      fs.utimesSync(f.file, t, t);
      fs.utimesSync(f.metaFile, t, t);
      return f;
    };
    const old = await make('old', 100, 10);
    const a = await make('a', 3, 100);
    const b = await make('b', 2, 100);
    const open = await make('open', 200, 10);
    await Promise.all([old, a, b].map((f) => f.close()));
    const r = await store.prune({ maxAgeMs: 90 * 86_400_000, maxTotalBytes: 250 * 1024, now });
    assert.equal(r.deleted, 2, 'the old one, then the least recently written one over the budget');
    assert.ok(!fs.existsSync(old.file) && !fs.existsSync(a.file) && fs.existsSync(b.file));
    assert.ok(fs.existsSync(open.file), 'an open panel keeps its transcript, however old');

    const cleared = await store.clear();
    assert.equal(cleared.transcripts, 2);
    assert.ok(!fs.existsSync(b.file) && !fs.existsSync(open.file));
    assert.ok(fs.existsSync(open.metaFile), "an open panel's metadata is written again");
    // The open panel saves new messages again.
    await open.append([entry(EX, 2, 'after the clear')]);
    assert.deepEqual((await store.open('open', 'chat').load()).map((e) => e.sequence), [2]);
    assert.deepEqual(await store.usage(), { transcripts: 1, bytes: fs.statSync(open.file).size + fs.statSync(open.metaFile).size });
  });

  it('serialises writes without chaining promises', async () => {
    const q = new SerialQueue();
    const order: number[] = [];
    const runs = Array.from({ length: 1000 }, (_, i) => q.run(async () => void order.push(i)));
    const failed = q.run(async () => {
      throw new Error('disk full');
    });
    const after = q.run(async () => void order.push(1000));
    await assert.rejects(failed, /disk full/);
    await Promise.all([...runs, after]);
    await q.idle();
    assert.deepEqual(order, Array.from({ length: 1001 }, (_, i) => i));
    assert.equal(q.size, 0);
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
    assert.match(md, /^# Channel chat of echo p1/);
    assert.match(md, /````\nhas ``` fences\n````/);
    assert.match(md, /\*\*You\*\* · .* · #1 · reply to #1/);
    assert.match(md, /```json\n\{\n {2}"a": 1\n\}\n```/);
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
