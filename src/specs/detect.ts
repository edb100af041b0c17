// Is a JSON document a function spec, a workflow, or neither? By file name first, then by content, so
// specs named anything.json still get the Submit buttons.
import { isRecord } from '../colonies/text';
import { SCHEMA_IDS } from './schemaCheck';

export type SpecKind = 'funcspec' | 'workflow';

/** The file name patterns the extension contributes a schema for (package.json `jsonValidation`). */
export const SPEC_FILE_SUFFIXES: Record<string, SpecKind> = {
  '.colonyos.json': 'funcspec',
  '.funcspec.json': 'funcspec',
  '.workflow.json': 'workflow',
};

export const SPEC_FILE_GLOB = '**/*.{colonyos,funcspec,workflow}.json';

export function kindFromFileName(fileName: string): SpecKind | undefined {
  const lower = fileName.toLowerCase();
  for (const [suffix, kind] of Object.entries(SPEC_FILE_SUFFIXES)) if (lower.endsWith(suffix)) return kind;
  return undefined;
}

/** True when VS Code's JSON service reads this file with our (completion-only) schema and shows its syntax errors. */
export function hasContributedSchema(fileName: string): boolean {
  return kindFromFileName(fileName) !== undefined;
}


function looksLikeSpec(v: unknown): boolean {
  return isRecord(v) && ('funcname' in v || 'conditions' in v);
}

/** The kind a `"$schema"` value names, when it is one of ours. */
export function kindFromSchemaId(value: unknown): SpecKind | undefined {
  if (isRecord(value) && typeof value.$schema === 'string') {
    const id = value.$schema.trim();
    if (id === SCHEMA_IDS.funcspec) return 'funcspec';
    if (id === SCHEMA_IDS.workflow) return 'workflow';
  }
  return undefined;
}

/** The kind a parsed value has by its shape alone, or undefined for other JSON. */
export function kindFromValue(value: unknown): SpecKind | undefined {
  const bySchema = kindFromSchemaId(value);
  if (bySchema) return bySchema;
  if (Array.isArray(value)) return value.length > 0 && value.every(looksLikeSpec) ? 'workflow' : undefined;
  if (isRecord(value)) {
    if (Array.isArray(value.functionspecs)) return 'workflow';
    if (looksLikeSpec(value)) return 'funcspec';
  }
  return undefined;
}

/**
 * The kind of a document. A `"$schema"` of ours wins; a spec-named file is a spec even when broken (so it gets
 * diagnostics), except that an array in a *.colonyos.json file is a workflow; other files need the content.
 */
export function detectKind(fileName: string, value: unknown): SpecKind | undefined {
  const bySchema = kindFromSchemaId(value);
  if (bySchema) return bySchema;
  const byName = kindFromFileName(fileName);
  if (byName === 'funcspec' && (Array.isArray(value) || (isRecord(value) && 'functionspecs' in value))) return 'workflow';
  return byName ?? kindFromValue(value);
}
