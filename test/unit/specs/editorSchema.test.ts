// One severity per fact: VS Code's JSON service reports every schema violation as a warning, Submit refuses them as
// errors. So the JSON service gets completion-only copies of our schemas (media/schemas/editor) and the extension's
// diagnostics show each problem once, with the severity Submit acts on.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { editorSchemaFiles, EDITOR_SCHEMA_DIR } from '../../../scripts/editor-schemas';
import { analyzeSpecText, prepareSubmission } from '../../../src/specs/validate';

const VALIDATION_KEYWORDS = ['type', 'required', 'additionalProperties', 'minimum', 'maximum', 'minLength', 'minItems', 'uniqueItems', 'not', 'oneOf', 'errorMessage'];

/** Visits every schema object (not the name maps of `properties` / `definitions`, whose keys are names). */
function walk(node: unknown, visit: (o: Record<string, unknown>, at: string) => void, at = '#'): void {
  if (Array.isArray(node)) node.forEach((n, i) => walk(n, visit, `${at}/${i}`));
  else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>, at);
    for (const [k, v] of Object.entries(node)) {
      if (k === 'defaultSnippets' || k === 'default') continue;
      if ((k === 'properties' || k === 'definitions') && v && typeof v === 'object') {
        for (const [name, sub] of Object.entries(v)) walk(sub, visit, `${at}/${k}/${name}`);
      } else walk(v, visit, `${at}/${k}`);
    }
  }
}

function propertyPaths(schema: unknown): string[] {
  const out: string[] = [];
  walk(schema, (o, at) => {
    if (o.properties && typeof o.properties === 'object') for (const k of Object.keys(o.properties)) out.push(`${at}/${k}`);
  });
  return out.sort();
}

const readEditor = (name: string) => JSON.parse(fs.readFileSync(path.join(EDITOR_SCHEMA_DIR, name), 'utf8')) as object;

describe('specs: the schemas VS Code\'s JSON service gets', () => {
  it('are the committed files, up to date with media/schemas (else run: npx tsx scripts/editor-schemas.ts)', () => {
    for (const [name, text] of Object.entries(editorSchemaFiles())) {
      assert.equal(fs.readFileSync(path.join(EDITOR_SCHEMA_DIR, name), 'utf8'), text, `media/schemas/editor/${name} is stale`);
    }
  });

  it('validate nothing, and offer the same keys, hovers and snippets as the full schemas', () => {
    for (const name of ['funcspec.schema.json', 'workflow.schema.json']) {
      const editor = readEditor(name);
      walk(editor, (o, at) => {
        for (const k of VALIDATION_KEYWORDS) assert.ok(!(k in o), `${name}${at} keeps the validation keyword "${k}"`);
      });
      const full = JSON.parse(fs.readFileSync(path.join(EDITOR_SCHEMA_DIR, '..', name), 'utf8'));
      assert.deepEqual(propertyPaths(editor), propertyPaths(full).map((p) => p.replace(/\/oneOf\//g, '/anyOf/')).sort());
      assert.deepEqual((editor as { defaultSnippets: unknown }).defaultSnippets, full.defaultSnippets);
    }
  });

  it('a missing funcname: no JSON-service warning, one ColonyOS error, and Submit refuses it', () => {
    const text = '{\n  "conditions": { "executortype": "echo" }\n}\n';
    // Strict, but without strictTypes: `properties` without `type` is the point of these copies.
    const ajv = new Ajv({ strict: true, strictTypes: false, allErrors: true });
    ajv.addVocabulary(['markdownDescription', 'defaultSnippets', 'doNotSuggest']);
    ajv.addSchema(readEditor('funcspec.schema.json'), 'funcspec.schema.json');
    ajv.addSchema(readEditor('workflow.schema.json'), 'workflow.schema.json');
    const editorValidate = ajv.getSchema('funcspec.schema.json');
    assert.ok(editorValidate);
    assert.equal(editorValidate(JSON.parse(text)), true, 'the JSON service has nothing to report');
    assert.equal(ajv.getSchema('workflow.schema.json')?.([{ funcname: 5 }]), true);

    const issues = analyzeSpecText(text, 'chat.colonyos.json').issues.filter((i) => /funcname/.test(i.message));
    assert.deepEqual(issues.map((i) => [i.severity, i.source]), [['error', 'schema']]);
    const submit = prepareSubmission(text, 'chat.colonyos.json', 'funcspec', 'dev');
    assert.equal(submit.ok, false);
    if (!submit.ok) assert.deepEqual(submit.issues.filter((i) => /funcname/.test(i.message)).map((i) => i.severity), ['error']);
  });
});
