// The one shape every spec check reports, so the editor diagnostics, the submit refusal and the tests agree.
import type { JsonPath } from './jsonText';

export type IssueSeverity = 'error' | 'warning';

/** Where a check comes from: VS Code's own JSON service already reports `syntax` and `schema` for files it validates. */
export type IssueSource = 'syntax' | 'schema' | 'semantic';

export interface IssueFix {
  title: string;
  /** Replace the value at `path` with `value`. */
  path: JsonPath;
  value: unknown;
}

export interface SpecIssue {
  severity: IssueSeverity;
  message: string;
  code: string;
  source: IssueSource;
  /** Range in the text (UTF-16 offsets) and 1-based line/column of its start. */
  offset: number;
  length: number;
  line: number;
  column: number;
  fix?: IssueFix;
  /** What a workflow check is about, for drawing it on the graph preview (specs/workflowGraph.ts). */
  subject?: IssueSubject;
}

/** The workflow spec (by index), dependency or cycle an issue names. */
export interface IssueSubject {
  spec?: number;
  dependency?: string;
  /** Node names around a dependency cycle, the first repeated at the end. */
  cycle?: string[];
}

export function hasErrors(issues: readonly SpecIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

/** `chat.colonyos.json:3:5: error: Unknown key "func", …` — the form used in messages, the output log and the tests. */
export function formatIssue(fileLabel: string, issue: SpecIssue): string {
  return `${fileLabel}:${issue.line}:${issue.column}: ${issue.severity}: ${issue.message}`;
}

export function sortIssues(issues: SpecIssue[]): SpecIssue[] {
  return issues.sort((a, b) => a.offset - b.offset || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}
