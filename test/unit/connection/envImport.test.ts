import * as assert from 'node:assert/strict';
import { environmentKeyFor, connectionFromVars, hasColoniesVars, parseEnvFile, uniqueName } from '../../../src/connection/envImport';

const KEY = 'ddf7f7791208083b6a9ed975a72684f6406a269cfa36f1b1c32045c0a71fff05';

describe('parseEnvFile', () => {
  it('reads export lines, plain lines, quotes and comments', () => {
    const vars = parseEnvFile(
      [
        '# ColonyOS devenv',
        'export COLONIES_SERVER_HOST="localhost"',
        "export COLONIES_COLONY_NAME='dev'   # the colony",
        'COLONIES_SERVER_PORT=50080 # http port',
        '  export   COLONIES_TLS = false',
        'export COLONIES_PRVKEY=' + KEY,
        'not a variable line',
        'export EMPTY=',
      ].join('\n'),
    );
    assert.equal(vars.get('COLONIES_SERVER_HOST'), 'localhost');
    assert.equal(vars.get('COLONIES_COLONY_NAME'), 'dev');
    assert.equal(vars.get('COLONIES_SERVER_PORT'), '50080');
    assert.equal(vars.get('COLONIES_TLS'), 'false');
    assert.equal(vars.get('COLONIES_PRVKEY'), KEY);
    assert.equal(vars.get('EMPTY'), '');
    assert.equal(vars.size, 6);
  });

  it('keeps # inside quotes and unspaced #, handles escapes, CRLF and a BOM', () => {
    const vars = parseEnvFile('\uFEFFA="x # y"\r\nB=a#b\r\nC="line\\n\\"q\\""\r\nD=\'$HOME\'\r\n');
    assert.equal(vars.get('A'), 'x # y');
    assert.equal(vars.get('B'), 'a#b');
    assert.equal(vars.get('C'), 'line\n"q"');
    assert.equal(vars.get('D'), '$HOME');
  });

  it('lets a later assignment win', () => {
    assert.equal(parseEnvFile('X=1\nexport X=2').get('X'), '2');
  });
});

describe('connectionFromVars', () => {
  it('builds a profile and keeps a valid key', () => {
    const c = connectionFromVars({
      COLONIES_SERVER_HOST: 'colonies.example.org',
      COLONIES_SERVER_PORT: '443',
      COLONIES_TLS: 'true',
      COLONIES_COLONY_NAME: 'dev',
      COLONIES_PRVKEY: KEY.toUpperCase(),
    });
    assert.deepEqual(c.profile, { host: 'colonies.example.org', port: 443, tls: true, colonyName: 'dev' });
    assert.equal(c.prvkey, KEY);
    assert.deepEqual(c.warnings, []);
  });

  it('falls back to COLONIES_SERVER_HTTP_PORT and then to 50080', () => {
    const base = { COLONIES_SERVER_HOST: 'h', COLONIES_COLONY_NAME: 'c', COLONIES_PRVKEY: KEY };
    assert.equal(connectionFromVars({ ...base, COLONIES_SERVER_HTTP_PORT: '8080' }).profile.port, 8080);
    const d = connectionFromVars(base);
    assert.equal(d.profile.port, 50080);
    assert.match(d.warnings.join(' '), /COLONIES_SERVER_PORT is not set/);
  });

  it('reads a parsed env file (Map)', () => {
    const vars = parseEnvFile('export COLONIES_SERVER_HOST=localhost\nexport COLONIES_COLONY_NAME=dev\nexport COLONIES_SERVER_PORT=50080\n');
    const c = connectionFromVars(vars);
    assert.equal(c.profile.host, 'localhost');
    assert.equal(c.prvkey, undefined);
    assert.match(c.warnings.join(' '), /COLONIES_PRVKEY is not set/);
  });

  it('names the offending variable and never echoes a bad key', () => {
    assert.throws(() => connectionFromVars({ COLONIES_COLONY_NAME: 'dev' }), /COLONIES_SERVER_HOST is not set/);
    assert.throws(() => connectionFromVars({ COLONIES_SERVER_HOST: 'h' }), /COLONIES_COLONY_NAME is not set/);
    assert.throws(
      () => connectionFromVars({ COLONIES_SERVER_HOST: 'h', COLONIES_COLONY_NAME: 'c', COLONIES_SERVER_PORT: '99999' }),
      /COLONIES_SERVER_PORT: "99999"/,
    );
    assert.throws(() => connectionFromVars({ COLONIES_SERVER_HOST: 'http://h', COLONIES_COLONY_NAME: 'c' }), /without http/);
    assert.throws(() => connectionFromVars({ COLONIES_SERVER_HOST: 'h', COLONIES_COLONY_NAME: 'c', COLONIES_TLS: 'maybe' }), /COLONIES_TLS/);
    const bad = 'zz' + KEY.slice(2);
    const c = connectionFromVars({ COLONIES_SERVER_HOST: 'h', COLONIES_COLONY_NAME: 'c', COLONIES_PRVKEY: bad });
    assert.equal(c.prvkey, undefined);
    assert.ok(!c.warnings.join(' ').includes(bad));
  });

  it('defaults to HTTPS for a remote host when COLONIES_TLS is not set, and says so', () => {
    const remote = connectionFromVars({ COLONIES_SERVER_HOST: 'colonies.example.org', COLONIES_COLONY_NAME: 'dev', COLONIES_SERVER_PORT: '50080' });
    assert.equal(remote.profile.tls, true);
    assert.match(remote.warnings.join(' '), /COLONIES_TLS is not set; using HTTPS for the remote host colonies\.example\.org/);
    const local = connectionFromVars({ COLONIES_SERVER_HOST: '127.0.0.1', COLONIES_COLONY_NAME: 'dev', COLONIES_SERVER_PORT: '50080' });
    assert.equal(local.profile.tls, false);
    assert.doesNotMatch(local.warnings.join(' '), /COLONIES_TLS/);
    const explicit = connectionFromVars({ COLONIES_SERVER_HOST: 'colonies.example.org', COLONIES_COLONY_NAME: 'dev', COLONIES_TLS: 'false' });
    assert.equal(explicit.profile.tls, false);
  });

  it('hasColoniesVars detects a usable environment', () => {
    assert.equal(hasColoniesVars({}), false);
    assert.equal(hasColoniesVars({ COLONIES_SERVER_HOST: ' ' }), false);
    assert.equal(hasColoniesVars({ COLONIES_SERVER_HOST: 'localhost' }), true);
  });
});

