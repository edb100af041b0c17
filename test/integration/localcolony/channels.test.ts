import { strict as assert } from 'node:assert';
import { crypto } from '../../../src/colonies/crypto';
import { funcSpec, startTestColony } from './helpers';
import type { TestColony } from './helpers';

describe('local colony: channels', function () {
  let c: TestColony;
  let exec: string;
  let otherUser: string;
  before(async () => {
    c = await startTestColony();
    exec = await c.addExecutor('ch-exec');
    otherUser = await c.addUser('bob');
  });
  after(async () => {
    await c.stop();
  });

  const append = (pid: string, key: string, sequence: number, payload: unknown, extra: Record<string, unknown> = {}) =>
    c.rpc('channelappendmsg', { processid: pid, name: 'chat', sequence, payload, ...extra }, key);
  const read = (pid: string, key: string, afterseq = 0, limit = 0) =>
    c.rpc('channelreadmsg', { processid: pid, name: 'chat', afterseq, limit }, key);
  const submitAndAssign = async (): Promise<string> => {
    await c.rpc('removeallprocessesmsg', { colonyname: 'dev', state: 0 }, c.colonyPrvKey);
    const p = await c.submit(funcSpec({ channels: ['chat', 'chat'] }));
    const a = await c.assign(exec);
    assert.equal(a.inner.processid, p.processid);
    return p.processid;
  };

  it('exists from submit: the submitter can use it, the future executor cannot until assigned', async () => {
    await c.rpc('removeallprocessesmsg', { colonyname: 'dev', state: 0 }, c.colonyPrvKey);
    const p = await c.submit(funcSpec({ channels: ['chat'] }));
    assert.equal((await append(p.processid, c.userPrvKey, 1, Buffer.from('early').toString('base64'))).payload, 'e30=');
    assert.deepEqual((await append(p.processid, exec, 1, 'aGk=')).inner, { status: 403, message: 'Not authorized to write to channel' });
    assert.deepEqual((await read(p.processid, exec)).inner, { status: 403, message: 'Not authorized to read from channel' });
    assert.equal((await c.assign(exec)).inner.processid, p.processid);
    const entries = (await read(p.processid, exec)).inner;
    assert.equal(entries.length, 1);
    assert.equal(Buffer.from(entries[0].payload, 'base64').toString(), 'early');
    assert.equal(entries[0].senderid, crypto.id(c.userPrvKey));
    assert.equal(entries[0].type, 'data');
    assert.equal('inreplyto' in entries[0], false);
  });

  it('refuses other members, non-members, unknown channels and unknown processes', async () => {
    const pid = await submitAndAssign();
    assert.deepEqual((await append(pid, otherUser, 1, 'aGk=')).inner, { status: 403, message: 'Not authorized to write to channel' });
    assert.deepEqual((await append(pid, c.colonyPrvKey, 1, 'aGk=')).inner, { status: 403, message: 'Access denied, not a member of Colony with name <dev>' });
    assert.deepEqual((await c.rpc('channelreadmsg', { processid: pid, name: 'nope', afterseq: 0, limit: 0 }, c.userPrvKey)).inner, { status: 404, message: 'Channel not found' });
    assert.deepEqual((await read('unknown', c.userPrvKey)).inner, { status: 404, message: 'Process not found' });
  });

  it('accepts base64 or byte arrays, keeps null and empty payloads apart, defaults the type, stores inreplyto', async () => {
    const pid = await submitAndAssign();
    await append(pid, c.userPrvKey, 1, [104, 105]);
    await append(pid, c.userPrvKey, 2, '');
    await append(pid, c.userPrvKey, 3, null);
    await append(pid, exec, 1, 'b2s=', { inreplyto: 1, payloadtype: 'end' });
    await append(pid, exec, 2, 'Zm9v', { payloadtype: 'foo' });
    const entries = (await read(pid, c.userPrvKey)).inner;
    assert.deepEqual(entries.map((e: { payload: string | null }) => e.payload), ['aGk=', '', null, 'b2s=', 'Zm9v']);
    assert.deepEqual(entries.map((e: { type: string }) => e.type), ['data', 'data', 'data', 'end', 'foo']);
    assert.equal(entries[3].inreplyto, 1);
    assert.deepEqual((await append(pid, c.userPrvKey, 4, 'not base64!')).inner, { status: 400, message: 'Failed to append to channel, invalid JSON' });
    assert.deepEqual((await append(pid, c.userPrvKey, 4, [256])).inner, { status: 400, message: 'Failed to append to channel, invalid JSON' });
  });

  it('reads by index with limit, and sorts same-sender entries by sequence', async () => {
    const pid = await submitAndAssign();
    await append(pid, exec, 10, 'MTA=');
    await append(pid, exec, 5, 'NQ==');
    await append(pid, c.userPrvKey, 1, 'dTE=');
    const all = (await read(pid, c.userPrvKey)).inner;
    assert.deepEqual(all.map((e: { sequence: number }) => e.sequence), [5, 10, 1]);
    assert.deepEqual((await read(pid, c.userPrvKey, 1, 1)).inner.map((e: { sequence: number }) => e.sequence), [10]);
    assert.deepEqual((await read(pid, c.userPrvKey, -5, 0)).inner.length, 3);
    assert.deepEqual((await read(pid, c.userPrvKey, 3, 0)).inner, []);
    assert.deepEqual((await read(pid, c.userPrvKey, 99, 0)).inner, []);
  });

  it('limits message size to 10 MiB (500)', async () => {
    const pid = await submitAndAssign();
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 1).toString('base64');
    assert.deepEqual((await append(pid, c.userPrvKey, 1, big)).inner, { status: 500, message: 'message payload exceeds maximum size' });
    const exact = Buffer.alloc(10 * 1024 * 1024, 1).toString('base64');
    assert.equal((await append(pid, c.userPrvKey, 1, exact)).status, 200);
  });

  it('rate limits per process with a token bucket shared by both parties and all channels (500)', async () => {
    // A colony with a bucket of 5 and no refill makes the limit observable without a flood.
    const small = await startTestColony({ channelLimits: { rateLimitBurst: 5, rateLimitPerSecond: 0 } });
    try {
      const e = await small.addExecutor('rl-exec');
      const p = await small.submit(funcSpec({ channels: ['a', 'b'] }));
      await small.assign(e);
      const send = (key: string, name: string, seq: number) =>
        small.rpc('channelappendmsg', { processid: p.processid, name, sequence: seq, payload: 'eA==' }, key);
      const statuses: number[] = [];
      for (let i = 1; i <= 5; i++) statuses.push((await send(i % 2 ? e : small.userPrvKey, i % 2 ? 'a' : 'b', i)).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
      assert.deepEqual((await send(small.userPrvKey, 'a', 6)).inner, { status: 500, message: 'rate limit exceeded' });
      // A different process has its own bucket.
      const q = await small.submit(funcSpec({ channels: ['a'] }));
      assert.equal((await small.rpc('channelappendmsg', { processid: q.processid, name: 'a', sequence: 1, payload: 'eA==' }, small.userPrvKey)).status, 200);
    } finally {
      await small.stop();
    }
  });

  it('is gone after close (404) and comes back empty after cancel', async () => {
    const pid = await submitAndAssign();
    await append(pid, c.userPrvKey, 1, 'aGk=');
    await c.rpc('closesuccessfulmsg', { processid: pid, out: [] }, exec);
    assert.deepEqual((await read(pid, c.userPrvKey)).inner, { status: 404, message: 'Channel not found' });
    assert.deepEqual((await append(pid, exec, 2, 'aGk=')).inner, { status: 404, message: 'Channel not found' });
    const p2 = await c.submit(funcSpec({ channels: ['chat'] }));
    await append(p2.processid, c.userPrvKey, 1, 'aGk=');
    await c.rpc('cancelprocessmsg', { processid: p2.processid }, c.userPrvKey);
    assert.deepEqual((await read(p2.processid, c.userPrvKey)).inner, []);
  });
});
