// Connection area: profiles (settings), keys (SecretStorage), the shared client, status bar, local colony.
import * as vscode from 'vscode';
import { registerShowOutput, setErrorContextProvider } from '../commands/errors';
import { registerConnectionCommands } from './connectionCommands';
import { ConnectionServiceImpl } from './connectionService';
import { LocalColonyController, registerLocalColonyCommands } from './localColonyController';
import { PrivateKeyStore } from './privateKeys';
import { ProfileStore } from './profileStore';
import { createStatusBar } from './statusBar';

export type { ConnectionProfile, ConnectionService, ConnectionState, Session } from './types';
export { LOCAL_PROFILE_NAME, LocalColonyController } from './localColonyController';
export { ConnectionServiceImpl } from './connectionService';

export interface ConnectionArea {
  connection: ConnectionServiceImpl;
  localColony: LocalColonyController;
}

export function registerConnection(context: vscode.ExtensionContext, deps: { output: vscode.LogOutputChannel }): ConnectionArea {
  const { output } = deps;
  const profiles = new ProfileStore(output);
  const keys = new PrivateKeyStore(context.secrets);
  const connection = new ConnectionServiceImpl(profiles, keys, output);
  const localColony = new LocalColonyController(connection, output);
  context.subscriptions.push(
    profiles,
    keys,
    connection,
    localColony,
    createStatusBar(connection),
    setErrorContextProvider(() => {
      const p = connection.profile;
      return p ? { host: p.host, port: p.port, colonyName: p.colonyName, myId: connection.knownId } : undefined;
    }),
  );
  registerShowOutput(context, output);
  registerConnectionCommands(context, { output, connection });
  registerLocalColonyCommands(context, localColony, output);
  connection.reload(true);
  return { connection, localColony };
}
