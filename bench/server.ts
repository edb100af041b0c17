// The local colony against a real ColonyOS server, side by side in one run. The local colony runs in its own process
// (bench/child.ts server); the real server is the one the COLONIES_* variables name (COLONIES_SERVER_HOST,
// COLONIES_SERVER_PORT, COLONIES_TLS, COLONIES_COLONY_NAME, COLONIES_COLONY_PRVKEY, COLONIES_PRVKEY), and without
// them the local colony is measured alone. Each path runs on both in the order local, real, real, local (the
// throughput runs averaged, the latency halves pooled), so that drifting machine load weighs on both alike:
//   rps      getprocessmsg with a fresh signature per request (a nonce field the servers ignore makes every payload
//            new), 16 in flight: (a) through our client, which signs each call in this process; (b) bare node:http
//            posting distinct envelopes signed beforehand, which is what the server alone sustains; (c) our client
//            resending one byte-identical request (a poller's case).
//   append   an executor process appends pre-signed messages over HTTP at 50/s (half the real server's channel
//            limit); a bare WebSocket subscriber here times each message from when its request left.
//   wake     an executor long-polls assignprocessmsg; a submit is sent once the poll waits; time from the submit
//            leaving to the assignment arriving.
// Also, in this process and the same run: secp256k1 public-key recovery as @noble/secp256k1 does it (what every
// request cost the local colony before), the local colony's recovery of a fresh signer, and of a known one.
// Never more than 16 requests in flight to a server (our client's cap; the bare-http runner uses 16 sockets).
import * as http from 'node:http';
import * as https from 'node:https';
import * as secp from '@noble/secp256k1';
import WebSocket from 'ws';
import { ColoniesClient, createEnvelope, crypto, funcSpec, recoverId, sha3Hex } from '../src/colonies/index';
import { BenchChild } from './lib/child';
import { startBenchColony } from './lib/setup';
import { distribution, formatDistribution, nowMs, round, sleep, type Distribution } from './lib/stats';

const RPS_CALLS = 1500;
const REPEAT_CALLS = 1000;
const IN_FLIGHT = 16;
const APPEND_COUNT = 300;
const APPEND_RATE = 50;
const WAKES = 30;

interface Target {
  name: 'local' | 'real';
  host: string;
  port: number;
  tls: boolean;
  colonyName: string;
  colonyPrvKey: string;
  userPrvKey: string;
  client: ColoniesClient;
}

function realTarget(): Target | undefined {
  const env = process.env;
  const host = env.COLONIES_SERVER_HOST;
  const port = Number(env.COLONIES_SERVER_PORT ?? env.COLONIES_SERVER_HTTP_PORT);
  if (!host || !port || !env.COLONIES_COLONY_NAME || !env.COLONIES_COLONY_PRVKEY || !env.COLONIES_PRVKEY) return undefined;
  const tls = env.COLONIES_TLS === 'true';
  return {
    name: 'real',
    host,
    port,
    tls,
    colonyName: env.COLONIES_COLONY_NAME,
    colonyPrvKey: env.COLONIES_COLONY_PRVKEY,
    userPrvKey: env.COLONIES_PRVKEY,
    client: new ColoniesClient({ host, port, tls }),
  };
}

const runId = Math.random().toString(36).slice(2, 8);

/** Registers and approves an executor of a type no one else uses; returns its key and name. */
async function addExecutor(t: Target, role: string): Promise<{ prvkey: string; name: string; type: string }> {
  const prvkey = crypto.generatePrivateKey();
  const type = `bench-${role}-${runId}`;
  const name = `${type}-${Math.random().toString(36).slice(2, 6)}`;
  await t.client.addExecutor({ executorid: crypto.id(prvkey), executortype: type, executorname: name, colonyname: t.colonyName }, t.colonyPrvKey);
  await t.client.approveExecutor(t.colonyName, name, t.colonyPrvKey);
  return { prvkey, name, type };
}

