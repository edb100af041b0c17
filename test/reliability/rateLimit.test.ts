// Both parties burst sends into one process while the server refuses some with 500 `rate limit exceeded` (the
// per-process bucket is shared by both parties). Everything must be delivered, each party's messages in the order
// they were sent, none twice, and both transcripts must agree with the server's log. The bucket is made smaller
// than the real one (burst 20, 50/s) so the limit is hit often within a few seconds.
import { strict as assert } from 'node:assert';
import { ChannelSession, type ColoniesLogger } from '../../src/colonies/index';
import { failOnUnhandledRejections, firstDifference, startChat, texts, until, type ChatSetup } from './helpers';

describe('reliability: rate limiting during a burst', function () {
  this.timeout(120_000);
  failOnUnhandledRejections();
  let chat: ChatSetup;
  const sessions: ChannelSession[] = [];

  before(async () => {
    chat = await startChat({ channelLimits: { rateLimitBurst: 20, rateLimitPerSecond: 50 } });
  });
  after(async () => {
    for (const s of sessions.splice(0)) s.dispose();
    await chat.stop();
  });

  it('delivers every message of two bursting parties, in order, after `rate limit exceeded` retries', async () => {
    const PER_PARTY = 150;
    let limited = 0;
    const logger: ColoniesLogger = { debug: (m) => /^channelappendmsg failed.*rate limit exceeded$/.test(m) && limited++, warn: () => undefined };
    const open = (prvkey: string) => {
      const s = new ChannelSession(chat.client({ logger }), { processId: chat.processId, channel: chat.channel, prvkey, maxSendAttempts: 1000, pollStateMs: 500 });
      sessions.push(s);
      s.start();
      return s;
    };
    const user = open(chat.userKey);
    const executor = open(chat.executorKey);
    await until(() => user.status.kind === 'live' && executor.status.kind === 'live', 'both parties live');

    const userTexts = Array.from({ length: PER_PARTY }, (_, i) => `user ${i + 1}`);
    const executorTexts = Array.from({ length: PER_PARTY }, (_, i) => `executor ${i + 1}`);
    const [userSeqs, executorSeqs] = await Promise.all([
      Promise.all(userTexts.map((t) => user.send(t))),
      Promise.all(executorTexts.map((t) => executor.send(t))),
    ]);
    assert.deepEqual(userSeqs, userTexts.map((_, i) => i + 1));
    assert.deepEqual(executorSeqs, executorTexts.map((_, i) => i + 1));
    assert.ok(limited > 0, 'the server refused some appends with `rate limit exceeded`');

    await until(() => user.entries.length === 2 * PER_PARTY && executor.entries.length === 2 * PER_PARTY, 'both transcripts complete');
    const log = texts(await chat.client().channelRead(chat.processId, chat.channel, 0, 0, chat.userKey));
    assert.equal(log.length, 2 * PER_PARTY, 'nothing stored twice or lost');
    for (const session of [user, executor]) {
      const got = texts(session.entries);
      assert.deepEqual(got, log, firstDifference(got, log));
      assert.deepEqual(got.filter((t) => t.startsWith('user ')), userTexts, 'the user\'s messages in send order');
      assert.deepEqual(got.filter((t) => t.startsWith('executor ')), executorTexts, 'the executor\'s messages in send order');
    }
    console.log(`      ${limited} appends refused with "rate limit exceeded" and retried`);
  });
});
