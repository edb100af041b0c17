import * as assert from 'node:assert/strict';
import { ProcessState } from '../../../src/colonies/types';
import {
  STATE_ORDER,
  canUseChannels,
  isWorkflowMember,
  presentState,
  processContextValue,
  processDescription,
  relevantTime,
  stateFromKey,
} from '../../../src/views/stateMapping';
import { makeProcess } from './fixtures';

const ME = 'm'.repeat(64);

describe('state mapping', () => {
  it('orders and names the five groups', () => {
    assert.deepEqual(STATE_ORDER.map((s) => presentState(s).label), ['Waiting', 'Running', 'Successful', 'Failed', 'Cancelled']);
    assert.equal(presentState(ProcessState.RUNNING).icon, 'sync~spin');
    assert.equal(presentState(ProcessState.FAILED).color, 'testing.iconFailed');
    for (const s of STATE_ORDER) assert.equal(stateFromKey(presentState(s).key), s);
  });

  it('encodes state and ownership in contextValue, matching the package.json menus', () => {
    const p = makeProcess({ state: ProcessState.RUNNING, initiatorid: ME });
    assert.equal(processContextValue(p, ME), 'process;state=running;mine');
    assert.equal(processContextValue(p, 'other'), 'process;state=running');
    assert.equal(processContextValue(makeProcess({ state: ProcessState.SUCCESS }), undefined), 'process;state=success');
    const cancelMenu = /^process;state=(waiting|running)/;
    const removeMenu = /^process;state=(waiting|success|failed|cancelled)/;
    const values = STATE_ORDER.map((s) => processContextValue(makeProcess({ state: s }), ME));
    assert.deepEqual(values.map((v) => cancelMenu.test(v)), [true, true, false, false, false]);
    assert.deepEqual(values.map((v) => removeMenu.test(v)), [true, false, true, true, true]);
  });

  it('channel access: submitter or current assignee only', () => {
    assert.equal(canUseChannels(makeProcess({ initiatorid: ME }), ME), true);
    assert.equal(canUseChannels(makeProcess({ assignedexecutorid: ME }), ME), true);
    assert.equal(canUseChannels(makeProcess(), ME), false);
    assert.equal(canUseChannels(makeProcess({ initiatorid: ME }), undefined), false);
  });

  it('describes a row with short id, executor type and age', () => {
    const now = Date.parse('2026-01-01T09:05:00Z');
    const p = makeProcess({ id: '1a2b3c4d' + '0'.repeat(56) });
    assert.equal(processDescription(p, now), '1a2b3c4d · echo-executor · 5 min ago');
  });

  it('picks the time that matters for the state; zero times are unset', () => {
    const running = makeProcess({ state: ProcessState.RUNNING, starttime: '2026-01-01T10:00:05+01:00' });
    assert.equal(relevantTime(running)?.toISOString(), '2026-01-01T09:00:05.000Z');
    const failedNeverStarted = makeProcess({ state: ProcessState.FAILED, endtime: '2026-01-01T10:01:00+01:00' });
    assert.equal(relevantTime(failedNeverStarted)?.toISOString(), '2026-01-01T09:01:00.000Z');
    const cancelled = makeProcess({ state: ProcessState.CANCELLED });
    assert.equal(relevantTime(cancelled)?.toISOString(), '2026-01-01T09:00:00.000Z');
  });


  it('recognises workflow members', () => {
    assert.equal(isWorkflowMember(makeProcess()), false);
    assert.equal(isWorkflowMember(makeProcess({ processgraphid: 'g' })), true);
    assert.equal(isWorkflowMember(makeProcess({ parents: ['x'] })), true);
  });
});
