// Every broken spec in test/fixtures/specs/broken has a sidecar <name>.expected.txt with the exact problems
// (file:line:column: severity: message) the validator must report; every good spec must pass cleanly.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatIssue, hasErrors } from '../../../src/specs/issues';
import { analyzeSpecText, prepareSubmission } from '../../../src/specs/validate';

const FIXTURES = path.resolve(__dirname, '../../fixtures/specs');
const BROKEN = path.join(FIXTURES, 'broken');
const GOOD = path.join(FIXTURES, 'good');

function jsonFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
}

describe('specs: broken corpus', () => {
  const files = jsonFiles(BROKEN);

  it('has at least 20 broken files, each with its expected problems', () => {
    assert.ok(files.length >= 20, `only ${files.length} broken specs`);
    for (const f of files) assert.ok(fs.existsSync(path.join(BROKEN, f.replace(/\.json$/, '.expected.txt'))), `${f} has no .expected.txt`);
  });

  for (const f of files) {
    it(`reports exactly the expected problems for ${f}`, () => {
      const text = fs.readFileSync(path.join(BROKEN, f), 'utf8');
      const expected = fs.readFileSync(path.join(BROKEN, f.replace(/\.json$/, '.expected.txt')), 'utf8').trimEnd().split('\n');
      const actual = analyzeSpecText(text, f).issues.map((i) => formatIssue(f, i));
      assert.deepEqual(actual, expected);
    });
  }

  it('refuses to build a request for every corpus file with an error, and builds one when only warnings remain', () => {
    for (const f of files) {
      const text = fs.readFileSync(path.join(BROKEN, f), 'utf8');
      const analysis = analyzeSpecText(text, f);
      const prepared = prepareSubmission(text, f, analysis.kind, 'dev');
      assert.equal(prepared.ok, !hasErrors(analysis.issues), f);
    }
  });
});

describe('specs: good examples', () => {
  for (const f of jsonFiles(GOOD)) {
    it(`${f} has no problems and builds a request`, () => {
      const text = fs.readFileSync(path.join(GOOD, f), 'utf8');
      const analysis = analyzeSpecText(text, f);
      assert.deepEqual(analysis.issues.map((i) => formatIssue(f, i)), []);
      assert.ok(analysis.kind, `${f} was not recognised as a spec or workflow`);
      assert.equal(prepareSubmission(text, f, analysis.kind, 'dev').ok, true);
    });
  }

  it('the demo workspace specs are valid too', () => {
    const dir = path.resolve(__dirname, '../../fixtures/workspace');
    const specs = fs.readdirSync(dir).filter((f) => /\.(colonyos|funcspec|workflow)\.json$/.test(f));
    assert.ok(specs.length >= 3);
    for (const f of specs) assert.deepEqual(analyzeSpecText(fs.readFileSync(path.join(dir, f), 'utf8'), f).issues, [], f);
  });
});
