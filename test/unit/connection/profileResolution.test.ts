// Removing the active connection never moves to another server without saying so.
import * as assert from 'node:assert/strict';
import { activeAfterRemoval } from '../../../src/connection/profileResolution';

const profile = (name: string) => ({ name, host: `${name}.example.org`, port: 50080, tls: true, colonyName: 'dev' });

describe('connection: the active connection after one is removed', () => {
  const prod = profile('prod');
  const staging = profile('staging');
  const local = { ...profile('Local colony'), host: '127.0.0.1', tls: false };

  it('changes nothing when another connection was removed', () => {
    assert.deepEqual(activeAfterRemoval([prod, staging], 'old', 'prod', 'Local colony'), { kind: 'unchanged' });
  });

  it('leaves none when the last one was removed (the view shows its welcome: add, import, start local)', () => {
    assert.deepEqual(activeAfterRemoval([], 'prod', 'prod', 'Local colony'), { kind: 'none' });
  });

  it('uses the only one left, to be said in a message', () => {
    assert.deepEqual(activeAfterRemoval([staging], 'prod', 'prod', 'Local colony'), { kind: 'only', profile: staging });
  });

  it('asks among several, the local colony first, instead of jumping to the first in the list', () => {
    assert.deepEqual(activeAfterRemoval([prod, local, staging], 'old', 'old', 'Local colony'), { kind: 'ask', choices: [local, prod, staging] });
    assert.deepEqual(activeAfterRemoval([prod, staging], 'old', 'old', 'Local colony'), { kind: 'ask', choices: [prod, staging] });
  });
});
