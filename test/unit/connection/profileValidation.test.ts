import * as assert from 'node:assert/strict';
import {
  parseBool,
  parsePort,
  readProfiles,
  validateCaFile,
  looksLikePemCertificate,
  validateColonyName,
  validateHost,
  validatePort,
  validateProfileName,
} from '../../../src/connection/profileValidation';

describe('profile validation', () => {
  it('validates names, including duplicates', () => {
    assert.equal(validateProfileName('dev'), undefined);
    assert.match(validateProfileName('  ') ?? '', /Enter a name/);
    assert.match(validateProfileName('Dev', ['dev']) ?? '', /already exists/);
    assert.match(validateProfileName('x'.repeat(65)) ?? '', /64/);
  });

  it('validates hosts', () => {
    for (const ok of ['localhost', '127.0.0.1', 'colonies.example.org', '::1', '[::1]', 'my-host']) {
      assert.equal(validateHost(ok), undefined, ok);
    }
    assert.match(validateHost('') ?? '', /Enter the server host/);
    assert.match(validateHost('https://x.org') ?? '', /without http/);
    assert.match(validateHost('localhost:50080') ?? '', /port separately/);
    assert.match(validateHost('a b') ?? '', /spaces/);
    assert.match(validateHost('-bad') ?? '', /not a valid host/);
  });

  it('validates ports', () => {
    assert.equal(parsePort('50080'), 50080);
    assert.equal(parsePort(1), 1);
    assert.equal(parsePort('0'), undefined);
    assert.equal(parsePort('65536'), undefined);
    assert.equal(parsePort('80a'), undefined);
    assert.equal(validatePort('443'), undefined);
    assert.match(validatePort('x') ?? '', /between 1 and 65535/);
  });

  it('validates colony names and booleans', () => {
    assert.equal(validateColonyName('dev'), undefined);
    assert.match(validateColonyName('') ?? '', /colony name/);
    assert.match(validateColonyName('a b') ?? '', /spaces/);
    assert.equal(parseBool('TRUE'), true);
    assert.equal(parseBool('0'), false);
    assert.equal(parseBool('maybe'), undefined);
    assert.equal(parseBool(undefined), undefined);
  });

  it('reads settings leniently, skipping bad entries with a reason', () => {
    const { profiles, problems } = readProfiles([
      { name: 'a', host: 'localhost', port: 50080, colonyName: 'dev' },
      { name: 'b', host: 'h', port: '443', tls: true, colonyName: 'x' },
      { name: 'A', host: 'localhost', port: 1, colonyName: 'dev' },
      { name: 'c', host: 'h', port: 0, colonyName: 'dev' },
      'junk',
    ]);
    assert.deepEqual(profiles, [
      { name: 'a', host: 'localhost', port: 50080, tls: false, colonyName: 'dev' },
      { name: 'b', host: 'h', port: 443, tls: true, colonyName: 'x' },
    ]);
    assert.equal(problems.length, 3);
    assert.match(problems[0], /"A".*already exists/);
    assert.match(problems[1], /invalid port/);
    assert.deepEqual(readProfiles(undefined), { profiles: [], problems: [] });
  });

  it('reads a CA certificate file only as an absolute path', () => {
    const { profiles, problems } = readProfiles([
      { name: 'a', host: 'h', port: 443, tls: true, colonyName: 'dev', caFile: '/etc/colonies/ca.pem' },
      { name: 'b', host: 'h', port: 443, tls: true, colonyName: 'dev', caFile: '~/ca.pem' },
      { name: 'c', host: 'h', port: 443, tls: true, colonyName: 'dev', caFile: 'ca.pem' },
      { name: 'd', host: 'h', port: 443, tls: true, colonyName: 'dev', caFile: '' },
    ]);
    assert.deepEqual(profiles.map((p) => [p.name, p.caFile]), [['a', '/etc/colonies/ca.pem'], ['b', '~/ca.pem'], ['d', undefined]]);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /"c": caFile: "ca.pem" is not an absolute path/);
    assert.equal(validateCaFile('C:\\certs\\ca.pem'), undefined);
    assert.equal(looksLikePemCertificate('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'), true);
    assert.equal(looksLikePemCertificate('-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n'), false);
  });
});
