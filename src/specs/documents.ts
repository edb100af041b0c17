// Which open documents are specs, and which of them this extension validates itself. Documents are parsed only when
// they may be specs and are small enough (sizeLimits.ts), once per version, whoever asks (diagnostics, CodeLens,
// context keys).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { detectKind, hasContributedSchema, kindFromFileName, kindFromSchemaId, kindFromValue, type SpecKind } from './detect';
import { parseJsonDocument, type ParsedJson } from './jsonText';
import { parseDecision } from './sizeLimits';

export function isJsonDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'json' || doc.languageId === 'jsonc';
}

/** Workspace-relative path (or the untitled name) for messages. */
export function fileLabel(doc: vscode.TextDocument): string {
  if (doc.isUntitled) return doc.uri.path;
  return vscode.workspace.asRelativePath(doc.uri, false) || path.basename(doc.fileName);
}

/** Length in UTF-16 characters, without building the text (VS Code keeps the line offsets). */
export function documentLength(doc: vscode.TextDocument): number {
  return doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
}

/** A spec by its name or by `colonyos.specFileGlobs`: no content is needed to know it is one. */
function namedAsSpec(doc: vscode.TextDocument): boolean {
  return kindFromFileName(doc.fileName) !== undefined || matchesExtraGlobs(doc);
}

/** The length of a spec file too large to check while typing; undefined for any other document. */
export function oversizedSpecLength(doc: vscode.TextDocument): number | undefined {
  if (!isJsonDocument(doc) && !kindFromFileName(doc.fileName)) return undefined;
  const length = documentLength(doc);
  return parseDecision({ length, namedAsSpec: namedAsSpec(doc), text: () => '' }) === 'too-large' ? length : undefined;
}

const parses = new WeakMap<vscode.TextDocument, { version: number; named: boolean; parsed: ParsedJson | undefined }>();

/**
 * The parse of `doc` for the spec features, at most once per document version; undefined when the document is not
 * parsed while typing (not JSON, too large, or neither named as a spec nor mentioning a spec's keys).
 */
export function parsedDocument(doc: vscode.TextDocument): ParsedJson | undefined {
  if (!isJsonDocument(doc) && !kindFromFileName(doc.fileName)) return undefined;
  // The globs can change between two calls on the same version; a new answer then.
  const named = namedAsSpec(doc);
  const hit = parses.get(doc);
  if (hit && hit.version === doc.version && hit.named === named) return hit.parsed;
  const worth = parseDecision({ length: documentLength(doc), namedAsSpec: named, text: () => doc.getText() }) === 'parse';
  const parsed = worth ? parseJsonDocument(doc.getText()) : undefined;
  parses.set(doc, { version: doc.version, named, parsed });
  return parsed;
}

export function parsedValue(doc: vscode.TextDocument): unknown {
  const parsed = parsedDocument(doc);
  return parsed && parsed.syntaxIssues.length === 0 ? parsed.value : undefined;
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
  /** True when VS Code's JSON service already shows syntax errors for this document (and completes it from our schema). */
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
