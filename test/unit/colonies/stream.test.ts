import { strict as assert } from 'node:assert';
import type { WebSocket } from 'ws';
import { ColoniesClient } from '../../../src/colonies/client';
import { ChannelStream, type StreamStatus } from '../../../src/colonies/stream';
import { ChannelSession } from '../../../src/colonies/session';
import { crypto } from '../../../src/colonies/crypto';
import { ColoniesError } from '../../../src/colonies/rpc';
import { MAX_CHANNEL_PAYLOAD_BYTES, toChannelEntries } from '../../../src/colonies/entries';
import type { ChannelEntry } from '../../../src/colonies/types';
import { errorEnvelope, frame, WireServer, wireEntry, type WireRequest } from './wire-server';
import { until } from '../../support/poll';

const KEY = crypto.generatePrivateKey();
const ME = crypto.id(KEY);
const OTHER = 'e'.repeat(64);

const text = (e: ChannelEntry) => Buffer.from(e.payload).toString();

/** A scripted channel log on the wire server: index-based reads, per-append pushes, optional rate limiting. */
class ScriptedChannel {
  log: Array<ReturnType<typeof wireEntry> & { inreplyto?: number }> = [];
  state = 1;
  subscribers = new Set<WebSocket>();
  rejectAppends = 0;
  appendAttempts = 0;
  /** `clock` continues a previous server's timestamps, as a restarted server's clock does. */
  constructor(
    server: WireServer,
    private clock = 0,
  ) {
    server.api = (r) => this.api(r);
    server.socket = (r, ws) => this.subscribe(r, ws);
  }

  stamp(): string {
    this.clock++;
    return `2026-11-26T19:05:09.${String(this.clock).padStart(9, '0')}+01:00`;
  }

  add(sender: string, sequence: number, payload: string, extra: Record<string, unknown> = {}) {
    const e = wireEntry(sender, sequence, payload, { timestamp: this.stamp(), ...extra });
    this.log.push(e);
    for (const ws of this.subscribers) ws.send(frame('subscribechannelmsg', [e]));
    return e;
  }

  api(r: WireRequest) {
    if (r.payloadtype === 'getprocessmsg') return { value: { processid: r.msg.processid, state: this.state, prioritytime: 0 } };
    if (r.payloadtype === 'channelreadmsg') {
      const from = Math.max(0, Number(r.msg.afterseq));
      const limit = Number(r.msg.limit);
      return { value: limit > 0 ? this.log.slice(from, from + limit) : this.log.slice(from) };
    }
    if (r.payloadtype === 'channelappendmsg') {
      this.appendAttempts++;
      if (this.rejectAppends > 0) {
        this.rejectAppends--;
        return { error: { status: 500, message: 'rate limit exceeded' } };
      }
      const extra: Record<string, unknown> = { type: (r.msg.payloadtype) || 'data' };
      if (r.msg.inreplyto) extra.inreplyto = r.msg.inreplyto;
      this.add(r.signer, Number(r.msg.sequence), Buffer.from(String(r.msg.payload), 'base64').toString(), extra);
      return { value: {} };
    }
    return { error: { status: 500, message: `unexpected ${r.payloadtype}` } };
  }

  subscribe(r: WireRequest, ws: WebSocket) {
    const history = this.log.slice(Math.max(0, Number(r.msg.afterseq)));
    if (history.length) ws.send(frame('subscribechannelmsg', history));
    this.subscribers.add(ws);
    ws.on('close', () => this.subscribers.delete(ws));
  }
}

