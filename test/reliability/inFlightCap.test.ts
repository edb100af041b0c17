// 1,000 concurrent calls of mixed kinds from several clients (docs/protocol.md P1: a real server deadlocks under ~100
// concurrent requests): the server must never see more than 16 requests in flight, and every call must succeed.
// A proxy that holds each request for 20 ms stands in front of the local colony (which answers synchronously, so
// on its own it never has two requests in flight); its count is what a slow real server would see.
import { strict as assert } from 'node:assert';
import { DEFAULT_MAX_IN_FLIGHT, funcSpec, ProcessState } from '../../src/colonies/index';
import { failOnUnhandledRejections, SlowCountingProxy, startChat, type ChatSetup } from './helpers';

describe('reliability: in-flight cap under 1,000 concurrent calls', function () {
  this.timeout(180_000);
  failOnUnhandledRejections();
  let chat: ChatSetup;
  let proxy: SlowCountingProxy;

  before(async () => {
    chat = await startChat();
    proxy = new SlowCountingProxy(chat.colony.port, 20);
    await proxy.listen();
  });
  after(async () => {
    await chat.stop();
    await proxy.close();
  });

  it('never puts more than 16 requests in flight at the server, across 4 clients and mixed calls', async () => {
    const port = proxy.port;
    const clients = [chat.client({ port }), chat.client({ port }), chat.client({ port, maxInFlight: 64 }), chat.client({ port, maxInFlight: 4 })];
    const { colonyName } = chat.colony;
    const stats = chat.colony.server.stats;
    stats.reset();
    let appendSeq = 0;
    const calls: Array<() => Promise<unknown>> = [
      () => clients[0].getProcess(chat.processId, chat.userKey),
      () => clients[1].getProcesses(colonyName, 10, ProcessState.RUNNING, chat.userKey),
      () => clients[2].channelRead(chat.processId, chat.channel, 0, 5, chat.userKey),
      () => clients[3].channelAppend(chat.processId, chat.channel, ++appendSeq, `load ${appendSeq}`, chat.executorKey),
      () => clients[0].submitFuncSpec(funcSpec({ funcname: 'load', colonyname: colonyName, executortype: 'nobody' }), chat.userKey),
      () => clients[1].getColonyStatistics(colonyName, chat.userKey),
      () => clients[2].version(),
    ];
    const started = Array.from({ length: 1000 }, (_, i) => calls[i % calls.length]());
    const results = await Promise.allSettled(started);
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} calls failed`);

    assert.ok(proxy.peak <= DEFAULT_MAX_IN_FLIGHT, `the server saw ${proxy.peak} requests in flight`);
    assert.ok(proxy.peak > 1, 'the calls really ran concurrently');
    assert.ok(proxy.requests >= 1000, `the server saw ${proxy.requests} requests`);
    assert.equal(proxy.inFlight, 0, 'nothing is left in flight');
    assert.ok(stats.inFlightPeak <= DEFAULT_MAX_IN_FLIGHT);
    assert.ok(stats.requests >= 1000);
    for (const c of clients) {
      assert.ok(c.inFlightStats.highWaterMark <= DEFAULT_MAX_IN_FLIGHT, `client high-water mark ${c.inFlightStats.highWaterMark}`);
      assert.equal(c.inFlightStats.queued, 0);
    }
    const log = await clients[0].channelRead(chat.processId, chat.channel, 0, 0, chat.userKey);
    assert.equal(log.length, appendSeq, 'every append was stored once');
    console.log(`      in flight at the server: peak ${proxy.peak} over ${proxy.requests} requests`);
  });
});
