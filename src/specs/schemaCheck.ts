// Validates a parsed document against our bundled schemas (media/schemas), so the submit path and the editor
// enforce exactly what VS Code's JSON service shows while typing. It implements only the draft-07 keywords
// those schemas use; a keyword it does not know is a test failure (see test/unit/specs/schema.test.ts), not
// a silent pass.
import type { Node } from 'jsonc-parser/lib/esm/main.js';
import funcspecSchema from '../../media/schemas/funcspec.schema.json';
import workflowSchema from '../../media/schemas/workflow.schema.json';
import type { SpecIssue } from './issues';
import { formatPath, issueAt, type JsonPath } from './jsonText';

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  minItems?: number;
  uniqueItems?: boolean;
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  not?: JsonSchema;
  errorMessage?: string;
  [annotation: string]: unknown;
}

export const SCHEMA_FILES = {
  funcspec: 'funcspec.schema.json',
  workflow: 'workflow.schema.json',
} as const;

const ROOTS: Record<string, JsonSchema> = {
  [SCHEMA_FILES.funcspec]: funcspecSchema,
  [SCHEMA_FILES.workflow]: workflowSchema,
};

/** The `$id`s users can put in `"$schema"`. */
export const SCHEMA_IDS = {
  funcspec: String((funcspecSchema as { $id: string }).$id),
  workflow: String((workflowSchema as { $id: string }).$id),
};

/** Keywords this validator evaluates; everything else in our schemas must be an annotation. */
export const VALIDATION_KEYWORDS = new Set([
  '$ref', 'type', 'properties', 'required', 'additionalProperties', 'items', 'minimum', 'maximum', 'minLength',
  'minItems', 'uniqueItems', 'oneOf', 'allOf', 'not', 'errorMessage',
]);

/** Hints for required keys, saying what to write. */
const MISSING_HINTS: Record<string, string> = {
  funcname: 'the name of the function the executor should run, e.g. "funcname": "chat".',
  conditions: 'add "conditions": {"executortype": "…"} to say which executors may run it.',
  executortype: 'the type of executor that should run it, e.g. "executortype": "echo".',
  nodename: 'every spec of a workflow needs a unique "nodename" that dependencies refer to.',
  functionspecs: 'add "functionspecs": [ … ] with the specs of the workflow.',
};

interface Ctx {
  text: string;
  root: string;
  issues: SpecIssue[];
}

function resolveRef(ref: string, currentRoot: string): { schema: JsonSchema; root: string } {
  const [file, pointer = ''] = ref.split('#', 2);
  const root = file === '' ? currentRoot : file;
  let target: unknown = ROOTS[root];
  if (target === undefined) throw new Error(`schema reference to unknown file "${file}"`);
  for (const seg of pointer.split('/').filter((s) => s !== '')) {
    target = (target as Record<string, unknown>)[decodeURIComponent(seg).replace(/~1/g, '/').replace(/~0/g, '~')];
    if (target === undefined) throw new Error(`unresolvable schema reference "${ref}"`);
  }
  return { schema: target as JsonSchema, root };
}

/** Follows `$ref`s until a schema without one. */
function deref(schema: JsonSchema, root: string): { schema: JsonSchema; root: string } {
  let current = { schema, root };
  for (let hops = 0; current.schema.$ref !== undefined; hops++) {
    if (hops > 20) throw new Error(`schema reference loop at "${current.schema.$ref}"`);
    current = resolveRef(current.schema.$ref, current.root);
  }
  return current;
}

function jsonType(node: Node): string {
  if (node.type === 'number') return Number.isInteger(node.value) ? 'integer' : 'number';
  return node.type;
}

function typeMatches(node: Node, expected: string): boolean {
  const actual = jsonType(node);
  return actual === expected || (expected === 'number' && actual === 'integer');
}

const TYPE_WORDS: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};

function describeFound(node: Node): string {
  if (node.type === 'number') return `the number ${String(node.value)}`;
  if (node.type === 'string') return `the string ${JSON.stringify(node.value)}`;
  if (node.type === 'boolean') return String(node.value);
  return TYPE_WORDS[node.type] ?? node.type;
}

function label(path: JsonPath): string {
  return path.length === 0 ? 'The document' : `"${formatPath(path)}"`;
}

/** Key node of a property value, else the node itself: where squiggles for that value belong. */
function keyOrSelf(node: Node): Node {
  return node.parent?.type === 'property' && node.parent.children?.[1] === node ? node.parent.children[0] : node;
}

