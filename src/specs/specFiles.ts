// Finds the workspace's spec files for the Submit quick pick: by name, by `colonyos.specFileGlobs`, then by
// content among other JSON files (node_modules excluded).
import * as vscode from 'vscode';
import { detectKind, kindFromFileName, SPEC_FILE_GLOB, type SpecKind } from './detect';
import { extraGlobPatterns } from './documents';
import { parseJsonDocument } from './jsonText';

const EXCLUDE = '**/{node_modules,.git,dist,out,.vscode-test}/**';
const MAX_SCANNED = 2000;
/** Larger JSON files are data, not specs; reading them would only slow the pick down. */
const MAX_CONTENT_BYTES = 256 * 1024;

export interface SpecFile {
  uri: vscode.Uri;
  kind: SpecKind;
}

async function kindByContent(uri: vscode.Uri): Promise<SpecKind | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_CONTENT_BYTES) return undefined;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const parsed = parseJsonDocument(text);
    return parsed.syntaxIssues.length === 0 ? detectKind(uri.path, parsed.value) : kindFromFileName(uri.path);
  } catch {
    return undefined;
  }
}

export async function findSpecFiles(kind?: SpecKind): Promise<SpecFile[]> {
  const found = new Map<string, SpecFile>();
  const named = await vscode.workspace.findFiles(SPEC_FILE_GLOB, EXCLUDE, MAX_SCANNED);
  const extra = (await Promise.all(extraGlobPatterns().map((g) => vscode.workspace.findFiles(g, EXCLUDE, MAX_SCANNED)))).flat();
  const other = await vscode.workspace.findFiles('**/*.json', EXCLUDE, MAX_SCANNED);
  for (const uri of [...named, ...extra, ...other]) {
    const key = uri.toString();
    if (found.has(key)) continue;
    const k = await kindByContent(uri);
    if (k && (!kind || k === kind)) found.set(key, { uri, kind: k });
  }
  return [...found.values()].sort((a, b) => a.uri.path.localeCompare(b.uri.path));
}
