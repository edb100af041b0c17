// Connection area: profiles (settings), keys (SecretStorage), the shared client, status bar, local colony.
import * as vscode from 'vscode';
import { registerShowOutput, setErrorContextProvider } from '../base/errors';
import { registerConnectionCommands } from './connectionCommands';
import { ConnectionServiceImpl } from './connectionService';
import { LocalColonyController, registerLocalColonyCommands } from './localColonyController';
import { PrivateKeyStore } from './privateKeys';
import { ProfileStore } from './profileStore';
import { createStatusBar, type ConnectionStatusBar } from './statusBar';
import { WorkspaceConnectionGuard } from './workspaceConnections';

const KEYS_MIGRATED = 'colonyos.keysByServerIdentity';

/**
 * Once: keys stored per profile name move to the server identity of the profile of that name in the user's
 * settings (never a workspace's). Resolves true when a key moved.
 */
async function migrateKeys(context: vscode.ExtensionContext, profiles: ProfileStore, keys: PrivateKeyStore, output: vscode.LogOutputChannel): Promise<boolean> {
  if (context.globalState.get<boolean>(KEYS_MIGRATED)) return false;
  try {
    const result = await keys.migrateLegacy(profiles.list());
    for (const name of result.moved) output.info(`Connection "${name}": its private key now belongs to its server and colony, not to its name`);
    for (const name of result.conflicts) {
      output.warn(
        `Connection "${name}": another private key is already stored for its server and colony; that one is used, and the key ` +
          'stored under the name was left in Secret Storage.',
      );
    }
    await context.globalState.update(KEYS_MIGRATED, true);
    return result.moved.length > 0;
  } catch (err) {
    output.error(`Moving private keys to their servers failed (tried again next time): ${String(err)}`);
    return false;
  }
}

export type { ConnectionProfile, ConnectionService, ConnectionState, Session } from './types';
export { LOCAL_PROFILE_NAME, LocalColonyController } from './localColonyController';
export { ConnectionServiceImpl } from './connectionService';

export interface ConnectionArea {
  connection: ConnectionServiceImpl;
  localColony: LocalColonyController;
  statusBar: ConnectionStatusBar;
}

export function registerConnection(context: vscode.ExtensionContext, deps: { output: vscode.LogOutputChannel }): ConnectionArea {
  const { output } = deps;
  const profiles = new ProfileStore(output);
  const keys = new PrivateKeyStore(context.secrets);
  const connection = new ConnectionServiceImpl(profiles, keys, output);
  const localColony = new LocalColonyController(connection, output);
  const statusBar = createStatusBar(connection);
  context.subscriptions.push(
    profiles,
    keys,
    connection,
    localColony,
    statusBar,
    setErrorContextProvider(() => {
      const p = connection.profile;
      return p ? { host: p.host, port: p.port, colonyName: p.colonyName, myId: connection.knownId } : undefined;
    }),
  );
  registerShowOutput(context, output);
  const commands = registerConnectionCommands(context, { output, connection });
  registerLocalColonyCommands(context, localColony, output);
  connection.reload(true);
  void migrateKeys(context, profiles, keys, output).then((moved) => {
    if (moved) void connection.checkConnection();
  });
  const workspaceConnections = new WorkspaceConnectionGuard({
    profiles,
    output,
    workspaceState: context.workspaceState,
    addConnection: (initial) => commands.addConnection(initial),
  });
  connection.workspaceConnections = workspaceConnections;
  context.subscriptions.push(workspaceConnections);
  return { connection, localColony, statusBar };
}
