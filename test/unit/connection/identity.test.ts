// Keys belong to a server identity; the one-time migration from per-name keys; loopback and plain-HTTP rules;
// which profiles apply (user level only).
import * as assert from 'node:assert/strict';
import {
  identityKey,
  isLoopbackHost,
  isPlainHttpToRemote,
  legacySecretKeyFor,
  migrateLegacyKeys,
  sameIdentity,
  secretKeyForIdentity,
  type SecretsLike,
} from '../../../src/connection/identity';
import { resolveProfiles } from '../../../src/connection/profileResolution';

const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

class FakeSecrets implements SecretsLike {
  readonly map = new Map<string, string>();
  async get(key: string) {
    return this.map.get(key);
  }
  async store(key: string, value: string) {
    this.map.set(key, value);
  }
  async delete(key: string) {
    this.map.delete(key);
  }
}

const work = { name: 'work', host: 'colonies.example.org', port: 443, tls: true, colonyName: 'prod' };

describe('server identity', () => {
  it('is scheme, host, port and colony; never the profile name', () => {
    assert.equal(identityKey(work), 'https://colonies.example.org:443/prod');
    const renamed = { ...work, name: 'other' };
    assert.equal(identityKey(renamed), identityKey(work));
    assert.notEqual(identityKey({ ...work, tls: false }), identityKey(work));
    assert.notEqual(identityKey({ ...work, port: 444 }), identityKey(work));
    assert.notEqual(identityKey({ ...work, host: 'evil.example.org' }), identityKey(work));
    assert.notEqual(identityKey({ ...work, colonyName: 'Prod' }), identityKey(work), 'colony names are case-sensitive');
    assert.equal(secretKeyForIdentity(work), 'colonyos.key:https://colonies.example.org:443/prod');
  });

  it('normalises host spelling: case, IPv6 brackets, a trailing dot', () => {
    assert.ok(sameIdentity(work, { ...work, host: 'Colonies.Example.ORG.' }));
    assert.ok(sameIdentity({ ...work, host: '::1' }, { ...work, host: '[::1]' }));
    assert.equal(identityKey({ ...work, host: '::1' }), 'https://[::1]:443/prod');
    assert.equal(identityKey({ ...work, colonyName: 'a/b c' }), 'https://colonies.example.org:443/a%2Fb%20c');
  });

  it('knows loopback hosts; everything else is remote', () => {
    for (const h of ['localhost', 'LOCALHOST', 'api.localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
      assert.equal(isLoopbackHost(h), true, h);
    }
    for (const h of ['example.org', '10.0.0.1', '192.168.1.2', '0.0.0.0', 'localhost.example.org', '128.0.0.1', '::2', '::ffff:10.0.0.1']) {
      assert.equal(isLoopbackHost(h), false, h);
    }
    assert.equal(isPlainHttpToRemote({ host: 'example.org', tls: false }), true);
    assert.equal(isPlainHttpToRemote({ host: 'example.org', tls: true }), false);
    assert.equal(isPlainHttpToRemote({ host: '127.0.0.1', tls: false }), false);
  });
});

describe('key migration (per name -> per server identity)', () => {
  it('moves a key to the identity of the user profile of that name and deletes the old entry', async () => {
    const secrets = new FakeSecrets();
    secrets.map.set(legacySecretKeyFor('work'), KEY_A);
    const result = await migrateLegacyKeys(secrets, [work]);
    assert.deepEqual(result, { moved: ['work'], conflicts: [] });
    assert.equal(secrets.map.get(secretKeyForIdentity(work)), KEY_A);
    assert.equal(secrets.map.has(legacySecretKeyFor('work')), false);
  });

  it('follows the profile as the USER defined it: a workspace profile of the same name is never consulted', async () => {
    // The caller passes the user's own profiles only; the hostile one (same name, other host) gets nothing.
    const secrets = new FakeSecrets();
    secrets.map.set(legacySecretKeyFor('work'), KEY_A);
    await migrateLegacyKeys(secrets, [work]);
    const hostile = { ...work, host: '127.0.0.1', port: 6666, tls: false };
    assert.equal(secrets.map.get(secretKeyForIdentity(hostile)), undefined);
    assert.deepEqual([...secrets.map.keys()], [secretKeyForIdentity(work)]);
  });

  it('keeps a key already stored for the identity, and never loses the other one', async () => {
    const secrets = new FakeSecrets();
    secrets.map.set(secretKeyForIdentity(work), KEY_B);
    secrets.map.set(legacySecretKeyFor('work'), KEY_A);
    const result = await migrateLegacyKeys(secrets, [work]);
    assert.deepEqual(result, { moved: [], conflicts: ['work'] });
    assert.equal(secrets.map.get(secretKeyForIdentity(work)), KEY_B);
    assert.equal(secrets.map.get(legacySecretKeyFor('work')), KEY_A);
  });

  it('two names for one server: the first key moves, an equal second one is just removed', async () => {
    const secrets = new FakeSecrets();
    const alias = { ...work, name: 'work (alias)' };
    secrets.map.set(legacySecretKeyFor('work'), KEY_A);
    secrets.map.set(legacySecretKeyFor('work (alias)'), KEY_A);
    const result = await migrateLegacyKeys(secrets, [work, alias]);
    assert.deepEqual(result, { moved: ['work', 'work (alias)'], conflicts: [] });
    assert.deepEqual([...secrets.map.entries()], [[secretKeyForIdentity(work), KEY_A]]);
  });

  it('leaves profiles without an old key, and old keys without a profile, alone', async () => {
    const secrets = new FakeSecrets();
    secrets.map.set(legacySecretKeyFor('gone'), KEY_A);
    const result = await migrateLegacyKeys(secrets, [work]);
    assert.deepEqual(result, { moved: [], conflicts: [] });
    assert.deepEqual([...secrets.map.keys()], [legacySecretKeyFor('gone')]);
  });
});

describe('profile resolution (user level only)', () => {
  const user = [{ name: 'work', host: 'colonies.example.org', port: 443, tls: true, colonyName: 'prod' }];
  const hostile = [{ name: 'work', host: '203.0.113.9', port: 50080, tls: false, colonyName: 'prod' }];

  it('ignores workspace and folder values of both settings, and names them', () => {
    const r = resolveProfiles(
      { globalValue: user, workspaceValue: hostile, workspaceFolderValue: hostile },
      { globalValue: 'work', workspaceValue: 'work' },
    );
    assert.deepEqual(r.profiles, user);
    assert.equal(r.active?.host, 'colonies.example.org');
    assert.deepEqual(r.ignoredWorkspaceKeys, ['colonyos.connections', 'colonyos.activeConnection']);
  });

  it('a workspace cannot supply profiles or pick the active one when the user has none', () => {
    const r = resolveProfiles({ workspaceValue: hostile }, { workspaceValue: 'work' });
    assert.deepEqual(r.profiles, []);
    assert.equal(r.active, undefined);
    assert.equal(r.activeName, '');
  });

  it('falls back to the first user profile for a stale or empty active name', () => {
    const two = [...user, { name: 'lab', host: 'localhost', port: 50080, tls: false, colonyName: 'dev' }];
    assert.equal(resolveProfiles({ globalValue: two }, { globalValue: 'nope' }).active?.name, 'work');
    assert.equal(resolveProfiles({ globalValue: two }, undefined).active?.name, 'work');
    assert.equal(resolveProfiles({ globalValue: two }, { globalValue: 'lab' }).active?.name, 'lab');
    assert.deepEqual(resolveProfiles({ globalValue: two }, { globalValue: 'lab' }).ignoredWorkspaceKeys, []);
  });
});
