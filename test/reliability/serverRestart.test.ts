// The server restarts mid-conversation. Like a real ColonyOS server, the local colony keeps processes across a
// restart but loses every channel (they are re-created empty on first use). The panel (its host-side controller,
// exactly what the webview is told) must say it is reconnecting, recover when the server is back, and keep every
// message it had already received; the conversation then continues.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChannelSession, crypto } from '../../src/colonies/index';
import type { ChannelController } from '../../src/panels/channelController';
import { applyToRows, type EntryView, type HostMessage, type StatusView } from '../../src/panels/protocol';
import { failOnUnhandledRejections, panelController, startChat, texts, until, type ChatSetup } from './helpers';

describe('reliability: server restart mid-conversation', function () {
  this.timeout(120_000);
  failOnUnhandledRejections();
  let chat: ChatSetup;
  let dir: string;
  let controller: ChannelController;
  let executor: ChannelSession;
  const posted: HostMessage[] = [];
  const logs: string[] = [];

  /** What the webview shows: the latest status, and the rows after applying init and the entries messages in order. */
  const statusKinds = () => posted.flatMap((m) => (m.type === 'status' || m.type === 'init' ? [m.status.kind] : []));
  const lastStatus = (): StatusView['kind'] | undefined => statusKinds().at(-1);
  const shownRows = () => posted.reduce<EntryView[]>(applyToRows, []).map((r) => (r.body.kind === 'text' ? r.body.text : r.body.kind));

  before(async () => {
    chat = await startChat();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-reliability-'));
    controller = panelController(chat, dir, posted, logs, 300);
    await controller.load();
    await controller.handleMessage({ type: 'ready' });
    await controller.connect({ client: chat.client(), prvkey: chat.userKey, myId: crypto.id(chat.userKey) });
    executor = new ChannelSession(chat.client(), { processId: chat.processId, channel: chat.channel, prvkey: chat.executorKey });
  });
  after(async () => {
    controller?.dispose();
    executor?.dispose();
    await chat.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says it is reconnecting, recovers, keeps what it had, and the conversation continues', async () => {
    await until(() => lastStatus() === 'live', `the panel to go live (statuses: ${statusKinds().join(' ')})`);
    await controller.send('one', 'data');
    await executor.send('reply to one', { inReplyTo: 1 });
    await controller.send('two', 'data');
    await executor.send('reply to two', { inReplyTo: 2 });
    const before = ['one', 'reply to one', 'two', 'reply to two'];
    await until(() => controller.transcript.length === 4, 'the first four messages');
    assert.deepEqual(texts(controller.transcript), before);

    const port = chat.colony.port;
    const statusesBefore = statusKinds().length;
    await chat.colony.server.close();
    await until(() => lastStatus() === 'reconnecting', `the panel to say it is reconnecting (statuses: ${statusKinds().join(' ')})`);
    const down = posted.filter((m) => m.type === 'status').at(-1);
    assert.ok(down?.type === 'status' && down.status.kind === 'reconnecting' && down.status.reason.length > 0, 'a reason is given');
    // Down for a while: several reconnect attempts fail, and nothing already received disappears.
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(texts(controller.transcript), before);
    assert.deepEqual(shownRows(), before);

    await chat.colony.server.listen(port, '127.0.0.1');
    await until(() => lastStatus() === 'live', `the panel to recover (statuses: ${statusKinds().slice(statusesBefore).join(' ')})`, 30_000);
    assert.deepEqual(texts(controller.transcript), before, 'nothing received before the restart was lost');
    assert.deepEqual(shownRows(), before, 'the webview was not told to drop rows');

    // The channel came back empty on the server; both parties keep their own sequence counters going.
    const seq = await controller.send('three', 'data');
    assert.equal(seq, 3, 'the panel continues its own sequence');
    const replySeq = await executor.send('reply to three', { inReplyTo: 3 });
    assert.equal(replySeq, 3);
    await until(() => controller.transcript.length === 6, `the messages after the restart (have ${controller.transcript.length})`);
    assert.deepEqual(texts(controller.transcript), [...before, 'three', 'reply to three']);
    // The controller coalesces appends for the webview in the next macrotask.
    await until(() => shownRows().length === 6, 'the webview rows after the restart');
    assert.deepEqual(shownRows(), [...before, 'three', 'reply to three']);
    const serverLog = await chat.client().channelRead(chat.processId, chat.channel, 0, 0, chat.userKey);
    assert.deepEqual(texts(serverLog), ['three', 'reply to three'], 'the server lost its pre-restart log, as a real one does');
    await controller.flush();
  });

  it('after the restart, a message sent while the stream is reconnecting still arrives', async () => {
    // The server's log is now shorter than the transcript (it lost the pre-restart entries), so a resume cursor
    // counted from the transcript would point past the end of the server's log.
    await until(() => lastStatus() === 'live', 'live');
    const have = controller.transcript.length;
    chat.colony.server.dropAllSockets();
    await executor.send('sent while reconnecting');
    await until(() => controller.transcript.length === have + 1, `the message sent while reconnecting (have ${controller.transcript.length - have} of 1)`, 20_000);
    assert.equal(texts(controller.transcript).at(-1), 'sent while reconnecting');
  });

  it('a second restart: a message sent before the panel is back arrives, and both sequences continue', async () => {
    await until(() => lastStatus() === 'live', 'live');
    const have = texts(controller.transcript);
    const port = chat.colony.port;
    await chat.colony.server.close();
    await until(() => lastStatus() === 'reconnecting', 'the panel to say it is reconnecting');
    await chat.colony.server.listen(port, '127.0.0.1');
    // Likely before the panel's next attempt: the entry is then in the server's new log, not a live push.
    const theirSeq = await executor.send('sent right after the restart');
    assert.equal(theirSeq, 5, 'the executor continues after its 4 earlier messages');
    await until(() => controller.transcript.length === have.length + 1, 'the message sent right after the restart', 30_000);
    await until(() => lastStatus() === 'live', 'live again', 30_000);
    const seq = await controller.send('four', 'data');
    assert.equal(seq, 4, 'the panel continues after its 3 earlier messages, none of them on the server any more');
    await until(() => controller.transcript.length === have.length + 2, 'the panel\'s own message');
    assert.deepEqual(texts(controller.transcript), [...have, 'sent right after the restart', 'four']);
    const serverLog = await chat.client().channelRead(chat.processId, chat.channel, 0, 0, chat.userKey);
    assert.deepEqual(texts(serverLog), ['sent right after the restart', 'four']);
    assert.deepEqual(serverLog.map((e) => e.sequence), [5, 4]);
    await controller.flush();
  });
});
