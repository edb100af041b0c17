// The bundled schemas are plain draft-07: a standard validator (ajv, strict mode) compiles them, accepts the
// good fixtures and rejects the broken ones for the same reasons our own checker gives. VS Code reads the same
// files, so a schema that only our checker understands would mislead the editor.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { analyzeSpecText } from '../../../src/specs/validate';

const REPO = path.resolve(__dirname, '../../..');
const SCHEMAS = path.join(REPO, 'media', 'schemas');
const FIXTURES = path.join(REPO, 'test', 'fixtures', 'specs');

// VS Code's own JSON-schema additions: hover text, snippets, completion and custom messages. They are not
// draft-07 keywords, so strict mode needs to be told about them.
const VSCODE_KEYWORDS = ['markdownDescription', 'defaultSnippets', 'doNotSuggest', 'errorMessage'];

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true });
  ajv.addVocabulary(VSCODE_KEYWORDS);
  // The workflow schema refers to the funcspec schema by file name, as VS Code resolves it.
  ajv.addSchema(readJson(path.join(SCHEMAS, 'funcspec.schema.json')) as object, 'funcspec.schema.json');
  ajv.addSchema(readJson(path.join(SCHEMAS, 'workflow.schema.json')) as object, 'workflow.schema.json');
  return ajv;
}

let compiled: { funcspec: ValidateFunction; workflow: ValidateFunction } | undefined;

function validators(): { funcspec: ValidateFunction; workflow: ValidateFunction } {
  if (compiled) return compiled;
  const ajv = newAjv();
  const get = (name: string): ValidateFunction => {
    const fn = ajv.getSchema(name);
    assert.ok(fn, `${name} did not compile`);
    return fn;
  };
  compiled = { funcspec: get('funcspec.schema.json'), workflow: get('workflow.schema.json') };
  return compiled;
}

function validate(file: string): { kind: 'funcspec' | 'workflow'; valid: boolean; errors: ErrorObject[] } {
  const text = fs.readFileSync(file, 'utf8');
  const kind = analyzeSpecText(text, path.basename(file)).kind ?? 'funcspec';
  const fn = validators()[kind];
  const valid = fn(JSON.parse(text));
  return { kind, valid, errors: fn.errors ?? [] };
}

/** `keyword@instancePath` of each error, e.g. `required@/conditions`. */
function reasons(errors: ErrorObject[]): string[] {
  return errors.map((e) => `${e.keyword}@${e.instancePath}`);
}

describe('specs: bundled schemas in ajv (draft-07, strict)', () => {
  it('compile, with every definition', () => {
    const ajv = newAjv();
    for (const name of ['funcspec.schema.json', 'workflow.schema.json']) {
      assert.equal(typeof ajv.getSchema(name), 'function', name);
      const defs = (readJson(path.join(SCHEMAS, name)) as { definitions: Record<string, unknown> }).definitions;
      assert.ok(Object.keys(defs).length > 0);
      for (const def of Object.keys(defs)) {
        // Compiles each definition on its own too, so one reached only through a typo key is checked as well.
        assert.equal(typeof ajv.getSchema(`${name}#/definitions/${def}`), 'function', `${name}#/definitions/${def}`);
      }
    }
  });

  it('have no definitions that a validator would read as keywords (typo traps are schemas of their own)', () => {
    const defs = (readJson(path.join(SCHEMAS, 'funcspec.schema.json')) as { definitions: Record<string, { not?: unknown; errorMessage?: unknown }> }).definitions;
    const traps = Object.entries(defs).filter(([, d]) => d.not !== undefined);
    assert.ok(traps.length >= 10, `only ${traps.length} typo traps`);
    for (const [name, trap] of traps) assert.equal(typeof trap.errorMessage, 'string', name);
  });

  it('accept every good fixture', () => {
    const dir = path.join(FIXTURES, 'good');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 5);
    for (const f of files) {
      const { valid, errors } = validate(path.join(dir, f));
      assert.ok(valid, `${f}: ${JSON.stringify(errors)}`);
    }
  });

  const rejected: [file: string, kind: 'funcspec' | 'workflow', reason: string][] = [
    ['typo-func.colonyos.json', 'funcspec', 'not@/func'],
    ['executortype-top-level.colonyos.json', 'funcspec', 'not@/executortype'],
    ['missing-conditions.colonyos.json', 'funcspec', 'required@'],
    ['missing-executortype.colonyos.json', 'funcspec', 'required@/conditions'],
    ['priority-out-of-range.colonyos.json', 'funcspec', 'maximum@/priority'],
    ['priority-not-integer.colonyos.json', 'funcspec', 'type@/priority'],
    ['channels-duplicate.colonyos.json', 'funcspec', 'uniqueItems@/channels'],
    ['uppercase-key.colonyos.json', 'funcspec', 'additionalProperties@'],
    ['workflow-missing-nodename.workflow.json', 'workflow', 'required@/1'],
    ['workflow-empty.workflow.json', 'workflow', 'minItems@'],
  ];
  for (const [file, kind, reason] of rejected) {
    it(`reject ${file} (${reason})`, () => {
      const result = validate(path.join(FIXTURES, 'broken', file));
      assert.equal(result.kind, kind);
      assert.equal(result.valid, false);
      assert.ok(reasons(result.errors).includes(reason), `${file}: ${reasons(result.errors).join(', ')}`);
    });
  }

  it('agree with our checker on every fixture that is plain JSON: schema problems exactly when ajv rejects', () => {
    let compared = 0;
    for (const sub of ['good', 'broken']) {
      const dir = path.join(FIXTURES, sub);
      for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json'))) {
        const text = fs.readFileSync(path.join(dir, f), 'utf8');
        try {
          JSON.parse(text);
        } catch {
          continue; // syntax fixtures: nothing for a schema to say
        }
        const analysis = analyzeSpecText(text, f);
        if (analysis.kind === undefined) continue;
        // A file of the other kind is refused as a whole ("wrong-kind") instead of being checked key by key.
        const ours = analysis.issues.filter((i) => i.source === 'schema' || i.code === 'wrong-kind');
        const { valid, errors } = validate(path.join(dir, f));
        assert.equal(valid, ours.length === 0, `${sub}/${f}: ajv ${JSON.stringify(reasons(errors))}, ours ${JSON.stringify(ours.map((i) => i.message))}`);
        compared++;
      }
    }
    assert.ok(compared >= 25, `only ${compared} fixtures compared`);
  });
});
