import { strict as assert } from 'node:assert';
import { crypto } from '../../../src/colonies/crypto';
import { funcSpec, openWs, postRaw, rawRequest, signedEnvelope, sleep, startTestColony } from './helpers';
import type { TestColony } from './helpers';

/** Deterministic PRNG so a failure reproduces. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = [
  'versionmsg', 'getserverinfomsg', 'getcoloniesmsg', 'getcolonymsg', 'addcolonymsg', 'removecolonymsg', 'getcolonystatsmsg',
  'addexecutormsg', 'approveexecutormsg', 'rejectexecutormsg', 'removeexecutormsg', 'getexecutorsmsg', 'getexecutormsg',
  'getexecutorbyidmsg', 'addusermsg', 'getusersmsg', 'getusermsg', 'getuserbyidmsg', 'removeusermsg', 'submitfuncspecmsg',
  'getprocessmsg', 'getprocessesmsg', 'getprocesshistmsg', 'cancelprocessmsg', 'removeprocessmsg', 'removeallprocessesmsg',
  'assignprocessmsg', 'closesuccessfulmsg', 'closefailedmsg', 'setoutputmsg', 'addlogmsg', 'getlogsmsg',
  'submitworkflowspecmsg', 'getprocessgraphmsg', 'getprocessgraphsmsg', 'cancelprocessgraphmsg', 'removeprocessgraphmsg',
  'removeallprocessgraphsmsg', 'channelappendmsg', 'channelreadmsg', 'pauseassignmentsmsg', 'resumeassignmentsmsg',
  'getpausestatusmsg', 'getstatisticsmsg', 'subscribeprocessmsg', 'subscribechannelmsg', 'subscribeprocessesmsg', '',
];
const FIELDS = [
  'colonyname', 'processid', 'count', 'state', 'timeout', 'spec', 'executor', 'user', 'colony', 'name', 'executorname',
  'sequence', 'payload', 'afterseq', 'limit', 'since', 'latest', 'out', 'errors', 'processgraphid', 'inreplyto',
  'payloadtype', 'initiator', 'label', 'executortype', 'message', 'all', 'functionspecs', 'conditions',
];

function randomValue(rnd: () => number, depth = 0): unknown {
  const k = Math.floor(rnd() * (depth > 3 ? 7 : 10));
  switch (k) {
    case 0: return null;
    case 1: return rnd() < 0.5;
    case 2: return Math.floor((rnd() - 0.5) * 2 ** 40);
    case 3: return (rnd() - 0.5) * 1e308;
    case 4: return 'dev';
    case 5: return String.fromCharCode(...Array.from({ length: Math.floor(rnd() * 20) }, () => Math.floor(rnd() * 0xffff)));
    case 6: return -1;
    case 7: return Array.from({ length: Math.floor(rnd() * 4) }, () => randomValue(rnd, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(rnd() * 5); i > 0; i--) o[FIELDS[Math.floor(rnd() * FIELDS.length)]] = randomValue(rnd, depth + 1);
      return o;
    }
  }
}

function randomBytes(rnd: () => number, n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)));
}

describe('local colony: malformed input', function () {
  this.timeout(120_000);
  let c: TestColony;
  let exec: string;
  before(async () => {
    c = await startTestColony();
    exec = await c.addExecutor('fuzz-exec');
  });
  after(async () => {
    await c.stop();
  });

  async function stillHealthy(): Promise<void> {
    const colony = await c.rpc('getcolonymsg', { colonyname: 'dev' }, c.userPrvKey);
    assert.equal(colony.status, 200);
    assert.equal((await c.rpc('removeallprocessesmsg', { colonyname: 'dev', state: 0 }, c.colonyPrvKey)).status, 200);
    const p = await c.submit(funcSpec({ channels: ['chat'] }));
    const a = await c.assign(exec);
    assert.equal(a.inner.processid, p.processid);
    assert.equal((await c.rpc('channelappendmsg', { processid: p.processid, name: 'chat', sequence: 1, payload: 'aGk=' }, c.userPrvKey)).status, 200);
    assert.equal((await c.rpc('closesuccessfulmsg', { processid: p.processid, out: ['ok'] }, exec)).status, 200);
    assert.equal((await rawRequest(c.port, 'GET', '/health')).status, 200);
  }

  it('survives random bodies, wrong types, huge fields and deep nesting on /api', async () => {
    const rnd = prng(42);
    const statuses = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const shape = i % 5;
      let body: string | Buffer;
      if (shape === 0) body = randomBytes(rnd, Math.floor(rnd() * 200));
      else if (shape === 1) body = JSON.stringify(randomValue(rnd));
      else if (shape === 2) {
        const type = TYPES[Math.floor(rnd() * TYPES.length)];
        const inner = { ...(randomValue(rnd) as object), msgtype: rnd() < 0.8 ? type : 'x' };
        body = signedEnvelope(type, JSON.stringify(inner), rnd() < 0.5 ? c.userPrvKey : exec);
      } else if (shape === 3) {
        const type = TYPES[Math.floor(rnd() * TYPES.length)];
        body = JSON.stringify({ payloadtype: type, payload: randomBytes(rnd, 30).toString('base64'), signature: randomBytes(rnd, 65).toString('hex') });
      } else {
        body = JSON.stringify({ payloadtype: randomValue(rnd), payload: randomValue(rnd), signature: randomValue(rnd) });
      }
      const r = await rawRequest(c.port, 'POST', '/api', body);
      statuses.add(r.status);
      assert.ok([200, 400, 403, 404, 500].includes(r.status), `unexpected status ${r.status} for case ${i}`);
    }
    assert.ok(statuses.has(400) && statuses.has(403));

    const huge = 'x'.repeat(5 * 1024 * 1024);
    const big = await postRaw(c.port, signedEnvelope('getcolonymsg', JSON.stringify({ msgtype: 'getcolonymsg', colonyname: huge }), c.userPrvKey));
    assert.equal(big.status, 403);
    const deep = await postRaw(c.port, '['.repeat(50_000) + ']'.repeat(50_000));
    assert.deepEqual(deep.inner, { status: 400, message: "invalid character '[' exceeded max depth" });
    const deepInner = await postRaw(c.port, signedEnvelope('submitfuncspecmsg', `{"msgtype":"submitfuncspecmsg","spec":{"args":${'['.repeat(5000)}${']'.repeat(5000)}}}`, c.userPrvKey));
    assert.deepEqual(deepInner.inner, { status: 400, message: 'Failed to submit process, invalid JSON' });
    const badUtf8 = await postRaw(c.port, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]));
    assert.equal(badUtf8.status, 403);
    assert.equal(c.server.stats.inFlight, 0);
    await stillHealthy();
  });

  it('survives garbage on /pubsub and keeps serving subscriptions', async () => {
    const rnd = prng(7);
    for (let i = 0; i < 60; i++) {
      const ws = await openWs(c.port);
      const type = ['subscribeprocessmsg', 'subscribechannelmsg', 'subscribeprocessesmsg'][i % 3];
      if (i % 4 === 0) ws.ws.send(randomBytes(rnd, Math.floor(rnd() * 100)));
      else if (i % 4 === 1) ws.ws.send(JSON.stringify(randomValue(rnd)));
      else {
        const inner = { ...(randomValue(rnd) as object), msgtype: type, timeout: 1 };
        ws.ws.send(signedEnvelope(type, JSON.stringify(inner), rnd() < 0.5 ? c.userPrvKey : exec), { binary: i % 2 === 0 });
      }
      await sleep(5);
      ws.close();
    }
    const key = crypto.generatePrivateKey();
    const p = await c.submit(funcSpec());
    const ws = await openWs(c.port);
    try {
      ws.send('subscribeprocessmsg', { processid: p.processid, state: 0, timeout: 5 }, key);
      const [frame] = await ws.waitFrames(1);
      assert.equal(frame.inner.processid, p.processid);
    } finally {
      ws.close();
    }
    await stillHealthy();
  });
});
