// What a hostile executor's entries look like in the real webview: a transcript holding every odd shape is loaded by
// the host's own controller, and what it posts is rendered in Chromium. Every entry shows (normalised, with its note),
// no row is over its cap, labels cannot reorder or hide text, nothing runs, Reply is offered only where a reply can
// name the message, and the panel never stays empty.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChannelEntry } from '../../src/colonies/types';
import { ChannelController, droppedNotice } from '../../src/panels/channelController';
import { MAX_SHOWN_TEXT } from '../../src/panels/entryView';
import type { HostMessage } from '../../src/panels/protocol';
import { TranscriptStore } from '../../src/panels/transcriptStore';
import { nestedArrays, shapesInLogOrder } from '../reliability/hostilePlans';
import { useChatPage, ARTIFACTS, EXECUTOR, INFO, ME, init, views, type ChatPage } from './harness';

/** A channel entry at its own time (the harness derives times from sequences, which 2^60 would overflow). */
function entry(sender: string, sequence: number, payload: string | Uint8Array, extra: Partial<ChannelEntry> = {}): ChannelEntry {
  return {
    sequence,
    inreplyto: 0,
    timestamp: '2026-01-02T10:00:00Z',
    senderid: sender,
    payload: typeof payload === 'string' ? new TextEncoder().encode(payload) : payload,
    type: 'data',
    error: '',
    ...extra,
  };
}

/** Reads every row by walking the list with the keyboard (the list renders only the rows on screen). */
async function walkRows(chat: ChatPage, count: number) {
  await chat.page.locator('#list').focus();
  await chat.page.keyboard.press('Home');
  const rows = [];
  for (let i = 0; i < count; i++) {
    rows.push(await activeRow(chat));
    await chat.page.keyboard.press('ArrowDown');
  }
  return rows;
}

/** The rendered row of the active (focused) message, as the user sees it. */
const activeRow = (chat: ChatPage) =>
  chat.page.evaluate(() => {
    const row = document.activeElement?.closest<HTMLElement>('.row');
    if (!row) return undefined;
    const reply = row.querySelector<HTMLButtonElement>('.row-action');
    const body = row.querySelector<HTMLElement>('.body');
    return {
      seq: row.querySelector('.seq')?.textContent ?? '',
      type: row.querySelector('.type-tag')?.textContent ?? '',
      notes: [...row.querySelectorAll('.row-note')].map((n) => n.textContent ?? ''),
      body: body?.textContent ?? '',
      bodyBidi: body ? getComputedStyle(body).unicodeBidi : '',
      typeBidi: row.querySelector('.type-tag') ? getComputedStyle(row.querySelector('.type-tag')!).unicodeBidi : '',
      binary: row.querySelector('.hex')?.textContent ?? '',
      truncated: row.querySelector('.truncated')?.textContent ?? '',
      replyDisabled: reply?.disabled ?? false,
      replyTitle: reply?.title ?? '',
      text: row.textContent ?? '',
    };
  });

