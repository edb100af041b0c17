// A 2,000-message stream while the server drops every WebSocket every 200 ms: the receiving party's transcript
// must end with exactly the 2,000 messages, in order, none repeated. The sender (another process, like a real
// executor) works within the server's real rate limit (burst 500, 100/s per process), so the stream takes 15 s or
// more and is cut about every 200 ms throughout.
import { strict as assert } from 'node:assert';
import { ChannelSession, type StreamStatus } from '../../src/colonies/index';
import { failOnUnhandledRejections, firstDifference, sendFromChildProcess, startChat, texts, until, type ChatSetup } from './helpers';

describe('reliability: WebSocket drops during a long stream', function () {
  this.timeout(180_000);
  failOnUnhandledRejections();
  let chat: ChatSetup;
  const disposables: { dispose(): void }[] = [];

  before(async () => {
    chat = await startChat();
  });
  after(async () => {
    for (const d of disposables.splice(0)) d.dispose();
    await chat.stop();
  });

  it('2,000 messages with the socket dropped every 200 ms arrive exactly once, in order', async () => {
    const TOTAL = 2000;
    const receiver = new ChannelSession(chat.client(), {
      processId: chat.processId,
      channel: chat.channel,
      prvkey: chat.userKey,
      pollStateMs: 500,
    });
    disposables.push(receiver);
    const statuses: StreamStatus['kind'][] = [];
    receiver.onStatus((s) => statuses.push(s.kind));
    let callbacks = 0;
    receiver.onDidChange(() => callbacks++);
    receiver.start();
    await until(() => receiver.status.kind === 'live', 'the receiver to go live');

    let drops = 0;
    const dropper = setInterval(() => {
      chat.colony.server.dropAllSockets();
      drops++;
    }, 200);
    try {
      const sent = await sendFromChildProcess({
        port: chat.colony.port,
        processId: chat.processId,
        channel: chat.channel,
        prvkey: chat.executorKey,
        count: TOTAL,
        prefix: 'm',
      });
      assert.deepEqual(sent, { sent: TOTAL, firstSequence: 1, lastSequence: TOTAL });
      await until(() => receiver.entries.length >= TOTAL, `all ${TOTAL} messages (have ${receiver.entries.length})`, 60_000);
    } finally {
      clearInterval(dropper);
    }
    // Let any late duplicate arrive before judging.
    await new Promise((r) => setTimeout(r, 1000));

    const got = texts(receiver.entries);
    const want = Array.from({ length: TOTAL }, (_, i) => `m${i + 1}`);
    assert.equal(got.length, TOTAL, firstDifference(got, want));
    assert.deepEqual(got, want, firstDifference(got, want));
    assert.equal(new Set(receiver.entries.map((e) => e.sequence)).size, TOTAL, 'no sequence repeated');
    // The server's own log agrees, so nothing was appended twice either.
    const log = await chat.client().channelRead(chat.processId, chat.channel, 0, 0, chat.userKey);
    assert.deepEqual(texts(log), want);
    assert.ok(drops >= 20, `sockets were dropped ${drops} times`);
    assert.ok(statuses.filter((k) => k === 'reconnecting').length >= 5, `the stream reconnected (${statuses.join(' ')})`);
    assert.ok(callbacks > 0);
    console.log(`      ${drops} drops, ${statuses.filter((k) => k === 'reconnecting').length} reconnects, ${callbacks} batches`);
  });
});
