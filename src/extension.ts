import * as vscode from 'vscode';

// Composition root: services are built once here and every disposable is pushed to the context.
export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('ColonyOS', { log: true });
  context.subscriptions.push(output);
  output.info('ColonyOS extension activated');
}

export function deactivate(): void {
  // Disposables registered on the context are released by VS Code.
}
