import { strict as assert } from 'node:assert';
import {
  ColoniesError,
  ColoniesTransportError,
  createEnvelope,
  decodeBase64,
  decodeEnvelope,
  decodeReply,
  encodeBase64,
  isStrictBase64,
} from '../../../src/colonies/rpc';
import { parseJson, stringifyJson, toBigInt } from '../../../src/colonies/json';
import { isZeroTime, parseTime, parseTimeNs } from '../../../src/colonies/time';
import { normalizeProcess } from '../../../src/colonies/client';
import { toChannelEntries } from '../../../src/colonies/entries';
import { recoverId } from '../../../src/colonies/crypto';

const USER_KEY = 'ddf7f7791208083b6a9ed975a72684f6406a269cfa36f1b1c32045c0a71fff05';
const SERVER_KEY = 'fcc79953d8a751bf41db661592dc34d30004b1a651ffa0725b03ac227641499d';

function reply(payloadtype: string, inner: string, error = false): string {
  return JSON.stringify({ payloadtype, payload: Buffer.from(inner).toString('base64'), error });
}

function errorBody(status: unknown, message: string): string {
  return reply('error', JSON.stringify({ status, message }), true);
}

describe('colonies/rpc envelopes', () => {
  it('reproduces the Go CLI getprocessesmsg request byte for byte (payload and signature)', () => {
    const env = createEnvelope(
      'getprocessesmsg',
      { colonyname: 'dev', count: 20, state: 1, executortype: '', label: '', initiator: '' },
      USER_KEY,
    );
    assert.equal(
      env.payload,
      'eyJjb2xvbnluYW1lIjoiZGV2IiwiY291bnQiOjIwLCJzdGF0ZSI6MSwiZXhlY3V0b3J0eXBlIjoiIiwibGFiZWwiOiIiLCJpbml0aWF0b3IiOiIiLCJtc2d0eXBlIjoiZ2V0cHJvY2Vzc2VzbXNnIn0=',
    );
    assert.equal(
      env.signature,
      '0b6979c2da230b55f82319297f3b6b30037a76d8c11dc2d63be467ad426f9fc21615af481fb29da2c3130a71c016eb6daf7636e5c938cb1e4d8af65c35587cac01',
    );
    assert.equal(env.payloadtype, 'getprocessesmsg');
  });

  it('reproduces the getcoloniesmsg request and the inner msgtype always equals payloadtype', () => {
    const env = createEnvelope('getcoloniesmsg', {}, SERVER_KEY);
    assert.equal(env.payload, 'eyJtc2d0eXBlIjoiZ2V0Y29sb25pZXNtc2cifQ==');
    assert.equal(env.signature.slice(0, 16), '3cf5209e35d24048');
    const spoof = createEnvelope('getcolonymsg', { msgtype: 'addcolonymsg', colonyname: 'x' }, SERVER_KEY);
    assert.equal(JSON.parse(Buffer.from(spoof.payload, 'base64').toString()).msgtype, 'getcolonymsg');
  });

  it('unsigned messages carry an empty signature; bigint fields are written as plain numbers', () => {
    const env = createEnvelope('getlogsmsg', { since: 1795716309916579663n }, undefined);
    assert.equal(env.signature, '');
    assert.equal(Buffer.from(env.payload, 'base64').toString(), '{"since":1795716309916579663,"msgtype":"getlogsmsg"}');
    const signed = createEnvelope('versionmsg', {}, USER_KEY);
    assert.equal(recoverId(signed.payload, signed.signature), '3fc05cf3df4b494e95d6a3d297a34f19938f7daa7422ab0d4f794454133341ac');
  });

  it('base64 helpers are strict standard base64 with padding', () => {
    assert.equal(encodeBase64('{}'), 'e30=');
    assert.deepEqual([...decodeBase64('AAEC')], [0, 1, 2]);
    assert.ok(isStrictBase64('e30='));
    assert.ok(isStrictBase64(''));
    assert.ok(!isStrictBase64('e30'));
    assert.ok(!isStrictBase64('e3 0='));
    assert.ok(!isStrictBase64('e-_='));
  });
});

