// Shared pieces of the reliability tier: a local colony with a chat process already assigned, and a guard that
// turns any unhandled promise rejection during a test into a failure of that test.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { ColoniesClient, crypto, funcSpec, type ColoniesClientOptions } from '../../src/colonies/index';
import { registerApprovedExecutor, startLocalColony, type LocalColony, type StartLocalColonyOptions } from '../../src/localcolony/index';
import { ChannelController } from '../../src/panels/channelController';
import type { HostMessage } from '../../src/panels/protocol';
import { TranscriptStore } from '../../src/panels/transcriptStore';

export { until } from '../support/poll';

/** Fails the running test when a promise rejection goes unhandled (in this process) while it runs. */
export function failOnUnhandledRejections(): void {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown) => seen.push(reason);
  beforeEach(() => {
    seen.length = 0;
    process.on('unhandledRejection', onRejection);
  });
  afterEach(async () => {
    // Rejections are reported after the microtask queue drains; give late ones a chance to show up.
    await new Promise((r) => setTimeout(r, 50));
    process.off('unhandledRejection', onRejection);
    const texts = seen.map((r) => (r instanceof Error ? r.stack ?? r.message : String(r)));
    assert.deepEqual(texts, [], 'unhandled promise rejections');
  });
}

export interface ChatSetup {
  colony: LocalColony;
  processId: string;
  channel: string;
  userKey: string;
  executorKey: string;
  executorId: string;
  clients: ColoniesClient[];
  client(extra?: Partial<ColoniesClientOptions>): ColoniesClient;
  stop(): Promise<void>;
}

let executorCounter = 0;

/** A fresh local colony with one process (channel `chat`) submitted by the dev user and assigned to a new executor. */
export async function startChat(opts: StartLocalColonyOptions = {}): Promise<ChatSetup> {
  const colony = await startLocalColony({ port: 0, ...opts });
  const clients: ColoniesClient[] = [];
  const client = (extra: Partial<ColoniesClientOptions> = {}) => {
    const c = new ColoniesClient({ host: '127.0.0.1', port: colony.port, ...extra });
    clients.push(c);
    return c;
  };
  const executorKey = crypto.generatePrivateKey();
  const type = `reliability-${++executorCounter}`;
  const executorId = registerApprovedExecutor(colony.server, colony.colonyName, executorKey, `${type}-executor`, type);
  const setupClient = client();
  const p = await setupClient.submitFuncSpec(
    funcSpec({ funcname: 'chat', colonyname: colony.colonyName, executortype: type, channels: ['chat'] }),
    colony.userPrvKey,
  );
  const assigned = await setupClient.assign(colony.colonyName, 5, executorKey);
  assert.equal(assigned.processid, p.processid);
  return {
    colony,
    processId: p.processid,
    channel: 'chat',
    userKey: colony.userPrvKey,
    executorKey,
    executorId,
    clients,
    client,
    stop: async () => {
      for (const c of clients.splice(0)) c.dispose();
      await colony.stop();
    },
  };
}

/** Payload texts of a transcript, in order. */
export function texts(entries: readonly { payload: Uint8Array }[]): string[] {
  return entries.map((e) => Buffer.from(e.payload).toString('utf8'));
}

/** The first index where `got` differs from `want`, for a readable failure on long lists. */
export function firstDifference(got: readonly string[], want: readonly string[]): string {
  const n = Math.max(got.length, want.length);
  for (let i = 0; i < n; i++) {
    if (got[i] !== want[i]) return `at ${i}: got ${JSON.stringify(got[i])}, want ${JSON.stringify(want[i])} (lengths ${got.length}/${want.length})`;
  }
  return 'identical';
}

export interface SenderResult {
  sent: number;
  firstSequence: number;
  lastSequence: number;
}

/** Runs senderProcess.ts in a child process; resolves with its result, rejects with its stderr on failure. */
export function sendFromChildProcess(config: { port: number; processId: string; channel: string; prvkey: string; count: number; prefix: string }): Promise<SenderResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'senderProcess.ts'), JSON.stringify(config)], {
      cwd: path.resolve(__dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as SenderResult);
      else reject(new Error(`sender process exited with ${code}: ${err.trim()}`));
    });
  });
}

/**
 * An HTTP reverse proxy in front of a server that holds every request for `delayMs` and counts how many are in
 * flight at once. The in-process local colony answers each request synchronously, so concurrency only becomes
 * visible (and the cap only matters) when requests take time, as they do on a real server.
 */
export class SlowCountingProxy {
  inFlight = 0;
  peak = 0;
  requests = 0;
  port = 0;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  private readonly server: http.Server;

  constructor(targetPort: number, delayMs: number) {
    this.server = http.createServer((req, res) => {
      this.requests++;
      this.inFlight++;
      this.peak = Math.max(this.peak, this.inFlight);
      let done = false;
      const finish = () => {
        if (!done) {
          done = true;
          this.inFlight--;
        }
      };
      res.on('close', finish);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        setTimeout(() => {
          const out = http.request(
            { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers, agent: this.agent },
            (upstream) => {
              res.writeHead(upstream.statusCode ?? 502, upstream.headers);
              upstream.pipe(res);
            },
          );
          out.on('error', (err) => {
            res.writeHead(502);
            res.end(String(err));
          });
          out.end(Buffer.concat(chunks));
        }, delayMs);
      });
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.agent.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** The panel's host-side controller for the chat's channel, recording what it posts and logs; no dialogs. */
export function panelController(chat: ChatSetup, transcriptDir: string, posted: HostMessage[], logs: string[], pollStateMs?: number): ChannelController {
  return new ChannelController({
    processId: chat.processId,
    channel: chat.channel,
    file: new TranscriptStore(transcriptDir).open(chat.processId, chat.channel),
    post: (m) => posted.push(structuredClone(m)),
    actions: { savePayload: async () => undefined, copyText: async () => undefined, exportTranscript: async () => undefined },
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    pollStateMs,
  });
}
