// A channel sender in its own process (as a real executor is): `node --import tsx senderProcess.ts '<json>'`.
// Sends `count` messages "<prefix><n>" (n = 1..count) with a ChannelSession, which retries `rate limit exceeded`
// in order, then prints one JSON line {sent, firstSequence, lastSequence} and exits 0; on failure it prints the
// error to stderr and exits 1. Signing and the server's signature recovery both cost milliseconds of CPU in
// JavaScript, so keeping the sender out of the test process halves the CPU the test process needs.
import { ChannelSession, ColoniesClient } from '../../src/colonies/index';

interface SenderConfig {
  port: number;
  processId: string;
  channel: string;
  prvkey: string;
  count: number;
  prefix: string;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as SenderConfig;
  const client = new ColoniesClient({ host: '127.0.0.1', port: config.port });
  const session = new ChannelSession(client, {
    processId: config.processId,
    channel: config.channel,
    prvkey: config.prvkey,
    maxSendAttempts: 10_000,
  });
  try {
    const sequences = await Promise.all(Array.from({ length: config.count }, (_, i) => session.send(`${config.prefix}${i + 1}`)));
    process.stdout.write(`${JSON.stringify({ sent: sequences.length, firstSequence: sequences[0], lastSequence: sequences.at(-1) })}\n`);
  } finally {
    session.dispose();
    client.dispose();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`sender failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
