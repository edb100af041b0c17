// A profile's CA certificate file: read once, with a sentence for every way it can be unusable.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expandHome, readCaFile } from '../../../src/connection/caFile';

describe('CA certificate file', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-ca-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('returns the bytes of a PEM certificate file', () => {
    const file = path.join(dir, 'ca.pem');
    fs.writeFileSync(file, '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n');
    const read = readCaFile(file);
    assert.ok(Buffer.isBuffer(read));
  });

  it('names a missing file, a file that is not PEM, and the setting to fix', () => {
    const missing = readCaFile(path.join(dir, 'nope.pem'));
    assert.equal(typeof missing, 'string');
    assert.match(missing as string, /cannot read the CA certificate file .*nope\.pem.*ENOENT.*caFile/);
    const key = path.join(dir, 'key.pem');
    fs.writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n');
    assert.match(readCaFile(key) as string, /holds no PEM certificate/);
  });

  it('expands ~ to the home folder', () => {
    assert.equal(expandHome('~/ca.pem'), path.join(os.homedir(), 'ca.pem'));
    assert.equal(expandHome('/etc/ca.pem'), '/etc/ca.pem');
  });
});
