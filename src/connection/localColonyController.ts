// "Start / Stop Local Colony": an in-memory ColonyOS server with demo executors inside the extension host,
// on a free loopback port, made the active connection.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LocalColony } from '../localcolony/embedded';
import { registerCommand, UserFacingError } from '../base/errors';
import type { ConnectionServiceImpl } from './connectionService';
import { submitSampleProcesses } from './sampleProcesses';
import { sameIdentity } from './identity';

import { LOCAL_PROFILE_NAME } from './localProfile';
import { errorMessage } from '../colonies/rpc';

export { LOCAL_PROFILE_NAME };
const HOST = '127.0.0.1';

export class LocalColonyController implements vscode.Disposable {
  private colony: LocalColony | undefined;
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
    // demo: the echo, progress and worker executors run beside the server and stop with it.
    const colony = await loadEmbeddedColony().startLocalColony({ port: 0, host: HOST, demo: true, log });
    this.colony = colony;
    await setRunningContext(true);
    this.output.info(`Local colony listening on ${HOST}:${colony.port} (colony "${colony.colonyName}")`);
    const { profiles, keys } = this.connection;
    const profile = { name: LOCAL_PROFILE_NAME, host: HOST, port: colony.port, tls: false, colonyName: colony.colonyName };
    // Each start picks a new port, so a new server identity: drop the key of the previous one, unless another
    // profile still points there.
    const previous = profiles.get(LOCAL_PROFILE_NAME);
    if (previous && !sameIdentity(previous, profile) && !profiles.list().some((p) => p.name !== LOCAL_PROFILE_NAME && sameIdentity(p, previous))) {
      await keys.delete(previous);
      await keys.deleteOwner(previous);
    }
    // The well-known development user key; stored like any other key (for this server only), never in settings.
    await keys.set(profile, colony.userPrvKey);
    // And the development colony owner key, so the Executors view can approve, reject and remove executors here.
    await keys.setOwner(profile, colony.colonyPrvKey);
    await profiles.upsert(profile);
    await profiles.setActive(LOCAL_PROFILE_NAME);
    this.connection.reload();
    try {
      const s = await this.connection.requireSession();
      await submitSampleProcesses(s.client, colony.colonyName, s.prvkey);
    } catch (err) {
      this.output.warn(`Local colony: could not submit the sample processes: ${errorMessage(err)}`);
    }
    return colony;
  }

  async stop(): Promise<void> {
    const colony = this.colony ?? (await this.starting?.catch(() => undefined));
    if (!colony) return;
    this.colony = undefined;
    await colony.stop();
    await setRunningContext(false);
    this.output.info('Local colony stopped');
    if (this.connection.profile?.name === LOCAL_PROFILE_NAME) await this.connection.checkConnection();
  }

  dispose(): void {
    void this.stop().catch((err: unknown) => this.output.error(`Stopping the local colony failed: ${String(err)}`));
  }
}

type EmbeddedColony = typeof import('../localcolony/embedded');

/**
 * The server and demo executors are bundled separately (dist/localcolony-embedded.js, next to dist/extension.js)
 * and loaded on first use: most sessions never start a local colony, and activation should not parse it.
 */
function loadEmbeddedColony(): EmbeddedColony {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(__dirname, 'localcolony-embedded.js')) as EmbeddedColony;
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
        `Local colony running on ${HOST}:${colony.port} with demo executors (echo chat, progress, worker). ` +
          'It is an in-memory development server: everything is lost when it stops.',
      );
    },
    { output },
  );
  registerCommand(context, 'colonyos.stopLocalColony', () => controller.stop(), { output });
}
