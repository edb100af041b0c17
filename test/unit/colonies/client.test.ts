import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import * as net from 'node:net';
import { getEventListeners } from 'node:events';
import { ColoniesClient } from '../../../src/colonies/client';
import { ColoniesError, ColoniesTransportError } from '../../../src/colonies/rpc';
import { ReplyTooLargeError } from '../../../src/colonies/transport';
import { crypto } from '../../../src/colonies/crypto';
import { funcSpec } from '../../../src/colonies/funcspec';
import { MAX_CHANNEL_PAYLOAD_BYTES } from '../../../src/colonies/entries';
import { ProcessState } from '../../../src/colonies/types';
import { errorEnvelope, frame, WireServer, wireEntry } from './wire-server';
import { until } from '../../support/poll';

const KEY = crypto.generatePrivateKey();
const ME = crypto.id(KEY);

function isTransport(code: string, re?: RegExp) {
  return (e: unknown) => e instanceof ColoniesTransportError && e.code === code && (!re || re.test(e.message));
}

describe('colonies/client over real sockets (purpose-built wire server)', function () {
  this.timeout(20000);
  let server: WireServer;
  let port: number;
  const clients: ColoniesClient[] = [];
  const make = (extra: Partial<ConstructorParameters<typeof ColoniesClient>[0]> = {}) => {
    const c = new ColoniesClient({ host: '127.0.0.1', port, ...extra });
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    server = new WireServer();
    port = await server.listen();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.dispose();
    await server.close();
  });

  describe('requests', () => {
    it('signs every request with the given key and sends the documented fields', async () => {
      server.api = (r) => ({ value: r.payloadtype === 'getlogsmsg' ? [{ message: 'm', timestamp: 1795716309916579663n }] : {} });
      const c = make();
      await c.channelAppend('p1', 'chat', 7, 'hi', KEY, { inReplyTo: 3, payloadType: 'end' });
      const logs0 = await c.getLogs('dev', 'p1', 10, KEY, { since: 1795716309916579663n });
      assert.equal(logs0[0].timestamp, 1795716309916579663n);
      const [append, logs] = server.requests;
      assert.equal(append.payloadtype, 'channelappendmsg');
      assert.equal(append.signer, ME);
      assert.deepEqual(append.msg, { processid: 'p1', name: 'chat', sequence: 7, payload: 'aGk=', inreplyto: 3, payloadtype: 'end', msgtype: 'channelappendmsg' });
      assert.match(Buffer.from(JSON.parse(logs.raw).payload, 'base64').toString(), /"since":1795716309916579663,/);
    });

    it('version and serverInfo are unsigned', async () => {
      server.api = (r) => ({ value: r.payloadtype === 'versionmsg' ? { buildversion: '1', buildtime: '' } : { buildversion: '', buildtime: '', backends: null } });
      const c = make();
      assert.equal((await c.version()).buildversion, '1');
      assert.equal((await c.serverInfo()).backends, null);
      assert.equal(server.requests[0].signer, '');
      assert.equal(JSON.parse(server.requests[0].raw).signature, '');
    });

    it('turns null lists into [] and bigint prioritytime in process lists', async () => {
      server.api = (r) =>
        r.payloadtype === 'getprocessesmsg'
          ? { body: frame('getprocessesmsg', null) }
          : r.payloadtype === 'getexecutorsmsg'
            ? { body: frame('getexecutorsmsg', null) }
            : { body: frame(r.payloadtype, [{ processgraphid: 'g' }]) };
      const c = make();
      assert.deepEqual(await c.getProcesses('dev', 10, ProcessState.WAITING, KEY), []);
      assert.deepEqual(await c.getExecutors('dev', KEY), []);
      const graphs = await c.getProcessGraphs('dev', 5, KEY);
      assert.equal(graphs.length, 1);
      assert.ok(!('state' in server.requests[2].msg), 'state omitted when not given');
    });

    it('getProcesses sends filters and normalizes prioritytime', async () => {
      server.api = () => ({ body: frame('getprocessesmsg', [{ processid: 'a', state: 0, prioritytime: 1795716309916579663n }]) });
      const c = make();
      const [p] = await c.getProcesses('dev', 20, ProcessState.WAITING, KEY, { label: 'L' });
      assert.equal(p.prioritytime, 1795716309916579663n);
      assert.deepEqual(server.requests[0].msg, { colonyname: 'dev', count: 20, state: 0, executortype: '', label: 'L', initiator: '', msgtype: 'getprocessesmsg' });
    });

    it('maps server errors to ColoniesError with status and verbatim text', async () => {
      server.api = () => ({ error: { status: 404, message: 'Failed to get process, process not found' } });
      const c = make();
      await assert.rejects(c.getProcess('nope', KEY), (e: unknown) => e instanceof ColoniesError && e.status === 404 && e.message === 'Failed to get process, process not found');
    });

    it('getColonyStatistics: an empty 200 body becomes a clear 403', async () => {
      server.api = () => ({ body: '' });
      const c = make();
      await assert.rejects(c.getColonyStatistics('dev', KEY), (e: unknown) => e instanceof ColoniesError && e.status === 403 && /not an approved member/.test(e.message));
      await assert.rejects(c.getProcess('x', KEY), isTransport('protocol', /empty reply to getprocessmsg/));
    });

    it('submitFuncSpec sends a fully filled spec with -1 time limits', async () => {
      server.api = (r) => ({ value: { processid: 'p', state: 0, prioritytime: 1, spec: r.msg.spec } });
      const c = make();
      const spec = funcSpec({ funcname: 'echo', colonyname: 'dev', executortype: 'echo', channels: ['chat'] });
      const p = await c.submitFuncSpec(spec, KEY);
      const sent = server.requests[0].msg.spec as Record<string, any>;
      assert.equal(sent.maxexectime, -1);
      assert.equal(sent.maxwaittime, -1);
      assert.deepEqual(sent.channels, ['chat']);
      for (const k of ['nodename', 'funcname', 'args', 'kwargs', 'priority', 'maxretries', 'conditions', 'label', 'fs', 'env']) assert.ok(k in sent, k);
      for (const k of ['colonyname', 'executornames', 'executortype', 'dependencies', 'nodes', 'cpu', 'processes', 'processespernode', 'mem', 'storage', 'gpu', 'walltime']) assert.ok(k in sent.conditions, k);
      assert.equal(p.prioritytime, 1n);
    });

    it('refuses channel payloads over 10 MiB before sending anything', async () => {
      server.api = () => ({ value: {} });
      const c = make();
      await assert.rejects(c.channelAppend('p', 'chat', 1, new Uint8Array(MAX_CHANNEL_PAYLOAD_BYTES + 1), KEY), (e: unknown) => e instanceof ColoniesError && /10485760 bytes \(10 MiB\)/.test(e.message));
      assert.equal(server.requests.length, 0);
      await c.channelAppend('p', 'chat', 1, new Uint8Array(MAX_CHANNEL_PAYLOAD_BYTES), KEY);
      assert.equal(server.requests.length, 1);
    });
  });

  describe('in-flight cap, timeouts, cancellation, disposal', () => {
    it('never has more than 16 requests in flight per server, shared by all clients of that origin', async () => {
      server.api = () => ({ value: {}, delayMs: 5 });
      const a = make();
      const b = make({ maxInFlight: 64 });
      const calls = [];
      for (let i = 0; i < 300; i++) calls.push((i % 2 ? a : b).addLog('p', `line ${i}`, KEY));
      await Promise.all(calls);
      assert.equal(server.requests.length, 300);
      assert.ok(server.maxInFlight <= 16, `server saw ${server.maxInFlight} in flight`);
      assert.ok(a.inFlightStats.highWaterMark <= 16);
      assert.equal(a.inFlightStats.limit, 16);
    });

    it('a client can hold itself to a lower cap', async () => {
      // A fresh origin (localhost vs 127.0.0.1 share nothing) keeps this independent of other tests.
      server.api = () => ({ value: {}, delayMs: 5 });
      const c = make({ host: 'localhost', maxInFlight: 3 });
      await Promise.all(Array.from({ length: 40 }, () => c.addLog('p', 'x', KEY)));
      assert.ok(server.maxInFlight <= 3, `server saw ${server.maxInFlight}`);
    });

    it('times out a call with a clear error', async () => {
      server.api = () => ({ value: {}, delayMs: 1500 });
      const c = make({ timeoutMs: 200 });
      await assert.rejects(c.getProcess('p', KEY), isTransport('timeout', /getprocessmsg .* timed out after 0\.2 s/));
    });

    it('long-poll assign gets the requested seconds plus a margin, not the default timeout', async () => {
      server.api = (r) => ({ value: { processid: 'a', state: 1, prioritytime: 0 }, delayMs: r.payloadtype === 'assignprocessmsg' ? 600 : 0 });
      const c = make({ timeoutMs: 100, assignMarginMs: 1000 });
      const p = await c.assign('dev', 1, KEY);
      assert.equal(p.processid, 'a');
      assert.deepEqual(server.requests[0].msg, { colonyname: 'dev', timeout: 1, availablecpu: '', availablemem: '', msgtype: 'assignprocessmsg' });
    });

    it('cancels in-flight and queued calls through an AbortSignal', async () => {
      server.api = () => ({ value: {}, delayMs: 1000 });
      const c = make({ host: 'localhost', maxInFlight: 1 });
      const ctrl = new AbortController();
      const first = c.getProcess('a', KEY, { signal: ctrl.signal });
      const queued = c.getProcess('b', KEY, { signal: ctrl.signal });
      setTimeout(() => ctrl.abort(), 50);
      await assert.rejects(first, isTransport('cancelled'));
      await assert.rejects(queued, isTransport('cancelled'));
      assert.equal(c.inFlightStats.queued, 0);
    });

    it('dispose rejects queued calls, aborts in-flight ones, closes sockets and refuses new calls', async () => {
      server.api = () => ({ value: {}, delayMs: 2000 });
      server.socket = () => undefined; // keep subscriptions open
      const c = make({ host: 'localhost', maxInFlight: 1 });
      const inflight = c.getProcess('a', KEY);
      const queued = c.getProcess('b', KEY);
      const sub = c.subscribeChannel('p', 'chat', KEY, { timeout: 30 });
      await until(() => server.sockets.size === 1 && server.requests.length === 1, 'the subscription socket and the first call');
      c.dispose();
      await assert.rejects(inflight, isTransport('disposed'));
      await assert.rejects(queued, isTransport('disposed'));
      await assert.rejects(sub, isTransport('disposed'));
      await assert.rejects(c.getProcess('c', KEY), isTransport('disposed'));
      assert.ok(c.disposed);
      await until(() => server.sockets.size === 0, 'the server to see the WebSocket close');
    });

    it('dispose stops thousands of queued calls without one dispose listener per call', async () => {
      server.api = () => ({ value: {}, delayMs: 2000 });
      const c = make({ host: 'localhost', maxInFlight: 1 });
      const calls = Array.from({ length: 1000 }, (_, i) => c.getProcess(`p${i}`, KEY));
      await until(() => c.inFlightStats.queued === 999, '999 calls queued behind the one in flight');
      const disposeSignal = (c as unknown as { transport: { disposeSignal: AbortSignal } }).transport.disposeSignal;
      assert.equal(getEventListeners(disposeSignal, 'abort').length, 0);
      c.dispose();
      const results = await Promise.allSettled(calls);
      assert.ok(results.every((r) => r.status === 'rejected' && isTransport('disposed', /getprocessmsg .*was stopped because the ColonyOS client was disposed/)(r.reason)));
      assert.equal(c.inFlightStats.queued, 0);
    });

    it('reports an unreachable server as a network error naming the address', async () => {
      const free = await new Promise<number>((resolve) => {
        const s = net.createServer().listen(0, '127.0.0.1', () => {
          const p = (s.address() as net.AddressInfo).port;
          s.close(() => resolve(p));
        });
      });
      const c = new ColoniesClient({ host: '127.0.0.1', port: free });
      clients.push(c);
      await assert.rejects(c.version(), isTransport('network', new RegExp(`127\\.0\\.0\\.1:${free}.*ECONNREFUSED`)));
      await assert.rejects(c.subscribeChannel('p', 'c', KEY), isTransport('network', /ECONNREFUSED/));
    });

    it('retries on a fresh socket when pooled keep-alive sockets went stale (server restart)', async () => {
      server.api = () => ({ value: { processid: 'p', state: 0, prioritytime: 0 } });
      const c = make();
      await Promise.all([c.getProcess('a', KEY), c.getProcess('b', KEY), c.getProcess('c', KEY)]);
      await server.close();
      server = new WireServer();
      server.api = () => ({ value: { processid: 'p2', state: 0, prioritytime: 0 } });
      await server.listen(port);
      assert.equal((await c.getProcess('d', KEY)).processid, 'p2');
    });

    it('validates the port', () => {
      assert.throws(() => new ColoniesClient({ host: 'h', port: 0 }), /port between 1 and 65535/);
    });
  });

  describe('reply size cap', () => {
    const tooLarge = (limit: RegExp) => (e: unknown) =>
      e instanceof ReplyTooLargeError && e.code === 'protocol' && limit.test(e.message) && /getprocessmsg to http:\/\/127\.0\.0\.1:\d+/.test(e.message);

    it('refuses a streamed reply over maxReplyBytes with a clear error and keeps working', async () => {
      let huge = true;
      server.api = () => (huge ? { body: 'x'.repeat(3 * 1024 * 1024) } : { value: { processid: 'p', state: 1, prioritytime: 0 } });
      const c = make({ maxReplyBytes: 1024 * 1024 });
      await assert.rejects(c.getProcess('p', KEY), tooLarge(/^Server reply is larger than 1 MiB; /));
      huge = false;
      assert.equal((await c.getProcess('p', KEY)).processid, 'p');
    });

    it('refuses a reply whose Content-Length is over the cap before reading it', async () => {
      const raw = http.createServer((req, res) => {
        req.resume();
        res.writeHead(200, { 'Content-Length': String(600 * 1024 * 1024) });
        res.write('{"payloadtype":');
      });
      await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
      try {
        const c = new ColoniesClient({ host: '127.0.0.1', port: (raw.address() as net.AddressInfo).port });
        clients.push(c);
        await assert.rejects(c.getProcess('p', KEY), tooLarge(/^Server reply is larger than 256 MiB; /));
      } finally {
        raw.closeAllConnections();
        await new Promise<void>((r) => raw.close(() => r()));
      }
    });

    it('refuses a WebSocket frame over the cap', async () => {
      server.socket = (_req, ws) => ws.send(frame('subscribechannelmsg', [wireEntry('a', 1, 'y'.repeat(2 * 1024 * 1024))]));
      const c = make({ maxReplyBytes: 1024 * 1024 });
      await assert.rejects(c.subscribeChannel('p', 'chat', KEY), (e: unknown) => e instanceof ReplyTooLargeError && /^Server reply is larger than 1 MiB; .*Channel subscription chat/.test(e.message));
    });

    it('channelReadAll reads the log in pages, halving a page that is over the cap', async () => {
      const log = Array.from({ length: 30 }, (_, i) => wireEntry('a', i + 1, `${i + 1}:${'z'.repeat(40 * 1024)}`));
      server.api = (r) => {
        const from = Number(r.msg.afterseq);
        return { value: log.slice(from, from + Number(r.msg.limit)) };
      };
      const c = make({ maxReplyBytes: 256 * 1024 });
      const all = await c.channelReadAll('p', 'chat', KEY);
      assert.deepEqual(all.map((e) => e.sequence), log.map((e) => e.sequence));
      const limits = server.requests.map((r) => r.msg.limit);
      assert.deepEqual(limits.slice(0, 8), [200, 100, 50, 25, 13, 7, 4, 2]);
      assert.ok(limits.slice(7).every((l) => l === 2));
      assert.deepEqual(await c.channelReadAll('p', 'chat', KEY, { from: 28, pageSize: 2 }).then((es) => es.map((e) => e.sequence)), [29, 30]);
    });
  });

  describe('subscribeChannel', () => {
    it('resolves with every entry when the server sends the empty timeout frame', async () => {
      server.socket = (req, ws) => {
        assert.deepEqual(req.msg, { processid: 'p', name: 'chat', afterseq: 2, timeout: 5, msgtype: 'subscribechannelmsg' });
        ws.send(frame('subscribechannelmsg', [wireEntry('a', 1, 'one'), wireEntry('b', 1, 'two')]));
        ws.send(frame('subscribechannelmsg', [wireEntry('a', 2, 'three')]));
        ws.send(frame('subscribechannelmsg', []));
      };
      const c = make();
      const got = await c.subscribeChannel('p', 'chat', KEY, { afterSeq: 2, timeout: 5 });
      assert.deepEqual(got.map((e) => Buffer.from(e.payload).toString()), ['one', 'two', 'three']);
      assert.equal(server.subscriptions[0].signer, ME);
    });

    it('calls the callback per batch and stops when it returns false', async () => {
      server.socket = (_req, ws) => {
        ws.send(frame('subscribechannelmsg', [wireEntry('a', 1, 'x')]));
        ws.send(frame('subscribechannelmsg', [wireEntry('a', 2, 'y', { type: 'end' })]));
        ws.send(frame('subscribechannelmsg', [wireEntry('a', 3, 'z')]));
      };
      const c = make();
      const batches: string[][] = [];
      const got = await c.subscribeChannel('p', 'chat', KEY, {
        callback: (b) => {
          batches.push(b.map((e) => e.type));
          return b[0].type !== 'end';
        },
      });
      assert.deepEqual(batches, [['data'], ['end']]);
      assert.equal(got.length, 2);
    });

    it('rejects with the server error frame', async () => {
      server.socket = (_req, ws) => ws.send(errorEnvelope(403, 'Not authorized to subscribe to channel'));
      const c = make();
      await assert.rejects(c.subscribeChannel('p', 'chat', KEY), (e: unknown) => e instanceof ColoniesError && e.status === 403 && e.message === 'Not authorized to subscribe to channel');
    });

    it('rejects when the socket drops before the timeout', async () => {
      server.socket = (_req, ws) => {
        ws.send(frame('subscribechannelmsg', [wireEntry('a', 1, 'x')]));
        setTimeout(() => ws.terminate(), 50);
      };
      const c = make();
      await assert.rejects(c.subscribeChannel('p', 'chat', KEY, { timeout: 10 }), isTransport('network', /closed \(1006\)/));
    });
  });

  describe('subscribeProcess', () => {
    it('resolves once the process is in the requested state, ignoring other frames', async () => {
      server.socket = (req, ws) => {
        assert.equal(req.msg.state, 2);
        assert.equal(req.msg.processid, 'p');
        ws.send(frame('subscribeprocessmsg', { processid: 'p', state: 1, prioritytime: 1 }));
        setTimeout(() => ws.send(frame('subscribeprocessmsg', { processid: 'p', state: 2, prioritytime: 1795716309916579663n })), 30);
      };
      server.api = (req) => {
        assert.equal(req.payloadtype, 'getprocessmsg');
        return { value: { processid: 'p', state: 2, prioritytime: 1795716309916579663n, out: ['stored'] } };
      };
      const c = make();
      const p = await c.subscribeProcess('p', ProcessState.SUCCESS, 5, KEY);
      assert.equal(p.state, ProcessState.SUCCESS);
      assert.equal(p.prioritytime, 1795716309916579663n);
    });

    it('reads the process again after a terminal frame, whose output a real server leaves stale', async () => {
      server.socket = (_req, ws) => ws.send(frame('subscribeprocessmsg', { processid: 'p', state: 2, out: [] }));
      server.api = () => ({ value: { processid: 'p', state: 2, out: ['the output'] } });
      const c = make();
      const done = await c.subscribeProcess('p', ProcessState.SUCCESS, 5, KEY);
      assert.deepEqual(done.out, ['the output']);
      assert.deepEqual(server.requests.map((r) => r.payloadtype), ['getprocessmsg']);
    });

    it('reads the process once after subscribing, so a change the server never signals still ends the wait', async () => {
      // A real server checks the state before it registers the listener; a close in between is never signalled.
      server.socket = () => undefined;
      server.api = (req) => {
        assert.equal(req.payloadtype, 'getprocessmsg');
        return { value: { processid: 'p', state: 2, out: ['done'] } };
      };
      const c = make();
      const done = await c.subscribeProcess('p', ProcessState.SUCCESS, 30, KEY);
      assert.deepEqual([done.state, done.out], [ProcessState.SUCCESS, ['done']]);
    });

    it('returns the RUNNING frame as it is (no extra read for a state that is not terminal)', async () => {
      server.socket = (_req, ws) => ws.send(frame('subscribeprocessmsg', { processid: 'p', state: 1 }));
      const c = make();
      const running = await c.subscribeProcess('p', ProcessState.RUNNING, 5, KEY);
      assert.equal(running.state, ProcessState.RUNNING);
      assert.equal(server.requests.length, 0);
    });

    it('treats the server dropping the socket at the timeout (1006) as a timeout', async () => {
      server.socket = (req, ws) => setTimeout(() => ws.terminate(), Number(req.msg.timeout) * 1000);
      const c = make();
      await assert.rejects(c.subscribeProcess('p', ProcessState.SUCCESS, 1, KEY), isTransport('timeout', /did not reach state Successful within 1 s/));
    });

    it('an early drop is a network error, and an error frame is a ColoniesError', async () => {
      server.socket = (req, ws) => {
        if (req.msg.processid === 'bad') ws.send(errorEnvelope(403, 'Invalid process with Id bad'));
        else setTimeout(() => ws.terminate(), 20);
      };
      const c = make();
      await assert.rejects(c.subscribeProcess('p', ProcessState.RUNNING, 10, KEY), isTransport('network', /cut off/));
      await assert.rejects(c.subscribeProcess('bad', ProcessState.RUNNING, 10, KEY), (e: unknown) => e instanceof ColoniesError && e.message === 'Invalid process with Id bad');
    });
  });
});
