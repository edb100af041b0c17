// What an executor or a server can put in a channel entry, turned into rows, transcripts and exports: every row is
// bounded, odd values are normalised with a note, nothing is dropped. Plain Node, no server (the hostile executor
// against the local colony is in test/reliability/hostileExecutor.test.ts).
import { strict as assert } from 'node:assert';
import type { ChannelEntry } from '../../../src/colonies/types';
import { boundEntry, entryWeight, visibleControls, STORED_FIELD_LIMITS } from '../../../src/panels/entryLimits';
import { EntryViewBuilder, MAX_SHOWN_TEXT, describeBody, rowKey, viewWeight } from '../../../src/panels/entryView';
import { prettyJson } from '../../../src/panels/jsonPretty';
import { ROW_LIMITS, coerceEntryView, parseHostMessage, parseWebviewMessage, sendRequestId, type EntryView } from '../../../src/panels/protocol';
import { markdownInline, transcriptToMarkdown } from '../../../src/panels/transcriptExport';

const ME = 'm'.repeat(64);
const EX = 'e'.repeat(64);
const enc = (s: string) => new TextEncoder().encode(s);
function entry(sequence: number, payload: string | Uint8Array, extra: Partial<ChannelEntry> = {}): ChannelEntry {
  return {
    sequence,
    inreplyto: 0,
    timestamp: '2026-01-02T10:00:01.123456789Z',
    senderid: EX,
    payload: typeof payload === 'string' ? enc(payload) : payload,
    type: 'data',
    error: '',
    ...extra,
  };
}
const view = (e: ChannelEntry): EntryView => new EntryViewBuilder({ myId: ME, initiatorId: ME, executorId: EX }).all([boundEntry(e)])[0];

/** Every field of a row within ROW_LIMITS, and the webview would take it as it is. */
function assertBounded(v: EntryView): void {
  assert.equal(coerceEntryView(v, 'x'), v, `the webview would have to cut this row: ${JSON.stringify(v).slice(0, 300)}`);
  assert.ok(viewWeight(v) <= MAX_SHOWN_TEXT + 8 * 1024, `row weight ${viewWeight(v)}`);
  assert.ok(JSON.stringify(v).length <= 2 * MAX_SHOWN_TEXT + 16 * 1024, `row size ${JSON.stringify(v).length}`);
}

