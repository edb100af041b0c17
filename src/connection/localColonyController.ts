// "Start / Stop Local Colony": an in-memory ColonyOS server with demo executors inside the extension host,
// on a free loopback port, made the active connection.
import * as vscode from 'vscode';
import { DEV_USER_PRVKEY, startLocalColony, type LocalColony } from '../localcolony/index';
import { startEchoExecutor, startProgressExecutor, type ExecutorHandle } from '../localcolony/executors/index';
import { registerCommand, UserFacingError } from '../commands/errors';
import type { ConnectionServiceImpl } from './connectionService';
import { submitSampleProcesses } from './sampleProcesses';

import { LOCAL_PROFILE_NAME } from './localProfile';

export { LOCAL_PROFILE_NAME };
const HOST = '127.0.0.1';

export class LocalColonyController implements vscode.Disposable {
  private colony: LocalColony | undefined;
  private executors: ExecutorHandle[] = [];
  private starting: Promise<LocalColony> | undefined;

  constructor(
    private readonly connection: ConnectionServiceImpl,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  get running(): boolean {
    return !!this.colony;
  }

  get port(): number | undefined {
    return this.colony?.port;
  }

  async start(): Promise<LocalColony> {
    if (this.colony) return this.colony;
    if (this.starting) return this.starting;
    this.starting = this.doStart().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async doStart(): Promise<LocalColony> {
    const log = (line: string) => this.output.debug(`[local colony] ${line}`);
    // The demo executors are started here with static imports: startLocalColony's `demo` option loads them
    // with a computed import() that a bundled extension cannot resolve.
    const colony = await startLocalColony({ port: 0, host: HOST, demo: false, log });
    try {
      const opts = { host: HOST, port: colony.port, colonyName: colony.colonyName, colonyPrvKey: colony.colonyPrvKey, log };
      this.executors = [await startEchoExecutor(opts), await startProgressExecutor(opts)];
    } catch (err) {
      await this.stopExecutors();
      await colony.stop();
      throw err;
    }
    this.colony = colony;
    await setRunningContext(true);
    this.output.info(`Local colony listening on ${HOST}:${colony.port} (colony "${colony.colonyName}")`);
    const { profiles, keys } = this.connection;
    // The well-known development user key; stored like any other key, never in settings.
    await keys.set(LOCAL_PROFILE_NAME, colony.userPrvKey || DEV_USER_PRVKEY);
    await profiles.upsert({ name: LOCAL_PROFILE_NAME, host: HOST, port: colony.port, tls: false, colonyName: colony.colonyName });
    await profiles.setActive(LOCAL_PROFILE_NAME);
    this.connection.reload();
    try {
      const s = await this.connection.requireSession();
      await submitSampleProcesses(s.client, colony.colonyName, s.prvkey);
    } catch (err) {
      this.output.warn(`Local colony: could not submit the sample processes: ${err instanceof Error ? err.message : String(err)}`);
    }
    return colony;
  }

  async stop(): Promise<void> {
    const colony = this.colony ?? (await this.starting?.catch(() => undefined));
    if (!colony) return;
    this.colony = undefined;
    await this.stopExecutors();
    await colony.stop();
    await setRunningContext(false);
    this.output.info('Local colony stopped');
    if (this.connection.profile?.name === LOCAL_PROFILE_NAME) await this.connection.checkConnection();
  }

  private async stopExecutors(): Promise<void> {
    const handles = this.executors;
    this.executors = [];
    for (const h of handles) {
      await h.stop().catch((err: unknown) => this.output.warn(`Stopping demo executor ${h.executorName} failed: ${String(err)}`));
    }
  }

  dispose(): void {
    void this.stop().catch((err: unknown) => this.output.error(`Stopping the local colony failed: ${String(err)}`));
  }
}

function setRunningContext(running: boolean): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', 'colonyos.localColonyRunning', running);
}

export function registerLocalColonyCommands(
  context: vscode.ExtensionContext,
  controller: LocalColonyController,
  output: vscode.LogOutputChannel,
): void {
  void setRunningContext(false);
  registerCommand(
    context,
    'colonyos.startLocalColony',
    async () => {
      if (controller.running) {
        throw new UserFacingError(`The local colony is already running on ${HOST}:${controller.port}.`, [
          { title: 'Stop Local Colony', command: 'colonyos.stopLocalColony' },
        ]);
      }
      const colony = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Starting the local colony…' },
        () => controller.start(),
      );
      void vscode.window.showInformationMessage(
        `Local colony running on ${HOST}:${colony.port} with demo executors (echo chat, progress). ` +
          'It is an in-memory development server: everything is lost when it stops.',
      );
    },
    { output },
  );
  registerCommand(context, 'colonyos.stopLocalColony', () => controller.stop(), { output });
}
