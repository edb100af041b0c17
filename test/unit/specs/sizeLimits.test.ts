import { strict as assert } from 'node:assert';
import { MAX_CHECKED_CHARS, MAX_SNIFFED_CHARS, mayBeSpecText, parseDecision, tooLargeToCheckText } from '../../../src/specs/sizeLimits';

/** Facts about a document whose text must not be read (a test fails if it is). */
function unread(length: number, namedAsSpec: boolean) {
  return { length, namedAsSpec, text: (): string => assert.fail('the text was read') };
}

describe('specs/sizeLimits: which JSON documents are parsed while typing', () => {
  it('parses spec files (by name or glob) up to the checked size, and gives larger ones a note, without reading their text', () => {
    assert.equal(parseDecision(unread(10, true)), 'parse');
    assert.equal(parseDecision(unread(MAX_CHECKED_CHARS, true)), 'parse');
    assert.equal(parseDecision(unread(MAX_CHECKED_CHARS + 1, true)), 'too-large');
    assert.equal(parseDecision(unread(6_500_000, true)), 'too-large');
  });

  it('never reads other JSON documents past the sniffed size (a 6.5 MB data file is skipped untouched)', () => {
    assert.equal(parseDecision(unread(MAX_SNIFFED_CHARS + 1, false)), 'skip');
    assert.equal(parseDecision(unread(6_500_000, false)), 'skip');
  });

  it('parses a small unnamed document only when it mentions a spec key', () => {
    const doc = (text: string) => ({ length: text.length, namedAsSpec: false, text: () => text });
    assert.equal(parseDecision(doc('{ "funcname": "echo", "conditions": { "executortype": "echo" } }')), 'parse');
    assert.equal(parseDecision(doc('[{"nodename":"a","funcname":"x"}]')), 'parse');
    assert.equal(parseDecision(doc('{"functionspecs": []}')), 'parse');
    assert.equal(parseDecision(doc('{"$schema": "https://colonyos.io/schemas/funcspec.json"}')), 'parse');
    assert.equal(parseDecision(doc('{"name": "my-package", "version": "1.0.0", "dependencies": {"funcname": "1"}}')), 'parse', 'a key anywhere is enough to look');
    assert.equal(parseDecision(doc('{"name": "my-package", "description": "uses funcname and conditions"}')), 'skip');
    assert.equal(parseDecision(doc(`[${'{"x": 1},'.repeat(1000)}{"x": 2}]`)), 'skip');
  });

  it('recognises the keys with any spacing before the colon', () => {
    assert.ok(mayBeSpecText('{\n  "conditions"  :\n {}}'));
    assert.ok(!mayBeSpecText('{"conditions_x": {}}'));
  });

  it('words the note with both sizes and what still checks the file', () => {
    assert.equal(
      tooLargeToCheckText(6_815_744),
      'This file is 6.5 MB: ColonyOS checks spec files while you type only up to 512 KB. Submitting it still checks it in full.',
    );
  });
});
