// Writes media/schemas/editor/*.schema.json from media/schemas/*.schema.json (see src/specs/editorSchema.ts).
//   npx tsx scripts/editor-schemas.ts
import * as fs from 'node:fs';
import * as path from 'node:path';
import { editorSchema } from '../src/specs/editorSchema';
import { SCHEMA_FILES } from '../src/specs/schemaCheck';

export const SCHEMA_DIR = path.join(__dirname, '..', 'media', 'schemas');
export const EDITOR_SCHEMA_DIR = path.join(SCHEMA_DIR, 'editor');

/** The text each editor schema file must hold. */
export function editorSchemaFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of Object.values(SCHEMA_FILES)) {
    const schema: unknown = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, name), 'utf8'));
    files[name] = `${JSON.stringify(editorSchema(schema), null, 2)}\n`;
  }
  return files;
}

if (require.main === module) {
  fs.mkdirSync(EDITOR_SCHEMA_DIR, { recursive: true });
  for (const [name, text] of Object.entries(editorSchemaFiles())) fs.writeFileSync(path.join(EDITOR_SCHEMA_DIR, name), text);
  console.log(`wrote ${Object.keys(editorSchemaFiles()).join(', ')} to ${EDITOR_SCHEMA_DIR}`);
}
