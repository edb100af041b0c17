import * as assert from 'node:assert/strict';
import { formatPath, lineColumn, nodeAt, parseJsonDocument } from '../../../src/specs/jsonText';

describe('specs: JSON text and positions', () => {
  it('line and column are 1-based and handle LF, CRLF and CR', () => {
    assert.deepEqual(lineColumn('abc', 0), { line: 1, column: 1 });
    assert.deepEqual(lineColumn('ab\ncd', 3), { line: 2, column: 1 });
    assert.deepEqual(lineColumn('ab\r\ncd', 5), { line: 2, column: 2 });
    assert.deepEqual(lineColumn('ab\rcd', 4), { line: 2, column: 2 });
    assert.deepEqual(lineColumn('a\n', 99), { line: 2, column: 1 });
  });

  it('parses strict JSON: comments and trailing commas are errors with positions', () => {
    const comment = parseJsonDocument('{\r\n  /* x */ "a": 1\r\n}');
    assert.equal(comment.syntaxIssues.length, 1);
    assert.equal(comment.syntaxIssues[0].line, 2);
    assert.equal(comment.syntaxIssues[0].column, 3);
    assert.match(comment.syntaxIssues[0].message, /Comments are not allowed/);
    const trailing = parseJsonDocument('[1, 2,]');
    assert.match(trailing.syntaxIssues[0].message, /Trailing comma before "\]"/);
    assert.equal(trailing.syntaxIssues[0].column, 6);
  });

  it('words escapes, numbers, quotes and stray text for people', () => {
    const msg = (t: string) => parseJsonDocument(t).syntaxIssues[0]?.message;
    assert.equal(msg('{"a": "\\q"}'), 'Invalid escape sequence in a string (use \\", \\\\, \\n, \\t or \\uXXXX).');
    assert.equal(msg('{"a": 1.}'), 'Invalid number "1.".');
    assert.equal(msg("{'a': 1}"), 'Unexpected character "\'": JSON strings and keys use double quotes.');
    assert.equal(msg('{"a": 1} {}'), 'Unexpected text after the end of the JSON value: a file holds exactly one object or array.');
    assert.equal(msg('{"a" 1}'), 'Expected ":" after the property name.');
  });

  it('reports a truncated file at its end', () => {
    const r = parseJsonDocument('{"funcname": "x", "conditions": ');
    assert.equal(r.syntaxIssues.length, 1);
    assert.match(r.syntaxIssues[0].message, /file ends here/);
  });

  it('a valid document has a value and no issues', () => {
    const r = parseJsonDocument('{"a": [1, {"b": "c"}]}');
    assert.deepEqual(r.syntaxIssues, []);
    assert.deepEqual(r.value, { a: [1, { b: 'c' }] });
    assert.equal(nodeAt(r.root, ['a', 1, 'b'])?.value, 'c');
    assert.equal(nodeAt(r.root, ['a', 1, 'b'], 'key')?.value, 'b');
    assert.equal(nodeAt(r.root, ['missing']), undefined);
  });

  it('formats paths the way messages show them', () => {
    assert.equal(formatPath(['functionspecs', 1, 'conditions', 'executortype']), 'functionspecs[1].conditions.executortype');
    assert.equal(formatPath([0, 'nodename']), '[0].nodename');
    assert.equal(formatPath([]), '');
  });
});
