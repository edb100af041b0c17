// The composer says how to end a conversation: typing "end" only sends the word (the echo executor echoes it).
import * as assert from 'node:assert/strict';
import { ProcessState } from '../../../src/colonies/types';
import { composerView, END_HINT, type PanelState } from '../../../src/panels/statusView';
import { makeProcess } from '../views/fixtures';

const ME = 'm'.repeat(64);

function panel(over: Partial<PanelState> = {}): PanelState {
  return {
    gone: undefined,
    finished: false,
    process: makeProcess({ state: ProcessState.RUNNING, initiatorid: ME }),
    finalState: undefined,
    offlineReason: undefined,
    streamStatus: { kind: 'live' },
    myId: ME,
    ...over,
  };
}

describe('panels: the composer view', () => {
  it('names the End Conversation button in its hint while sending is possible', () => {
    assert.deepEqual(composerView(panel()), { enabled: true, hint: END_HINT });
    assert.match(END_HINT, /End Conversation sends an "end" message/);
    assert.match(END_HINT, /Typing "end" sends just the word/);
    const waiting = composerView(panel({ process: makeProcess({ state: ProcessState.WAITING, initiatorid: ME }) }));
    assert.ok(waiting.enabled && waiting.hint?.startsWith('Queued for the executor') && waiting.hint.endsWith(END_HINT));
  });

  it('has no hint, only the reason, once sending is not possible', () => {
    const done = composerView(panel({ finished: true }));
    assert.equal(done.enabled, false);
    assert.equal(done.hint, undefined);
    assert.match(done.reason ?? '', /has finished/);
  });
});