/** Posts each body once, `concurrency` at a time over keep-alive sockets; requests per second. */
function bareRps(t: Target, bodies: string[], concurrency: number): Promise<number> {
  const mod = t.tls ? https : http;
  const agent = new mod.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const one = (body: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = mod.request({ host: t.host, port: t.port, method: 'POST', path: '/api', agent, headers: { 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  const worker = async () => {
    while (next < bodies.length) await one(bodies[next++]);
  };
  const t0 = performance.now();
  return Promise.all(Array.from({ length: concurrency }, worker))
    .then(() => bodies.length / ((performance.now() - t0) / 1000))
    .finally(() => agent.destroy());
}

interface RpsFigures {
  client: number;
  bare: number;
  repeat: number;
}

async function measureRps(t: Target, log: (line: string) => void): Promise<RpsFigures> {
  const c = t.client;
  const p = await c.submitFuncSpec(funcSpec({ funcname: 'bench-rps', colonyname: t.colonyName, executortype: `bench-nobody-${runId}` }), t.userPrvKey);
  try {
    const tag = `${t.name}-${runId}`;
    await Promise.all(Array.from({ length: 100 }, (_, i) => c.rpc('getprocessmsg', { processid: p.processid, nonce: `${tag}-warm-${i}` }, t.userPrvKey)));
    let t0 = performance.now();
    await Promise.all(Array.from({ length: RPS_CALLS }, (_, i) => c.rpc('getprocessmsg', { processid: p.processid, nonce: `${tag}-client-${i}` }, t.userPrvKey)));
    const client = RPS_CALLS / ((performance.now() - t0) / 1000);
    const bodies = Array.from({ length: RPS_CALLS }, (_, i) => JSON.stringify(createEnvelope('getprocessmsg', { processid: p.processid, nonce: `${tag}-bare-${i}` }, t.userPrvKey)));
    const bare = await bareRps(t, bodies, IN_FLIGHT);
    t0 = performance.now();
    await Promise.all(Array.from({ length: REPEAT_CALLS }, () => c.getProcess(p.processid, t.userPrvKey)));
    const repeat = REPEAT_CALLS / ((performance.now() - t0) / 1000);
    log(`    ${t.name.padEnd(5)} fresh signatures through our client ${round(client, 0)}/s; pre-signed, bare http ${round(bare, 0)}/s; one repeated request ${round(repeat, 0)}/s`);
    return { client, bare, repeat };
  } finally {
    await tidy(log, 'removeprocess', () => c.removeProcess(p.processid, t.userPrvKey));
  }
}

/** A bare WebSocket subscriber on channel `chat`: arrival time by payload text. */
function subscribe(t: Target, processId: string, arrivals: Map<string, number>): { ws: WebSocket; ready: Promise<void> } {
  const ws = new WebSocket(`${t.tls ? 'wss' : 'ws'}://${t.host}:${t.port}/pubsub`, { perMessageDeflate: false });
  const ready = new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      ws.send(JSON.stringify(createEnvelope('subscribechannelmsg', { processid: processId, name: 'chat', afterseq: 0, timeout: 120 }, t.userPrvKey)));
      resolve();
    });
    ws.once('error', reject);
  });
  ws.on('message', (data) => {
    const at = nowMs();
    const env = JSON.parse(data.toString()) as { payload?: string; error?: boolean };
    if (env.error || !env.payload) return;
    const entries = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as { payload: string | null }[] | null;
    for (const e of entries ?? []) {
      const text = Buffer.from(e.payload ?? '', 'base64').toString('utf8');
      if (!arrivals.has(text)) arrivals.set(text, at);
    }
  });
  return { ws, ready };
}

interface AppendFigures {
  latency: Distribution;
  ack: Distribution;
  missing: number;
  failures: number;
}

/** Runs `fn`, logging (not throwing) a failure: clean-up on a shared real server must not hide the figures. */
async function tidy(log: (line: string) => void, what: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    log(`    (clean-up: ${what} failed: ${(err as Error).message})`);
  }
}

