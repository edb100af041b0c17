// Client throughput against a local colony (its own process), side by side in one run:
//   client  ColoniesClient.getProcess, 3,000 calls started at once, through the 16-in-flight cap: each call signs
//           its envelope, waits for a slot, posts, decodes;
//   floor   bare node:http posting one pre-signed getprocessmsg envelope with 16 requests in flight (no signing,
//           no decoding): what the server and the loopback allow.
// Also signatures per second (crypto.sign, as every call does) and signature recoveries per second (what the local
// colony does for every request whose signature it has not seen).
import * as http from 'node:http';
import { createEnvelope, crypto, funcSpec, recoverId } from '../src/colonies/index';
import { startBenchColony } from './lib/setup';
import { round } from './lib/stats';

const CALLS = 3000;

function floorRps(port: number, body: string, total: number, concurrency: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let started = 0;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api', agent, headers: { 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  const worker = async () => {
    while (started < total) {
      started++;
      await one();
    }
  };
  const t0 = performance.now();
  return Promise.all(Array.from({ length: concurrency }, worker)).then(() => {
    agent.destroy();
    return total / ((performance.now() - t0) / 1000);
  });
}

export async function runClient(log: (line: string) => void): Promise<Record<string, number>> {
  const colony = await startBenchColony();
  try {
    const c = colony.client;
    const p = await c.submitFuncSpec(funcSpec({ funcname: 'rps', colonyname: colony.colonyName, executortype: 'nobody' }), colony.userPrvKey);
    // Warm-up (JIT, keep-alive sockets).
    await Promise.all(Array.from({ length: 200 }, () => c.getProcess(p.processid, colony.userPrvKey)));

    await colony.server.request('resetStats');
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CALLS }, () => c.getProcess(p.processid, colony.userPrvKey)));
    const clientRps = CALLS / ((performance.now() - t0) / 1000);
    const serverStats = await colony.server.request<{ inFlightPeak: number; requests: number }>('stats');
    const highWater = c.inFlightStats.highWaterMark;

    const body = JSON.stringify(createEnvelope('getprocessmsg', { processid: p.processid }, colony.userPrvKey));
    const floor = await floorRps(colony.port, body, CALLS, 16);
    log(`  client: ${CALLS} getProcess calls, ${round(clientRps, 0)} req/s (client high-water ${highWater}, server in-flight peak ${serverStats.inFlightPeak}, ${serverStats.requests} requests)`);
    log(`  floor (bare http, pre-signed, 16 in flight): ${round(floor, 0)} req/s; client/floor ${round(clientRps / floor)}×`);

    const key = crypto.generatePrivateKey();
    const messages = Array.from({ length: 500 }, (_, i) => createEnvelope('getprocessmsg', { processid: `${p.processid}`, n: i }, undefined).payload);
    let t = performance.now();
    const sigs = messages.map((m) => crypto.sign(m, key));
    const signPerS = messages.length / ((performance.now() - t) / 1000);
    t = performance.now();
    for (let i = 0; i < messages.length; i++) recoverId(`${messages[i]}`, sigs[i]);
    // recoverId remembers recent pairs; recovering fresh pairs is what a server does per request.
    const recoverFresh = messages.map((m) => `${m}x`);
    const freshSigs = recoverFresh.map((m) => crypto.sign(m, key));
    t = performance.now();
    for (let i = 0; i < recoverFresh.length; i++) recoverId(recoverFresh[i], freshSigs[i]);
    const recoverPerS = recoverFresh.length / ((performance.now() - t) / 1000);
    log(`  crypto: ${round(signPerS, 0)} signatures/s, ${round(recoverPerS, 0)} signature recoveries/s (one core; one signer, as the local colony recovers a known key: bench/server.ts compares)`);
    return {
      client_rps: round(clientRps, 0),
      client_floor_rps: round(floor, 0),
      client_vs_floor_ratio: round(clientRps / floor),
      client_inflight_peak_client: highWater,
      client_inflight_peak_server: serverStats.inFlightPeak,
      sign_per_s: round(signPerS, 0),
      recover_per_s: round(recoverPerS, 0),
    };
  } finally {
    await colony.stop();
  }
}
