// Submit, Submit & Open Channel, Submit Workflow. What is submitted is the editor's current text, saved or
// not; it is validated first and nothing is sent while it has errors.
import * as path from 'node:path';
import { countOf, shortId } from '../base/format';
import * as vscode from 'vscode';
import { ColoniesError, PROCESS_STATE_NAMES, ProcessState, type Process, type ProcessGraph } from '../colonies/index';
import type { FunctionSpec } from '../colonies/types';
import { reportError, UserFacingError } from '../base/errors';
import { storeConnection, type ConnectionService, type Session } from '../connection/types';
import { ConnectionProcesses, type ProcessStore } from '../store/processStore';
import type { SpecKind } from './detect';
import { fixEdit, type SpecDiagnostics } from './diagnostics';
import { documentKind, fileLabel } from './documents';
import { formatIssue, type SpecIssue } from './issues';
import { findSpecFiles } from './specFiles';
import { missingExecutorText, submitFailureText, validationFailureText } from './submitText';
import { prepareSubmission } from './validate';
import { waitUntilRunning } from './waitRunning';
import { requireTrustToSubmit } from './trust';
import { errorMessage } from '../colonies/rpc';

export interface SpecTreeHooks {
  revealProcess(processId: string): unknown;
  watchProcess?(processId: string): unknown;
  /** Opens a terminal that follows the processes' logs (views/followCommands.ts followProcesses). */
  followProcesses?(session: Session, processIds: readonly string[], intro: readonly string[], graphId?: string): { ended: Promise<number | undefined> };
}

export interface SpecPanelHooks {
  openChannel(processId: string, channel: string): unknown;
}

export interface SubmitDeps {
  output: vscode.LogOutputChannel;
  connection: ConnectionService;
  diagnostics: SpecDiagnostics;
  processes: ProcessStore;
  tree?: SpecTreeHooks;
  panels?: SpecPanelHooks;
}

const EXECUTOR_CHECK_TIMEOUT_MS = 5000;

const KIND_TITLES: Record<SpecKind, string> = { funcspec: 'function spec', workflow: 'workflow' };

export class SpecSubmitter {
  constructor(private readonly deps: SubmitDeps) {}

  /** The document to submit: the given resource (explorer, editor title, CodeLens), the active editor, or a pick. */
  async resolveDocument(arg: unknown, kind: SpecKind): Promise<vscode.TextDocument | undefined> {
    if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
    const active = vscode.window.activeTextEditor?.document;
    if (active && documentKind(active)) return active;
    const files = await findSpecFiles(kind);
    if (files.length === 0) {
      throw new UserFacingError(
        `No ${KIND_TITLES[kind]} files in this workspace. Open one, or create one with "ColonyOS: New ${kind === 'funcspec' ? 'Function Spec' : 'Workflow'}".`,
        [{ title: kind === 'funcspec' ? 'New Function Spec' : 'New Workflow', command: kind === 'funcspec' ? 'colonyos.newFuncSpec' : 'colonyos.newWorkflow' }],
      );
    }
    const picked = await vscode.window.showQuickPick(
      files.map((f) => ({ label: path.basename(f.uri.fsPath), description: vscode.workspace.asRelativePath(f.uri, true), uri: f.uri })),
      { title: `Submit ${KIND_TITLES[kind]}`, placeHolder: `Pick the ${KIND_TITLES[kind]} file to submit` },
    );
    return picked ? vscode.workspace.openTextDocument(picked.uri) : undefined;
  }

  /** The document, a usable session and the validated request; throws (showing the problems) when invalid. */
  private async begin(arg: unknown, kind: SpecKind) {
    requireTrustToSubmit();
    const doc = await this.resolveDocument(arg, kind);
    if (!doc) return undefined;
    const session = await this.deps.connection.requireSession();
    return { doc, session, ...this.prepare(doc, kind, session) };
  }

  private prepare(doc: vscode.TextDocument, kind: SpecKind, session: Session) {
    const label = fileLabel(doc);
    const prepared = prepareSubmission(doc.getText(), doc.fileName, kind, session.profile.colonyName);
    if (!prepared.ok) {
      this.deps.diagnostics.showIssues(doc, prepared.issues);
      for (const issue of prepared.issues) this.deps.output.warn(formatIssue(label, issue));
      const first = prepared.issues.find((i) => i.severity === 'error') ?? prepared.issues[0];
      throw new UserFacingError(validationFailureText(label, prepared.issues), [
        { title: 'Go to Problem', command: 'vscode.open', args: [doc.uri, { selection: new vscode.Range(doc.positionAt(first.offset), doc.positionAt(first.offset + first.length)) }] },
        { title: 'Show Problems', command: 'workbench.actions.view.problems' },
      ]);
    }
    for (const w of prepared.warnings) this.deps.output.warn(formatIssue(label, w));
    return { label, prepared };
  }

