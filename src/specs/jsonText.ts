// jsonc-parser's ESM build: its default UMD build loads its parts with a runtime require() that esbuild cannot
// bundle, so the packaged extension would fail to activate.
//
// Strict JSON parsing with positions: the ColonyOS CLI and server use Go's encoding/json, so comments and
// trailing commas are errors here even though VS Code's JSON mode tolerates some of them.
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import type { SpecIssue } from './issues';

export type JsonPath = (string | number)[];

export interface ParsedJson {
  root: Node | undefined;
  value: unknown;
  /** The first syntax error, worded for users; when present, `root` may be partial. */
  syntaxIssues: SpecIssue[];
  text: string;
}

/** 1-based line and column of `offset` (columns count UTF-16 units, as VS Code does). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) {
      line++;
      lineStart = i + 1;
    } else if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) !== 10) {
        line++;
        lineStart = i + 1;
      }
    }
  }
  return { line, column: end - lineStart + 1 };
}

function previousNonSpace(text: string, offset: number): number {
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return i;
}

const BAD_ESCAPE = 'Invalid escape sequence in a string (use \\", \\\\, \\n, \\t or \\uXXXX).';

const PARSE_MESSAGES: Record<string, string> = {
  InvalidCommentToken: 'Comments are not allowed: the ColonyOS CLI and server read strict JSON. Remove the comment.',
  PropertyNameExpected: 'Expected a property name in double quotes, e.g. "funcname".',
  ValueExpected: 'Expected a value (a string in double quotes, a number, true, false, null, an object or an array).',
  ColonExpected: 'Expected ":" after the property name.',
  CommaExpected: 'Expected "," between two items (or a closing bracket).',
  CloseBraceExpected: 'Expected "}" to close the object.',
  CloseBracketExpected: 'Expected "]" to close the array.',
  EndOfFileExpected: 'Unexpected text after the end of the JSON value: a file holds exactly one object or array.',
  UnexpectedEndOfString: 'Unterminated string: add the closing double quote.',
  UnexpectedEndOfComment: 'Unterminated comment (and comments are not allowed in JSON).',
  InvalidEscapeCharacter: BAD_ESCAPE,
  InvalidUnicode: BAD_ESCAPE,
  InvalidCharacter: 'Invalid character in a string: control characters such as tabs and newlines must be escaped.',
};

function describeParseError(text: string, error: ParseError): { message: string; offset: number; length: number } {
  const code = printParseErrorCode(error.error);
  const at = text.slice(error.offset, error.offset + Math.max(error.length, 1));
  const prev = previousNonSpace(text, error.offset);
  if ((code === 'PropertyNameExpected' || code === 'ValueExpected') && prev >= 0 && text[prev] === ',' && /^[}\]]/.test(at)) {
    return { message: `Trailing comma before "${at[0]}": remove the comma (JSON does not allow it).`, offset: prev, length: 1 };
  }
  if (code === 'ValueExpected' && error.offset >= text.length) {
    return { message: 'Expected a value, but the file ends here.', offset: error.offset, length: 0 };
  }
  let message = PARSE_MESSAGES[code];
  if (code === 'InvalidNumberFormat' || code === 'UnexpectedEndOfNumber') message = `Invalid number "${at}".`;
  message ??= at.startsWith("'") ? 'Unexpected character "\'": JSON strings and keys use double quotes.' : `Unexpected character "${at}".`;
  return { message, offset: error.offset, length: error.length };
}

export function issueAt(
  text: string,
  offset: number,
  length: number,
  fields: Omit<SpecIssue, 'offset' | 'length' | 'line' | 'column'>,
): SpecIssue {
  const { line, column } = lineColumn(text, offset);
  return { ...fields, offset, length, line, column };
}

/** jsonc-parser builds objects without a prototype; the rest of the code (and the client) expects plain ones. */
function toPlain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toPlain);
  if (v !== null && typeof v === 'object') {
    // fromEntries defines properties, so a "__proto__" key stays an ordinary key.
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  }
  return v;
}

export function parseJsonDocument(text: string): ParsedJson {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: true });
  const syntaxIssues: SpecIssue[] = [];
  if (text.trim() === '') {
    syntaxIssues.push(
      issueAt(text, 0, 0, { severity: 'error', code: 'empty', source: 'syntax', message: 'The file is empty: write a function spec object or a workflow array.' }),
    );
  }
  // Only the first syntax error: the parser's later ones are mostly echoes of it (a stray quote yields four).
  const first = errors[0];
  if (first && syntaxIssues.length === 0) {
    const d = describeParseError(text, first);
    syntaxIssues.push(issueAt(text, d.offset, d.length, { severity: 'error', code: 'syntax', source: 'syntax', message: d.message }));
  }
  return { root, value: root ? toPlain(getNodeValue(root)) : undefined, syntaxIssues, text };
}

/** The node of a property's key at `path`, or of the value when the last segment is an index. */
export function nodeAt(root: Node | undefined, path: JsonPath, part: 'key' | 'value' = 'value'): Node | undefined {
  if (!root) return undefined;
  const value = findNodeAtLocation(root, path);
  if (!value) return undefined;
  if (part === 'key' && value.parent?.type === 'property') return value.parent.children?.[0];
  return value;
}

/** `functionspecs[1].conditions.executortype` */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}