/** One channel with an assigned executor and a subscriber; `run` appends a batch and collects its latencies. */
async function appendSetup(t: Target, log: (line: string) => void) {
  const c = t.client;
  const executor = await addExecutor(t, 'append');
  const p = await c.submitFuncSpec(funcSpec({ funcname: 'bench-append', colonyname: t.colonyName, executortype: executor.type, channels: ['chat'] }), t.userPrvKey);
  const assigned = await c.assign(t.colonyName, 10, executor.prvkey);
  if (assigned.processid !== p.processid) throw new Error(`${t.name}: assigned an unexpected process`);
  const arrivals = new Map<string, number>();
  const sub = subscribe(t, p.processid, arrivals);
  await sub.ready;
  await sleep(300);
  let nextSequence = 1;
  const latency: number[] = [];
  const ack: number[] = [];
  let sent = 0;
  let failures = 0;
  let firstFailure = '';
  return {
    async run(sender: BenchChild, senderOffset: number, count: number): Promise<void> {
      const prefix = `${t.name} append ${nextSequence}-`;
      const r = await sender.request<{ sentAt: number[]; ackedAt: number[]; failures: string[] }>('pace', {
        host: t.host, port: t.port, tls: t.tls, processId: p.processid, channel: 'chat', prvkey: executor.prvkey, count, ratePerSec: APPEND_RATE, prefix, firstSequence: nextSequence,
      });
      nextSequence += count;
      sent += count;
      failures += r.failures.length;
      firstFailure ||= r.failures[0] ?? '';
      const deadline = Date.now() + 10_000;
      const missingNow = () => r.sentAt.filter((_, i) => !arrivals.has(`${prefix}${i + 1}`)).length;
      while (Date.now() < deadline && missingNow() > r.failures.length) await sleep(50);
      for (let i = 0; i < count; i++) {
        const at = arrivals.get(`${prefix}${i + 1}`);
        if (at !== undefined) latency.push(at - (r.sentAt[i] + senderOffset));
        if (r.ackedAt[i] !== undefined) ack.push(r.ackedAt[i] - r.sentAt[i]);
      }
    },
    figures(): AppendFigures {
      const figures = { latency: distribution(latency), ack: distribution(ack), missing: sent - latency.length, failures };
      log(`    ${t.name.padEnd(5)} append → subscriber ${formatDistribution(figures.latency)}`);
      log(`          append round trip    ${formatDistribution(figures.ack)}${failures ? `; ${failures} failed: ${firstFailure}` : ''}${figures.missing ? `; ${figures.missing} never arrived` : ''}`);
      return figures;
    },
    async teardown(): Promise<void> {
      sub.ws.terminate();
      await tidy(log, 'close', () => c.close(p.processid, [], executor.prvkey));
      await tidy(log, 'removeprocess', () => c.removeProcess(p.processid, t.userPrvKey));
      await tidy(log, 'removeexecutor', () => c.removeExecutor(t.colonyName, executor.name, t.colonyPrvKey));
    },
  };
}

/** An executor long-polling assignprocessmsg; `run` times `count` submits to it. */
async function wakeSetup(t: Target, log: (line: string) => void) {
  const c = t.client;
  const executor = await addExecutor(t, 'wake');
  const wakes: number[] = [];
  const processIds: string[] = [];
  const one = async (): Promise<number> => {
    const submit = createEnvelope('submitfuncspecmsg', { spec: funcSpec({ funcname: 'bench-wake', colonyname: t.colonyName, executortype: executor.type }) }, t.userPrvKey);
    const assigned = c.assign(t.colonyName, 10, executor.prvkey).then((p) => ({ p, at: nowMs() }));
    await sleep(100); // the poll is waiting on the server by now
    const sentAt = nowMs();
    const submitted = c.sendEnvelope(submit);
    const { p, at } = await assigned;
    await submitted;
    processIds.push(p.processid);
    await c.close(p.processid, [], executor.prvkey);
    return at - sentAt;
  };
  for (let i = 0; i < 3; i++) await one(); // warm-up
  return {
    async run(count: number): Promise<void> {
      for (let i = 0; i < count; i++) wakes.push(await one());
    },
    figures(): Distribution {
      const d = distribution(wakes);
      log(`    ${t.name.padEnd(5)} submit → assigned     ${formatDistribution(d)}`);
      return d;
    },
    async teardown(): Promise<void> {
      for (const id of processIds) await tidy(log, 'removeprocess', () => c.removeProcess(id, t.userPrvKey));
      await tidy(log, 'removeexecutor', () => c.removeExecutor(t.colonyName, executor.name, t.colonyPrvKey));
    },
  };
}

