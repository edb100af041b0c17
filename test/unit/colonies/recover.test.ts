import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as secp from '@noble/secp256k1';
import { crypto, recoverId } from '../../../src/colonies/crypto';
import { checkKey, knownKey, recoverPublicKeyHex, type ParsedSignature } from '../../../src/colonies/recover';

// The fast recovery must give exactly noble's key wherever it answers, and leave every failure to noble.
const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const big = (b: Uint8Array) => BigInt(`0x${hex(b)}`);
const pad = (n: bigint) => n.toString(16).padStart(64, '0');

function parse(rec: Uint8Array): ParsedSignature {
  return { r: big(rec.subarray(1, 33)), s: big(rec.subarray(33, 65)), v: rec[0] };
}

function recovered(r: bigint, s: bigint, v: number): Uint8Array {
  return Uint8Array.from(Buffer.from(`0${v}${pad(r)}${pad(s)}`, 'hex'));
}

/** noble's uncompressed key, or undefined where it throws. */
function noble(rec: Uint8Array, digest: Uint8Array): string | undefined {
  try {
    return hex(secp.recoverPublicKey(rec, digest, { prehash: false, isCompressed: false }));
  } catch {
    return undefined;
  }
}

describe('colonies/recover (fast public-key recovery)', () => {
  const keys = Array.from({ length: 3 }, () => secp.utils.randomSecretKey());

  it('recovers exactly noble’s key for real signatures', () => {
    for (let i = 0; i < 30; i++) {
      const digest = new Uint8Array(randomBytes(32));
      const rec = secp.sign(digest, keys[i % 3], { prehash: false, format: 'recovered' });
      assert.equal(recoverPublicKeyHex(digest, parse(rec)), hex(secp.getPublicKey(keys[i % 3], false)));
    }
  });

  it('agrees with noble on random and out-of-range signatures, or leaves them to noble', () => {
    const edges = [0n, 1n, N - 1n, N, N + 1n, P - 1n, 2n ** 256n - 1n];
    let answered = 0;
    for (let i = 0; i < 60; i++) {
      const digest = new Uint8Array(randomBytes(32));
      const r = i < 49 ? edges[i % 7] : big(randomBytes(32));
      const s = i < 49 ? edges[Math.floor(i / 7)] : big(randomBytes(32));
      const v = i % 4;
      if (r >= 2n ** 256n || s >= 2n ** 256n) continue;
      const got = recoverPublicKeyHex(digest, { r, s, v });
      if (got !== undefined) {
        answered++;
        assert.equal(got, noble(recovered(r, s, v), digest), `r=${r} s=${s} v=${v}`);
      }
    }
    assert.ok(answered > 0);
  });

  it('handles recovery ids 2 and 3 (x = r + n) as noble does', () => {
    let answered = 0;
    for (let i = 0; i < 20; i++) {
      const digest = new Uint8Array(randomBytes(32));
      const r = big(randomBytes(16)) % (P - N);
      const s = big(randomBytes(32)) % N || 1n;
      const v = 2 + (i % 2);
      const expected = noble(recovered(r, s, v), digest);
      const got = recoverPublicKeyHex(digest, { r, s, v });
      if (expected === undefined) assert.equal(got, undefined);
      else {
        answered++;
        assert.equal(got, expected);
      }
    }
    assert.ok(answered > 0);
  });

  it('checkKey is true exactly for the key recovery gives', () => {
    const tables = keys.map((k) => {
      const pub = secp.getPublicKey(k, false);
      return knownKey(big(pub.subarray(1, 33)), big(pub.subarray(33)))!;
    });
    for (let i = 0; i < 12; i++) {
      const digest = new Uint8Array(randomBytes(32));
      const rec = secp.sign(digest, keys[i % 3], { prehash: false, format: 'recovered' });
      const sig = parse(rec);
      tables.forEach((t, j) => assert.equal(checkKey(digest, sig, t), j === i % 3));
      // the other parity names another key
      assert.equal(checkKey(digest, { ...sig, v: sig.v ^ 1 }, tables[i % 3]), false);
    }
  });

  it('recoverId gives the same ids with and without a connection hint, for alternating signers', () => {
    const prv = Array.from({ length: 2 }, () => crypto.generatePrivateKey());
    const ids = prv.map((k) => crypto.id(k));
    const peer = {};
    for (let i = 0; i < 24; i++) {
      const message = `hint ${i} ${hex(randomBytes(4))}`;
      const who = (i >> 2) % 2;
      assert.equal(recoverId(message, crypto.sign(message, prv[who]), i % 3 ? peer : undefined), ids[who]);
    }
  });
});