describe('colonies/rpc reply decoding and error mapping', () => {
  it('decodes a success envelope (text/plain body) and "e30=" empty successes', () => {
    assert.deepEqual(decodeReply(reply('getcolonymsg', '{"colonyid":"a","name":"dev"}'), 200, 'getcolonymsg'), { colonyid: 'a', name: 'dev' });
    assert.deepEqual(decodeReply(JSON.stringify({ payloadtype: 'closesuccessfulmsg', payload: 'e30=', error: false }), 200), {});
  });

  it('decodes pretty-printed payloads', () => {
    assert.deepEqual(decodeReply(reply('getprocessesmsg', '[\n  {\n    "state": 1\n  }\n]'), 200, 'getprocessesmsg'), [{ state: 1 }]);
  });

  it('maps an error envelope to ColoniesError with the numeric status and the server text verbatim', () => {
    const msg = 'Access denied, not a member of Colony with name <dev>';
    assert.throws(
      () => decodeReply(errorBody(403, msg), 403, 'getcolonymsg'),
      (err: unknown) => err instanceof ColoniesError && err.status === 403 && err.message === msg && err.payloadType === 'error',
    );
  });

  it('uses the envelope status even when the HTTP status differs, and copes with a string status (old docs)', () => {
    assert.throws(() => decodeReply(errorBody(404, 'Channel not found'), 200), (e: unknown) => e instanceof ColoniesError && e.status === 404);
    assert.throws(() => decodeReply(errorBody('400', 'bad'), 400), (e: unknown) => e instanceof ColoniesError && e.status === 400);
    assert.throws(
      () => decodeReply(reply('error', 'not json at all', true), 500),
      (e: unknown) => e instanceof ColoniesError && e.status === 500 && e.message === 'not json at all',
    );
  });

  it('keeps messages with quotes, unicode and angle brackets verbatim', () => {
    const msg = 'Failed to submit workflow, invalid dependencies, are you depending on a nodename that does not exits? "x" <y> ✓';
    assert.throws(() => decodeReply(errorBody(500, msg), 500), { message: msg });
  });

  it('empty 200 body is "no value" (getcolonystatsmsg non-member); empty error body is a ColoniesError', () => {
    assert.equal(decodeReply('', 200, 'getcolonystatsmsg'), undefined);
    assert.equal(decodeReply('  \n', 200), undefined);
    assert.throws(() => decodeReply('', 502), (e: unknown) => e instanceof ColoniesError && e.status === 502);
  });

  it('non-JSON bodies (proxies, HTML error pages) become protocol transport errors with a truncated excerpt', () => {
    const html = '<html><body>' + 'x'.repeat(5000) + '</body></html>';
    assert.throws(
      () => decodeReply(html, 502),
      (e: unknown) => e instanceof ColoniesTransportError && e.code === 'protocol' && e.message.includes('HTTP 502') && e.message.length < 400,
    );
    assert.throws(() => decodeReply('{"foo":1}', 200), (e: unknown) => e instanceof ColoniesTransportError && e.code === 'protocol');
  });

  it('rejects a reply with the wrong payloadtype', () => {
    assert.throws(
      () => decodeReply(reply('getcolonymsg', '{}'), 200, 'getprocessmsg'),
      (e: unknown) => e instanceof ColoniesTransportError && /payloadtype "getcolonymsg", expected "getprocessmsg"/.test(e.message),
    );
  });

  it('rejects truncated bodies and truncated payloads', () => {
    const full = reply('getprocessmsg', '{"processid":"abc"}');
    assert.throws(() => decodeReply(full.slice(0, full.length - 5), 200, 'getprocessmsg'), ColoniesTransportError);
    const cut = JSON.stringify({ payloadtype: 'getprocessmsg', payload: Buffer.from('{"processid":"ab').toString('base64'), error: false });
    assert.throws(() => decodeReply(cut, 200, 'getprocessmsg'), /not JSON/);
    const badB64 = JSON.stringify({ payloadtype: 'getprocessmsg', payload: 'e30', error: false });
    assert.throws(() => decodeReply(badB64, 200, 'getprocessmsg'), /not valid base64/);
  });

  it('a non-2xx status with a success envelope is still an error', () => {
    assert.throws(() => decodeReply(reply('getprocessmsg', '{}'), 500, 'getprocessmsg'), (e: unknown) => e instanceof ColoniesError && e.status === 500);
  });

  it('decodes huge replies and huge error messages (truncating nothing the server said)', () => {
    const big = 'y'.repeat(3 * 1024 * 1024);
    assert.equal((decodeReply(reply('channelreadmsg', JSON.stringify([{ payload: big }])), 200, 'channelreadmsg') as Array<{ payload: string }>)[0].payload.length, big.length);
    assert.throws(() => decodeReply(errorBody(500, big), 500), (e: unknown) => e instanceof ColoniesError && e.message.length === big.length);
  });

  it('decodeEnvelope handles WebSocket frames the same way', () => {
    const env = JSON.parse(errorBody(403, 'Not authorized to subscribe to channel'));
    assert.throws(() => decodeEnvelope(env, 200, 'subscribechannelmsg'), { message: 'Not authorized to subscribe to channel' });
  });
});

