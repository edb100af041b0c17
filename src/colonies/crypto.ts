import * as secp from '@noble/secp256k1';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { bytesToHex, hexToBytes, randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { createHash } from 'node:crypto';

// noble v3 leaves its hashes unset; RFC 6979 signing needs HMAC-SHA256.
secp.hashes.sha256 = sha256;
secp.hashes.hmacSha256 = (key: Uint8Array, msg: Uint8Array) => hmac(sha256, key, msg);

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

/** Mirrors the server's recovery so the local colony reports the same failures. */
export function recoverId(message: string, signatureHex: string): string {
  const digest = sha3Text(message);
  const cacheKey = typeof signatureHex === 'string' && signatureHex.length === 130 ? `${bytesToHex(digest)}:${signatureHex.toLowerCase()}` : '';
  const cached = cacheKey ? recoverCache.get(cacheKey) : undefined;
  if (cached) return cached;
  const id = recoverFromDigest(digest, signatureHex);
  if (cacheKey) {
    if (recoverCache.size >= RECOVER_CACHE_MAX) recoverCache.delete(recoverCache.keys().next().value as string);
    recoverCache.set(cacheKey, id);
  }
  return id;
}

function recoverFromDigest(digest: Uint8Array, signatureHex: string): string {
  if (typeof signatureHex !== 'string' || (signatureHex.length % 2 !== 0) || !/^[0-9a-fA-F]*$/.test(signatureHex)) {
    throw new CryptoError('encoding/hex: invalid byte in signature');
  }
  const sig = hexToBytes(signatureHex.toLowerCase());
  if (sig.length !== 65) {
    throw new CryptoError('Invalid signature length');
  }
  const v = sig[64];
  if (v > 3) {
    throw new CryptoError(`Failed to recover public key: invalid signature: public key recovery code ${(v + 27) & 0xff} is not in the valid range [27, 34]`);
  }
  const recovered = new Uint8Array(65);
  recovered[0] = v;
  recovered.set(sig.subarray(0, 64), 1);
  let pub: Uint8Array;
  try {
    pub = secp.recoverPublicKey(recovered, digest, { prehash: false });
  } catch (err) {
    throw new CryptoError(`Failed to recover public key: ${(err as Error).message}`);
  }
  // A key recovered from (r, s) always verifies (r, s) by construction, so the only check left from Go's
  // verify step is its low-s rule; testing s directly halves the cost of a full verify.
  const s = BigInt(`0x${bytesToHex(sig.subarray(32, 64))}`);
  if (s > CURVE_N >> 1n) {
    throw new CryptoError('Failed verify signature: Signature s value is over half the order');
  }
  return idFromPublicKey(secp.Point.fromBytes(pub).toBytes(false));
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