function add(ctx: Ctx, node: Node, code: string, message: string, severity: SpecIssue['severity'] = 'error', where: Node = node): void {
  const length = where.type === 'object' || where.type === 'array' ? 1 : where.length;
  ctx.issues.push(issueAt(ctx.text, where.offset, length, { severity, code, source: 'schema', message }));
}

/** Optimal string alignment distance, enough to catch one or two slipped keys. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

function suggest(key: string, candidates: string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(lower, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (!best) return undefined;
  const allowed = Math.max(1, Math.floor(Math.min(lower.length, best.name.length) / 3));
  if (best.distance <= allowed) return best.name;
  // A prefix such as "executor" for "executortype" or "maxexec" for "maxexectime".
  const prefixed = candidates.filter((c) => lower.length >= 3 && c.startsWith(lower));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

function isTypoTrap(schema: JsonSchema, root: string): string | undefined {
  const target = deref(schema, root).schema;
  return target.not !== undefined && typeof target.errorMessage === 'string' ? target.errorMessage : undefined;
}

function checkObject(node: Node, schema: JsonSchema, path: JsonPath, ctx: Ctx): void {
  const props = node.children ?? [];
  const present = new Set<string>();
  for (const prop of props) {
    const keyNode = prop.children?.[0];
    if (keyNode) present.add(String(keyNode.value));
  }
  for (const key of schema.required ?? []) {
    if (present.has(key)) continue;
    const caseVariant = [...present].find((k) => k.toLowerCase() === key);
    if (caseVariant !== undefined) continue; // reported as a spelling warning below
    const hint = MISSING_HINTS[key];
    add(ctx, node, 'missing', `Missing "${formatPath([...path, key])}"${hint ? `: ${hint}` : '.'}`);
  }
  const known = Object.keys(schema.properties ?? {}).filter(
    (k) => k !== '$schema' && isTypoTrap((schema.properties ?? {})[k], ctx.root) === undefined,
  );
  for (const prop of props) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (!keyNode) continue;
    const key = String(keyNode.value);
    const propSchema = schema.properties?.[key];
    if (propSchema !== undefined) {
      const trap = isTypoTrap(propSchema, ctx.root);
      if (trap !== undefined) {
        add(ctx, keyNode, 'unknown-key', trap.replace(/^Unknown key/, `Unknown key "${key}"`), 'warning');
      } else if (valueNode) {
        check(valueNode, propSchema, [...path, key], ctx);
      }
      continue;
    }
    if (schema.additionalProperties === false) {
      const exactCase = known.find((k) => k === key.toLowerCase());
      if (exactCase !== undefined) {
        add(ctx, keyNode, 'key-case', `Write "${key}" as "${exactCase}": ColonyOS keys are lower case.`, 'warning');
        if (valueNode && schema.properties) check(valueNode, schema.properties[exactCase], [...path, exactCase], ctx);
        continue;
      }
      const guess = suggest(key, known);
      add(
        ctx,
        keyNode,
        'unknown-key',
        guess
          ? `Unknown key "${key}", ignored by the server. Did you mean "${guess}"?`
          : `Unknown key "${key}", ignored by the server: remove it or fix its spelling.`,
        'warning',
      );
    } else if (typeof schema.additionalProperties === 'object' && valueNode) {
      check(valueNode, schema.additionalProperties, [...path, key], ctx);
    }
  }
}

function checkArray(node: Node, schema: JsonSchema, path: JsonPath, ctx: Ctx): void {
  const items = node.children ?? [];
  if (schema.minItems !== undefined && items.length < schema.minItems) {
    add(ctx, node, 'min-items', `${label(path)} is empty: add at least one function spec.`); // minItems is only used on spec lists
  }
  if (schema.uniqueItems) {
    const seen = new Set<string>();
    for (const item of items) {
      const sig = JSON.stringify(item.value ?? item.type);
      if (item.type !== 'object' && item.type !== 'array' && seen.has(sig)) {
        add(ctx, item, 'duplicate-item', `Duplicate ${sig} in ${label(path)}: each entry must be unique.`);
      }
      seen.add(sig);
    }
  }
  if (schema.items) items.forEach((item, i) => check(item, schema.items as JsonSchema, [...path, i], ctx));
}

function checkScalar(node: Node, schema: JsonSchema, path: JsonPath, ctx: Ctx): void {
  if (node.type === 'number') {
    const v = node.value as number;
    const { minimum: min, maximum: max } = schema;
    if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
      const range =
        min !== undefined && max !== undefined ? `between ${min} and ${max}` : min !== undefined ? `at least ${min}` : `at most ${max}`;
      add(ctx, node, 'range', `${label(path)} must be ${range}; found ${v}.`);
    }
  }
  if (node.type === 'string' && schema.minLength !== undefined && String(node.value).length < schema.minLength) {
    add(ctx, node, 'empty', `${label(path)} must not be empty.`);
  }
}

function check(node: Node, schemaIn: JsonSchema, path: JsonPath, ctxIn: Ctx): void {
  const { schema, root } = deref(schemaIn, ctxIn.root);
  const ctx = root === ctxIn.root ? ctxIn : { ...ctxIn, root };
  // A wrong type is the whole story: the subschemas would only repeat it (a workflow item is typed "object"
  // beside an allOf whose funcspec says "object" again).
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(node, t))) {
      const expected = types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
      add(ctx, node, 'type', `${label(path)} must be ${expected}; found ${describeFound(node)}.`);
      return;
    }
  }
  for (const sub of schema.allOf ?? []) check(node, sub, path, ctx);
  if (schema.oneOf) {
    checkOneOf(node, schema.oneOf, path, ctx);
  }
  if (schema.not !== undefined) {
    const trial: Ctx = { ...ctx, issues: [] };
    check(node, schema.not, path, trial);
    if (trial.issues.length === 0) add(ctx, node, 'not-allowed', schema.errorMessage ?? `${label(path)} is not allowed here.`, 'error', keyOrSelf(node));
  }
  if (node.type === 'object') checkObject(node, schema, path, ctx);
  else if (node.type === 'array') checkArray(node, schema, path, ctx);
  else checkScalar(node, schema, path, ctx);
}

function checkOneOf(node: Node, alternatives: JsonSchema[], path: JsonPath, ctx: Ctx): void {
  const trials = alternatives.map((alt) => {
    const trial: Ctx = { ...ctx, issues: [] };
    check(node, alt, path, trial);
    const target = deref(alt, ctx.root).schema;
    const types = target.type === undefined ? [] : Array.isArray(target.type) ? target.type : [target.type];
    return { issues: trial.issues, typeFits: types.length === 0 || types.some((t) => typeMatches(node, t)) };
  });
  const passing = trials.filter((t) => t.issues.every((i) => i.severity !== 'error'));
  if (passing.length >= 1) {
    ctx.issues.push(...passing[0].issues);
    return;
  }
  const fitting = trials.filter((t) => t.typeFits);
  if (fitting.length === 0) {
    add(ctx, node, 'type', `${label(path)} must be a JSON array of function specs or an object with "functionspecs"; found ${describeFound(node)}.`);
    return;
  }
  const best = fitting.reduce((a, b) => (b.issues.length < a.issues.length ? b : a));
  ctx.issues.push(...best.issues);
}

/** Schema issues of `root` against the funcspec or workflow schema. */
export function checkSchema(root: Node, text: string, kind: keyof typeof SCHEMA_FILES): SpecIssue[] {
  const file = SCHEMA_FILES[kind];
  const ctx: Ctx = { text, root: file, issues: [] };
  check(root, ROOTS[file], [], ctx);
  return ctx.issues;
}

