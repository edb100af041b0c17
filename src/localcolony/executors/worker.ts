// The worker executor: runs ordinary workflow steps, the functions below, on a process's args (or, when it has
// none, on its inputs: in a workflow the parents' outputs, docs/protocol.md §3). It logs what it does with addLog,
// sets the output by closing, and never runs a shell command: a demo executor must not turn a spec into code.

import { delay, type Process } from '../../colonies/index';
import { startExecutor, type ExecutorFunction, type ExecutorHandle, type ExecutorOptions, type ProcessContext } from './runner';

export const WORKER_EXECUTOR_TYPE = 'worker';

/** Values kept per step and characters per value: a spec is someone else's input. */
const MAX_VALUES = 100;
const MAX_VALUE_CHARS = 4096;
/** Longest `sleep`, in seconds. */
export const MAX_SLEEP_SECONDS = 600;

type Step = (values: string[], process: Process, ctx: ProcessContext, log: (line: string) => Promise<void>) => Promise<string[]>;

function text(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return s.length > MAX_VALUE_CHARS ? s.slice(0, MAX_VALUE_CHARS) : s;
}

/** The step's values: its args, or its inputs when it has no args. */
export function stepValues(process: Process): string[] {
  const args = Array.isArray(process.spec.args) ? process.spec.args : [];
  const source = args.length > 0 ? args : Array.isArray(process.in) ? process.in : [];
  return source.slice(0, MAX_VALUES).map(text);
}

/** Seconds to sleep: the first value, a number from 0 to MAX_SLEEP_SECONDS; 1 when absent. */
export function sleepSeconds(values: string[]): number {
  if (values.length === 0) return 1;
  const n = Number(values[0]);
  if (!Number.isFinite(n) || n < 0 || n > MAX_SLEEP_SECONDS) {
    throw new Error(`sleep needs a number of seconds from 0 to ${MAX_SLEEP_SECONDS} as its first argument (got "${values[0]}")`);
  }
  return n;
}

const STEPS: Record<string, Step> = {
  echo: async (values, _p, _ctx, log) => {
    for (const v of values) await log(v);
    return values;
  },
  upper: async (values, _p, _ctx, log) => {
    const out = values.map((v) => v.toUpperCase());
    for (const v of out) await log(v);
    return out;
  },
  sleep: async (values, process, ctx, log) => {
    const seconds = sleepSeconds(values);
    const steps = Math.max(1, Math.ceil(seconds));
    await log(`sleeping ${seconds} s`);
    for (let i = 1; i <= steps; i++) {
      await delay((seconds * 1000) / steps, ctx.signal);
      if (steps > 1) await log(`slept ${i} of ${steps}`);
    }
    // A sleep passes its inputs on, so it can sit between two steps of a workflow.
    return Array.isArray(process.in) ? process.in.slice(0, MAX_VALUES).map(text) : [];
  },
  fail: async (values, _p, _ctx, log) => {
    const reason = values[0] ?? 'failed on purpose';
    await log(`failing: ${reason}`);
    throw new Error(reason);
  },
};

/** The functions the worker runs, by `funcname`. */
export const WORKER_FUNCTIONS: readonly string[] = Object.keys(STEPS);

async function runStep(process: Process, ctx: ProcessContext): Promise<void> {
  const name = process.spec.funcname;
  const step = Object.prototype.hasOwnProperty.call(STEPS, name) ? STEPS[name] : undefined;
  const log = (line: string) => ctx.client.addLog(process.processid, line, ctx.prvkey, { signal: ctx.signal });
  if (!step) {
    const known = WORKER_FUNCTIONS.join(', ');
    await log(`unknown function "${text(name).slice(0, 200)}"`);
    throw new Error(`The worker executor runs only these functions: ${known} (set "funcname" to one of them)`);
  }
  const values = stepValues(process);
  await log(`${name} ${values.length === 0 ? '(no values)' : `${values.length} value${values.length === 1 ? '' : 's'}`}`);
  const out = await step(values, process, ctx, log);
  await ctx.client.close(process.processid, out, ctx.prvkey, { signal: ctx.signal });
}

/** What the worker registers, so spec files complete and describe its steps (the function catalog). */
export const WORKER_FUNCTION_SPECS: ExecutorFunction[] = [
  { funcname: 'echo', description: 'Logs and returns its args (or, in a workflow, its parents\' outputs).', args: [] },
  { funcname: 'upper', description: 'Returns its args (or its parents\' outputs) in upper case.', args: [] },
  { funcname: 'sleep', description: `Sleeps for its first arg in seconds (at most ${MAX_SLEEP_SECONDS}), logging each second, and passes its inputs on.`, args: [] },
  { funcname: 'fail', description: 'Fails on purpose, with its first arg as the error.', args: [] },
];

export function startWorkerExecutor(opts: ExecutorOptions): Promise<ExecutorHandle> {
  return startExecutor(opts, WORKER_EXECUTOR_TYPE, runStep, WORKER_FUNCTION_SPECS);
}
