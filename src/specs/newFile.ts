// "ColonyOS: New Function Spec" / "New Workflow": a template in an untitled editor, or saved in the workspace.
import * as vscode from 'vscode';
import { kindFromFileName, type SpecKind } from './detect';
import { firstFreeName, FUNCSPEC_TEMPLATE_NAME, funcSpecTemplate, WORKFLOW_TEMPLATE_NAME, workflowTemplate } from './templates';

const SUFFIX: Record<SpecKind, string> = { funcspec: '.colonyos.json', workflow: '.workflow.json' };

/** Where a new file goes: the folder of the active file when it is in the workspace, else the first folder. */
function targetFolder(): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.scheme === 'file' && vscode.workspace.getWorkspaceFolder(active)) return vscode.Uri.joinPath(active, '..');
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

export async function createSpecFile(kind: SpecKind): Promise<vscode.TextEditor | undefined> {
  const content = kind === 'funcspec' ? funcSpecTemplate() : workflowTemplate();
  const folder = targetFolder();
  let target: vscode.Uri | undefined;
  if (folder) {
    const where = vscode.workspace.asRelativePath(folder, true);
    const choice = await vscode.window.showQuickPick(
      [
        { label: `$(save) Save in ${where}…`, save: true },
        { label: '$(new-file) Open in an untitled editor', save: false },
      ],
      { title: kind === 'funcspec' ? 'New Function Spec' : 'New Workflow' },
    );
    if (!choice) return undefined;
    if (choice.save) {
      const proposed = await firstFreeName(kind === 'funcspec' ? FUNCSPEC_TEMPLATE_NAME : WORKFLOW_TEMPLATE_NAME, (n) => exists(vscode.Uri.joinPath(folder, n)));
      const name = await vscode.window.showInputBox({
        title: 'File name',
        value: proposed,
        valueSelection: [0, proposed.indexOf('.')],
        prompt: `A name ending in ${SUFFIX[kind]} gets completion and validation.`,
        validateInput: async (value) => {
          const v = value.trim();
          if (!v || /[\\/:*?"<>|]/.test(v)) return 'Enter a file name without folders or special characters.';
          if (!v.toLowerCase().endsWith('.json')) return 'The name must end in .json (for example ' + SUFFIX[kind].slice(1) + ').';
          if (await exists(vscode.Uri.joinPath(folder, v))) return `${v} already exists in ${where}.`;
          return kindFromFileName(v) === kind ? undefined : { message: `Without the ${SUFFIX[kind]} ending the file is recognised by its content only.`, severity: vscode.InputBoxValidationSeverity.Warning };
        },
      });
      if (!name) return undefined;
      target = vscode.Uri.joinPath(folder, name.trim());
    }
  }
  if (target) {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
    const doc = await vscode.workspace.openTextDocument(target);
    return vscode.window.showTextDocument(doc);
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content });
  return vscode.window.showTextDocument(doc);
}