describe('panels: hostile entries', () => {
  describe('JSON indentation with an output cap', () => {
    it('indents like JSON.stringify, keeping numbers exactly as sent', () => {
      for (const src of ['{"a":[1,{"b":null}],"c":{},"d":[]}', '[true,false,"x\\"y",-1.5]', '{ "t" : 1795716309916579663 }']) {
        const r = prettyJson(src, 1e6);
        assert.ok(r.valid && 'text' in r);
        assert.equal(r.text, JSON.stringify(JSON.parse(src), null, 2).replace('1795716309916579600', '1795716309916579663'));
      }
    });

    it('tells JSON from text without recursion, at any depth', () => {
      for (const bad of ['[1,]', '{"a"}', '[1 2]', '{"a":1', '"top-level string"', '[01]', '["\u0001"]', '["\\x"]']) assert.deepEqual(prettyJson(bad, 1e6), { valid: false }, bad);
      const deep = '['.repeat(100_000) + ']'.repeat(100_000);
      assert.deepEqual(prettyJson(deep, 64 * 1024), { valid: true, tooLong: true });
      assert.deepEqual(prettyJson(deep.slice(1), 64 * 1024), { valid: false });
    });

    it('shows 4 KB of nested arrays as sent, with a note, instead of megabytes of indentation', () => {
      const nested = '['.repeat(2000) + ']'.repeat(2000);
      const body = describeBody(enc(nested));
      assert.equal(body.kind, 'text');
      assert.ok(body.kind === 'text' && body.text === nested && /JSON shown as sent/.test(body.note ?? ''));
      const v = view(entry(1, nested));
      assertBounded(v);
      assert.ok(v.notes?.some((n) => /JSON shown as sent/.test(n)));
    });
  });

  it('cuts a huge payload to what a row shows, decoding only that much', () => {
    const tenMiB = new Uint8Array(10 * 1024 * 1024).fill(0x61);
    const v = view(entry(1, tenMiB));
    assert.ok(v.body.kind === 'text' && v.body.truncated && v.body.text.length === MAX_SHOWN_TEXT && v.body.size === tenMiB.length);
    assert.equal(v.savable, true);
    assertBounded(v);
    // Invalid UTF-8 far into a big payload still makes it binary.
    const bad = new Uint8Array(3 * 1024 * 1024).fill(0x61);
    bad[bad.length - 1] = 0xff;
    assert.equal(describeBody(bad).kind, 'binary');
  });

  it('normalises what a row cannot carry as it is, with a note, instead of dropping the entry', () => {
    const huge = view(entry(2 ** 60, 'big sequence', { inreplyto: 2 ** 62 }));
    assert.equal(huge.sequence, 0);
    assert.equal(huge.sequenceText, '1152921504606846976');
    assert.equal(huge.inReplyTo, 0);
    assert.match(huge.noReply ?? '', /beyond 2\^53/);
    assert.ok(huge.notes?.some((n) => /beyond 2\^53/.test(n)));
    assertBounded(huge);

    const longType = view(entry(1, 'x', { type: 'T'.repeat(20_000) }));
    assert.ok(longType.type.length <= 64 && longType.type.endsWith('…'));
    assert.ok(longType.notes?.some((n) => /Type cut to 64 characters \(it has 256\)/.test(n)), JSON.stringify(longType.notes));
    assertBounded(longType);

    const negative = view(entry(-5, 'negative'));
    assert.equal(negative.sequence, -5);
    assert.equal(negative.noReply, undefined, 'a negative sequence can be replied to: the server stores it verbatim');
    assert.equal(view(entry(0, 'zero')).noReply !== undefined, true, '0 means "not a reply"');

    for (const ts of ['yesterday', '2026-13-45T99:99:99Z', 'x'.repeat(100_000)]) {
      const odd = view(entry(1, 'odd time', { timestamp: ts }));
      assert.equal(odd.time, '');
      assert.ok(odd.notes?.some((n) => /could not be read/.test(n)), ts.slice(0, 20));
      assertBounded(odd);
    }
    assert.equal(view(entry(1, 'zero time', { timestamp: '0001-01-01T00:00:00Z' })).notes, undefined, "Go's zero time is no time, not an odd one");
    assert.match(view(entry(1, 'far future', { timestamp: '9999-12-31T23:59:59Z' })).time, /^9999-12-31/);
  });

  it('shows control and bidi characters in labels instead of obeying them', () => {
    const v = view(entry(1, 'x', { type: 'ok\u202Egnp.exe\r\n# heading', error: 'err\u0000\u2066x', senderid: `\u202E${'a'.repeat(63)}` }));
    assert.doesNotMatch(v.type + v.error + v.senderLabel + v.senderId, /[\u0000-\u001f\u202a-\u202e\u2066-\u2069]/);
    assert.match(v.type, /\\u\{202E\}/);
    assert.equal(visibleControls('a\u200fb'), 'a\\u{200F}b');
  });

  it('bounds the stored fields idempotently, so an entry keeps its key across a reload', () => {
    const e = entry(1, 'x', { senderid: 's'.repeat(5000), timestamp: `2026-01-01T00:00:00Z${' '.repeat(5000)}`, type: 'T'.repeat(100_000), error: 'E'.repeat(100_000) });
    const b = boundEntry(e);
    assert.ok(b.senderid.length <= STORED_FIELD_LIMITS.senderid && b.timestamp.length <= STORED_FIELD_LIMITS.timestamp);
    assert.ok(b.type.length <= STORED_FIELD_LIMITS.type && b.error.length <= STORED_FIELD_LIMITS.error);
    assert.equal(boundEntry(b), b);
    assert.notEqual(rowKey(boundEntry({ ...e, senderid: `${'s'.repeat(4999)}t` })), rowKey(b), 'different long values stay apart');
    assert.equal(boundEntry(entry(1, 'plain')).type, 'data');
    const lone = boundEntry(entry(1, 'x', { type: 'a\uD800b' }));
    assert.equal(lone.type, 'a\uFFFDb', 'a lone surrogate becomes what the UTF-8 file would store');
    assert.ok(entryWeight(b) < 5000);
  });

  it('the webview cuts a row that is over the limits instead of dropping its batch', () => {
    const good = view(entry(1, 'fine'));
    const over = { ...good, key: 'k2', type: 'T'.repeat(20_000), sequence: 2 ** 60, body: { kind: 'text', text: 'y'.repeat(ROW_LIMITS.text * 3), truncated: false, size: 3 } };
    const m = parseHostMessage({ type: 'entries', mode: 'append', entries: [good, over, 42, null] });
    assert.ok(m && m.type === 'entries');
    assert.equal(m.entries.length, 4, 'every row of the batch is kept');
    assert.equal(m.entries[0], good);
    const [, cut, n42] = m.entries;
    assert.ok(cut.type.length <= ROW_LIMITS.type && cut.sequence === 0 && cut.sequenceText === '1152921504606846976' && cut.noReply);
    assert.ok(cut.body.kind === 'text' && cut.body.text.length <= ROW_LIMITS.text && cut.body.truncated);
    assert.ok(cut.notes?.some((n) => /cut down/.test(n)));
    assert.equal(n42.body.kind, 'empty');
    assert.notEqual(m.entries[2].key, m.entries[3].key);
    assert.equal(parseHostMessage({ type: 'dropped', count: 3, text: 'three dropped' })?.type, 'dropped');
    assert.equal(parseHostMessage({ type: 'nope' }), undefined);
  });

  it('accepts a reply to a negative sequence, and names the request of a malformed send', () => {
    assert.ok(parseWebviewMessage({ type: 'send', requestId: 'r', text: 'x', kind: 'data', inReplyTo: -5 }).ok);
    const bad = { type: 'send', requestId: 'r2', text: 'x', kind: 'data', inReplyTo: 2 ** 60 };
    assert.equal(parseWebviewMessage(bad).ok, false);
    assert.equal(sendRequestId(bad), 'r2');
    assert.equal(sendRequestId({ type: 'copyAll', requestId: 'r' }), undefined);
  });

  it('escapes everything an executor controls in a Markdown export', () => {
    const hostile = entry(3, 'line\r# not a heading\r\n````\nstill inside\n</pre><script>x</script>', {
      type: 'end\r\n# Injected heading\n- [link](javascript:alert(1)) <img src=x> **bold** `code`',
      error: 'oops\n## also not a heading',
      timestamp: '2026-01-02T10:00:01Z\n# time heading',
    });
    const md = transcriptToMarkdown([boundEntry(hostile)], { processId: 'p1', channel: 'chat\n# channel heading', funcname: 'f`n' }, { myId: ME }, new Date(0));
    const lines = md.split('\n');
    const open = lines.findIndex((l) => /^`{5}$/.test(l));
    assert.ok(open > 0, md);
    const headings = lines.slice(0, open).filter((l) => /^#{1,6} /.test(l));
    assert.equal(headings.length, 2, `only the title and the entry heading: ${JSON.stringify(headings)}`);
    assert.ok(
      headings[1].endsWith(String.raw`type: end\\u\{D\}\\u\{A\}# Injected heading\\u\{A\}- \[link\]\(javascript:alert\(1\)\) \<img src=x\> \*\*bold\*\* \`code\``),
      headings[1],
    );
    assert.doesNotMatch(md, /\r/, 'no carriage returns: a lone CR is a line break in Markdown');
    // The payload stays inside one fence longer than any backtick run in it.
    assert.equal(lines[open + 1], 'line');
    assert.equal(lines.slice(open + 1).findIndex((l) => /^`{5}$/.test(l)), 5, 'closed after the five payload lines');
    assert.equal(markdownInline('a|b'), 'a\\|b');
  });
});
