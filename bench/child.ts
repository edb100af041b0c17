// A benchmark helper process (forked with IPC): `server` runs a local colony, `sender` is an executor that appends
// to a channel at a fixed rate. Keeping them out of the measuring process matches reality (the server and the
// executor are other processes) and keeps their CPU (JavaScript signature work: signing, and the server's recovery
// of every signer) off the measuring event loop.
import { ColoniesClient, createEnvelope, encodeBase64 } from '../src/colonies/index';
import type { RpcEnvelope } from '../src/colonies/rpc';
import { startLocalColony, type LocalColony } from '../src/localcolony/index';
import { nowMs, sleep } from './lib/stats';

type Request = { id: number; cmd: string; [k: string]: unknown };

const role = process.argv[2];
let colony: LocalColony | undefined;

function reply(id: number, value: unknown): void {
  process.send?.({ id, value });
}

async function handle(m: Request): Promise<unknown> {
  switch (m.cmd) {
    case 'clock':
      return nowMs();
    case 'start': {
      const limits = m.unlimited ? { rateLimitBurst: 1e12, rateLimitPerSecond: 1e12 } : undefined;
      colony = await startLocalColony({ port: 0, channelLimits: limits });
      return { port: colony.port, colonyName: colony.colonyName, colonyPrvKey: colony.colonyPrvKey, userPrvKey: colony.userPrvKey };
    }
    case 'fill': {
      // Benchmark setup only (bench/burst.ts): entries go straight into the server's channel log, exactly as the append
      // handler stores them. 10,000 appends through the channel limit a real server enforces (100/s) would take 100 s.
      const server = colony!.server;
      const channelId = `${m.processId as string}_${m.channel as string}`;
      for (let i = 1; i <= (m.count as number); i++) {
        server.channels.append(channelId, m.senderId as string, BigInt(i), 0n, Buffer.from(`${m.prefix as string}${i}`), 'data');
      }
      return (m.count);
    }
    case 'stats': {
      const s = colony!.server.stats;
      return { inFlight: s.inFlight, inFlightPeak: s.inFlightPeak, requests: s.requests };
    }
    case 'resetStats':
      colony!.server.stats.reset();
      return true;
    case 'pace':
      return pace(m);
    case 'stop':
      await colony?.stop();
      setImmediate(() => process.exit(0));
      return true;
    default:
      throw new Error(`unknown command ${m.cmd}`);
  }
}

/**
 * Appends `count` messages "<prefix><i>" at `ratePerSec`, pre-signed so that the recorded send time is when the
 * request leaves (signing is not part of the latency). Returns each message's send time and acknowledgement time.
 */
async function pace(m: Request): Promise<{ sentAt: number[]; ackedAt: number[]; failures: string[] }> {
  const client = new ColoniesClient({ host: (m.host as string | undefined) ?? '127.0.0.1', port: m.port as number, tls: m.tls === true });
  const count = m.count as number;
  const envelopes: RpcEnvelope[] = [];
  for (let i = 1; i <= count; i++) {
    envelopes.push(
      createEnvelope('channelappendmsg', { processid: m.processId, name: m.channel, sequence: (m.firstSequence as number) + i - 1, payload: encodeBase64(`${m.prefix as string}${i}`) }, m.prvkey as string),
    );
  }
  const sentAt: number[] = new Array(count);
  const ackedAt: number[] = new Array(count);
  const failures: string[] = [];
  const interval = 1000 / (m.ratePerSec as number);
  const start = nowMs() + 50;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const wait = start + i * interval - nowMs();
    if (wait > 0) await sleep(wait);
    sentAt[i] = nowMs();
    pending.push(
      client.sendEnvelope(envelopes[i]).then(
        () => void (ackedAt[i] = nowMs()),
        (err: Error) => void failures.push(`#${i + 1}: ${err.message}`),
      ),
    );
  }
  await Promise.all(pending);
  client.dispose();
  return { sentAt, ackedAt, failures };
}

process.on('message', (m: Request) => {
  handle(m).then(
    (value) => reply(m.id, value),
    (err: unknown) => process.send?.({ id: m.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ id: 0, value: `ready ${role}` });
