// Everything checked before a spec or workflow is sent, and shown as diagnostics while editing. Pure: no
// `vscode` import, so the same rules run in unit tests, in the editor and on submit.
import type { Node } from 'jsonc-parser/lib/esm/main.js';
import type { FunctionSpec, WorkflowSpec } from '../colonies/types';
import { toFunctionSpec, toWorkflowSpec, workflowColony, workflowSpecList } from './defaults';
import { detectKind, kindFromValue, type SpecKind } from './detect';
import { hasErrors, sortIssues, type IssueSubject, type SpecIssue } from './issues';
import { issueAt, nodeAt, parseJsonDocument, type JsonPath, type ParsedJson } from './jsonText';
import { checkSchema } from './schemaCheck';

export interface SpecAnalysis {
  kind: SpecKind | undefined;
  value: unknown;
  issues: SpecIssue[];
}

export interface AnalyzeOptions {
  /** What the caller wants to submit; a document of the other kind is an error. */
  expect?: SpecKind;
  /** The active profile's colony, to point out spec colonies a workflow overrides. */
  activeColony?: string;
  /** `text` already parsed (the editor's parse of this document version), so it is not parsed twice. */
  parsed?: ParsedJson;
}

const KIND_WORDS: Record<SpecKind, string> = { funcspec: 'function spec', workflow: 'workflow' };

function semantic(text: string, node: Node, code: string, message: string, severity: SpecIssue['severity'] = 'error', fix?: SpecIssue['fix']): SpecIssue {
  const length = node.type === 'object' || node.type === 'array' ? 1 : node.length;
  return issueAt(text, node.offset, length, { severity, code, source: 'semantic', message, ...(fix ? { fix } : {}) });
}

function about(issue: SpecIssue, subject: IssueSubject): SpecIssue {
  return { ...issue, subject };
}

function duplicateKeys(root: Node, text: string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const walk = (node: Node): void => {
    if (node.type === 'object') {
      const seen = new Set<string>();
      for (const prop of node.children ?? []) {
        const key = prop.children?.[0];
        if (key) {
          const name = String(key.value);
          if (seen.has(name)) {
            issues.push(semantic(text, key, 'duplicate-key', `Duplicate key "${name}": the server uses only the last one. Remove the other.`, 'warning'));
          }
          seen.add(name);
        }
      }
    }
    for (const child of node.children ?? []) walk(child);
  };
  walk(root);
  return issues;
}

function maxExecTimeZero(root: Node, text: string, specPath: JsonPath): SpecIssue[] {
  const path = [...specPath, 'maxexectime'];
  const node = nodeAt(root, path);
  if (!node || node.type !== 'number' || node.value !== 0) return [];
  return [
    semantic(
      text,
      node,
      'maxexectime-zero',
      '"maxexectime": 0 means "already expired" to a ColonyOS server, which fails such a process right after it starts. ' +
        'Like the ColonyOS CLI, this extension sends -1 (no limit) instead; write -1 or a number of seconds to say what you mean.',
      'warning',
      { title: 'Set maxexectime to -1', path, value: -1 },
    ),
  ];
}

function standaloneDependencies(root: Node, text: string): SpecIssue[] {
  const deps = nodeAt(root, ['conditions', 'dependencies']);
  if (!deps || deps.type !== 'array' || (deps.children ?? []).length === 0) return [];
  return [
    semantic(text, deps, 'standalone-dependencies', 'Dependencies only apply inside a workflow; a single function spec runs without waiting for them.', 'warning'),
  ];
}

/** The JSON path of each spec of a workflow document. */
export function specPaths(value: unknown): JsonPath[] {
  const base: JsonPath = Array.isArray(value) ? [] : ['functionspecs'];
  return workflowSpecList(value).map((_, i) => [...base, i]);
}

