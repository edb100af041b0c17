// Demo executors for the local colony (and any ColonyOS server), written only against src/colonies.
export { startExecutor, NO_OWNER_KEY_REASON } from './runner';
export type { ExecutorFunction, ExecutorHandle, ExecutorOptions, ExecutorStopResult, ProcessContext, ProcessHandler } from './runner';
export { startEchoExecutor, echoReply, ECHO_EXECUTOR_TYPE, CHAT_CHANNEL } from './echo';
export { startProgressExecutor, PROGRESS_EXECUTOR_TYPE, PROGRESS_CHANNEL, PROGRESS_OUTPUT } from './progress';
export type { ProgressExecutorOptions } from './progress';
export { startWorkerExecutor, WORKER_EXECUTOR_TYPE, WORKER_FUNCTIONS } from './worker';
