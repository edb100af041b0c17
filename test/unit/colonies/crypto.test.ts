import { strict as assert } from 'node:assert';
import { Crypto, CryptoError, isValidPrivateKey, recoverId, validatePrivateKey } from '../../../src/colonies/crypto';

const c = new Crypto();

// docs/protocol.md §1.4: ids from the Go CLI.
const ID_VECTORS: Array<[string, string]> = [
  ['fcc79953d8a751bf41db661592dc34d30004b1a651ffa0725b03ac227641499d', '039231c7644e04b6895471dd5335cf332681c54e27f81fac54f9067b3f2c0103'],
  ['ba949fa134981372d6da62b6a56f336ab4d843b22c02a4257dcf7d0d73097514', '4787a5071856a4acf702b2ffcea422e3237a679c681314113d86139461290cf4'],
  ['ddf7f7791208083b6a9ed975a72684f6406a269cfa36f1b1c32045c0a71fff05', '3fc05cf3df4b494e95d6a3d297a34f19938f7daa7422ab0d4f794454133341ac'],
  ['6d2fb6f546bacfd98c68769e61e0b44a697a30596c018a50e28200aa59b01c0a', '4fef2b5a82d134d058c1883c72d6d9caf77cd59ca82d73105017590dea3dcb87'],
  ['d6eb959e9aec2e6fdc44b5862b269e987b8a4d6f2baca542d8acaa97ee5e74f6', '5d6568f883451ae2e407d1a0a7992e414f2a67b69d0e6e9176d353b98f06f696'],
  ['0000000000000000000000000000000000000000000000000000000000000001', '2036f5bc759cfb3589fb4e2342bc9b3c843c5ef27dc8ded538de328a7567089b'],
];

// docs/protocol.md §1.4: signatures captured from the Go CLI plus the pycolonies vector.
const SIG_VECTORS: Array<{ key: string; message: string; signature: string; signer: string }> = [
  {
    key: 'fcc79953d8a751bf41db661592dc34d30004b1a651ffa0725b03ac227641499d',
    message: 'eyJtc2d0eXBlIjoiZ2V0Y29sb25pZXNtc2cifQ==',
    signature: '3cf5209e35d24048f67652cb354ded5bed0d56bdce9cab433646942a47760353283e65a2cb764e22d9efa37e67a9ba485ade029f1405e5eed13365a82250a87300',
    signer: '039231c7644e04b6895471dd5335cf332681c54e27f81fac54f9067b3f2c0103',
  },
  {
    key: 'ddf7f7791208083b6a9ed975a72684f6406a269cfa36f1b1c32045c0a71fff05',
    message:
      'eyJjb2xvbnluYW1lIjoiZGV2IiwiY291bnQiOjIwLCJzdGF0ZSI6MSwiZXhlY3V0b3J0eXBlIjoiIiwibGFiZWwiOiIiLCJpbml0aWF0b3IiOiIiLCJtc2d0eXBlIjoiZ2V0cHJvY2Vzc2VzbXNnIn0=',
    signature: '0b6979c2da230b55f82319297f3b6b30037a76d8c11dc2d63be467ad426f9fc21615af481fb29da2c3130a71c016eb6daf7636e5c938cb1e4d8af65c35587cac01',
    signer: '3fc05cf3df4b494e95d6a3d297a34f19938f7daa7422ab0d4f794454133341ac',
  },
  {
    key: 'ba949fa134981372d6da62b6a56f336ab4d843b22c02a4257dcf7d0d73097514',
    message: 'eyJjb2xvbnluYW1lIjoiZGV2IiwiZXhlY3V0b3JuYW1lIjoidGVzdGV4ZWMiLCJtc2d0eXBlIjoiYXBwcm92ZWV4ZWN1dG9ybXNnIn0=',
    signature: '637e38b17a05fed3dff0be017f7fbd54a4f430dfa1170aa269ddc49ee65458f33c73aa21ebc625fa570d8855d22adbf814bc4724556a0881c42d3a44eb4e2cd601',
    signer: '4787a5071856a4acf702b2ffcea422e3237a679c681314113d86139461290cf4',
  },
  {
    key: 'd6eb959e9aec2e6fdc44b5862b269e987b8a4d6f2baca542d8acaa97ee5e74f6',
    message: 'hello',
    signature: 'e713a1bb015fecabb5a084b0fe6d6e7271fca6f79525a634183cfdb175fe69241f4da161779d8e6b761200e1cf93766010a19072fa778f9643363e2cfadd640900',
    signer: '5d6568f883451ae2e407d1a0a7992e414f2a67b69d0e6e9176d353b98f06f696',
  },
];

