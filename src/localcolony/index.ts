// Public surface of the local colony (no vscode import): used by tests, the CLI and the extension.
export { startLocalColony, colonyEnv, registerApprovedExecutor } from './start';
export type { LocalColony, LocalColonyIdentities, StartLocalColonyOptions, DemoExecutorHandle } from './start';
export { DEV_COLONY_NAME, DEV_COLONY_PRVKEY, DEV_SERVER_PRVKEY, DEV_USER_NAME, DEV_USER_PRVKEY } from './start';
export { LocalColonyServer } from './server';
export type { ServerStats, LocalColonyServerOptions } from './server';
export { ColonyState } from './state';
export { DEFAULT_LIMITS, MAX_BODY_BYTES } from './limits';
export type { LocalColonyLimits } from './limits';
export { isLoopbackBindAddress } from './bind';
