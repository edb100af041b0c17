// Spec editing and submitting: diagnostics and context keys, CodeLenses, New Function Spec / New Workflow,
// and the submit commands.
import * as vscode from 'vscode';
import { registerCommand } from '../base/errors';
import type { ConnectionService } from '../connection/types';
import type { ProcessStore } from '../store/processStore';
import type { ColonyCatalog } from '../store/colonyCatalog';
import { SpecCatalogFeatures } from './catalogFeatures';
import { SpecCodeLensProvider } from './codeLens';
import { SpecDiagnostics } from './diagnostics';
import { createSpecFile } from './newFile';
import { SpecSubmitter, type SpecPanelHooks, type SpecTreeHooks } from './submit';
import { SpecWaitHints } from './waitHint';
import { registerWorkflowPreview, type WorkflowPreviews } from './workflowPreview';

export interface SpecsServices {
  output: vscode.LogOutputChannel;
  connection: ConnectionService;
  processes: ProcessStore;
  /** Executors and functions of the connected colony (store/colonyCatalog.ts); absent in tests that do not need it. */
  catalog?: ColonyCatalog;
  tree?: SpecTreeHooks;
  panels?: SpecPanelHooks;
}

export interface SpecsApi {
  diagnostics: SpecDiagnostics;
  submitter: SpecSubmitter;
  /** Completion, hovers and warnings from the colony catalog; absent without a catalog. */
  catalog?: SpecCatalogFeatures;
  previews: WorkflowPreviews;
}

export function registerSpecs(context: vscode.ExtensionContext, services: SpecsServices): SpecsApi {
  const { output } = services;
  const diagnostics = new SpecDiagnostics();
  const lenses = new SpecCodeLensProvider();
  context.subscriptions.push(
    diagnostics,
    lenses,
    vscode.languages.registerCodeLensProvider([{ language: 'json' }, { language: 'jsonc' }], lenses),
  );
  const catalog = services.catalog
    ? new SpecCatalogFeatures({ connection: services.connection, catalog: services.catalog, memento: context.globalState, output })
    : undefined;
  if (catalog) context.subscriptions.push(catalog);
  // "Why would it wait?" before submit: a hint on conditions from the colony catalog (waitHint.ts).
  if (services.catalog) context.subscriptions.push(new SpecWaitHints(services.connection, services.catalog));
  const submitter = new SpecSubmitter({ ...services, diagnostics });
  const deps = { output };
  registerCommand(context, 'colonyos.submit', (arg?: unknown) => submitter.submitCommand(arg), deps);
  registerCommand(context, 'colonyos.submitAndOpenChannel', (arg?: unknown) => submitter.submitAndOpenChannelCommand(arg), deps);
  registerCommand(context, 'colonyos.submitAndFollow', (arg?: unknown) => submitter.submitAndFollowCommand(arg), deps);
  registerCommand(context, 'colonyos.submitWorkflow', (arg?: unknown) => submitter.submitWorkflowCommand(arg), deps);
  registerCommand(context, 'colonyos.newFuncSpec', () => createSpecFile('funcspec'), deps);
  registerCommand(context, 'colonyos.newWorkflow', () => createSpecFile('workflow'), deps);
  const previews = registerWorkflowPreview(context, output);
  return { diagnostics, submitter, catalog, previews };
}

export { analyzeSpecText, prepareSubmission } from './validate';
export type { SpecKind } from './detect';
