import * as vscode from 'vscode';
import { registerConnection } from './connection/index';
import { registerProcessTree } from './views/index';
import { registerChannelPanels } from './panels/index';
import { registerSpecs } from './specs/index';

let stopLocalColony: (() => Promise<void>) | undefined;

// Composition root: services are built once here and every disposable is pushed to the context.
export function activate(context: vscode.ExtensionContext) {
  const output = vscode.window.createOutputChannel('ColonyOS', { log: true });
  context.subscriptions.push(output);
  const { connection, localColony } = registerConnection(context, { output });
  stopLocalColony = () => localColony.stop();
  const tree = registerProcessTree(context, { output, connection });
  const panels = registerChannelPanels(context, { output, connection });
  const specs = registerSpecs(context, { output, connection, tree, panels });
  output.info('ColonyOS extension activated');
  // Returned for the extension-host tests.
  return { connection, localColony, tree, panels, specs };
}

export async function deactivate(): Promise<void> {
  // Awaited so the local colony's sockets are closed before the host exits.
  await stopLocalColony?.();
}
