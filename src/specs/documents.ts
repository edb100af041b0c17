// Which open documents are specs, and which of them this extension validates itself.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { detectKind, hasContributedSchema, kindFromFileName, kindFromSchemaId, kindFromValue, type SpecKind } from './detect';
import { parseJson } from './jsonText';

export function isJsonDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'json' || doc.languageId === 'jsonc';
}

/** Workspace-relative path (or the untitled name) for messages. */
export function fileLabel(doc: vscode.TextDocument): string {
  if (doc.isUntitled) return doc.uri.path;
  return vscode.workspace.asRelativePath(doc.uri, false) || path.basename(doc.fileName);
}

export function parsedValue(doc: vscode.TextDocument): unknown {
  const parsed = parseJson(doc.getText());
  return parsed.syntaxIssues.length === 0 ? parsed.value : undefined;
}

/** Spec or workflow by name, `$schema` or content; undefined for other documents. */
export function documentKind(doc: vscode.TextDocument): SpecKind | undefined {
  if (!isJsonDocument(doc) && !kindFromFileName(doc.fileName)) return undefined;
  return detectKind(doc.fileName, parsedValue(doc));
}

/** The `colonyos.specFileGlobs` patterns; relative ones apply inside every workspace folder. */
export function extraGlobPatterns(): vscode.GlobPattern[] {
  const globs = vscode.workspace.getConfiguration('colonyos').get<string[]>('specFileGlobs', []);
  const folders = vscode.workspace.workspaceFolders ?? [];
  const out: vscode.GlobPattern[] = [];
  for (const glob of globs) {
    if (typeof glob !== 'string' || glob.trim() === '') continue;
    if (glob.startsWith('**/') || path.isAbsolute(glob) || folders.length === 0) out.push(glob);
    else for (const folder of folders) out.push(new vscode.RelativePattern(folder, glob));
  }
  return out;
}

export function matchesExtraGlobs(doc: vscode.TextDocument): boolean {
  return extraGlobPatterns().some((pattern) => vscode.languages.match({ pattern }, doc) > 0);
}

export interface ValidationScope {
  kind: SpecKind;
  /** True when VS Code's JSON service already shows syntax and schema problems for this document. */
  jsonServiceValidates: boolean;
}

/**
 * Whether this extension shows diagnostics for `doc`: spec-named files, files matched by `colonyos.specFileGlobs`,
 * files whose `"$schema"` is ours, and untitled documents that look like specs (from "New Function Spec").
 */
export function validationScope(doc: vscode.TextDocument): ValidationScope | undefined {
  if (!isJsonDocument(doc) && !kindFromFileName(doc.fileName)) return undefined;
  const value = parsedValue(doc);
  const kind = detectKind(doc.fileName, value);
  const byName = kindFromFileName(doc.fileName);
  const bySchema = kindFromSchemaId(value);
  const inScope = byName !== undefined || bySchema !== undefined || matchesExtraGlobs(doc) || (doc.isUntitled && kindFromValue(value) !== undefined);
  if (!inScope) return undefined;
  const effective = kind ?? byName ?? 'funcspec';
  // A "$schema" makes VS Code use that URL instead of our bundled file, which may not load offline.
  const jsonServiceValidates = hasContributedSchema(doc.fileName) && byName === effective && bySchema === undefined;
  return { kind: effective, jsonServiceValidates };
}