describe('colonies/crypto', () => {
  describe('ids (docs/protocol.md §1.4)', () => {
    for (const [key, id] of ID_VECTORS) {
      it(`id of ${key.slice(0, 8)}… is ${id.slice(0, 8)}…`, () => {
        assert.equal(c.id(key), id);
        assert.equal(c.id(key.toUpperCase()), id, 'upper-case hex keys give the same id');
      });
    }
  });

  describe('signatures (docs/protocol.md §1.4)', () => {
    for (const v of SIG_VECTORS) {
      it(`signs ${v.message.slice(0, 16)}… byte for byte and recovers ${v.signer.slice(0, 8)}…`, () => {
        assert.equal(c.sign(v.message, v.key), v.signature);
        assert.equal(recoverId(v.message, v.signature), v.signer);
        assert.equal(c.recoverId(v.message, v.signature), v.signer);
        assert.ok(c.isValidSignatureFormat(v.signature));
      });
    }

    it('recovers any fresh signature by the same key to the same id', () => {
      // A fresh signature over another message recovers the same signer.
      const key = SIG_VECTORS[3].key;
      const sig = c.sign('another message', key);
      assert.equal(recoverId('another message', sig), SIG_VECTORS[3].signer);
    });

    it('a signature over a different payload recovers some other id', () => {
      const v = SIG_VECTORS[0];
      const other = recoverId('eyJtc2d0eXBlIjoidmVyc2lvbm1zZyJ9', v.signature);
      assert.notEqual(other, v.signer);
      assert.match(other, /^[0-9a-f]{64}$/);
    });

    it('has v ∈ {0,1} as the last byte and is deterministic', () => {
      const key = c.generatePrivateKey();
      const a = c.sign('payload', key);
      assert.equal(a, c.sign('payload', key));
      assert.ok(['00', '01'].includes(a.slice(128)));
    });
  });

  describe('server-side recovery errors (docs/protocol.md §1.3)', () => {
    const msg = SIG_VECTORS[0].message;
    it('empty signature → Invalid signature length', () => {
      assert.throws(() => recoverId(msg, ''), { message: 'Invalid signature length' });
    });
    it('v = 27 → recovery code 54', () => {
      const sig = SIG_VECTORS[0].signature.slice(0, 128) + '1b';
      assert.throws(() => recoverId(msg, sig), /public key recovery code 54 is not in the valid range \[27, 34\]/);
    });
    it('garbage v byte 171 → recovery code 198', () => {
      const sig = SIG_VECTORS[0].signature.slice(0, 128) + 'ab';
      assert.throws(() => recoverId(msg, sig), /^CryptoError: Failed to recover public key: invalid signature: public key recovery code 198/);
    });
    it('high-s signature is rejected', () => {
      const n = BigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');
      const sig = SIG_VECTORS[0].signature;
      const s = BigInt('0x' + sig.slice(64, 128));
      const highS = (n - s).toString(16).padStart(64, '0');
      const flipped = sig.slice(0, 64) + highS + (sig.slice(128) === '00' ? '01' : '00');
      assert.throws(() => recoverId(msg, flipped), { message: 'Failed verify signature: Signature s value is over half the order' });
    });
    it('non-hex signature is an encoding error', () => {
      assert.throws(() => recoverId(msg, 'zz'), CryptoError);
    });
  });

  describe('private keys', () => {
    it('generates valid, distinct keys', () => {
      const a = c.generatePrivateKey();
      const b = c.generatePrivateKey();
      assert.match(a, /^[0-9a-f]{64}$/);
      assert.notEqual(a, b);
      assert.ok(isValidPrivateKey(a));
    });
    it('rejects bad keys without echoing them', () => {
      const bad = ['', 'abc', '0'.repeat(64), 'f'.repeat(64), 'g'.repeat(64), 'ab'.repeat(33)];
      for (const k of bad) {
        assert.equal(isValidPrivateKey(k), false, k);
        assert.throws(
          () => validatePrivateKey(k),
          (err: Error) => err instanceof CryptoError && (k.length < 8 || !err.message.includes(k)),
        );
      }
    });
  });
});
