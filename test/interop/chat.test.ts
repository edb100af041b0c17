// The channels tutorial's (docs/protocol.md §12) chat, across SDKs: a pycolonies client with our demo echo executor, and our client with an
// echo executor written with pycolonies. Same assertions on the local colony and on a real server.

import { strict as assert } from 'node:assert';
import { ChannelSession, crypto, entryText, funcSpec, ProcessState, type ColoniesClient } from '../../src/colonies/index';
import { startEchoExecutor, type ExecutorHandle } from '../../src/localcolony/executors/index';
import { needKey, unique, type Target } from '../integration/target';
import { until } from '../support/poll';
import { useInterop } from './interop';
import type { PeerEvent } from './peer';
import { PYCOLONIES_VERSION } from './pyenv';

interface PyEntry {
  sequence: number;
  inreplyto: number;
  senderid: string;
  type: string;
  text: string | null;
}

interface PySpec {
  funcname: string;
  args: unknown;
  kwargs: unknown;
  channels: string[];
  executortype: string;
}

const MESSAGES = ['Hello!', 'How are you?', 'Grüße från Göteborg 👋'];
const entryOf = (e: PeerEvent) => e.entry as PyEntry;

describe(`interop with pycolonies ${PYCOLONIES_VERSION}: chat`, function () {
  this.timeout(240_000);
  const io = useInterop();
  let t: Target;
  let c: ColoniesClient;

  before(() => {
    t = io.target();
    c = t.client();
  });

  describe('a pycolonies client and our demo echo executor', () => {
    let echo: ExecutorHandle | undefined;
    let echoType = '';

    before(async function () {
      const colonyKey = needKey(this, t, 'colonyPrvKey', 'the demo echo executor registers itself with the colony owner key');
      echoType = unique('interop-echo');
      echo = await startEchoExecutor({ host: t.host, port: t.port, tls: t.tls, colonyName: t.colonyName, colonyPrvKey: colonyKey, executorType: echoType, assignTimeoutSec: 2 });
    });
    after(async function () {
      this.timeout(60_000);
      await echo?.stop();
    });

    it('submits a spec with a chat channel, gets every message answered "You said: …" as a reply, ends, and sees the output', async function () {
      const userKey = needKey(this, t, 'userPrvKey', 'the Python client submits as a colony member');
      const myId = crypto.id(userKey);
      const py = io.peer({
        script: 'chat_client.py',
        args: ['--executor-type', echoType, '--messages', JSON.stringify(MESSAGES), '--reply-timeout', '60', '--finish-timeout', '60'],
        keys: { userPrvKey: userKey },
        limitMs: 200_000,
      });
      const submitted = await py.waitFor('the submitted process', (e) => e.event === 'submitted', 60_000);
      const pid = submitted.processid as string;
      io.cancelAfter(c, pid, userKey);
      await py.finished(180_000);

      assert.equal(submitted.myid, myId, 'pycolonies derives the same id from the key as we do');
      assert.equal(submitted.initiatorid, myId);
      assert.equal(submitted.state, ProcessState.WAITING);

      const replies = py.all('reply').map(entryOf);
      assert.deepEqual(replies.map((r) => r.text), MESSAGES.map((m) => `You said: ${m}`));
      assert.deepEqual(replies.map((r) => r.inreplyto), [1, 2, 3], 'each reply threads to the message it answers');
      assert.deepEqual(replies.map((r) => r.sequence), [1, 2, 3], 'the executor keeps its own counter');
      assert.deepEqual(replies.map((r) => r.type), ['data', 'data', 'data']);
      for (const r of replies) assert.equal(r.senderid, echo!.executorId);

      const transcript = (py.one('transcript').entries as PyEntry[]).map((e) => [e.senderid === myId ? 'me' : e.senderid === echo!.executorId ? 'echo' : e.senderid, e.sequence, e.inreplyto, e.text]);
      assert.deepEqual(transcript, [
        ['me', 1, 0, MESSAGES[0]],
        ['echo', 1, 1, `You said: ${MESSAGES[0]}`],
        ['me', 2, 0, MESSAGES[1]],
        ['echo', 2, 2, `You said: ${MESSAGES[1]}`],
        ['me', 3, 0, MESSAGES[2]],
        ['echo', 3, 3, `You said: ${MESSAGES[2]}`],
      ]);

      const finished = py.one('finished');
      assert.equal(finished.state, ProcessState.SUCCESS);
      assert.deepEqual(finished.output, ['Chat ended after 3 messages']);
      assert.deepEqual(finished.errors, []);

      // Our client sees the same process the Python client submitted.
      const p = await c.getProcess(pid, userKey);
      assert.equal(p.state, ProcessState.SUCCESS);
      assert.equal(p.initiatorid, myId);
      assert.equal(p.assignedexecutorid, echo!.executorId);
      assert.deepEqual(p.out, ['Chat ended after 3 messages']);
      assert.deepEqual(p.spec.channels, ['chat']);
      // pycolonies' func_spec() sends `kwargs: null`; a real server answers with {} (docs/protocol.md P24).
      assert.deepEqual(submitted.spec, { funcname: 'chat', args: [], kwargs: {}, channels: ['chat'], executortype: echoType } satisfies PySpec);
    });
  });

  describe('our client and an echo executor written with pycolonies', () => {
    it('assigns, reads the channel, replies to each message, and closes on `end`', async function () {
      const colonyKey = needKey(this, t, 'colonyPrvKey', 'the Python executor registers itself with the colony owner key');
      const userKey = needKey(this, t, 'userPrvKey', 'submitting the chat process');
      const type = unique('interop-pyecho');
      const py = io.peer({
        script: 'echo_executor.py',
        args: ['--executor-type', type, '--executor-name', unique('interop-pyecho'), '--assign-timeout', '90', '--chat-timeout', '120'],
        keys: { colonyPrvKey: colonyKey },
        limitMs: 220_000,
      });
      const registered = await py.waitFor('executor registration', (e) => e.event === 'registered', 60_000);
      const executorId = registered.executorid as string;

      const p = await c.submitFuncSpec(
        funcSpec({ funcname: 'chat', colonyname: t.colonyName, executortype: type, channels: ['chat'], args: ['hello', 42], kwargs: { mode: 'chat', tags: ['a', 'b'] } }),
        userKey,
      );
      io.cancelAfter(c, p.processid, userKey);
      const assigned = await py.waitFor('the assignment', (e) => e.event === 'assigned', 90_000);
      assert.equal(assigned.processid, p.processid);
      assert.deepEqual(assigned.spec, { funcname: 'chat', args: ['hello', 42], kwargs: { mode: 'chat', tags: ['a', 'b'] }, channels: ['chat'], executortype: type } satisfies PySpec);

      const s = new ChannelSession(c, { processId: p.processid, channel: 'chat', prvkey: userKey, pollStateMs: 250 });
      io.cleanup(() => s.dispose());
      s.start();
      const sent: number[] = [];
      for (const m of MESSAGES) sent.push(await s.send(m));
      const replies = () => s.entries.filter((e) => e.senderid !== s.myId);
      await until(() => replies().length >= MESSAGES.length, `${MESSAGES.length} replies from the Python executor`, 90_000, 25);
      assert.deepEqual(replies().map(entryText), MESSAGES.map((m) => `You said: ${m}`));
      assert.deepEqual(replies().map((e) => e.inreplyto), sent, 'each reply threads to the message it answers');
      assert.deepEqual(replies().map((e) => e.sequence), [1, 2, 3], 'the Python executor keeps its own counter');
      for (const e of replies()) assert.equal(e.senderid, executorId);

      await s.send('', { type: 'end' });
      await c.subscribeProcess(p.processid, ProcessState.SUCCESS, 90, userKey);
      // A SUCCESS frame may carry the process as it was before the close (docs/protocol.md P23): read it again.
      const done = await c.getProcess(p.processid, userKey);
      assert.equal(done.state, ProcessState.SUCCESS);
      assert.equal(done.assignedexecutorid, executorId);
      assert.deepEqual(done.out, ['Chat ended after 3 messages']);
      await until(() => s.status.kind === 'ended', 'the chat stream to end', 60_000, 25);
      assert.deepEqual(s.status, { kind: 'ended', processState: ProcessState.SUCCESS });

      await py.finished(60_000);
      const received = py.all('received').map(entryOf);
      assert.deepEqual(received.map((e) => [e.sequence, e.type, e.text]), [...MESSAGES.map((m, i) => [sent[i], 'data', m]), [sent.length + 1, 'end', '']]);
      for (const e of received) assert.equal(e.senderid, s.myId);
      assert.deepEqual(py.one('closed').output, ['Chat ended after 3 messages']);
    });
  });
});
