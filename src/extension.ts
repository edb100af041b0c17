import * as vscode from 'vscode';
import { registerConnection } from './connection/index';
import { registerProcessTree } from './views/index';
import { registerExecutorsView } from './views/executorsView';
import { registerProcessNotifications } from './views/processNotifications';
import { registerChannelPanels } from './panels/index';
import { registerGraphPanels } from './panels/graphPanel';
import { registerWorkflowsView } from './views/workflows';
import { registerSpecs } from './specs/index';
import { ProcessStore } from './store/processStore';
import { ColonyCatalog } from './store/colonyCatalog';
import { registerWalkthrough } from './walkthrough';

let stopLocalColony: (() => Promise<void>) | undefined;

// Composition root: services are built once here and every disposable is pushed to the context.
export function activate(context: vscode.ExtensionContext) {
  const output = vscode.window.createOutputChannel('ColonyOS', { log: true });
  context.subscriptions.push(output);
  // The one owner of process state (store/processStore.ts); everything below reads it and none polls on its own.
  const processes = new ProcessStore({ log: (m) => output.debug(m) });
  context.subscriptions.push(processes);
  // The one owner of what is known about the colony's executors and functions (store/colonyCatalog.ts).
  const catalog = new ColonyCatalog(processes);
  context.subscriptions.push(catalog);
  const { connection, localColony, statusBar } = registerConnection(context, { output });
  context.subscriptions.push(
    connection.onDidDropConnection((key) => {
      processes.dropConnection(key);
      catalog.forget(key);
    }),
  );
  stopLocalColony = () => localColony.stop();
  const tree = registerProcessTree(context, { output, connection, processes, catalog, onCounts: (c) => statusBar.setCounts(c) });
  const notifications = registerProcessNotifications(connection, processes);
  context.subscriptions.push(notifications);
  const executors = registerExecutorsView(context, { output, connection, catalog });
  const workflows = registerWorkflowsView(context, { output, connection, processes });
  const panels = registerChannelPanels(context, { output, connection, processes, catalog });
  const graphs = registerGraphPanels(context, { output, connection, processes });
  const specs = registerSpecs(context, { output, connection, tree, panels, processes, catalog });
  registerWalkthrough(context, output);
  output.info('ColonyOS extension activated');
  // Returned for the extension-host tests.
  return { connection, localColony, statusBar, tree, executors, workflows, notifications, panels, graphs, specs, processes, catalog };
}

export async function deactivate(): Promise<void> {
  // Awaited so the local colony's sockets are closed before the host exits.
  await stopLocalColony?.();
}
