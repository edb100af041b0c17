import * as secp from '@noble/secp256k1';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, hexToBytes, randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { createHash, createHmac } from 'node:crypto';
import { checkKey, knownKey, recoverPublicKeyHex, type KnownKey, type ParsedSignature } from './recover';

// noble v3 leaves its hashes unset; RFC 6979 signing needs HMAC-SHA256. Node's (OpenSSL's, or BoringSSL's in
// the extension host) makes signing ~1.8× faster than the JavaScript one, with the same bytes.
secp.hashes.sha256 = (msg: Uint8Array) => new Uint8Array(createHash('sha256').update(msg).digest());
secp.hashes.hmacSha256 = (key: Uint8Array, msg: Uint8Array) => new Uint8Array(createHmac('sha256', key).update(msg).digest());

// OpenSSL's SHA3 is ~30x faster than the JS one on multi-megabyte channel payloads; Electron's BoringSSL
// (the VS Code extension host) has no SHA3, hence the probe and the fallback.
const nodeSha3 = (() => {
  try {
    createHash('sha3-256');
    return true;
  } catch {
    return false;
  }
})();

/** SHA3-256 of the UTF-8 bytes of `text`. */
function sha3Text(text: string): Uint8Array {
  return nodeSha3 ? new Uint8Array(createHash('sha3-256').update(text, 'utf8').digest()) : sha3_256(utf8ToBytes(text));
}

const CURVE_N = BigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');

const PRVKEY_RE = /^[0-9a-fA-F]{64}$/;
const SIGNATURE_RE = /^[0-9a-fA-F]{130}$/;

export class CryptoError extends Error {
  override readonly name = 'CryptoError';
}

/** Throws a CryptoError that never includes the key itself. */
export function validatePrivateKey(prvkey: string): Uint8Array {
  if (typeof prvkey !== 'string' || !PRVKEY_RE.test(prvkey)) {
    throw new CryptoError('Invalid private key: expected 64 hexadecimal characters (32 bytes)');
  }
  const bytes = hexToBytes(prvkey.toLowerCase());
  if (!secp.utils.isValidSecretKey(bytes)) {
    throw new CryptoError('Invalid private key: not a valid secp256k1 scalar (zero or not below the curve order)');
  }
  return bytes;
}

export function isValidPrivateKey(prvkey: string): boolean {
  try {
    validatePrivateKey(prvkey);
    return true;
  } catch {
    return false;
  }
}

/** A ColonyOS id: SHA3-256 over the ASCII hex text of the uncompressed public key. */
export function idFromPublicKey(pub: Uint8Array): string {
  return bytesToHex(sha3Text(bytesToHex(pub)));
}

export function sha3Hex(text: string): string {
  return bytesToHex(sha3Text(text));
}

export interface RecoverResult {
  id: string;
}

// Signatures are deterministic and unbounded pollers (process lists, state checks) resend byte-identical
// requests, so remembering recent (digest, signature) → id pairs spares the local colony most EC work.
const RECOVER_CACHE_MAX = 2048;
const recoverCache = new Map<string, string>();

/**
 * Mirrors the server's recovery so the local colony reports the same failures. `peer` (the connection a request
 * came on) is only a hint: the signer last seen on it is checked first, which is cheaper than recovering.
 */
export function recoverId(message: string, signatureHex: string, peer?: object): string {
  const digest = sha3Text(message);
  const cacheKey = typeof signatureHex === 'string' && signatureHex.length === 130 ? `${bytesToHex(digest)}:${signatureHex.toLowerCase()}` : '';
  const cached = cacheKey ? recoverCache.get(cacheKey) : undefined;
  if (cached) return cached;
  const id = recoverFromDigest(digest, signatureHex, peer);
  if (cacheKey) {
    if (recoverCache.size >= RECOVER_CACHE_MAX) recoverCache.delete(recoverCache.keys().next().value as string);
    recoverCache.set(cacheKey, id);
  }
  return id;
}

function recoverFromDigest(digest: Uint8Array, signatureHex: string, peer: object | undefined): string {
  if (typeof signatureHex !== 'string' || (signatureHex.length % 2 !== 0) || !/^[0-9a-fA-F]*$/.test(signatureHex)) {
    throw new CryptoError('encoding/hex: invalid byte in signature');
  }
  if (signatureHex.length !== 130) {
    throw new CryptoError('Invalid signature length');
  }
  const v = parseInt(signatureHex.slice(128), 16);
  if (v > 3) {
    throw new CryptoError(`Failed to recover public key: invalid signature: public key recovery code ${(v + 27) & 0xff} is not in the valid range [27, 34]`);
  }
  const r = BigInt(`0x${signatureHex.slice(0, 64)}`);
  const s = BigInt(`0x${signatureHex.slice(64, 128)}`);
  // The fast path (recover.ts) answers only where noble would recover the same key; anything else, every
  // failure included, goes to noble so the texts stay the server's.
  const signer = fastSigner(digest, { r, s, v }, peer) ?? nobleSigner(digest, signatureHex, v);
  // A key recovered from (r, s) always verifies (r, s) by construction, so the only check left from Go's
  // verify step is its low-s rule; testing s directly halves the cost of a full verify.
  if (s > CURVE_N >> 1n) {
    throw new CryptoError('Failed verify signature: Signature s value is over half the order');
  }
  if (peer) lastSignerByPeer.set(peer, signer);
  lastSigner = signer;
  return signer.id;
}

