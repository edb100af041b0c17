// The channels tutorial's (docs/protocol.md §12) progress streaming, across SDKs: an executor written with pycolonies streams to our client,
// and our demo progress executor streams to a pycolonies client. Same assertions on both targets.

import { strict as assert } from 'node:assert';
import { crypto, entryKey, entryText, funcSpec, ProcessState, type ChannelEntry, type ColoniesClient } from '../../src/colonies/index';
import { startProgressExecutor, type ExecutorHandle } from '../../src/localcolony/executors/index';
import { needKey, unique, type Target } from '../integration/target';
import { progressLines, useInterop } from './interop';
import { PYCOLONIES_VERSION } from './pyenv';

interface PyEntry {
  sequence: number;
  inreplyto: number;
  senderid: string;
  type: string;
  text: string | null;
}

describe(`interop with pycolonies ${PYCOLONIES_VERSION}: progress streaming`, function () {
  this.timeout(240_000);
  const io = useInterop();
  let t: Target;
  let c: ColoniesClient;

  before(() => {
    t = io.target();
    c = t.client();
  });

  it('an executor written with pycolonies streams "Progress: N%" and a typed `end` that our client reads', async function () {
    const colonyKey = needKey(this, t, 'colonyPrvKey', 'the Python executor registers itself with the colony owner key');
    const userKey = needKey(this, t, 'userPrvKey', 'submitting the process');
    const type = unique('interop-pyprogress');
    const py = io.peer({
      script: 'progress_executor.py',
      args: ['--executor-type', type, '--executor-name', unique('interop-pyprogress'), '--assign-timeout', '90', '--step-ms', '20'],
      keys: { colonyPrvKey: colonyKey },
      limitMs: 200_000,
    });
    const registered = await py.waitFor('executor registration', (e) => e.event === 'registered', 60_000);

    const p = await c.submitFuncSpec(funcSpec({ funcname: 'long', colonyname: t.colonyName, executortype: type, channels: ['progress'] }), userKey);
    io.cancelAfter(c, p.processid, userKey);
    const seen: ChannelEntry[] = [];
    const keys = new Set<string>();
    await c.subscribeChannel(p.processid, 'progress', userKey, {
      timeout: 120,
      callback: (batch) => {
        for (const e of batch) {
          if (keys.has(entryKey(e))) continue; // a subscription may repeat an entry at its start (docs/protocol.md §5.3)
          keys.add(entryKey(e));
          seen.push(e);
        }
        return !batch.some((e) => e.type === 'end');
      },
    });
    assert.deepEqual(seen.map(entryText), [...progressLines(), 'Complete!']);
    assert.deepEqual(seen.map((e) => e.type), [...progressLines().map(() => 'data'), 'end']);
    assert.deepEqual(seen.map((e) => e.sequence), Array.from({ length: 12 }, (_, i) => i + 1));
    for (const e of seen) assert.equal(e.senderid, registered.executorid);

    await c.subscribeProcess(p.processid, ProcessState.SUCCESS, 90, userKey);
    const done = await c.getProcess(p.processid, userKey); // a SUCCESS frame may be stale (docs/protocol.md P23)
    assert.equal(done.state, ProcessState.SUCCESS);
    assert.deepEqual(done.out, ['Complete!']);
    const logs = await c.getLogs(t.colonyName, p.processid, 100, userKey);
    assert.deepEqual(logs.map((l) => l.message), progressLines());

    await py.finished(60_000);
    assert.deepEqual(py.all('progress').map((e) => e.text), progressLines());
    assert.deepEqual(py.one('closed').output, ['Complete!']);
  });

  describe('our demo progress executor and a pycolonies client', () => {
    let progress: ExecutorHandle | undefined;
    let progressType = '';

    before(async function () {
      const colonyKey = needKey(this, t, 'colonyPrvKey', 'the demo progress executor registers itself with the colony owner key');
      progressType = unique('interop-progress');
      progress = await startProgressExecutor({
        host: t.host,
        port: t.port,
        tls: t.tls,
        colonyName: t.colonyName,
        colonyPrvKey: colonyKey,
        executorType: progressType,
        assignTimeoutSec: 2,
        stepMs: 20,
      });
    });
    after(async function () {
      this.timeout(60_000);
      await progress?.stop();
    });

    it('the Python client follows the stream to the `end` entry, then sees the process succeed with its output and log', async function () {
      const userKey = needKey(this, t, 'userPrvKey', 'the Python client submits as a colony member');
      const py = io.peer({
        script: 'progress_watcher.py',
        args: ['--executor-type', progressType, '--stream-timeout', '90', '--finish-timeout', '60'],
        keys: { userPrvKey: userKey },
        limitMs: 200_000,
      });
      const submitted = await py.waitFor('the submitted process', (e) => e.event === 'submitted', 60_000);
      const pid = submitted.processid as string;
      io.cancelAfter(c, pid, userKey);
      await py.finished(180_000);

      const entries = py.all('entry').map((e) => e.entry as PyEntry);
      assert.deepEqual(entries.map((e) => e.text), [...progressLines(), 'Complete!']);
      assert.deepEqual(entries.map((e) => e.type), [...progressLines().map(() => 'data'), 'end']);
      for (const e of entries) assert.equal(e.senderid, progress!.executorId);

      const finished = py.one('finished');
      assert.equal(finished.state, ProcessState.SUCCESS);
      assert.deepEqual(finished.output, ['Complete!']);
      assert.deepEqual(py.one('logs').messages, progressLines());

      const p = await c.getProcess(pid, userKey);
      assert.equal(p.initiatorid, crypto.id(userKey));
      assert.equal(p.state, ProcessState.SUCCESS);
      assert.deepEqual(p.out, ['Complete!']);
    });
  });
});
