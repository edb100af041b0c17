import { strict as assert } from 'node:assert';
import { crypto } from '../../../src/colonies/crypto';
import { postRaw, rawRequest, signedEnvelope, startTestColony } from './helpers';
import type { TestColony } from './helpers';

// Vectors captured from the Go CLI (docs/protocol.md §1.4).
const GET_COLONIES_PAYLOAD = 'eyJtc2d0eXBlIjoiZ2V0Y29sb25pZXNtc2cifQ==';
const GET_COLONIES_SIG = '3cf5209e35d24048f67652cb354ded5bed0d56bdce9cab433646942a47760353283e65a2cb764e22d9efa37e67a9ba485ade029f1405e5eed13365a82250a87300';
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

describe('local colony: envelope checks', function () {
  let c: TestColony;
  before(async () => {
    c = await startTestColony();
  });
  after(async () => {
    await c.stop();
  });

  it('accepts the Go CLI captured request for getcoloniesmsg and answers a text/plain envelope', async () => {
    const raw = await rawRequest(c.port, 'POST', '/api', JSON.stringify({ payloadtype: 'getcoloniesmsg', payload: GET_COLONIES_PAYLOAD, signature: GET_COLONIES_SIG }));
    assert.equal(raw.status, 200);
    assert.equal(raw.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(raw.headers['access-control-allow-origin'], '*');
    const env = JSON.parse(raw.body);
    assert.deepEqual(Object.keys(env), ['payloadtype', 'payload', 'error']);
    assert.equal(env.error, false);
    const colonies = JSON.parse(Buffer.from(env.payload, 'base64').toString());
    assert.deepEqual(colonies, [{ colonyid: crypto.id(c.colonyPrvKey), name: 'dev' }]);
  });

  it('reports envelope JSON syntax errors with Go texts (400)', async () => {
    const cases: Array<[string, string]> = [
      ['{nope}', "invalid character 'n' looking for beginning of object key string"],
      ['', 'unexpected end of JSON input'],
      ['{"payloadtype":"x"', 'unexpected end of JSON input'],
      ['{"a":1}x', "invalid character 'x' after top-level value"],
      ['[1 2]', "invalid character '2' after array element"],
      ['{"a" 1}', "invalid character '1' after object key"],
      ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
      ['{"a":-}', "invalid character '}' in numeric literal"],
    ];
    for (const [body, message] of cases) {
      const r = await postRaw(c.port, body);
      assert.equal(r.status, 400, body);
      assert.equal(r.payloadtype, 'error');
      assert.equal(r.error, true);
      assert.deepEqual(r.inner, { status: 400, message }, body);
    }
  });

  it('reports envelope type errors with Go texts (400)', async () => {
    const r = await postRaw(c.port, '{"payloadtype":"getcoloniesmsg","payload":5,"signature":""}');
    assert.equal(r.status, 400);
    assert.equal(r.inner.message, 'json: cannot unmarshal number into Go struct field RPCMsg.payload of type string');
    const top = await postRaw(c.port, '[]');
    assert.equal(top.inner.message, 'json: cannot unmarshal array into Go value of type rpc.RPCMsg');
  });

  it('serves versionmsg and getserverinfomsg unsigned', async () => {
    const v = await c.rpc('versionmsg', { buildversion: '', buildtime: '' }, undefined);
    assert.equal(v.status, 200);
    assert.deepEqual(v.inner, { buildversion: '', buildtime: '', msgtype: 'versionmsg' });
    const info = await postRaw(c.port, JSON.stringify({ payloadtype: 'getserverinfomsg', payload: 'garbage!', signature: '' }));
    assert.equal(info.status, 200);
    assert.equal(info.inner.backends[0].type, 'http');
    assert.equal(info.inner.backends[0].port, c.port);
    // versionmsg still decodes and checks msgtype.
    const bad = await postRaw(c.port, JSON.stringify({ payloadtype: 'versionmsg', payload: Buffer.from('{"msgtype":"x"}').toString('base64'), signature: '' }));
    assert.deepEqual(bad.inner, { status: 400, message: 'Failed to get server version, msg.MsgType does not match payloadType' });
  });

  it('rejects bad signatures with the Go texts (403)', async () => {
    const payload = GET_COLONIES_PAYLOAD;
    const send = (signature: string) => postRaw(c.port, JSON.stringify({ payloadtype: 'getcoloniesmsg', payload, signature }));
    assert.deepEqual((await send('')).inner, { status: 403, message: 'Invalid signature length' });
    assert.deepEqual((await send('zz')).inner, { status: 403, message: "encoding/hex: invalid byte: U+007A 'z'" });
    assert.deepEqual((await send('abc')).inner, { status: 403, message: 'encoding/hex: odd length hex string' });
    const v27 = GET_COLONIES_SIG.slice(0, 128) + '1b';
    assert.equal((await send(v27)).inner.message, 'Failed to recover public key: invalid signature: public key recovery code 54 is not in the valid range [27, 34]');
    // Same signature with s replaced by n - s (high-s, v flipped): recoverable but rejected.
    const r = GET_COLONIES_SIG.slice(0, 64);
    const s = BigInt('0x' + GET_COLONIES_SIG.slice(64, 128));
    const highS = (N - s).toString(16).padStart(64, '0');
    const res = await send(r + highS + '01');
    assert.equal(res.status, 403);
    assert.equal(res.inner.message, 'Failed verify signature: Signature s value is over half the order');
  });

  it('recovers an unrelated id from a signature over another payload, failing at authorization', async () => {
    const other = crypto.sign('eyJtc2d0eXBlIjoidmVyc2lvbm1zZyJ9', c.serverPrvKey);
    const r = await postRaw(c.port, JSON.stringify({ payloadtype: 'getcoloniesmsg', payload: GET_COLONIES_PAYLOAD, signature: other }));
    assert.deepEqual(r.inner, { status: 403, message: 'Access denied, not server owner' });
  });

  it('rejects unknown and empty payload types after the signature check (403)', async () => {
    const unknown = await postRaw(c.port, signedEnvelope('nosuchmsg', '{"msgtype":"nosuchmsg"}', c.userPrvKey));
    assert.deepEqual(unknown.inner, { status: 403, message: 'invalid rpcMsg.PayloadType: nosuchmsg' });
    const empty = await postRaw(c.port, signedEnvelope('', '{}', c.userPrvKey));
    assert.equal(empty.status, 403);
    assert.match(empty.inner.message, /^invalid rpcMsg\.PayloadType: empty \(this usually means the client is misconfigured/);
  });

  it('applies Go decoding to the inner message', async () => {
    // A number sent as a string is invalid JSON for the handler.
    const asString = await postRaw(c.port, signedEnvelope('getprocessesmsg', '{"msgtype":"getprocessesmsg","colonyname":"dev","count":"10","state":0}', c.userPrvKey));
    assert.deepEqual(asString.inner, { status: 400, message: 'Failed to get processes, invalid JSON' });
    // Non-base64 payload decodes to "" which is invalid JSON.
    const notB64 = await postRaw(c.port, JSON.stringify({ payloadtype: 'getcolonymsg', payload: '!!!', signature: crypto.sign('!!!', c.userPrvKey) }));
    assert.deepEqual(notB64.inner, { status: 400, message: 'Failed to get colony, invalid JSON' });
    // Case-insensitive keys, unknown fields ignored.
    const folded = await postRaw(c.port, signedEnvelope('getcolonymsg', '{"MsgType":"getcolonymsg","ColonyName":"dev","whatever":[1,2]}', c.userPrvKey));
    assert.equal(folded.status, 200);
    assert.equal(folded.inner.name, 'dev');
    // Missing fields are zero values: an empty colony name.
    const missing = await postRaw(c.port, signedEnvelope('getcolonymsg', '{"msgtype":"getcolonymsg"}', c.userPrvKey));
    assert.deepEqual(missing.inner, { status: 403, message: 'Colony with name <> does not exists' });
    // A fractional number for an int field is invalid too.
    const frac = await postRaw(c.port, signedEnvelope('getprocessesmsg', '{"msgtype":"getprocessesmsg","colonyname":"dev","count":1.5,"state":0}', c.userPrvKey));
    assert.equal(frac.inner.message, 'Failed to get processes, invalid JSON');
  });

  it('checks msgtype against payloadtype (400) with the handler wording', async () => {
    const r = await postRaw(c.port, signedEnvelope('getcolonymsg', '{"msgtype":"getcoloniesmsg","colonyname":"dev"}', c.userPrvKey));
    assert.deepEqual(r.inner, { status: 400, message: 'Failed to get colony, msg.MsgType does not match payloadType' });
    const assign = await postRaw(c.port, signedEnvelope('assignprocessmsg', '{"msgtype":"x","colonyname":"dev","timeout":1}', c.userPrvKey));
    assert.deepEqual(assign.inner, { status: 400, message: 'Failed to assign process, msg.msgType does not match payloadType' });
  });

  it('answers an inner JSON null like a Go nil-pointer panic (500, empty body)', async () => {
    const r = await postRaw(c.port, signedEnvelope('getcolonymsg', 'null', c.userPrvKey));
    assert.equal(r.status, 500);
    assert.equal(r.body, '');
  });

  it('uses "e30=" for empty successes, null for empty lists, and Go-escaped text', async () => {
    const key = await c.addExecutor('env-e1');
    void key;
    const approve = await c.rpc('approveexecutormsg', { colonyname: 'dev', executorname: 'env-e1' }, c.colonyPrvKey);
    assert.equal(approve.payload, 'e30=');
    const list = await c.rpc('getprocessesmsg', { colonyname: 'dev', count: 10, state: 3 }, c.userPrvKey);
    assert.equal(list.status, 200);
    assert.equal(Buffer.from(list.payload as string, 'base64').toString(), 'null');
    const denied = await c.rpc('getcolonymsg', { colonyname: 'dev' }, c.colonyPrvKey);
    assert.match(Buffer.from(JSON.parse(denied.body).payload, 'base64').toString(), /\\u003cdev\\u003e/);
    assert.equal(denied.inner.message, 'Access denied, not a member of Colony with name <dev>');
  });

  it('routes /health, CORS preflight and unknown paths like the real server', async () => {
    const health = await rawRequest(c.port, 'GET', '/health');
    assert.equal(health.status, 200);
    assert.equal(health.body, '');
    const pre = await rawRequest(c.port, 'OPTIONS', '/api');
    assert.equal(pre.status, 204);
    assert.equal(pre.headers['access-control-allow-methods'], 'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS');
    assert.equal(pre.headers['access-control-allow-headers'], 'Origin,Content-Length,Content-Type');
    assert.equal(pre.headers['access-control-max-age'], '43200');
    const nothing = await rawRequest(c.port, 'GET', '/nothing');
    assert.equal(nothing.status, 404);
  });
});