function nobleSigner(digest: Uint8Array, signatureHex: string, v: number): Signer {
  const sig = hexToBytes(signatureHex.toLowerCase());
  const recovered = new Uint8Array(65);
  recovered[0] = v;
  recovered.set(sig.subarray(0, 64), 1);
  let pub: Uint8Array;
  try {
    pub = secp.recoverPublicKey(recovered, digest, { prehash: false, isCompressed: false });
  } catch (err) {
    throw new CryptoError(`Failed to recover public key: ${(err as Error).message}`);
  }
  return signerFor(bytesToHex(pub));
}

// Signers seen recently, most recent last, by uncompressed public key (hex). A signer used often gets a
// fixed-base table of its key (~15–25 ms to build, ~150 KB), which lets `checkKey` confirm it at a third to half
// the cost of a recovery; only a few are kept, as the local colony hears from a handful of keys.
interface Signer {
  pub: string;
  id: string;
  uses: number;
  key?: KnownKey;
}
const SIGNERS_MAX = 1024;
const TABLES_MAX = 8;
const TABLE_AFTER_USES = 8;
const signers = new Map<string, Signer>();
const lastSignerByPeer = new WeakMap<object, Signer>();
let lastSigner: Signer | undefined;
let tables = 0;

function fastSigner(digest: Uint8Array, sig: ParsedSignature, peer: object | undefined): Signer | undefined {
  const guess = (peer && lastSignerByPeer.get(peer)) || lastSigner;
  if (guess?.key && checkKey(digest, sig, guess.key)) return used(guess);
  const pub = recoverPublicKeyHex(digest, sig);
  return pub === undefined ? undefined : signerFor(pub);
}

function signerFor(pub: string): Signer {
  let signer = signers.get(pub);
  if (!signer) {
    signer = { pub, id: bytesToHex(sha3Text(pub)), uses: 0 };
    if (signers.size >= SIGNERS_MAX) forget(signers.keys().next().value as string);
    signers.set(pub, signer);
  }
  return used(signer);
}

function used(signer: Signer): Signer {
  signer.uses++;
  signers.delete(signer.pub);
  signers.set(signer.pub, signer);
  if (!signer.key && signer.uses >= TABLE_AFTER_USES) {
    if (tables >= TABLES_MAX) {
      const oldest = [...signers.values()].find((other) => other.key);
      if (oldest) {
        oldest.key = undefined;
        tables--;
      }
    }
    signer.key = knownKey(BigInt(`0x${signer.pub.slice(2, 66)}`), BigInt(`0x${signer.pub.slice(66, 130)}`));
    if (signer.key) tables++;
  }
  return signer;
}

function forget(pubHex: string): void {
  const signer = signers.get(pubHex);
  if (signer?.key) tables--;
  signers.delete(pubHex);
}

export class Crypto {
  /** 32 random bytes hashed with SHA3-256, as the ColonyOS SDKs do; always a valid scalar in practice. */
  generatePrivateKey(): string {
    for (;;) {
      const key = bytesToHex(sha3_256(randomBytes(32)));
      if (isValidPrivateKey(key)) return key;
    }
  }

  id(prvkey: string): string {
    return idFromPublicKey(secp.getPublicKey(validatePrivateKey(prvkey), false));
  }

  /** Signs the UTF-8 bytes of `message` (the base64 payload string); returns hex r‖s‖v with v ∈ {0,1}. */
  sign(message: string, prvkey: string): string {
    const digest = sha3Text(message);
    const rec = secp.sign(digest, validatePrivateKey(prvkey), { prehash: false, format: 'recovered' });
    const out = new Uint8Array(65);
    out.set(rec.subarray(1, 65), 0);
    out[64] = rec[0];
    return bytesToHex(out);
  }

  recoverId(message: string, signature: string): string {
    return recoverId(message, signature);
  }

  isValidSignatureFormat(signature: string): boolean {
    return SIGNATURE_RE.test(signature);
  }
}

export const crypto = new Crypto();
