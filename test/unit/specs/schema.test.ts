// The bundled schemas: every keyword they use is one our validator evaluates (or a documented annotation),
// every property a user can hover has a description, and typos are caught.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allSchemaNodes, SCHEMA_IDS, VALIDATION_KEYWORDS, editDistance } from '../../../src/specs/schemaCheck';
import { analyzeSpecText } from '../../../src/specs/validate';

const ANNOTATIONS = new Set([
  '$schema', '$id', 'title', 'description', 'markdownDescription', 'default', 'defaultSnippets', 'doNotSuggest', 'definitions',
]);
const REPO = path.resolve(__dirname, '../../..');

describe('specs: bundled schemas', () => {
  it('use only keywords the validator evaluates, plus annotations', () => {
    for (const { file, pointer, schema } of allSchemaNodes()) {
      for (const key of Object.keys(schema)) {
        assert.ok(VALIDATION_KEYWORDS.has(key) || ANNOTATIONS.has(key), `${file}${pointer}: keyword "${key}" is not handled`);
      }
    }
  });

  it('give every property a plain and a markdown description (hover text)', () => {
    for (const { file, pointer, schema } of allSchemaNodes()) {
      for (const [name, prop] of Object.entries(schema.properties ?? {})) {
        if (prop.$ref) continue;
        assert.equal(typeof prop.description, 'string', `${file}${pointer}/properties/${name} has no description`);
        assert.equal(typeof prop.markdownDescription, 'string', `${file}${pointer}/properties/${name} has no markdownDescription`);
      }
    }
  });

  it('have stable ids, for draft-07; package.json contributes their completion-only copies (editorSchema.test.ts)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    const urls = (pkg.contributes.jsonValidation as { url: string }[]).map((v) => v.url).sort();
    assert.deepEqual(urls, ['./media/schemas/editor/funcspec.schema.json', './media/schemas/editor/workflow.schema.json']);
    for (const url of urls) {
      const full = JSON.parse(fs.readFileSync(path.join(REPO, url.replace('/editor/', '/')), 'utf8'));
      assert.equal(full.$schema, 'http://json-schema.org/draft-07/schema#');
      assert.ok(full.$id === SCHEMA_IDS.funcspec || full.$id === SCHEMA_IDS.workflow);
    }
  });

  it('cover every FunctionSpec and Conditions key of the protocol', () => {
    const spec = ['nodename', 'funcname', 'args', 'kwargs', 'priority', 'maxwaittime', 'maxexectime', 'maxretries', 'conditions', 'label', 'fs', 'env', 'channels'];
    const conditions = ['colonyname', 'executornames', 'executortype', 'locationname', 'dependencies', 'nodes', 'cpu', 'processes', 'processespernode', 'mem', 'storage', 'gpu', 'walltime'];
    const full = {
      ...Object.fromEntries(spec.map((k) => [k, null])),
      conditions: Object.fromEntries(conditions.map((k) => [k, null])),
    };
    // Unknown keys would be warned about; type errors are fine here (nulls), unknown-key warnings are not.
    const issues = analyzeSpecText(JSON.stringify(full), 'x.colonyos.json').issues.filter((i) => i.code === 'unknown-key');
    assert.deepEqual(issues, []);
  });

  it('accepts "$schema" and warns on unknown keys with a suggestion', () => {
    const ok = analyzeSpecText(JSON.stringify({ $schema: SCHEMA_IDS.funcspec, funcname: 'x', conditions: { executortype: 'e' } }), 'x.json');
    assert.deepEqual(ok.issues, []);
    const typo = analyzeSpecText('{"funcname":"x","conditions":{"executortype":"e"},"maxexectme":5,"chanels":["c"],"zzz":1}', 'x.colonyos.json');
    assert.deepEqual(
      typo.issues.map((i) => [i.severity, i.message]),
      [
        ['warning', 'Unknown key "maxexectme", ignored by the server. Did you mean "maxexectime"?'],
        ['warning', 'Unknown key "chanels", ignored by the server. Did you mean "channels"?'],
        ['warning', 'Unknown key "zzz", ignored by the server: remove it or fix its spelling.'],
      ],
    );
  });

  it('priority accepts exactly -50000..50000', () => {
    const at = (p: number) => analyzeSpecText(JSON.stringify({ funcname: 'x', conditions: { executortype: 'e' }, priority: p }), 'x.colonyos.json').issues.length;
    assert.equal(at(-50000), 0);
    assert.equal(at(50000), 0);
    assert.equal(at(50001), 1);
    assert.equal(at(-50001), 1);
  });

  it('edit distance counts a transposition as one edit', () => {
    assert.equal(editDistance('funcnmae', 'funcname'), 1);
    assert.equal(editDistance('func', 'funcname'), 4);
    assert.equal(editDistance('', 'abc'), 3);
  });
});
