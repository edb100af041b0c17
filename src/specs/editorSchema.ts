// The schemas VS Code's JSON service gets (package.json `jsonValidation`, media/schemas/editor/): our schemas with
// every validation keyword taken out, so the JSON service gives completion and hovers only. It reports every schema
// violation as a warning, while Submit refuses them as errors; the extension's own diagnostics (diagnostics.ts)
// show each problem once, with the severity Submit acts on. No `vscode` import; `npx tsx scripts/editor-schemas.ts`
// writes the files, and test/unit/specs/editorSchema.test.ts fails when they are stale.
import type { JsonSchema } from './schemaCheck';

/** Keywords that only validate: dropped. `oneOf` becomes `anyOf` (its branches no longer exclude each other). */
const VALIDATION_ONLY = new Set([
  'type', 'required', 'additionalProperties', 'minimum', 'maximum', 'minLength', 'minItems', 'uniqueItems', 'not', 'errorMessage',
]);

/**
 * What a property's `type` did for completion, kept without validating: inserting `"key": "…"` for a string.
 * (Objects and arrays are inferred from `properties` / `items` by the JSON service.)
 */
function completionHint(schema: JsonSchema): Record<string, unknown> {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types[0] === 'string' && schema.defaultSnippets === undefined && schema.default === undefined) {
    return { defaultSnippets: [{ label: '""', body: '$1' }] };
  }
  return {};
}

export function editorSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(editorSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    // The `$id` names the full schema (users put it in "$schema"); this copy is only ever loaded by its path.
    if (VALIDATION_ONLY.has(key) || key === '$id') continue;
    if (key === 'defaultSnippets' || key === 'default' || key === 'examples') out[key] = value;
    else if (key === 'properties' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, editorSchema(v)]));
    } else out[key === 'oneOf' ? 'anyOf' : key] = editorSchema(value);
  }
  return { ...out, ...completionHint(schema as JsonSchema) };
}