describe('colonies parsing quirks', () => {
  it('parses int64 nanosecond fields without precision loss', () => {
    const v = parseJson('{"prioritytime":1795716309916579663,"n":42,"f":1.5,"s":"1795716309916579663"}') as Record<string, unknown>;
    assert.equal(v.prioritytime, 1795716309916579663n);
    assert.equal(v.n, 42);
    assert.equal(v.f, 1.5);
    assert.equal(v.s, '1795716309916579663');
    assert.equal(stringifyJson(v), '{"prioritytime":1795716309916579663,"n":42,"f":1.5,"s":"1795716309916579663"}');
    assert.equal(JSON.parse('1795716309916579663'), 1795716309916579600, 'plain JSON.parse would round');
  });

  it('normalizes prioritytime to bigint whatever its size, and negative priorities', () => {
    const big = normalizeProcess(parseJson('{"processid":"p","prioritytime":1795716309916579663,"state":0}'));
    assert.equal(big.prioritytime, 1795716309916579663n);
    const small = normalizeProcess(parseJson('{"processid":"p","prioritytime":12,"state":0}'));
    assert.equal(small.prioritytime, 12n);
    const neg = normalizeProcess(parseJson('{"processid":"p","prioritytime":-2524608000000000000}'));
    assert.equal(neg.prioritytime, -2524608000000000000n);
    assert.equal(toBigInt(undefined), 0n);
  });

  it('log timestamps survive a round trip as the exact `since` value', () => {
    const logs = parseJson('[{"message":"a","timestamp":1795716309916579663}]') as Array<{ timestamp: bigint }>;
    const env = createEnvelope('getlogsmsg', { since: logs[0].timestamp }, undefined);
    assert.match(Buffer.from(env.payload, 'base64').toString(), /"since":1795716309916579663/);
  });

  it('treats Go zero times as unset, including the local-mean-time form', () => {
    for (const z of ['0001-01-01T00:00:00Z', '0001-01-01T01:12:12+01:12', '', undefined, null]) {
      assert.ok(isZeroTime(z), String(z));
      assert.equal(parseTime(z), undefined);
      assert.equal(parseTimeNs(z), undefined);
    }
    assert.equal(new Date('0001-01-01T01:12:12+01:12').toISOString(), '0001-01-01T00:00:12.000Z', 'JS Date alone would not see it as zero');
  });

  it('parses real times with the server offset and nanoseconds', () => {
    const t = '2026-11-26T19:05:09.91658+01:00';
    assert.ok(!isZeroTime(t));
    assert.equal(parseTime(t)?.toISOString(), '2026-11-26T18:05:09.916Z');
    assert.equal(parseTimeNs(t), BigInt(Date.parse('2026-11-26T18:05:09Z')) * 1_000_000n + 916_580_000n);
    assert.ok(parseTimeNs('2026-11-26T19:05:09.000000002+01:00')! > parseTimeNs('2026-11-26T19:05:09.000000001+01:00')!);
  });

  it('null lists decode to [] for channel entries; payloads decode to bytes; missing fields get defaults', () => {
    assert.deepEqual(toChannelEntries(null), []);
    const [e] = toChannelEntries([{ sequence: 3, timestamp: 't', senderid: 's', payload: null }]);
    assert.equal(e.inreplyto, 0);
    assert.equal(e.type, 'data');
    assert.equal(e.error, '');
    assert.equal(e.payload.length, 0);
    const [f] = toChannelEntries([{ sequence: 4, inreplyto: 2, timestamp: 't', senderid: 's', payload: 'aGk=', type: 'end' }]);
    assert.equal(Buffer.from(f.payload).toString(), 'hi');
    assert.equal(f.type, 'end');
    assert.equal(f.inreplyto, 2);
    assert.throws(() => toChannelEntries({}), ColoniesTransportError);
    assert.throws(() => toChannelEntries([{ payload: [1, 2] }]), ColoniesTransportError);
  });
});
