// Sample processes for a fresh local colony, so the tree shows every state at once. No `vscode` import.
import { funcSpec } from '../colonies/funcspec';
import type { FunctionSpec, Process } from '../colonies/types';

export interface SampleClient {
  submitFuncSpec(spec: FunctionSpec, prvkey: string): Promise<Process>;
  cancelProcess(processId: string, prvkey: string): Promise<void>;
}

/** Nobody serves this executor type, so its processes wait (or get cancelled) forever. */
export const UNSERVED_EXECUTOR_TYPE = 'gpu-trainer';
export const SAMPLE_LABEL = 'sample';

/**
 * Submits: a chat (echo, stays RUNNING until you end it), a quick progress run (SUCCESS), a slow progress run
 * (RUNNING for minutes), an echo run without its chat channel (the executor FAILS it), a job for an executor
 * type nobody serves (WAITING) and one more that is CANCELLED.
 */
export async function submitSampleProcesses(client: SampleClient, colonyName: string, prvkey: string): Promise<Process[]> {
  const base = { colonyname: colonyName, label: SAMPLE_LABEL };
  const specs = [
    funcSpec({ ...base, funcname: 'chat', executortype: 'echo', channels: ['chat'], args: ['Say hello in the chat channel'] }),
    funcSpec({ ...base, funcname: 'progress', executortype: 'progress', channels: ['progress'], kwargs: { stepms: 50 } }),
    funcSpec({ ...base, funcname: 'long-progress', executortype: 'progress', channels: ['progress'], kwargs: { stepms: 30_000 } }),
    funcSpec({ ...base, funcname: 'chat-without-channel', executortype: 'echo', args: ['fails: no chat channel'] }),
    funcSpec({ ...base, funcname: 'train-model', executortype: UNSERVED_EXECUTOR_TYPE, args: ['waits for an executor nobody runs'] }),
  ];
  const submitted: Process[] = [];
  for (const spec of specs) submitted.push(await client.submitFuncSpec(spec, prvkey));
  const doomed = await client.submitFuncSpec(
    funcSpec({ ...base, funcname: 'cancelled-job', executortype: UNSERVED_EXECUTOR_TYPE, args: ['cancelled right away'] }),
    prvkey,
  );
  await client.cancelProcess(doomed.processid, prvkey);
  submitted.push(doomed);
  return submitted;
}
