// The local colony holds back its answer to a close frame while a channel subscription runs on that socket
// (as a real server does: test/integration/pubsubClose.test.ts pins that on both). A held answer must not keep
// the socket alive once the client is gone, nor survive a server stop.
import { strict as assert } from 'node:assert';
import { eventually, funcSpec, openWs, startTestColony, type TestColony, type WsProbe } from './helpers';

describe('local colony: a close frame held behind a channel subscription', function () {
  this.timeout(30000);
  let c: TestColony | undefined;

  afterEach(async () => {
    await c?.stop();
    c = undefined;
  });

  /** A socket with a 60 s channel subscription running and a close frame sent on it. */
  async function heldClose(colony: TestColony): Promise<WsProbe> {
    const p = await colony.submit(funcSpec({ channels: ['chat'] }));
    const append = await colony.rpc('channelappendmsg', { processid: p.processid, name: 'chat', sequence: 1, payload: [104, 105] }, colony.userPrvKey);
    assert.equal(append.status, 200, append.body);
    const ws = await openWs(colony.port);
    ws.send('subscribechannelmsg', { processid: p.processid, name: 'chat', afterseq: 0, timeout: 60 }, colony.userPrvKey);
    await ws.waitFrames(1);
    ws.ws.close(1000);
    // A full close handshake on another socket: the server has had every chance to answer ours.
    const other = await openWs(colony.port);
    other.ws.close(1000);
    assert.equal(await other.closed, 1000);
    assert.equal(ws.closeCode, undefined, 'the close was answered while the subscription ran');
    assert.equal(colony.server.openWebSockets, 1);
    return ws;
  }

  it('is dropped with the socket when the client goes away', async () => {
    c = await startTestColony();
    const ws = await heldClose(c);
    ws.close(); // the client's TCP side goes away (no answer ever came)
    const colony = c;
    await eventually(async () => colony.server.openWebSockets === 0, 10_000);
  });

  it('does not outlive a server stop', async () => {
    c = await startTestColony();
    const ws = await heldClose(c);
    const colony = c;
    c = undefined;
    await colony.stop();
    assert.equal(await ws.closed, 1006);
    assert.equal(colony.server.openWebSockets, 0);
  });
});
