// What a follow terminal writes: executor text can never reach the terminal as a control sequence, lines are capped,
// prefixes keep their colour from run to run, and the closing lines say the state, output or errors and exit status.
import { strict as assert } from 'node:assert';
import { ProcessState, type Process } from '../../../src/colonies/types';
import {
  FollowExit, capLine, crlf, endLines, exitLine, labelColour, logTime, messageLines, prefix, searchItems, stripControl, valueLines,
} from '../../../src/views/followText';

const plain = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

describe('follow terminal text', () => {
  it('strips every C0, DEL and C1 control character but tab', () => {
    assert.equal(stripControl('\u001b[2J\u001b]0;title\u0007a\tb\u0000\u007f\u009b31m\u0085c'), '[2J]0;titlea\tb31mc');
    for (let code = 0; code < 0xa0; code++) {
      const ch = String.fromCharCode(code);
      const kept = code === 9 || (code >= 0x20 && code < 0x7f);
      assert.equal(stripControl(ch) === ch, kept, `U+${code.toString(16)}`);
    }
  });

  it('splits a message at line breaks, drops a trailing one, and caps line length and line count', () => {
    assert.deepEqual(messageLines('one\r\ntwo\rthree\n', 100), ['one', 'two', 'three']);
    assert.deepEqual(messageLines('abcdef', 3), ['abc … (3 more characters)']);
    assert.deepEqual(messageLines('a\nb\nc\nd', 100, 2), ['a', 'b', '… (2 more lines in this message)']);
    assert.equal(capLine('x'.repeat(2001), 2000).endsWith('(1 more characters)'), true);
  });

  it('gives a label the same colour every time and pads prefixes to the widest label', () => {
    assert.equal(labelColour('hello'), labelColour('hello'));
    assert.equal(plain(prefix('a', 5)), 'a     │ ');
    assert.equal(prefix('', 5), '');
    assert.equal(plain(prefix('\u001b[31mevil', 4)), '[31mevil │ ');
  });

  it('prints UTC times from nanosecond timestamps and writes CRLF lines', () => {
    assert.equal(logTime(1_700_000_000_123_456_789n), '22:13:20.123');
    assert.equal(logTime(0n), '--:--:--.---');
    assert.equal(crlf(['a', 'b']), 'a\r\nb\r\n');
  });

  it('ends with the state and the output, or the errors, of each process', () => {
    const p = { processid: 'ab'.repeat(32), state: ProcessState.SUCCESS, out: ['HELLO', { n: 1 }], errors: [] } as unknown as Process;
    assert.deepEqual(endLines(p, undefined, 100).map(plain), [`successful ${'ab'.repeat(6)}, output:`, '  HELLO', '  {"n":1}']);
    const failed = { ...p, state: ProcessState.FAILED, errors: ['boom\u001b[2J'] } as Process;
    assert.deepEqual(endLines(failed, undefined, 100).map(plain), [`failed ${'ab'.repeat(6)}, errors:`, '  boom[2J']);
    assert.deepEqual(endLines(undefined, 'Process not found', 100).map(plain), ['gone: Process not found']);
    assert.equal(valueLines(Array.from({ length: 25 }, (_, i) => i), 10).at(-1), '… (5 more)');
  });

  it('names each exit status', () => {
    assert.equal(plain(exitLine(FollowExit.Success)), '[exit 0: every process succeeded]');
    assert.equal(plain(exitLine(FollowExit.Failed)), '[exit 1: a process failed]');
    assert.equal(plain(exitLine(FollowExit.Cancelled)), '[exit 2: a process was cancelled or removed]');
    assert.equal(plain(exitLine(FollowExit.Unreachable, 'connect ECONNREFUSED')), '[exit 3: the server could not be reached: connect ECONNREFUSED]');
  });

  it('lists search results newest first, on one line each, as text', () => {
    const log = (message: string, ms: number, processid = 'cd'.repeat(32)) =>
      ({ processid, colonyname: 'dev', executorname: 'worker-1\u001b[31m', message, timestamp: BigInt(ms) * 1_000_000n });
    const items = searchItems([log('older', 1_700_000_000_000), log('newer\nline\u0007', 1_700_000_001_000, ''), log('   ', 1_700_000_000_500)]);
    assert.deepEqual(items.map((i) => i.label), ['newer line', '(empty line)', 'older']);
    assert.equal(items[0].description, 'worker-1[31m · executor log');
    assert.equal(items[2].description, 'worker-1[31m · cdcdcdcd');
    assert.equal(items[0].detail, '2023-11-14 22:13:21.000 UTC');
  });
});
