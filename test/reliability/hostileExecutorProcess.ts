// A hostile ColonyOS executor in its own process (as a real one is), written like the demo executors: the project's
// own client and executor loop (src/localcolony/executors/runner.ts). For each process it is assigned, it runs the
// plan named in the spec's args (hostilePlans.ts) on the process's first channel, with any sequence, type and reply
// number it likes, then leaves the process running. `node --import tsx hostileExecutorProcess.ts '<json config>'`.
// Prints JSON lines: {"event":"ready","executorId"} once registered, {"event":"done","processId","sent"} after each
// plan, {"event":"failed","processId","error"} when a plan fails. Stops (and unregisters) when stdin closes.
import { delay, isRateLimited, type Process } from '../../src/colonies/index';
import { startExecutor, type ProcessContext } from '../../src/localcolony/executors/index';
import { planAppends } from './hostilePlans';

interface Config {
  port: number;
  colonyName: string;
  colonyPrvKey: string;
  executorType: string;
  /** Appends in flight at once for plans whose order does not matter ('shuffled', 'nested'). */
  concurrency?: number;
}

const say = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

async function runPlan(p: Process, ctx: ProcessContext, concurrency: number): Promise<void> {
  const [plan, ...params] = (p.spec.args ?? []) as [string, ...number[]];
  const channel = (p.spec.channels ?? [])[0];
  if (!channel) throw new Error('the hostile executor needs a process with a channel');
  const appends = planAppends(plan, params.map(Number));
  // Sequential where the arrival order is the point of the plan (decreasing sequences, one of each shape).
  const parallel = plan === 'shuffled' || plan === 'nested' ? concurrency : 1;
  let next = 0;
  const worker = async () => {
    while (next < appends.length && !ctx.signal.aborted) {
      const a = appends[next++];
      for (let attempt = 1; ; attempt++) {
        try {
          await ctx.client.channelAppend(p.processid, channel, a.sequence, a.payload, ctx.prvkey, {
            inReplyTo: a.inReplyTo,
            payloadType: a.type,
            signal: ctx.signal,
          });
          break;
        } catch (err) {
          if (!isRateLimited(err) || attempt > 1000) throw err;
          await delay(20, ctx.signal);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  say({ event: 'done', processId: p.processid, plan, sent: appends.length });
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as Config;
  const handle = await startExecutor(
    { host: '127.0.0.1', port: config.port, colonyName: config.colonyName, colonyPrvKey: config.colonyPrvKey, executorType: config.executorType, assignTimeoutSec: 1 },
    config.executorType,
    async (p, ctx) => {
      try {
        await runPlan(p, ctx, config.concurrency ?? 16);
      } catch (err) {
        say({ event: 'failed', processId: p.processid, error: err instanceof Error ? err.message : String(err) });
      }
    },
  );
  say({ event: 'ready', executorId: handle.executorId });
  process.stdin.resume();
  await new Promise<void>((resolve) => process.stdin.once('end', () => resolve()).once('close', () => resolve()));
  await handle.stop();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`hostile executor failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