/** Public-key recovery per second: noble's own (the local colony's cost per request before), a fresh signer, a known one. */
function measureRecovery(log: (line: string) => void): { noble: number; fresh: number; known: number } {
  const count = 200;
  const messages = Array.from({ length: count }, (_, i) => `recovery bench ${runId} ${i}`);
  const keys = Array.from({ length: count }, () => crypto.generatePrivateKey());
  // noble: one key, fresh messages (noble keeps nothing between calls)
  const oneKey = keys[0];
  const sigs = messages.map((m) => crypto.sign(m, oneKey));
  const digests = messages.map((m) => Uint8Array.from(Buffer.from(sha3Hex(m), 'hex')));
  const asNoble = sigs.map((s) => {
    const b = Buffer.from(s, 'hex');
    const rec = new Uint8Array(65);
    rec[0] = b[64];
    rec.set(b.subarray(0, 64), 1);
    return rec;
  });
  const warmKey = crypto.generatePrivateKey();
  recoverId('warm-up', crypto.sign('warm-up', warmKey)); // builds the base-point table once, not timed
  let t0 = performance.now();
  for (let i = 0; i < count; i++) secp.Point.fromBytes(secp.recoverPublicKey(asNoble[i], digests[i], { prehash: false })).toBytes(false);
  const noble = count / ((performance.now() - t0) / 1000);
  // fresh signers: every signature from a key not seen before
  const freshSigs = messages.map((m, i) => crypto.sign(`${m} fresh`, keys[i]));
  t0 = performance.now();
  for (let i = 0; i < count; i++) recoverId(`${messages[i]} fresh`, freshSigs[i]);
  const fresh = count / ((performance.now() - t0) / 1000);
  // a known signer: the same key over and over (its table is built after a few uses, outside the timing)
  for (let i = 0; i < 10; i++) recoverId(`${messages[i]} warm`, crypto.sign(`${messages[i]} warm`, oneKey));
  t0 = performance.now();
  for (let i = 0; i < count; i++) recoverId(messages[i], sigs[i]);
  const known = count / ((performance.now() - t0) / 1000);
  log(`  recovery in this process: @noble/secp256k1 ${round(noble, 0)}/s; local colony, fresh signer ${round(fresh, 0)}/s (${round(fresh / noble, 1)}×), known signer ${round(known, 0)}/s (${round(known / noble, 1)}×)`);
  return { noble, fresh, known };
}