describe('chat webview: a hostile executor', function () {
  this.timeout(120_000);
  const { chat: page } = useChatPage();
  let chat: ChatPage;
  let dir: string;
  beforeEach(async () => {
    chat = page();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-hostile-webview-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The host's controller over a stored transcript of `entries`; returns what it posts on `ready`. */
  async function hostPosts(entries: ChannelEntry[], dropped = 0): Promise<HostMessage[]> {
    const file = new TranscriptStore(dir).open(INFO.processId, 'chat');
    await file.rewrite(entries, dropped);
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
    return posted;
  }

  it('shows every hostile entry from a stored transcript, each bounded, normalised and labelled', async () => {
    const shapes = shapesInLogOrder();
    const stored = shapes.map((a, i) =>
      entry(EXECUTOR, a.sequence, a.payload, {
        type: a.type ?? 'data',
        inreplyto: a.inReplyTo ?? 0,
        timestamp: new Date(Date.parse('2026-01-02T10:00:00Z') + i * 1000).toISOString(),
      }),
    );
    // A server's odd time, too (on another sender's entry: it cannot be ordered by time, so it stays last).
    stored.push(entry(ME, 11, 'my time is odd', { timestamp: 'not a time at all' }));
    for (const m of await hostPosts(stored)) await chat.send(m);
    assert.ok(await chat.page.locator('#empty').isHidden(), 'the panel is not empty');

    // Walk every message with the keyboard, as a user would, and read what each row shows.
    const rows = await walkRows(chat, stored.length);
    const want = [...shapes.map((a) => (Number.isSafeInteger(a.sequence) ? `#${a.sequence}` : `#${BigInt(a.sequence)}`)), '#11'];
    assert.deepEqual(rows.map((r) => r?.seq), want, 'every message, in order');
    const row = (label: string) => rows[shapes.findIndex((a) => a.label === label)]!;

    const big = row('seq 2^60');
    assert.equal(big.seq, '#1152921504606846976');
    assert.ok(big.replyDisabled && /beyond 2\^53/.test(big.replyTitle), 'Reply is off where a reply could not name the message');
    assert.ok(big.notes.some((n) => /beyond 2\^53/.test(n)));
    const type = row('giant type');
    assert.ok(type.type.length <= 64, `type tag of ${type.type.length} characters`);
    assert.ok(type.notes.some((n) => /Type cut to 64 characters/.test(n)));
    const rtl = row('rtl override');
    assert.doesNotMatch(rtl.type, /[\u202a-\u202e\u2066-\u2069\r\n]/);
    assert.match(rtl.type, /\\u\{202E\}/);
    assert.equal(rtl.typeBidi, 'isolate');
    assert.equal(rtl.bodyBidi, 'isolate', 'bidi controls in a payload stay inside it');
    assert.equal(row('invalid utf-8').binary, '68 69 c3 28 ff fe');
    assert.match(row('control chars').binary, /^1b 5b 33 31 6d/);
    const deep = row('deep nesting');
    assert.ok(deep.body.length < MAX_SHOWN_TEXT + 200, `a row body of ${deep.body.length} characters`);
    assert.match(deep.truncated, /truncated: shown 64\.0 KiB of 195\.3 KiB/);
    const nested = row('nested 4 KB');
    assert.ok(nested.body.startsWith(nestedArrays(4096)));
    assert.ok(nested.notes.some((n) => /JSON shown as sent/.test(n)));
    assert.ok(row('reply to 2^60').notes.some((n) => /1152921504606846976/.test(n)));
    assert.equal(row('negative seq').replyDisabled, false);
    assert.ok(rows.at(-1)!.notes.some((n) => /could not be read: "not a time at all"/.test(n)));

    const page = chat.page;
    assert.match(row('html').body, /<img src=x onerror="window.__pwned=1"><script>window.__pwned=2<\/script>/);
    assert.deepEqual(await page.evaluate(() => [(window as any).__pwned, document.querySelectorAll('#list img, #list script').length]), [undefined, 0]);
    // For a person to look at: what the first hostile rows look like.
    await page.keyboard.press('Home');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'chat-hostile.png') });
  });

  it('replies to a negative sequence, refuses one it cannot name, and always gets its answer', async () => {
    const rows = views([entry(EXECUTOR, -7, 'negative'), entry(EXECUTOR, 2 ** 60, 'too big')]);
    await chat.send(init(rows));
    await chat.page.locator('#list').focus();
    await chat.page.keyboard.press('End');
    await chat.page.keyboard.press('r');
    assert.ok(await chat.page.locator('#reply-chip').isHidden(), 'no reply to a message whose number a reply cannot carry');
    await chat.page.keyboard.press('Home');
    await chat.page.keyboard.press('r');
    assert.match(await chat.page.locator('#reply-chip-text').innerText(), /#-7: negative/);
    await chat.page.locator('#input').fill('about -7');
    await chat.page.locator('#input').press('Enter');
    const sent = (await chat.posted()).filter((m) => m.type === 'send').at(-1);
    assert.equal(sent.inReplyTo, -7);
    assert.equal(await chat.page.locator('#send').innerText(), 'Sending…');
    // The answer was posted while the panel was hidden and lost; the host sends it again with its resync.
    await chat.send(init(rows));
    await chat.send({ type: 'sendResult', requestId: sent.requestId, ok: true, sequence: 1 });
    assert.equal(await chat.page.locator('#send').innerText(), 'Send');
    assert.equal(await chat.page.locator('#input').inputValue(), '');
  });

  it('keeps a batch whose rows are over the limits or malformed, showing them cut down', async () => {
    const good = views([entry(EXECUTOR, 1, 'fine'), entry(EXECUTOR, 3, 'also fine')]);
    const over = { ...good[0], key: 'over', sequence: 2, type: 'T'.repeat(20_000), body: { kind: 'json', text: '['.repeat(500_000), size: 500_000 } };
    await chat.send(init([good[0], over as any, { key: 'junk' } as any, good[1]]));
    const rows = await walkRows(chat, 4);
    assert.deepEqual(rows.map((r) => r?.seq), ['#1', '#2', '#?', '#3'], 'all four rows, in place');
    assert.match(rows[0]!.body, /^fine$/);
    assert.match(rows[3]!.body, /^also fine$/);
    for (const r of [rows[1]!, rows[2]!]) assert.ok(r.notes.some((n) => /cut down/.test(n)), JSON.stringify(r.notes));
    assert.ok(rows[1]!.type.length <= 100);
    assert.ok(rows[1]!.body.length <= MAX_SHOWN_TEXT + 200, `${rows[1]!.body.length} characters rendered`);
  });

  it('says at the top how many older messages the transcript limits dropped', async () => {
    const posted = await hostPosts([entry(EXECUTOR, 1, 'kept'), entry(ME, 1, 'kept too')], 4321);
    for (const m of posted) await chat.send(m);
    const note = chat.page.locator('#dropped');
    assert.ok(await note.isVisible());
    assert.equal(await note.innerText(), droppedNotice(4321, { maxEntries: 10_000, maxBytes: 50 * 1024 * 1024 }));
    assert.match(await note.innerText(), /^4,321 older messages were dropped from this transcript/);
    assert.equal(await chat.page.locator('#list .row').count(), 2);
  });
});
