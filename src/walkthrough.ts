// The Get Started walkthrough (package.json `contributes.walkthroughs`): the command that opens it, and opening it
// once in the demo, whose workbench otherwise starts on an empty Explorer with nothing saying where to begin.
import * as vscode from 'vscode';
import { registerCommand } from './base/errors';
import { walkthroughId } from './base/walkthroughId';
import { funcSpecTemplate } from './specs/templates';

/** Set by `npm run demo` (scripts/demo.mjs) in the VS Code server's environment, which the extension host inherits. */
export const DEMO_ENV = 'COLONYOS_DEMO';
const SHOWN_KEY = 'colonyos.walkthroughShownInDemo';
const EXAMPLE_GLOB = '**/chat.colonyos.json';

export function registerWalkthrough(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): void {
  const id = walkthroughId(context.extension.packageJSON as { publisher?: string; name?: string });
  const open = () => vscode.commands.executeCommand('workbench.action.openWalkthrough', id, false);
  registerCommand(context, 'colonyos.openWalkthrough', open, { output });
  // The example the walkthrough's submit step opens: the workspace's chat spec, else the same spec untitled.
  registerCommand(
    context,
    'colonyos.openExampleSpec',
    async () => {
      const [found] = vscode.workspace.isTrusted ? await vscode.workspace.findFiles(EXAMPLE_GLOB, '**/node_modules/**', 1) : [];
      const doc = found ? await vscode.workspace.openTextDocument(found) : await vscode.workspace.openTextDocument({ language: 'json', content: funcSpecTemplate() });
      await vscode.window.showTextDocument(doc);
    },
    { output },
  );
  // Once per install of the demo's server (a fresh data dir each run): the demo is where a new user starts.
  if (process.env[DEMO_ENV] === '1' && !context.globalState.get<boolean>(SHOWN_KEY)) {
    void context.globalState.update(SHOWN_KEY, true);
    void open().then(undefined, (err: unknown) => output.warn(`Could not open the Get Started walkthrough: ${String(err)}`));
  }
}
