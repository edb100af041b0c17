// The chat panel's waiting status carries the "why is it waiting" sentence (statusView.ts, panelWaitReason.ts).
import * as assert from 'node:assert/strict';
import { ExecutorState, ProcessState } from '../../../src/colonies/types';
import type { Session } from '../../../src/connection/types';
import { ColonyCatalog } from '../../../src/store/colonyCatalog';
import { panelWaitReason } from '../../../src/panels/panelWaitReason';
import { statusView, type PanelState } from '../../../src/panels/statusView';
import { makeProcess } from '../views/fixtures';

const base: PanelState = {
  gone: undefined,
  finished: false,
  process: makeProcess(),
  finalState: undefined,
  offlineReason: undefined,
  streamStatus: { kind: 'live' },
  myId: 'u'.repeat(64),
};

describe('chat panel: why is it waiting', () => {
  it('puts the sentence in the waiting status, and leaves the status as before without one', () => {
    assert.deepEqual(statusView({ ...base, waitReason: 'No executor of type "x" is registered in the colony.' }), {
      kind: 'waiting',
      why: 'No executor of type "x" is registered in the colony.',
    });
    assert.deepEqual(statusView(base), { kind: 'waiting' });
    assert.deepEqual(statusView({ ...base, process: makeProcess({ state: ProcessState.RUNNING }), waitReason: 'x' }), { kind: 'live' });
  });

  it('reads the sentence from the catalog snapshot of the panel’s own connection, never fetching', () => {
    const catalog = new ColonyCatalog();
    const held = { key: 'k1' } as Session;
    assert.equal(panelWaitReason(catalog, held, makeProcess()), undefined, 'no snapshot yet');
    assert.equal(panelWaitReason(catalog, undefined, makeProcess()), undefined, 'not connected');
    const executor = { executorid: 'e'.repeat(64), executortype: 'other', executorname: 'a', colonyname: 'dev', state: ExecutorState.APPROVED };
    catalog.restore('k1', { executors: [executor], functions: [], fetchedAt: Date.now() });
    assert.match(panelWaitReason(catalog, held, makeProcess({ executortype: 'echo-executor' })) ?? '', /^No executor of type "echo-executor"/);
    catalog.dispose();
  });
});
