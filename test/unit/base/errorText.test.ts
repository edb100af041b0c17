import * as assert from 'node:assert/strict';
import { ColoniesError, ColoniesTransportError } from '../../../src/colonies/rpc';
import { CryptoError } from '../../../src/colonies/crypto';
import { describeError, UserFacingError } from '../../../src/base/errorText';
import { stateFromProbeError } from '../../../src/connection/probe';

const ID = 'f'.repeat(64);
const ctx = { host: 'colonies.example.org', port: 50080, colonyName: 'dev', myId: ID };
const profile = { name: 'p', host: 'colonies.example.org', port: 50080, tls: false, colonyName: 'dev' };

describe('describeError', () => {
  it('explains 403 not a member with the key id and who must act', () => {
    const d = describeError(new ColoniesError(403, 'Access denied, not a member of Colony with name dev'), ctx);
    assert.match(d.message, /not a member of colony "dev"/);
    assert.ok(d.message.includes(ID));
    assert.match(d.message, /colony owner must add this id as a user or executor/);
    assert.deepEqual(d.actions.map((a) => a.command), ['colonyos.setPrivateKey']);
  });

  it('names host:port for transport errors and offers Retry / Edit Connection', () => {
    const d = describeError(new ColoniesTransportError('connect ECONNREFUSED 127.0.0.1:50080', 'network'), ctx);
    assert.match(d.message, /colonies\.example\.org:50080 is unreachable: connect ECONNREFUSED/);
    assert.deepEqual(d.actions.map((a) => a.command), ['colonyos.retryConnection', 'colonyos.editConnection']);
    assert.match(describeError(new ColoniesTransportError('x timed out', 'timeout'), ctx).message, /did not answer in time/);
  });

  it('is silent for cancellations and keeps other texts verbatim', () => {
    assert.equal(describeError(new ColoniesTransportError('stopped', 'cancelled')).silent, true);
    assert.equal(describeError(new ColoniesTransportError('disposed', 'disposed')).silent, true);
    const d = describeError(new ColoniesError(400, 'Tried to cancel successful process'));
    assert.equal(d.message, 'ColonyOS server: Tried to cancel successful process (status 400)');
    assert.equal(describeError(new CryptoError('Invalid private key: expected 64 hexadecimal characters (32 bytes)')).actions[0].command, 'colonyos.setPrivateKey');
    assert.equal(describeError('plain').message, 'plain');
  });

  it('passes UserFacingError messages and actions through', () => {
    const d = describeError(new UserFacingError('Pick a process.', [{ title: 'Add', command: 'colonyos.addConnection' }]));
    assert.deepEqual(d, { message: 'Pick a process.', actions: [{ title: 'Add', command: 'colonyos.addConnection' }], silent: false });
  });
});

describe('stateFromProbeError', () => {
  it('maps probe failures to connection states', () => {
    const notMember = stateFromProbeError(new ColoniesError(403, 'Access denied, not a member of Colony with name dev'), profile, ID);
    assert.equal(notMember.kind, 'unauthorized');
    assert.ok(notMember.kind === 'unauthorized' && notMember.myId === ID && notMember.reason.includes(ID));
    const noColony = stateFromProbeError(new ColoniesError(403, 'Colony with name dev does not exists'), profile, ID);
    assert.ok(noColony.kind === 'unauthorized' && /no colony named "dev"/.test(noColony.reason));
    const down = stateFromProbeError(new ColoniesTransportError('connect ECONNREFUSED', 'network'), profile, ID);
    assert.ok(down.kind === 'unreachable' && down.reason.includes('http://colonies.example.org:50080'));
    // The transport's message names the server too: the reason says it once, with what the code means.
    const refused = new ColoniesTransportError('getcolonymsg failed: cannot reach the ColonyOS server at http://colonies.example.org:50080 (ECONNREFUSED)', 'network');
    const once = stateFromProbeError(refused, profile, ID);
    assert.ok(once.kind === 'unreachable');
    assert.equal(once.reason, 'ColonyOS server http://colonies.example.org:50080 is unreachable: nothing is listening on that port (ECONNREFUSED)');
    assert.equal(once.reason.split('colonies.example.org').length - 1, 1);
    assert.equal(describeError(refused, ctx).message, 'ColonyOS server colonies.example.org:50080 is unreachable: nothing is listening on that port (ECONNREFUSED)');
    const broken = stateFromProbeError(new ColoniesError(500, 'database down'), profile, ID);
    assert.ok(broken.kind === 'unreachable' && /database down/.test(broken.reason));
  });
});
