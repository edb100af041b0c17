// HTTPS and wss against a server whose certificate is signed by a private CA (most self-hosted ColonyOS servers):
// a CA and a server certificate made with openssl in a temp folder, the local colony behind a TLS-terminating relay.
// Without the CA the client fails with an error that names the certificate problem, and the connection layer names
// the setting that fixes it; with the CA (read from a profile's caFile) RPC and a channel subscription work.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { ColoniesClient, ColoniesTransportError } from '../../src/colonies/index';
import { readCaFile } from '../../src/connection/caFile';
import { probeConnection } from '../../src/connection/probe';
import type { ConnectionProfile } from '../../src/connection/types';
import { failOnUnhandledRejections, startChat, type ChatSetup } from './helpers';

interface Pki {
  dir: string;
  caFile: string;
  key: Buffer;
  cert: Buffer;
}

/** A CA and a server certificate for 127.0.0.1 / localhost that it signed (P-256 keys: fast to make). */
function makePki(): Pki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-tls-'));
  const f = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const e = err as { code?: string; stderr?: Buffer };
      if (e.code === 'ENOENT') throw new Error('this test needs the openssl command (apt-get install openssl)', { cause: err });
      throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr?.toString() ?? String(err)}`, { cause: err });
    }
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=ColonyOS test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', '-new', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=localhost');
  fs.writeFileSync(f('server.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2',
    '-out', f('server.pem'), '-extfile', f('server.ext'));
  return { dir, caFile: f('ca.pem'), key: fs.readFileSync(f('server.key')), cert: fs.readFileSync(f('server.pem')) };
}

/** Terminates TLS and relays the plain bytes (HTTP and WebSocket alike) to the local colony. */
class TlsRelay {
  private readonly server: tls.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(pki: Pki, targetPort: number) {
    this.server = tls.createServer({ key: pki.key, cert: pki.cert }, (inbound) => {
      const outbound = net.connect(targetPort, '127.0.0.1');
      for (const s of [inbound, outbound]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          inbound.destroy();
          outbound.destroy();
        });
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    // A client that rejects the certificate aborts the handshake; that is expected here.
    this.server.on('tlsClientError', () => undefined);
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.port = (this.server.address() as net.AddressInfo).port;
        resolve(this.port);
      });
    });
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('reliability: TLS with a private certificate authority', function () {
  this.timeout(120_000);
  failOnUnhandledRejections();
  let pki: Pki;
  let chat: ChatSetup;
  let relay: TlsRelay;
  const clients: ColoniesClient[] = [];

  const profile = (caFile?: string): ConnectionProfile => ({
    name: 'self-hosted',
    host: '127.0.0.1',
    port: relay.port,
    tls: true,
    colonyName: chat.colony.colonyName,
    ...(caFile ? { caFile } : {}),
  });

  function tlsClient(ca?: Buffer): ColoniesClient {
    // A generous deadline: the failures asserted here are immediate; the successes must not flake on a busy machine.
    const c = new ColoniesClient({ host: '127.0.0.1', port: relay.port, tls: true, timeoutMs: 60_000, ...(ca ? { ca } : {}) });
    clients.push(c);
    return c;
  }

  before(async () => {
    pki = makePki();
    chat = await startChat();
    relay = new TlsRelay(pki, chat.colony.port);
    await relay.listen();
  });

  after(async () => {
    for (const c of clients.splice(0)) c.dispose();
    await relay?.close();
    await chat?.stop();
    if (pki) fs.rmSync(pki.dir, { recursive: true, force: true });
  });

  it('without the CA, an RPC fails with an error that names the certificate problem', async () => {
    const client = tlsClient();
    const err = await client.getColony(chat.colony.colonyName, chat.userKey).then(
      () => assert.fail('the request succeeded although the certificate is not trusted'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ColoniesTransportError, String(err));
    assert.match(err.message, /TLS certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted/);
    assert.match(err.message, /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
    assert.match(err.message, /CA certificate \(PEM\)/);
  });

  it('without the CA, the connection state names the setting that fixes it', async () => {
    const state = await probeConnection(tlsClient(), profile(), chat.userKey);
    assert.equal(state.kind, 'unreachable');
    assert.ok(state.kind === 'unreachable');
    assert.match(state.reason, /is not trusted/);
    assert.match(state.reason, /Set "caFile" of connection "self-hosted" in the colonyos\.connections user setting/);
  });

  it('without the CA, a channel subscription (wss) fails with the certificate problem too', async () => {
    const err = await tlsClient()
      .subscribeChannel(chat.processId, chat.channel, chat.userKey, { timeout: 5 })
      .then(
        () => assert.fail('the subscription opened although the certificate is not trusted'),
        (e: unknown) => e,
      );
    assert.ok(err instanceof ColoniesTransportError, String(err));
    assert.match(err.message, /cannot open a WebSocket: the TLS certificate of wss:\/\/127\.0\.0\.1:\d+\/pubsub is not trusted/);
  });

  it("with the profile's CA file, RPC and a channel subscription work over HTTPS and wss", async () => {
    const ca = readCaFile(pki.caFile);
    assert.ok(Buffer.isBuffer(ca), String(ca));
    const client = tlsClient(ca);
    assert.equal((await probeConnection(client, profile(pki.caFile), chat.userKey)).kind, 'connected');
    const colony = await client.getColony(chat.colony.colonyName, chat.userKey);
    assert.equal(colony.name, chat.colony.colonyName);

    // The executor writes on plain HTTP (it is not under test); the user reads over wss with the CA.
    const executor = chat.client();
    let subscribed!: () => void;
    const ready = new Promise<void>((r) => (subscribed = r));
    const received = client.subscribeChannel(chat.processId, chat.channel, chat.userKey, {
      timeout: 60,
      onSubscribed: () => subscribed(),
      callback: (batch) => !batch.some((e) => Buffer.from(e.payload).toString('utf8') === 'over TLS'),
    });
    await ready;
    await executor.channelAppend(chat.processId, chat.channel, 1, 'over TLS', chat.executorKey);
    const entries = await received;
    assert.ok(entries.some((e) => Buffer.from(e.payload).toString('utf8') === 'over TLS'), `got ${entries.length} entries`);
  });
});
