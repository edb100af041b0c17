// Which finished processes get a notification, once, and what it says.
import { strict as assert } from 'node:assert';
import { ProcessState, type Process } from '../../../src/colonies/types';
import { MAX_FOLLOWED, noticeFor, noticeSetting, ProcessNotices } from '../../../src/views/processNotices';

function proc(id: string, state: ProcessState, extra: Partial<Process> = {}): Process {
  return {
    processid: id.padEnd(64, '0'),
    state,
    spec: { funcname: 'train', channels: ['chat'] },
    out: null,
    errors: null,
    ...extra,
  } as unknown as Process;
}

describe('process notices', () => {
  it('tells the end of a followed process once, and nothing for processes first seen finished or not interesting', () => {
    const n = new ProcessNotices();
    assert.equal(n.observe('k', proc('a', ProcessState.RUNNING), true, 'all'), undefined);
    const done = n.observe('k', proc('a', ProcessState.SUCCESS, { out: ['x', 'y'] }), false, 'all');
    assert.deepEqual(done, { severity: 'info', message: 'train (a0000000) finished successfully with 2 output values.', processId: 'a'.padEnd(64, '0'), channel: 'chat' });
    assert.equal(n.observe('k', proc('a', ProcessState.SUCCESS), true, 'all'), undefined, 'told once');
    assert.equal(n.observe('k', proc('b', ProcessState.FAILED), true, 'all'), undefined, 'never seen unfinished');
    assert.equal(n.observe('k', proc('c', ProcessState.WAITING), false, 'all'), undefined);
    assert.equal(n.observe('k', proc('c', ProcessState.FAILED), false, 'all'), undefined, 'not followed: not mine, not watched');
    n.observe('k', proc('d', ProcessState.WAITING), true, 'all');
    assert.equal(n.observe('other', proc('d', ProcessState.SUCCESS), true, 'all'), undefined, 'another connection is another process');
  });

  it('words a failure with its first error, bounded, and honours the setting', () => {
    const failed = proc('f', ProcessState.FAILED, { errors: ['  boom:\n  disk   full ' + 'x'.repeat(500), 'second', ''] });
    const notice = noticeFor(failed, 'failures')!;
    assert.equal(notice.severity, 'warning');
    assert.match(notice.message, /^train \(f0000000\) failed: boom: disk full x+… \(316 more characters\) \(and 1 more error\)$/, 'blank errors do not count');
    assert.ok(notice.message.length < 320);
    assert.equal(noticeFor(proc('s', ProcessState.SUCCESS), 'failures'), undefined);
    assert.equal(noticeFor(failed, 'off'), undefined);
    assert.equal(noticeFor(proc('c', ProcessState.CANCELLED), 'all')?.message, 'train (c0000000) was cancelled.');
    assert.equal(noticeSetting('nonsense'), 'all');
    assert.equal(noticeSetting('off'), 'off');
  });

  it('forgets removed processes and keeps at most MAX_FOLLOWED per connection', () => {
    const n = new ProcessNotices();
    n.observe('k', proc('a', ProcessState.RUNNING), true, 'all');
    n.forget('k', 'a'.padEnd(64, '0'));
    assert.equal(n.observe('k', proc('a', ProcessState.FAILED), true, 'all'), undefined);
    for (let i = 0; i <= MAX_FOLLOWED; i++) n.observe('k', proc(`p${i}-`, ProcessState.WAITING), true, 'all');
    assert.equal(n.isFollowing('k', 'p0-'.padEnd(64, '0')), false, 'the oldest went first');
    assert.equal(n.isFollowing('k', `p${MAX_FOLLOWED}-`.padEnd(64, '0')), true);
  });
});