export async function runServer(log: (line: string) => void): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const rec = measureRecovery(log);
  out.recover_noble_per_s = round(rec.noble, 0);
  out.recover_fresh_per_s = round(rec.fresh, 0);
  out.recover_known_per_s = round(rec.known, 0);
  out.recover_fresh_vs_noble_ratio = round(rec.fresh / rec.noble);
  out.recover_known_vs_noble_ratio = round(rec.known / rec.noble);

  const colony = await startBenchColony();
  const local: Target = { name: 'local', host: '127.0.0.1', port: colony.port, tls: false, colonyName: colony.colonyName, colonyPrvKey: colony.colonyPrvKey, userPrvKey: colony.userPrvKey, client: colony.client };
  const real = realTarget();
  const targets = real ? [local, real] : [local];
  log(real ? `  real server: ${real.tls ? 'https' : 'http'}://${real.host}:${real.port}, colony ${real.colonyName}` : '  no real server configured (COLONIES_*): the local colony alone');
  const sender = await BenchChild.start('sender');
  try {
    const senderOffset = await sender.clockOffset();
    const rps = new Map<string, RpsFigures>();
    const append = new Map<string, AppendFigures>();
    const wake = new Map<string, Distribution>();
    log(`  signed requests/s, ${IN_FLIGHT} in flight (getprocessmsg; ${RPS_CALLS} fresh, ${REPEAT_CALLS} repeated), twice each in the order A B B A, averaged`);
    const rounds = new Map<string, RpsFigures[]>();
    for (const t of [...targets, ...[...targets].reverse()]) rounds.set(t.name, [...(rounds.get(t.name) ?? []), await measureRps(t, log)]);
    for (const [name, list] of rounds) {
      const mean = (f: (r: RpsFigures) => number) => list.reduce((sum, r) => sum + f(r), 0) / list.length;
      rps.set(name, { client: mean((r) => r.client), bare: mean((r) => r.bare), repeat: mean((r) => r.repeat) });
    }
    // Halves in the order A B B A, so that drifting load weighs on both alike.
    const abba = [...targets, ...[...targets].reverse()];
    log(`  channel append → subscriber: ${APPEND_COUNT} pre-signed appends at ${APPEND_RATE}/s from an executor process, in halves A B B A`);
    const appends = new Map<string, Awaited<ReturnType<typeof appendSetup>>>();
    try {
      for (const t of targets) appends.set(t.name, await appendSetup(t, log));
      for (const t of abba) await appends.get(t.name)!.run(sender, senderOffset, APPEND_COUNT / 2);
      for (const t of targets) append.set(t.name, appends.get(t.name)!.figures());
    } finally {
      for (const a of appends.values()) await a.teardown();
    }
    log(`  submit → assign wake-up: ${WAKES} submits to an executor long-polling assignprocessmsg, in halves A B B A`);
    const wakers = new Map<string, Awaited<ReturnType<typeof wakeSetup>>>();
    try {
      for (const t of targets) wakers.set(t.name, await wakeSetup(t, log));
      for (const t of abba) await wakers.get(t.name)!.run(WAKES / 2);
      for (const t of targets) wake.set(t.name, wakers.get(t.name)!.figures());
    } finally {
      for (const w of wakers.values()) await w.teardown();
    }

    for (const t of targets) {
      const r = rps.get(t.name)!;
      const a = append.get(t.name)!;
      const w = wake.get(t.name)!;
      Object.assign(out, {
        [`server_${t.name}_rps`]: round(r.client, 0),
        [`server_${t.name}_presigned_rps`]: round(r.bare, 0),
        [`server_${t.name}_repeat_rps`]: round(r.repeat, 0),
        [`server_${t.name}_append_p50_ms`]: round(a.latency.p50),
        [`server_${t.name}_append_p99_ms`]: round(a.latency.p99),
        [`server_${t.name}_append_ack_p50_ms`]: round(a.ack.p50),
        [`server_${t.name}_append_missing`]: a.missing + a.failures,
        [`server_${t.name}_wake_p50_ms`]: round(w.p50),
        [`server_${t.name}_wake_p99_ms`]: round(w.p99),
      });
    }
    if (real) {
      const ratio = (k: string) => round(out[`server_local_${k}`] / out[`server_real_${k}`]);
      const ratios: Array<[string, string, boolean]> = [
        ['rps', 'signed requests/s through our client (local/real, ≥ 1 is as fast)', true],
        ['presigned_rps', 'pre-signed requests/s, bare http (local/real, ≥ 1)', true],
        ['repeat_rps', 'one repeated request/s (local/real, ≥ 1)', true],
        ['append_p50_ms', 'append → subscriber p50 (local/real, ≤ 1 is as fast)', false],
        ['append_p99_ms', 'append → subscriber p99 (local/real, ≤ 1)', false],
        ['wake_p50_ms', 'submit → assign p50 (local/real, ≤ 1)', false],
        ['wake_p99_ms', 'submit → assign p99 (local/real, ≤ 1)', false],
      ];
      log('  local / real:');
      for (const [k, text, higherIsBetter] of ratios) {
        const v = ratio(k);
        out[`server_${k.replace(/_ms$/, '')}_local_vs_real_ratio`] = v;
        log(`    ${(higherIsBetter ? v >= 1 : v <= 1) ? 'met   ' : 'MISSED'} ${text}: ${v}`);
      }
    }
    return out;
  } finally {
    await sender.stop();
    real?.client.dispose();
    await colony.stop();
  }
}