/** Every schema object reachable in our schema files, for the test that checks each keyword is handled. */
export function allSchemaNodes(): { file: string; pointer: string; schema: JsonSchema }[] {
  const out: { file: string; pointer: string; schema: JsonSchema }[] = [];
  const visit = (file: string, pointer: string, s: unknown): void => {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) return;
    const schema = s as JsonSchema;
    out.push({ file, pointer, schema });
    for (const [k, v] of Object.entries(schema.properties ?? {})) visit(file, `${pointer}/properties/${k}`, v);
    for (const k of ['items', 'not'] as const) if (schema[k]) visit(file, `${pointer}/${k}`, schema[k]);
    if (typeof schema.additionalProperties === 'object') visit(file, `${pointer}/additionalProperties`, schema.additionalProperties);
    for (const k of ['oneOf', 'allOf'] as const) (schema[k] ?? []).forEach((v, i) => visit(file, `${pointer}/${k}/${i}`, v));
    const defs = (schema as { definitions?: Record<string, unknown> }).definitions ?? {};
    for (const [k, v] of Object.entries(defs)) visit(file, `${pointer}/definitions/${k}`, v);
  };
  for (const [file, schema] of Object.entries(ROOTS)) visit(file, '#', schema);
  return out;
}

export { deref as derefSchema };