describe('colonies/stream and session (purpose-built wire server)', function () {
  this.timeout(20000);
  let server: WireServer;
  let port: number;
  let client: ColoniesClient;
  const disposables: Array<{ dispose(): void }> = [];

  beforeEach(async () => {
    server = new WireServer();
    port = await server.listen();
    client = new ColoniesClient({ host: '127.0.0.1', port, timeoutMs: 3000 });
  });
  afterEach(async () => {
    for (const d of disposables.splice(0)) d.dispose();
    client.dispose();
    await server.close();
  });

  function stream(opts: Partial<ConstructorParameters<typeof ChannelStream>[1]> = {}) {
    const s = new ChannelStream(client, { processId: 'p', channel: 'chat', prvkey: KEY, pollStateMs: 50, backoff: { initialMs: 20, maxMs: 100 }, endGraceMs: 20, ...opts });
    disposables.push(s);
    const got: ChannelEntry[] = [];
    const statuses: StreamStatus[] = [];
    s.onEntries((b) => got.push(...b));
    s.onStatus((st) => statuses.push(st));
    return { s, got, statuses };
  }

  describe('ChannelStream', () => {
    it('with a processState feed (the process store), ends when the feed says so and never polls getprocessmsg', async () => {
      const channel = new ScriptedChannel(server);
      channel.add(OTHER, 1, 'hello');
      let state: number | undefined = 1;
      const listeners = new Set<(s: number) => void>();
      const { s, got } = stream({
        pollStateMs: 10,
        processState: {
          current: () => state,
          read: async () => state,
          onChange: (l) => (listeners.add(l), { dispose: () => listeners.delete(l) }),
        },
      });
      s.start();
      await until(() => got.length === 1 && s.status.kind === 'live', 'live with the history');
      state = 2;
      for (const l of [...listeners]) l(2);
      await until(() => s.status.kind === 'ended', 'ended');
      assert.deepEqual(s.status, { kind: 'ended', processState: 2 });
      assert.equal(server.requests.filter((r) => r.payloadtype === 'getprocessmsg').length, 0, 'no getprocessmsg');
      assert.equal(listeners.size, 0, 'the feed was let go');
    });

    it('resumes after a dropped socket by index, never losing or repeating an entry, and ends with the process', async () => {
      const e = [wireEntry('a', 1, 'one'), wireEntry('b', 1, 'two', { timestamp: '2026-11-26T19:05:09.5+01:00' }), wireEntry('a', 2, 'three'), wireEntry('b', 2, 'four')];
      let state = 1;
      server.api = (r) => {
        if (r.payloadtype !== 'channelreadmsg') return { value: { processid: 'p', state, prioritytime: 0 } };
        const from = Number(r.msg.afterseq);
        return { value: e.slice(from, from + Number(r.msg.limit)) };
      };
      server.socket = (r, ws) => {
        const n = server.subscriptions.length;
        if (n === 1) {
          ws.send(frame('subscribechannelmsg', [e[0], e[1]]));
          ws.send(frame('subscribechannelmsg', [e[2]]));
          ws.send(frame('subscribechannelmsg', [e[1]])); // overlap between history and pushes
          setTimeout(() => ws.terminate(), 30);
        } else if (n === 2) {
          ws.send(frame('subscribechannelmsg', [e[3]]));
          ws.send(frame('subscribechannelmsg', [e[2]])); // re-delivered push
          ws.send(frame('subscribechannelmsg', [])); // subscription timeout: socket stays open
        } else {
          state = 2; // process closes: the server ends the subscription silently
        }
      };
      const { s, got, statuses } = stream();
      s.start();
      await until(() => s.status.kind === 'ended', 'ended');
      assert.deepEqual(got.map(text), ['one', 'two', 'three', 'four']);
      assert.deepEqual(server.subscriptions.map((r) => r.msg.afterseq), [0, 3, 4]);
      // The cursor is confirmed after the drop by reading only the entry before it; no check after the timeout.
      const reads = server.requests.filter((r) => r.payloadtype === 'channelreadmsg').map((r) => [r.msg.afterseq, r.msg.limit]);
      assert.deepEqual(reads, [[2, 1]]);
      const reconnect = statuses.find((st) => st.kind === 'reconnecting');
      assert.ok(reconnect && reconnect.kind === 'reconnecting' && reconnect.attempt === 1 && /1006/.test(reconnect.reason), JSON.stringify(reconnect));
      assert.deepEqual(s.status, { kind: 'ended', processState: 2 });
      assert.equal(s.receivedCount, 4);
    });

    it('starts after the entries it is given and drops re-deliveries of them', async () => {
      const log = [wireEntry('a', 1, 'old1'), wireEntry('a', 2, 'old2')];
      const known = toChannelEntries(log);
      server.api = (r) => {
        if (r.payloadtype !== 'channelreadmsg') return { value: { processid: 'p', state: 1, prioritytime: 0 } };
        const from = Number(r.msg.afterseq);
        return { value: log.slice(from, from + Number(r.msg.limit)) };
      };
      server.socket = (_r, ws) => {
        ws.send(frame('subscribechannelmsg', [wireEntry('a', 2, 'old2'), wireEntry('a', 3, 'new')]));
      };
      const { s, got } = stream({ knownEntries: known });
      s.start();
      await until(() => got.length === 1, 'new entry');
      assert.equal(text(got[0]), 'new');
      assert.equal(server.subscriptions[0].msg.afterseq, 2);
      // Resuming from held entries, the cursor is first checked against the server's log (one entry read).
      const reads = server.requests.filter((r) => r.payloadtype === 'channelreadmsg').map((r) => [r.msg.afterseq, r.msg.limit]);
      assert.deepEqual(reads, [[1, 1]]);
    });

    it('after a drop onto a replaced log (server restart), re-reads it, delivers only unseen entries, resumes at its length', async () => {
      const ch = new ScriptedChannel(server);
      ch.add('a', 1, 'one');
      const two = ch.add('b', 1, 'two');
      const { s, got, statuses } = stream();
      s.start();
      await until(() => got.length === 2 && s.status.kind === 'live', 'the first two entries, live');
      // The restarted server lost 'one' but holds 'two' and a new 'three': same length, so a length check would pass.
      await server.close();
      await until(() => s.status.kind === 'reconnecting', 'reconnecting');
      server = new WireServer();
      const restarted = new ScriptedChannel(server, 10);
      restarted.log.push(two);
      restarted.add('a', 5, 'three');
      await server.listen(port);
      await until(() => got.length === 3 && s.status.kind === 'live', 'the entry appended while reconnecting, live');
      restarted.add('b', 2, 'four');
      await until(() => got.length === 4, 'a live push after the restart');
      assert.deepEqual(got.map(text), ['one', 'two', 'three', 'four']);
      assert.deepEqual(server.subscriptions.map((r) => r.msg.afterseq), [2]);
      const reads = server.requests.filter((r) => r.payloadtype === 'channelreadmsg').map((r) => Number(r.msg.afterseq));
      assert.deepEqual(reads.slice(0, 2), [1, 0], 'the cursor check, then the whole log from the start');
      assert.equal(s.receivedCount, 3, 'the cursor is the server log length');
      assert.ok(statuses.some((st) => st.kind === 'reconnecting'));
    });

    it('a history frame over the reply cap is read in pages instead, then the stream goes live', async () => {
      const small = new ColoniesClient({ host: '127.0.0.1', port, timeoutMs: 3000, maxReplyBytes: 256 * 1024 });
      disposables.push(small);
      const ch = new ScriptedChannel(server);
      const big = 'x'.repeat(40 * 1024);
      for (let i = 1; i <= 12; i++) ch.add('a', i, `${i}:${big}`);
      const s = new ChannelStream(small, { processId: 'p', channel: 'chat', prvkey: KEY, pollStateMs: 50, backoff: { initialMs: 20, maxMs: 100 } });
      disposables.push(s);
      const got: ChannelEntry[] = [];
      const statuses: StreamStatus[] = [];
      s.onEntries((b) => got.push(...b));
      s.onStatus((st) => statuses.push(st));
      s.start();
      // 'live' means the subscription was sent; wait for the server to have it too before checking what it received.
      await until(() => got.length === 12 && s.status.kind === 'live' && server.subscriptions.length === 2, 'all twelve entries, live, resubscribed');
      assert.deepEqual(got.map((e) => text(e).split(':')[0]), ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
      assert.deepEqual(server.subscriptions.map((r) => r.msg.afterseq), [0, 12]);
      const reason = statuses.find((st) => st.kind === 'reconnecting');
      assert.ok(reason?.kind === 'reconnecting' && /^Server reply is larger than 256 KiB/.test(reason.reason), JSON.stringify(reason));
      ch.add('b', 1, 'live');
      await until(() => got.length === 13, 'a live push');
    });

    it('a 403 error frame is fatal and not retried', async () => {
      server.socket = (_r, ws) => ws.send(errorEnvelope(403, 'Not authorized to subscribe to channel'));
      const { s } = stream();
      s.start();
      await until(() => s.status.kind === 'error', 'error');
      assert.deepEqual(s.status, { kind: 'error', message: 'Not authorized to subscribe to channel', fatal: true });
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(server.subscriptions.length, 1);
    });

    it('404 Channel not found on a finished process reports the end, not an error', async () => {
      server.api = () => ({ value: { processid: 'p', state: 3, prioritytime: 0 } });
      server.socket = (_r, ws) => ws.send(errorEnvelope(404, 'Channel not found'));
      const { s } = stream();
      s.start();
      await until(() => s.status.kind === 'ended', 'ended');
      assert.deepEqual(s.status, { kind: 'ended', processState: 3 });
    });

    it('resubscribes after the slow-consumer marker without counting it', async () => {
      server.api = () => ({ value: { processid: 'p', state: 1, prioritytime: 0 } });
      server.socket = (_r, ws) => {
        if (server.subscriptions.length === 1) {
          ws.send(frame('subscribechannelmsg', [wireEntry('a', 1, 'x')]));
          ws.send(frame('subscribechannelmsg', [{ sequence: 0, timestamp: '0001-01-01T00:00:00Z', senderid: '', payload: null, error: 'subscriber disconnected: buffer full' }]));
        } else {
          ws.send(frame('subscribechannelmsg', [wireEntry('a', 2, 'y')]));
        }
      };
      const { s, got } = stream();
      s.start();
      await until(() => got.length === 2, 'two entries');
      assert.deepEqual(got.map(text), ['x', 'y']);
      assert.deepEqual(server.subscriptions.map((r) => r.msg.afterseq), [0, 1]);
    });

    it('reconnects with increasing attempts while the server is down, then goes live', async () => {
      await server.close();
      const { s, statuses } = stream();
      s.start();
      await until(() => statuses.filter((st) => st.kind === 'reconnecting').length >= 3, 'three attempts');
      const attempts = statuses.flatMap((st) => (st.kind === 'reconnecting' ? [st.attempt] : []));
      assert.deepEqual(attempts.slice(0, 3), [1, 2, 3]);
      assert.match((statuses.find((st) => st.kind === 'reconnecting') as { reason: string }).reason, /ECONNREFUSED/);
      server = new WireServer();
      new ScriptedChannel(server).add('a', 1, 'after restart');
      await server.listen(port);
      await until(() => s.status.kind === 'live', 'live');
    });

    it('waits longer and longer before resubscribing when the server ends every subscription at once', async () => {
      let live = false;
      const at: number[] = [];
      server.api = () => ({ value: { processid: 'p', state: 1, prioritytime: 0 } });
      server.socket = (_r, ws) => {
        at.push(Date.now());
        if (live) ws.send(frame('subscribechannelmsg', [wireEntry('a', 1, 'at last')]));
        else ws.send(frame('subscribechannelmsg', [])); // "timed out" the moment it began
      };
      const { s, got } = stream({ backoff: { initialMs: 200, maxMs: 800 } });
      s.start();
      await until(() => at.length >= 6, 'six subscriptions');
      // Only lower bounds (a loaded machine makes every gap longer): the first end is retried at once, then each
      // wait is the backoff of the ends so far, ±20 %: 200, 400, 800, 800 ms.
      const gaps = at.slice(1, 6).map((t, i) => t - at[i]);
      [0, 160, 320, 640, 640].forEach((min, i) => assert.ok(gaps[i] >= min, `gap ${i + 1} was ${gaps[i]} ms, at least ${min} expected: ${gaps.join(', ')}`));
      live = true;
      await until(() => got.length === 1, 'the entry once the server behaves');
      assert.equal(text(got[0]), 'at last');
      assert.equal(s.status.kind, 'live');
    });
  });

  describe('ChannelSession', () => {
    it('continues its own sequence after a restart, replies with inreplyto and keeps a merged transcript', async () => {
      const ch = new ScriptedChannel(server);
      for (let i = 1; i <= 5; i++) ch.add(ME, i, `mine ${i}`);
      ch.add(OTHER, 1, 'theirs');
      const session = new ChannelSession(client, { processId: 'p', channel: 'chat', prvkey: KEY, pollStateMs: 50 });
      disposables.push(session);
      const seq = await session.send('hello again', { inReplyTo: 1 });
      assert.equal(seq, 6);
      assert.equal(await session.send('bye', { type: 'end' }), 7);
      const last = ch.log[ch.log.length - 1];
      assert.equal(last.type, 'end');
      assert.equal(ch.log[ch.log.length - 2].inreplyto, 1);
      session.start();
      await until(() => session.entries.length === 8, 'transcript');
      assert.deepEqual(session.entries.map(text), ['mine 1', 'mine 2', 'mine 3', 'mine 4', 'mine 5', 'theirs', 'hello again', 'bye']);
      assert.equal(session.endEntry && text(session.endEntry), 'bye');
      assert.equal(session.myId, ME);
    });

    it('after a server restart empties the log, keeps its transcript, receives what arrived meanwhile, and never reuses a sequence', async () => {
      const ch = new ScriptedChannel(server);
      ch.add(ME, 1, 'mine 1');
      ch.add(OTHER, 1, 'theirs 1');
      ch.add(ME, 2, 'mine 2');
      const session = new ChannelSession(client, { processId: 'p', channel: 'chat', prvkey: KEY, pollStateMs: 50 });
      disposables.push(session);
      session.start();
      await until(() => session.entries.length === 3 && session.status.kind === 'live', 'the transcript, live');
      await server.close();
      server = new WireServer();
      const restarted = new ScriptedChannel(server, 10);
      restarted.add(OTHER, 2, 'theirs 2');
      await server.listen(port);
      await until(() => session.entries.length === 4, 'the entry sent while the server was restarting');
      assert.equal(await session.send('mine 3'), 3, 'continues after the highest own sequence it holds');
      await until(() => session.entries.length === 5, 'its own new entry');
      assert.deepEqual(session.entries.map(text), ['mine 1', 'theirs 1', 'mine 2', 'theirs 2', 'mine 3']);
      assert.deepEqual(restarted.log.map((e) => [e.senderid === ME ? 'me' : 'other', e.sequence]), [['other', 2], ['me', 3]]);
    });

    it('retries rate-limited sends with backoff without reordering them', async () => {
      const ch = new ScriptedChannel(server);
      ch.rejectAppends = 4;
      const session = new ChannelSession(client, { processId: 'p', channel: 'chat', prvkey: KEY, retryBackoff: { initialMs: 10, maxMs: 40 } });
      disposables.push(session);
      const seqs = await Promise.all(['a', 'b', 'c', 'd'].map((t) => session.send(t)));
      assert.deepEqual(seqs, [1, 2, 3, 4]);
      assert.deepEqual(ch.log.map((e) => [Buffer.from(e.payload, 'base64').toString(), e.sequence]), [['a', 1], ['b', 2], ['c', 3], ['d', 4]]);
      assert.equal(ch.appendAttempts, 8);
    });

    it('gives up on a rate limit after maxSendAttempts with the server error, and later sends still work', async () => {
      const ch = new ScriptedChannel(server);
      ch.rejectAppends = 2;
      const session = new ChannelSession(client, { processId: 'p', channel: 'chat', prvkey: KEY, maxSendAttempts: 2, retryBackoff: { initialMs: 5, maxMs: 5 } });
      disposables.push(session);
      await assert.rejects(session.send('lost'), (e: unknown) => e instanceof ColoniesError && e.status === 500 && e.message === 'rate limit exceeded');
      assert.equal(await session.send('next'), 2, 'the number of a failed send is never reused');
      assert.deepEqual(ch.log.map((e) => e.sequence), [2]);
    });

    it('refuses payloads over 10 MiB before sending, without using a sequence number', async () => {
      const ch = new ScriptedChannel(server);
      const session = new ChannelSession(client, { processId: 'p', channel: 'chat', prvkey: KEY });
      disposables.push(session);
      await assert.rejects(session.send(new Uint8Array(MAX_CHANNEL_PAYLOAD_BYTES + 1)), /too large: 10485761 bytes/);
      assert.equal(ch.appendAttempts, 0);
      assert.equal(await session.send('small'), 1);
    });

    it('orders pushes that arrive out of timestamp order by the server rule', async () => {
      const ch = new ScriptedChannel(server);
      const session = new ChannelSession(client, { processId: 'p', channel: 'chat', prvkey: KEY, pollStateMs: 50 });
      disposables.push(session);
      const changes: string[][] = [];
      session.onDidChange((ev) => changes.push(ev.added.map(text)));
      session.start();
      // Both entries must come as pushes, one frame each: wait until the server holds the subscription.
      await until(() => session.status.kind === 'live' && ch.subscribers.size === 1, 'live, subscribed at the server');
      const later = ch.stamp();
      const earlier = '2026-11-26T19:05:09.000000000+01:00';
      ch.add(OTHER, 1, 'second', { timestamp: later });
      ch.add('f'.repeat(64), 1, 'first', { timestamp: earlier });
      await until(() => session.entries.length === 2, 'two entries');
      assert.deepEqual(session.entries.map(text), ['first', 'second']);
      assert.deepEqual(changes, [['second'], ['first']]);
    });

    it('rejects sends after dispose', async () => {
      new ScriptedChannel(server);
      const session = new ChannelSession(client, { processId: 'p', channel: 'chat', prvkey: KEY });
      session.dispose();
      await assert.rejects(session.send('x'), /closed/);
    });
  });
});
