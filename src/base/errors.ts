// One error handler for every command: a clear message, a "Show Output" action, details in the ColonyOS log, and
// never an unhandled rejection. Every command of the extension is registered through registerCommand / commandRegistrar.
import * as vscode from 'vscode';
import { describeError, type ErrorAction, type ErrorContext } from './errorText';

export { UserFacingError, describeError, notMemberText } from './errorText';
export type { ErrorAction, ErrorContext } from './errorText';

export interface CommandDeps {
  output: vscode.LogOutputChannel;
}

let contextProvider: () => ErrorContext | undefined = () => undefined;

/** The connection service registers this so messages can name the server and the key's id. */
export function setErrorContextProvider(provider: () => ErrorContext | undefined): vscode.Disposable {
  contextProvider = provider;
  return new vscode.Disposable(() => {
    if (contextProvider === provider) contextProvider = () => undefined;
  });
}

function currentContext(): ErrorContext | undefined {
  try {
    return contextProvider();
  } catch {
    return undefined;
  }
}

const SHOW_OUTPUT = 'Show Output';

/**
 * Logs `err` and shows it to the user. Resolves when the notification is shown (not when it is dismissed),
 * and never rejects.
 */
export function reportError(err: unknown, output: vscode.LogOutputChannel, what?: string): void {
  const described = describeError(err, currentContext());
  const prefix = what ? `${what}: ` : '';
  if (described.silent) {
    output.debug(`${prefix}cancelled: ${described.message}`);
    return;
  }
  output.error(`${prefix}${described.message}`);
  if (err instanceof Error && err.stack) output.debug(err.stack);
  showError(`${prefix}${described.message}`, described.actions, output);
}

function showError(message: string, actions: ErrorAction[], output: vscode.LogOutputChannel): void {
  const titles = [...actions.map((a) => a.title), SHOW_OUTPUT];
  void Promise.resolve(vscode.window.showErrorMessage(message, ...titles)).then(
    async (choice) => {
      if (!choice) return;
      if (choice === SHOW_OUTPUT) {
        output.show(true);
        return;
      }
      const action = actions.find((a) => a.title === choice);
      if (action) await vscode.commands.executeCommand(action.command, ...(action.args ?? []));
    },
    (e: unknown) => output.error(`Could not show an error message: ${String(e)}`),
  ).then(undefined, (e: unknown) => output.error(`Error action failed: ${String(e)}`));
}

/** Runs `task`, reporting any failure like a command would; returns undefined on failure. */
export async function runReported<T>(output: vscode.LogOutputChannel, what: string, task: () => Promise<T> | T): Promise<T | undefined> {
  try {
    return await task();
  } catch (err) {
    reportError(err, output, what);
    return undefined;
  }
}

/** A command handler; VS Code passes whatever the caller (a menu, a CodeLens, executeCommand) gave it. */
export type CommandHandler = (...args: never[]) => unknown;

/** Registers `id` with the shared error handling and pushes the registration to the context. */
export function registerCommand(
  context: vscode.ExtensionContext,
  id: string,
  handler: CommandHandler,
  deps: CommandDeps,
): vscode.Disposable {
  const run = handler as (...args: unknown[]) => unknown;
  const disposable = vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await run(...args);
    } catch (err) {
      reportError(err, deps.output, commandTitle(id));
      return undefined;
    }
  });
  context.subscriptions.push(disposable);
  return disposable;
}

/** `reg(id, handler)` bound to one context and output channel: what each feature's registration code uses. */
export function commandRegistrar(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): (id: string, handler: CommandHandler) => vscode.Disposable {
  return (id, handler) => registerCommand(context, id, handler, { output });
}

/** Words whose capitals the id spelling loses ("showRawJson" is "Show Raw JSON"). */
const ACRONYMS: Record<string, string> = { Json: 'JSON', Id: 'ID' };

function commandTitle(id: string): string {
  const bare = id.replace(/^colonyos\./, '');
  const words = bare.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
  return words.replace(/\b[A-Z][a-z]+\b/g, (w) => ACRONYMS[w] ?? w);
}

/** `colonyos.showOutput`: the target of every "Show Output" button, also in the command palette. */
export function registerShowOutput(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand(context, 'colonyos.showOutput', () => output.show(true), { output });
}