  private async serverCall<T>(label: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      // 403 "not a member" and transport errors get the shared wording; refusals of the spec itself name the file.
      if (err instanceof ColoniesError && err.status !== 403) throw new UserFacingError(submitFailureText(label, err.message));
      throw err;
    }
  }

  /** Submits one function spec; returns the process, or undefined if the user dismissed a prompt. */
  async submitFuncSpec(arg?: unknown): Promise<{ process: Process; spec: FunctionSpec; doc: vscode.TextDocument; session: Session } | undefined> {
    const begun = await this.begin(arg, 'funcspec');
    if (begun?.prepared.kind !== 'funcspec') return undefined;
    const { doc, session, label, prepared } = begun;
    const spec = prepared.spec;
    const process = await this.serverCall(label, () => session.client.submitFuncSpec(spec, session.prvkey));
    this.deps.output.info(
      `Submitted ${label}${doc.isDirty ? ' (unsaved editor content)' : ''} to colony ${spec.conditions.colonyname} as process ${process.processid}`,
    );
    void Promise.resolve(this.deps.tree?.watchProcess?.(process.processid)).catch(() => undefined);
    this.offerWarningFixes(doc, prepared.warnings);
    return { process, spec, doc, session };
  }

  /** Resolves with the process once submitted; the notification's buttons are handled after that. */
  async submitCommand(arg?: unknown): Promise<Process | undefined> {
    const result = await this.submitFuncSpec(arg);
    if (!result) return undefined;
    const { process, spec, doc, session } = result;
    const waiting = await this.executorWarning(session, spec);
    const saved = doc.isDirty ? ' (the unsaved editor content)' : '';
    const text = `Submitted ${fileLabel(doc)}${saved} as process ${shortId(process.processid)} (${spec.funcname} on ${spec.conditions.executortype}).`;
    const channels = spec.channels ?? [];
    const actions = ['Reveal in Tree', ...(channels.length > 0 ? ['Open Channel'] : []), 'Copy ID'];
    this.onChoice(waiting ? vscode.window.showWarningMessage(`${text} ${waiting}`, ...actions) : vscode.window.showInformationMessage(text, ...actions), {
      'Reveal in Tree': () => this.reveal(process.processid),
      'Open Channel': () => this.openChannel(process.processid, channels),
      'Copy ID': () => vscode.env.clipboard.writeText(process.processid),
    });
    return process;
  }

  /** Runs the handler of the button the user picks, reporting failures; never blocks the command. */
  private onChoice(shown: Thenable<string | undefined>, handlers: Record<string, () => Thenable<unknown> | Promise<unknown>>): void {
    void Promise.resolve(shown)
      .then((choice) => (choice ? handlers[choice]?.() : undefined))
      .then(undefined, (err: unknown) => reportError(err, this.deps.output));
  }

  async submitAndOpenChannelCommand(arg?: unknown): Promise<void> {
    const doc = await this.resolveDocument(arg, 'funcspec');
    if (!doc) return;
    const value = prepareSubmission(doc.getText(), doc.fileName, 'funcspec', '');
    if (value.ok && value.kind === 'funcspec' && (value.spec.channels ?? []).length === 0) {
      throw new UserFacingError(
        `${fileLabel(doc)} declares no channels, so there is nothing to open. Add "channels": ["chat"] to the spec, or use "Submit".`,
      );
    }
    const result = await this.submitFuncSpec(doc.uri);
    if (!result) return;
    const { process, spec, session } = result;
    const waiting = await this.executorWarning(session, spec);
    if (waiting) void vscode.window.showWarningMessage(waiting);
    const running = await this.waitForRunning(session, process, spec);
    if (!running) return;
    await this.openChannel(process.processid, spec.channels ?? []);
  }

  /** Submits a workflow; returns the graph, or undefined if the user dismissed a prompt. */
  private async submitWorkflow(arg: unknown) {
    const begun = await this.begin(arg, 'workflow');
    if (begun?.prepared.kind !== 'workflow') return undefined;
    const { doc, session, label, prepared } = begun;
    const workflow = prepared.workflow;
    const graph = await this.serverCall(label, () => session.client.submitWorkflowSpec(workflow, session.prvkey));
    const ids = graph.processids ?? [];
    this.deps.output.info(`Submitted workflow ${label} to colony ${workflow.colonyname} as graph ${graph.processgraphid} with ${countOf(ids.length, 'process', 'processes')}`);
    for (const id of ids) void Promise.resolve(this.deps.tree?.watchProcess?.(id)).catch(() => undefined);
    this.offerWarningFixes(doc, prepared.warnings);
    return { doc, session, label, workflow, graph, ids };
  }

  /**
   * Submit & Follow: submits the spec or workflow and opens a terminal that follows its log (every member's, for a
   * workflow) until it ends. Resolves with the terminal's exit status (views/followText.ts FollowExit).
   */
  async submitAndFollowCommand(arg?: unknown): Promise<number | undefined> {
    const doc = await this.resolveDocument(arg, 'funcspec');
    if (!doc) return undefined;
    if (!this.deps.tree?.followProcesses) throw new UserFacingError('Following logs is not available.');
    if (documentKind(doc) === 'workflow') {
      const done = await this.submitWorkflow(doc.uri);
      if (!done) return undefined;
      const names = done.workflow.functionspecs.map((f) => f.nodename).join(', ');
      const intro = [`Submitted workflow ${done.label} as graph ${done.graph.processgraphid}`, `${done.ids.length} processes: ${names}`];
      return this.deps.tree.followProcesses(done.session, done.ids, intro, done.graph.processgraphid).ended;
    }
    const result = await this.submitFuncSpec(doc.uri);
    if (!result) return undefined;
    const { process, spec, session } = result;
    const waiting = await this.executorWarning(session, spec);
    const intro = [`Submitted ${fileLabel(doc)} as process ${process.processid}`, `${spec.funcname} on executor type ${spec.conditions.executortype}`];
    if (waiting) intro.push(waiting);
    return this.deps.tree.followProcesses(session, [process.processid], intro).ended;
  }

  async submitWorkflowCommand(arg?: unknown): Promise<ProcessGraph | undefined> {
    const done = await this.submitWorkflow(arg);
    if (!done) return undefined;
    const { doc, label, workflow, graph, ids } = done;
    const saved = doc.isDirty ? ' (the unsaved editor content)' : '';
    const roots = graph.rootprocessids ?? [];
    const first = roots[0] ?? ids[0];
    this.onChoice(
      vscode.window.showInformationMessage(
        `Submitted workflow ${label}${saved} as graph ${shortId(graph.processgraphid)}: ${countOf(ids.length, 'process', 'processes')} in colony ${workflow.colonyname}.`,
        ...(first ? ['Reveal in Tree'] : []),
        'Copy Graph ID',
      ),
      {
        'Reveal in Tree': () => this.reveal(first),
        'Copy Graph ID': () => vscode.env.clipboard.writeText(graph.processgraphid),
      },
    );
    return graph;
  }

  /** Waits (cancellable) until the process runs; false when cancelled or it ended first. */
  private async waitForRunning(session: Session, process: Process, spec: FunctionSpec): Promise<boolean> {
    const id = process.processid;
    return (
      (await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Waiting for process ${shortId(id)} to start (an executor of type "${spec.conditions.executortype}" must assign it)…`,
          cancellable: true,
        },
        async (_progress, token) => {
          const abort = new AbortController();
          const sub = token.onCancellationRequested(() => abort.abort());
          try {
            const processes = new ConnectionProcesses(this.deps.processes, { ...storeConnection(session), colonyName: spec.conditions.colonyname });
            const current = await waitUntilRunning(processes, process, { signal: abort.signal });
            if (!current || current.state === ProcessState.RUNNING) return current !== undefined;
            const errors = (current.errors ?? []).join('; ');
            this.onChoice(
              vscode.window.showWarningMessage(
                `Process ${shortId(id)} ended as ${PROCESS_STATE_NAMES[current.state]} before its channel could be opened${errors ? `: ${errors}` : ''}.`,
                'Reveal in Tree',
              ),
              { 'Reveal in Tree': () => this.reveal(id) },
            );
            return false;
          } finally {
            sub.dispose();
          }
        },
      )) === true
    );
  }

  private async executorWarning(session: Session, spec: FunctionSpec): Promise<string | undefined> {
    try {
      const executors = await session.client.getExecutors(spec.conditions.colonyname, session.prvkey, { timeoutMs: EXECUTOR_CHECK_TIMEOUT_MS });
      return missingExecutorText(spec.conditions, executors ?? [], spec.maxwaittime);
    } catch (err) {
      // Only a hint: listing executors may be refused to this key; the submit itself succeeded.
      this.deps.output.debug(`Could not list executors: ${errorMessage(err)}`);
      return undefined;
    }
  }

  private async openChannel(processId: string, channels: readonly string[]): Promise<void> {
    const channel = channels.length === 1 ? channels[0] : await vscode.window.showQuickPick([...channels], { title: 'Open which channel?' });
    if (!channel) return;
    if (this.deps.panels) await this.deps.panels.openChannel(processId, channel);
    else await vscode.commands.executeCommand('colonyos.openChannel', processId, channel);
  }

  private async reveal(processId: string): Promise<void> {
    if (this.deps.tree) await this.deps.tree.revealProcess(processId);
    else await vscode.commands.executeCommand('colonyos.revealProcess', processId);
  }

  /** Warnings that come with a fix (maxexectime 0) get a button that edits the document. */
  private offerWarningFixes(doc: vscode.TextDocument, warnings: SpecIssue[]): void {
    for (const w of warnings) {
      const fix = w.fix;
      if (!fix) continue;
      this.onChoice(vscode.window.showWarningMessage(`${fileLabel(doc)}:${w.line}:${w.column}: ${w.message}`, fix.title), {
        [fix.title]: async () => (doc.isClosed ? undefined : vscode.workspace.applyEdit(fixEdit(doc, fix))),
      });
    }
  }
}
