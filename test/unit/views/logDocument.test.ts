// The log document's caps: a process can log without end, and every line is the executor's text.
import { strict as assert } from 'node:assert';
import { LOG_DOC_LIMITS, capLogLines, droppedLinesNote, type LogBuffer } from '../../../src/views/logLines';

describe('log documents: caps', () => {
  const limits = { maxLines: 100, maxChars: 10_000, maxLineChars: 50 };
  const buffer = (): LogBuffer => ({ lines: [], chars: 0, dropped: 0, checked: 0 });

  it('keeps the newest lines within the line cap, counting the dropped ones', () => {
    const b = buffer();
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 60; i++) b.lines.push(`line ${round * 60 + i}`);
      capLogLines(b, limits);
    }
    assert.equal(b.lines.length, 100);
    assert.equal(b.lines[0], 'line 200');
    assert.equal(b.lines.at(-1), 'line 299');
    assert.equal(b.dropped, 200);
    assert.equal(b.chars, b.lines.reduce((n, l) => n + l.length + 1, 0));
  });

  it('cuts long lines and keeps the text within the character cap', () => {
    const b = buffer();
    b.lines.push('x'.repeat(1_000_000), ...Array.from({ length: 50 }, () => 'y'.repeat(49)));
    capLogLines(b, limits);
    assert.equal(b.lines[0].startsWith(`${'x'.repeat(50)} … (999,950 more characters)`), true);
    for (let i = 0; i < 500; i++) b.lines.push('z'.repeat(49));
    capLogLines(b, limits);
    assert.ok(b.chars <= limits.maxChars, `${b.chars} characters kept`);
    assert.ok(b.lines.every((l) => l.length <= 100));
  });

  it('says at the top how many lines were dropped', () => {
    assert.equal(droppedLinesNote(1234), `--- 1,234 older lines were dropped: a log document keeps the newest ${LOG_DOC_LIMITS.maxLines.toLocaleString('en-US')} lines within 8 MiB ---\n`);
    assert.match(droppedLinesNote(1), /^--- 1 older line was dropped/);
  });
});
