// The progress executor: streams "Progress: N%" every 10 % on the `progress` channel, then "Complete!"
// typed `end`, then closes the process with its output.

import { ChannelSession, delay, type Process } from '../../colonies/index';
import { startExecutor, type ExecutorFunction, type ExecutorHandle, type ExecutorOptions, type ProcessContext } from './runner';

export const PROGRESS_EXECUTOR_TYPE = 'progress';
export const PROGRESS_CHANNEL = 'progress';
export const PROGRESS_OUTPUT = 'Complete!';

export interface ProgressExecutorOptions extends ExecutorOptions {
  /** Pause between progress steps; a process can override it with kwargs.stepms. */
  stepMs?: number;
}

function stepDelay(process: Process, fallback: number): number {
  const v = process.spec.kwargs?.stepms;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.min(v, 60_000) : fallback;
}

async function runProgress(process: Process, ctx: ProcessContext, defaultStepMs: number): Promise<void> {
  const hasChannel = (process.spec.channels ?? []).includes(PROGRESS_CHANNEL);
  const session = hasChannel
    ? new ChannelSession(ctx.client, { processId: process.processid, channel: PROGRESS_CHANNEL, prvkey: ctx.prvkey })
    : undefined;
  const stepMs = stepDelay(process, defaultStepMs);
  try {
    for (let pct = 0; pct <= 100; pct += 10) {
      if (pct > 0) await delay(stepMs, ctx.signal);
      const line = `Progress: ${pct}%`;
      await session?.send(line);
      await ctx.client.addLog(process.processid, line, ctx.prvkey, { signal: ctx.signal });
    }
    await session?.send(PROGRESS_OUTPUT, { type: 'end' });
    await ctx.client.close(process.processid, [PROGRESS_OUTPUT], ctx.prvkey, { signal: ctx.signal });
  } finally {
    session?.dispose();
  }
}

/** What the progress executor registers. */
export const PROGRESS_FUNCTIONS: ExecutorFunction[] = [
  {
    funcname: 'progress',
    description: `Streams "Progress: N%" in steps of 10 % on the "${PROGRESS_CHANNEL}" channel and in the logs, then closes with "${PROGRESS_OUTPUT}".`,
    args: [{ name: 'stepms', type: 'number', description: 'Pause between two steps, in milliseconds (at most 60000).', required: false }],
  },
];

export function startProgressExecutor(opts: ProgressExecutorOptions): Promise<ExecutorHandle> {
  return startExecutor(opts, PROGRESS_EXECUTOR_TYPE, (p, ctx) => runProgress(p, ctx, opts.stepMs ?? 300), PROGRESS_FUNCTIONS);
}
