// Process commands from the tree (and from other areas by process id): copy id, cancel, remove, re-run.
// Destructive ones ask first and say what will happen.
import * as vscode from 'vscode';
import { shortId } from '../base/format';
import { stringifyJson } from '../colonies/json';
import { ProcessState, type Process } from '../colonies/types';
import type { ConnectionService, Session } from '../connection/types';
import { presentState, processLabel } from './stateMapping';
import { processIdOf } from './treeNodes';
import { commandRegistrar, UserFacingError } from '../base/errors';

export interface ProcessActionDeps {
  output: vscode.LogOutputChannel;
  connection: ConnectionService;
  /** The process selected in the tree, for palette invocations. */
  selectedProcessId(): string | undefined;
  /** A fresh read through the process store (the tree, panels and documents learn it from there). */
  readProcess(s: Session, processId: string): Promise<Process>;
  forgetProcess(processId: string): void;
  requestRefresh(): void;
}

function requireProcessId(arg: unknown, deps: ProcessActionDeps): string {
  const id = processIdOf(arg) ?? deps.selectedProcessId();
  if (!id) throw new UserFacingError('Select a process in the ColonyOS Processes view first.');
  return id;
}

function describe(p: Process): string {
  return `"${processLabel(p)}" (${shortId(p.processid, 8)})`;
}

export function registerProcessActions(context: vscode.ExtensionContext, deps: ProcessActionDeps): void {
  const { output, connection } = deps;
  const reg = commandRegistrar(context, output);

  async function fetch(arg: unknown) {
    const id = requireProcessId(arg, deps);
    const s = await connection.requireSession();
    const p = await deps.readProcess(s, id);
    return { s, p };
  }

  /**
   * Asks with a modal; workflow members act on their whole workflow, which is all the server allows. The modal
   * brings its own "Cancel" button, so the action's button never says "Cancel" too: cancelling a process is "Stop".
   */
  async function confirmAndRun(
    p: Process,
    o: { verb: 'Stop' | 'Remove'; done: string; detail: string; graphDetail: string; one: () => Promise<void>; graph: (id: string) => Promise<void> },
  ): Promise<boolean> {
    const graph = p.processgraphid;
    const button = `${o.verb} ${graph ? 'Workflow' : 'Process'}`;
    const title = graph ? `${o.verb} the workflow of process ${describe(p)}?` : `${o.verb} process ${describe(p)}?`;
    const ok = await vscode.window.showWarningMessage(title, { modal: true, detail: graph ? o.graphDetail : o.detail }, button);
    if (ok !== button) return false;
    if (graph) await o.graph(graph);
    else await o.one();
    output.info(`${o.done} ${graph ? `workflow ${graph} of ` : ''}process ${p.processid}`);
    return true;
  }

  reg('colonyos.copyProcessId', async (arg?: unknown) => {
    const id = requireProcessId(arg, deps);
    await vscode.env.clipboard.writeText(id);
    vscode.window.setStatusBarMessage(`$(copy) Copied process id ${shortId(id, 8)}…`, 3000);
  });

  reg('colonyos.cancelProcess', async (arg?: unknown) => {
    const { s, p } = await fetch(arg);
    if (p.state !== ProcessState.WAITING && p.state !== ProcessState.RUNNING) {
      throw new UserFacingError(`Process ${describe(p)} is ${presentState(p.state).label.toLowerCase()}; only waiting or running processes can be cancelled.`);
    }
    const done = await confirmAndRun(p, {
      verb: 'Stop',
      done: 'Cancelled',
      detail:
        p.state === ProcessState.RUNNING
          ? 'ColonyOS marks it cancelled: the executor can no longer close it, and its channels are deleted.'
          : 'ColonyOS marks it cancelled: it will not be assigned to an executor.',
      graphDetail: 'This process is part of a workflow; ColonyOS cancels the entire workflow.',
      one: () => s.client.cancelProcess(p.processid, s.prvkey),
      graph: (id) => s.client.cancelProcessGraph(id, s.prvkey),
    });
    if (!done) return;
    await deps.readProcess(s, p.processid).catch(() => undefined);
    deps.requestRefresh();
  });

  reg('colonyos.removeProcess', async (arg?: unknown) => {
    const { s, p } = await fetch(arg);
    if (p.state === ProcessState.RUNNING) {
      throw new UserFacingError(`Process ${describe(p)} is running; cancel it first, then remove it.`);
    }
    const done = await confirmAndRun(p, {
      verb: 'Remove',
      done: 'Removed',
      detail: 'The process, its output and its logs are deleted from the server. This cannot be undone.',
      graphDetail: 'This process is part of a workflow; ColonyOS removes the entire workflow with all its processes. This cannot be undone.',
      one: () => s.client.removeProcess(p.processid, s.prvkey),
      graph: (id) => s.client.removeProcessGraph(id, s.prvkey),
    });
    if (!done) return;
    deps.forgetProcess(p.processid);
    deps.requestRefresh();
  });

  reg('colonyos.rerunProcess', async (arg?: unknown) => {
    const { p } = await fetch(arg);
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: `${stringifyJson(p.spec, 2)}\n` });
    await vscode.window.showTextDocument(doc, { preview: false });
    void vscode.window
      .showInformationMessage(`The function spec of ${describe(p)} is open as a new document. Edit it, then submit it.`, 'Submit Now')
      .then((c) => (c ? vscode.commands.executeCommand('colonyos.submit', doc.uri) : undefined), (e: unknown) => output.error(String(e)));
  });
}
