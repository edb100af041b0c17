// A purpose-built server that answers with garbage over real sockets: the client must reject every call with a
// clear error (what was wrong, which server), never hang past its timeout, never crash the process.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ChannelStream, ColoniesClient, ColoniesError, ColoniesTransportError, crypto, encodeBase64, type StreamStatus } from '../../src/colonies/index';
import { failOnUnhandledRejections, until } from './helpers';

type Reply = (req: http.IncomingMessage, res: http.ServerResponse) => void;
type Frames = (ws: WebSocket) => void;

const envelope = (payloadtype: string, inner: string, error = false) =>
  JSON.stringify({ payloadtype, payload: Buffer.from(inner).toString('base64'), error });

function runChild(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: path.resolve(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('reliability: garbage from the server', function () {
  this.timeout(120_000);
  failOnUnhandledRejections();
  const key = crypto.generatePrivateKey();
  const pid = 'a'.repeat(64);
  let server: http.Server;
  let wss: WebSocketServer;
  let reply: Reply = (_req, res) => res.end();
  let frames: Frames = (ws) => ws.close();
  const sockets = new Set<Socket>();
  /** 3 s: the deadline "no answer at all" waits for. */
  let client: ColoniesClient;
  /**
   * For the replies of tens of MB: moving and parsing them takes well under a second on an idle machine, but many
   * times that on a loaded 2-core one, and the test is about the error, not the speed (bench/ measures that).
   */
  let patient: ColoniesClient;

  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => reply(req, res));
    });
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => ws.once('message', () => frames(ws))));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    client = new ColoniesClient({ host: '127.0.0.1', port: (server.address() as { port: number }).port, timeoutMs: 3000 });
    patient = new ColoniesClient({ host: '127.0.0.1', port: client.port, timeoutMs: 90_000 });
  });
  after(async () => {
    client.dispose();
    patient.dispose();
    wss.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  /** Runs a call that must fail; returns the error for the caller's checks. */
  async function failure(call: () => Promise<unknown>): Promise<Error> {
    try {
      const value = await call();
      assert.fail(`expected a failure, got ${JSON.stringify(value)?.slice(0, 200)}`);
    } catch (err) {
      if (err instanceof assert.AssertionError) throw err;
      assert.ok(err instanceof ColoniesTransportError || err instanceof ColoniesError, `a client error, got ${String(err)}`);
      // Error envelopes carry the server's own text verbatim, however short; everything else is explained.
      const min = err instanceof ColoniesError ? 1 : 20;
      assert.ok(err.message.length >= min && err.message.length < 2000, `a readable message: ${err.message.slice(0, 300)}`);
      return err;
    }
  }

  const cases: Array<{ name: string; reply: Reply; expect: RegExp; big?: boolean }> = [
    { name: 'non-JSON text', reply: (_q, s) => s.end('<html><body>Bad Gateway</body></html>'), expect: /not a ColonyOS envelope \(HTTP 200\): <html>/ },
    { name: 'an HTML error page', reply: (_q, s) => s.writeHead(502).end('<h1>502</h1>'), expect: /not a ColonyOS envelope \(HTTP 502\)/ },
    { name: 'JSON that is not an envelope', reply: (_q, s) => s.end('{"hello":"world"}'), expect: /not a ColonyOS envelope/ },
    { name: 'JSON null', reply: (_q, s) => s.end('null'), expect: /not a ColonyOS envelope/ },
    { name: 'the wrong payloadtype', reply: (_q, s) => s.end(envelope('getcolonymsg', '{"name":"x"}')), expect: /payloadtype "getcolonymsg", expected "getprocessmsg"/ },
    { name: 'a payload that is not base64', reply: (_q, s) => s.end('{"payloadtype":"getprocessmsg","payload":"%%%","error":false}'), expect: /not valid base64/ },
    { name: 'a payload that is not JSON', reply: (_q, s) => s.end(envelope('getprocessmsg', '{"processid": tru')), expect: /payload is not JSON/ },
    { name: 'a payload of the wrong shape', reply: (_q, s) => s.end(envelope('getprocessmsg', '42')), expect: /not a process/ },
    { name: 'an empty 200 body', reply: (_q, s) => s.end(), expect: /empty reply to getprocessmsg/ },
    { name: 'an error envelope without a message', reply: (_q, s) => s.writeHead(500).end(envelope('error', '"boom"', true)), expect: /boom/ },
    {
      name: 'a truncated body (Content-Length larger than what is sent)',
      reply: (_q, s) => {
        s.writeHead(200, { 'Content-Length': '1000' });
        s.write('{"payloadtype":"getprocessmsg","payl');
        setTimeout(() => s.destroy(), 20);
      },
      expect: /cannot reach the ColonyOS server|aborted|socket hang up|ECONNRESET/,
    },
    { name: 'a connection closed without an answer', reply: (_q, s) => s.socket?.destroy(), expect: /cannot reach the ColonyOS server at http:\/\/127\.0\.0\.1:\d+ \(/ },
    { name: 'no answer at all', reply: () => undefined, expect: /timed out after 3 s/ },
    {
      name: '50 MB of garbage',
      reply: (_q, s) => s.end(Buffer.alloc(50 * 1024 * 1024, 'x')),
      expect: /not a ColonyOS envelope \(HTTP 200\): x+ … \(52,428,600 more characters\)/,
      big: true,
    },
    {
      name: 'a 40 MB payload of the wrong shape',
      reply: (_q, s) => s.end(envelope('getprocessmsg', JSON.stringify(['y'.repeat(40 * 1024 * 1024)]))),
      expect: /not a process/,
      big: true,
    },
  ];

  for (const c of cases) {
    it(`getProcess rejects ${c.name} with a clear error`, async () => {
      reply = c.reply;
      const err = await failure(() => (c.big ? patient : client).getProcess(pid, key));
      assert.match(err.message, c.expect);
    });
  }

  it('a list call rejects a payload that is not a list', async () => {
    reply = (_q, s) => s.end(envelope('getprocessesmsg', '{"not":"a list"}'));
    const err = await failure(() => client.getProcesses('dev', 10, 0, key));
    assert.match(err.message, /reply to getprocessesmsg is not a list/);
  });

  it('a reply larger than the longest string Node can hold (560 MB) is a clear error, not a crash', async function () {
    this.timeout(120_000);
    const chunk = Buffer.alloc(16 * 1024 * 1024, 'z');
    reply = (_q, s) => {
      let left = 35; // 560 MiB > 0x1fffffe8 characters
      s.writeHead(200, { 'Content-Type': 'text/plain' });
      const pump = () => {
        while (left > 0) {
          left--;
          if (!s.write(chunk)) return void s.once('drain', pump);
        }
        s.end();
      };
      pump();
    };
    // In a child process: a client that crashes on this reply would otherwise take mocha down with it.
    const outcome = await runChild(path.join(__dirname, 'hugeReplyProcess.ts'), [String(client.port)]);
    assert.equal(outcome.code, 0, `the client process crashed: ${outcome.stderr.split('\n').slice(0, 6).join('\n')}`);
    const result = JSON.parse(outcome.stdout.trim()) as { error?: string; value?: string };
    assert.ok(result.error, `a failure, got ${outcome.stdout}`);
    assert.match(result.error, /^ColoniesTransportError: /);
    assert.doesNotMatch(result.error, /timed out/, `failed for the right reason: ${result.error}`);
  });

  describe('WebSocket frames', () => {
    const frameCases: Array<{ name: string; frames: Frames; expect: RegExp }> = [
      { name: 'a non-JSON frame', frames: (ws) => ws.send('hello'), expect: /frame that is not JSON/ },
      { name: 'a JSON frame that is not an envelope', frames: (ws) => ws.send('[1,2,3]'), expect: /not a ColonyOS envelope/ },
      { name: 'entries that are not a list', frames: (ws) => ws.send(envelope('subscribechannelmsg', '{"a":1}')), expect: /not a list/ },
      { name: 'an entry whose payload is a number', frames: (ws) => ws.send(envelope('subscribechannelmsg', '[{"sequence":1,"payload":5}]')), expect: /payload is not a base64 string/ },
      { name: 'binary garbage', frames: (ws) => ws.send(Buffer.from([0xff, 0x00, 0xfe, 0x01])), expect: /not JSON/ },
      { name: 'an abrupt close', frames: (ws) => ws.terminate(), expect: /cut off: the WebSocket closed \(1006\)/ },
    ];
    for (const c of frameCases) {
      it(`subscribeChannel rejects ${c.name}`, async () => {
        frames = c.frames;
        const err = await failure(() => client.subscribeChannel(pid, 'chat', key, { timeout: 2 }));
        assert.match(err.message, c.expect);
      });
    }

    it('a ChannelStream fed garbage keeps retrying with a reason and never throws', async () => {
      let n = 0;
      frames = (ws) => (n++ % 2 === 0 ? ws.send('garbage') : ws.terminate());
      reply = (_q, s) => s.end(envelope('getprocessmsg', JSON.stringify({ processid: pid, state: 1 })));
      const stream = new ChannelStream(client, { processId: pid, channel: 'chat', prvkey: key, backoff: { initialMs: 10, maxMs: 50 } });
      const seen: StreamStatus[] = [];
      stream.onStatus((s) => seen.push(s));
      stream.start();
      try {
        await until(() => seen.filter((s) => s.kind === 'reconnecting').length >= 4, 'several reconnect attempts');
      } finally {
        stream.dispose();
      }
      const reasons = seen.flatMap((s) => (s.kind === 'reconnecting' ? [s.reason] : []));
      assert.ok(reasons.some((r) => /not JSON/.test(r)), reasons.join(' | '));
      assert.ok(reasons.some((r) => /1006/.test(r)), reasons.join(' | '));
    });
  });

  it('the client still works against a sane answer afterwards', async () => {
    const inner = JSON.stringify({ processid: pid, state: 2, prioritytime: 1 });
    reply = (_q, s) => s.end(envelope('getprocessmsg', inner));
    const p = await client.getProcess(pid, key);
    assert.equal(p.processid, pid);
    assert.equal(encodeBase64('x'), 'eA==');
  });
});