function workflowChecks(root: Node, text: string, value: unknown, activeColony: string | undefined): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const specs = workflowSpecList(value);
  const paths = specPaths(value);
  const nodenames = new Map<string, number>();
  specs.forEach((spec, i) => {
    const name = (spec as { nodename?: unknown } | null)?.nodename;
    if (typeof name !== 'string' || name === '') return;
    if (nodenames.has(name)) {
      const node = nodeAt(root, [...paths[i], 'nodename']);
      if (node) {
        const issue = semantic(text, node, 'duplicate-nodename', `Duplicate nodename "${name}": the server rejects the workflow. Give each spec its own nodename.`);
        issues.push(about(issue, { spec: i }));
      }
    } else {
      nodenames.set(name, i);
    }
  });
  const known = [...nodenames.keys()].map((n) => `"${n}"`).join(', ');
  const edges = new Map<string, string[]>();
  specs.forEach((spec, i) => {
    const name = (spec as { nodename?: unknown } | null)?.nodename;
    const deps = nodeAt(root, [...paths[i], 'conditions', 'dependencies']);
    (deps?.type === 'array' ? deps.children ?? [] : []).forEach((dep) => {
      if (dep.type !== 'string') return;
      const target = String(dep.value);
      if (target === name) {
        const issue = semantic(text, dep, 'self-dependency', `Spec "${target}" depends on itself, so it would wait forever. Remove this dependency.`);
        issues.push(about(issue, { spec: i, dependency: target }));
      } else if (!nodenames.has(target)) {
        const issue = semantic(
          text,
          dep,
          'unknown-dependency',
          `Dependency "${target}" is not the nodename of any spec in this workflow${known ? ` (nodenames: ${known})` : ''}. Fix the name or add that spec.`,
        );
        issues.push(about(issue, { spec: i, dependency: target }));
      } else if (typeof name === 'string') {
        edges.set(name, [...(edges.get(name) ?? []), target]);
      }
    });
  });
  const cycle = findCycle(edges);
  if (cycle) {
    const from = nodenames.get(cycle[0]);
    const node = from === undefined ? undefined : nodeAt(root, [...paths[from], 'conditions', 'dependencies']);
    if (node) {
      const issue = semantic(text, node, 'dependency-cycle', `Dependency cycle ${cycle.map((n) => `"${n}"`).join(' → ')}: these specs would wait for each other forever. Break the cycle.`);
      issues.push(about(issue, { spec: from, cycle }));
    }
  }
  const colony = workflowColony(value) || activeColony;
  if (colony) {
    paths.forEach((p) => {
      const node = nodeAt(root, [...p, 'conditions', 'colonyname']);
      if (node?.type === 'string' && node.value !== '' && node.value !== colony) {
        issues.push(
          semantic(
            text,
            node,
            'colony-overridden',
            `Ignored: every spec of a workflow runs in the workflow's colony ("${colony}"), not "${String(node.value)}". Remove it, or set the workflow's "colonyname".`,
            'warning',
          ),
        );
      }
    });
  }
  for (const p of paths) issues.push(...maxExecTimeZero(root, text, p));
  return issues;
}

/** A cycle in the dependency graph (child → parents), as node names with the first repeated at the end. */
function findCycle(edges: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'active') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'active');
    stack.push(n);
    for (const next of edges.get(n) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of [...edges.keys()].sort()) {
    const found = visit(n);
    if (found) return found;
  }
  return undefined;
}

/** Parses and checks a document. `fileName` drives detection by name (*.colonyos.json, *.workflow.json, …). */
export function analyzeSpecText(text: string, fileName: string, options: AnalyzeOptions = {}): SpecAnalysis {
  const parsed = options.parsed ?? parseJsonDocument(text);
  if (parsed.syntaxIssues.length > 0 || !parsed.root) {
    return { kind: options.expect ?? detectKind(fileName, undefined), value: undefined, issues: parsed.syntaxIssues };
  }
  const { root, value } = parsed;
  // The document as a whole is the wrong thing: one message on its first character, no schema noise.
  const refuse = (kind: SpecKind | undefined, code: string, message: string): SpecAnalysis => ({
    kind,
    value,
    issues: [semantic(text, root, code, message)],
  });
  const detected = detectKind(fileName, value);
  if (options.expect && detected && detected !== options.expect) {
    const hint = options.expect === 'funcspec' ? 'use "ColonyOS: Submit Workflow" instead' : 'use "ColonyOS: Submit Function Spec" instead';
    const shape = detected === 'workflow' ? 'a workflow (an array of specs, or an object with "functionspecs")' : 'a single function spec';
    return refuse(detected, 'wrong-kind', `This file is ${shape}, not a ${KIND_WORDS[options.expect]}: ${hint}.`);
  }
  const kind = options.expect ?? detected;
  if (kind === 'workflow' && kindFromValue(value) === 'funcspec') {
    return refuse(
      kind,
      'wrong-kind',
      'This file holds a single function spec, not a workflow: a workflow is an array of specs (or an object with "functionspecs"). Wrap the spec in [ ] and give it a "nodename", or name the file *.colonyos.json.',
    );
  }
  if (!kind) {
    return refuse(
      kind,
      'not-a-spec',
      'Not a ColonyOS function spec or workflow: a function spec is an object with "funcname" and "conditions"; a workflow is an array of such specs, each with a "nodename".',
    );
  }
  const issues = [...checkSchema(root, text, kind), ...duplicateKeys(root, text)];
  if (kind === 'funcspec') {
    issues.push(...maxExecTimeZero(root, text, []), ...standaloneDependencies(root, text));
  } else {
    issues.push(...workflowChecks(root, text, value, options.activeColony));
  }
  return { kind, value, issues: sortIssues(issues) };
}

export type Prepared =
  | { ok: true; kind: 'funcspec'; spec: FunctionSpec; warnings: SpecIssue[] }
  | { ok: true; kind: 'workflow'; workflow: WorkflowSpec; warnings: SpecIssue[] }
  | { ok: false; kind: SpecKind | undefined; issues: SpecIssue[] };

/** Validates and, when there is no error, builds the request with the CLI's defaults. Warnings do not block. */
export function prepareSubmission(text: string, fileName: string, expect: SpecKind | undefined, activeColony: string): Prepared {
  const analysis = analyzeSpecText(text, fileName, { expect, activeColony });
  if (hasErrors(analysis.issues) || !analysis.kind) return { ok: false, kind: analysis.kind, issues: analysis.issues };
  if (analysis.kind === 'funcspec') {
    return { ok: true, kind: 'funcspec', spec: toFunctionSpec(analysis.value as Record<string, unknown>, activeColony), warnings: analysis.issues };
  }
  return { ok: true, kind: 'workflow', workflow: toWorkflowSpec(analysis.value, activeColony), warnings: analysis.issues };
}