describe('uniqueName', () => {
  it('appends a counter when taken, case-insensitively', () => {
    assert.equal(uniqueName('dev', []), 'dev');
    assert.equal(uniqueName('dev', ['DEV']), 'dev (2)');
    assert.equal(uniqueName('dev', ['dev', 'dev (2)']), 'dev (3)');
  });
});

describe('environmentKeyFor', () => {
  const key = 'ddf7f7791208083b6a9ed975a72684f6406a269cfa36f1b1c32045c0a71fff05';
  const env = { COLONIES_SERVER_HOST: 'LocalHost', COLONIES_SERVER_PORT: '50080', COLONIES_COLONY_NAME: 'dev', COLONIES_PRVKEY: key };

  it('uses COLONIES_PRVKEY for the profile that matches the environment', () => {
    assert.strictEqual(environmentKeyFor({ host: 'localhost', port: 50080, colonyName: 'dev' }, env), key);
  });

  it('never hands the key to another server, port or colony', () => {
    assert.strictEqual(environmentKeyFor({ host: 'example.org', port: 50080, colonyName: 'dev' }, env), undefined);
    assert.strictEqual(environmentKeyFor({ host: 'localhost', port: 50081, colonyName: 'dev' }, env), undefined);
    assert.strictEqual(environmentKeyFor({ host: 'localhost', port: 50080, colonyName: 'prod' }, env), undefined);
    assert.strictEqual(environmentKeyFor({ host: 'localhost', port: 50080, colonyName: 'dev', tls: true }, env), undefined, 'nor to another scheme');
    assert.strictEqual(environmentKeyFor({ host: 'localhost', port: 50080, colonyName: 'dev', tls: true }, { ...env, COLONIES_TLS: 'true' }), key);
  });

  it('gives nothing when the variables are absent or the key is malformed', () => {
    assert.strictEqual(environmentKeyFor({ host: 'localhost', port: 50080, colonyName: 'dev' }, {}), undefined);
    assert.strictEqual(environmentKeyFor({ host: 'localhost', port: 50080, colonyName: 'dev' }, { ...env, COLONIES_PRVKEY: 'xyz' }), undefined);
  });
});
