// Warnings (never errors: the catalog is a snapshot, and the colony may change before the process is placed) where
// a spec names something the connected colony does not have: an executor type no executor has, an executor name
// that does not exist, a funcname the executors of its type did not register. Pure (no `vscode` import).
//
// A ColonyOS server (v1.9.12) places a process by colony, executor type, names, location and resources only: it never
// consults the function registry or an executor's `requirefuncreg` (pkg/database/postgresql/processes.go
// FindCandidates takes no funcname; docs/protocol.md §10). So a funcname nobody registered is a hint (a typo, or an
// executor that will fail it), never "will not run"; and since many executors register nothing, it is checked only
// for types whose registry is not empty or whose executors say they require registration.
import type { Node } from 'jsonc-parser/lib/esm/main.js';
import { countOf, relativeTime } from '../base/format';
import type { CatalogSnapshot } from '../store/colonyCatalog';
import { workflowColony, workflowSpecList } from './defaults';
import type { SpecKind } from './detect';
import type { SpecIssue } from './issues';
import { issueAt, nodeAt, type JsonPath } from './jsonText';

export interface CatalogCheckInput {
  text: string;
  root: Node | undefined;
  value: unknown;
  kind: SpecKind;
  snapshot: CatalogSnapshot;
  /** The colony the snapshot is of (the active connection's). */
  colony: string;
  now: number;
}

/** At most this many names in a message. */
const NAMES_SHOWN = 8;

function quoted(names: readonly string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).map((n) => `"${n}"`).join(', ');
  return names.length > NAMES_SHOWN ? `${shown} and ${names.length - NAMES_SHOWN} more` : shown;
}

function specPathsOf(kind: SpecKind, value: unknown): JsonPath[] {
  if (kind === 'funcspec') return [[]];
  const base: JsonPath = Array.isArray(value) ? [] : ['functionspecs'];
  return workflowSpecList(value).map((_, i) => [...base, i]);
}

function stringNode(root: Node, path: JsonPath): Node | undefined {
  const node = nodeAt(root, path);
  return node?.type === 'string' && typeof node.value === 'string' && node.value !== '' ? node : undefined;
}

export function catalogIssues(input: CatalogCheckInput): SpecIssue[] {
  const { text, root, value, kind, snapshot, colony, now } = input;
  if (!root) return [];
  // A workflow or spec for another colony: this colony's catalog says nothing about it.
  const wfColony = kind === 'workflow' ? workflowColony(value) : '';
  if (wfColony && wfColony !== colony) return [];
  const asOf = `in colony "${colony}" (as of ${relativeTime(snapshot.fetchedAt, now)})`;
  const issues: SpecIssue[] = [];
  const warn = (node: Node, code: string, message: string) =>
    issues.push(issueAt(text, node.offset, node.length, { severity: 'warning', code, source: 'semantic', message }));
  const types = new Set(snapshot.executors.map((e) => e.executortype));
  const names = new Set(snapshot.executors.map((e) => e.executorname));

  for (const spec of specPathsOf(kind, value)) {
    const colonyNode = stringNode(root, [...spec, 'conditions', 'colonyname']);
    if (colonyNode && colonyNode.value !== colony) continue;
    const typeNode = stringNode(root, [...spec, 'conditions', 'executortype']);
    const type = typeNode?.value as string | undefined;
    if (typeNode && type !== undefined && !types.has(type)) {
      const present = [...types].filter(Boolean).sort();
      warn(
        typeNode,
        'catalog-no-executor-type',
        `No executor of type "${type}" ${asOf}: the process would wait until one registers.` +
          (present.length ? ` Types there: ${quoted(present)}.` : ' The colony has no executors.'),
      );
    }
    const namesNode = nodeAt(root, [...spec, 'conditions', 'executornames']);
    for (const item of namesNode?.type === 'array' ? namesNode.children ?? [] : []) {
      if (item.type !== 'string' || typeof item.value !== 'string' || item.value === '' || names.has(item.value)) continue;
      warn(item, 'catalog-no-executor-name', `No executor named "${item.value}" ${asOf}.`);
    }
    const funcNode = stringNode(root, [...spec, 'funcname']);
    if (!funcNode || type === undefined || !types.has(type)) continue;
    const funcname = funcNode.value as string;
    const registered = [...new Set(snapshot.functions.filter((f) => f.executortype === type).map((f) => f.funcname))].sort();
    const ofType = snapshot.executors.filter((e) => e.executortype === type);
    const strict = ofType.filter((e) => e.requirefuncreg).length;
    if (registered.includes(funcname) || (registered.length === 0 && strict === 0)) continue;
    const list = registered.length ? ` Registered for this type: ${quoted(registered)}.` : ' No function is registered for this type.';
    const flag = strict ? ` ${strict} of its ${countOf(ofType.length, 'executor')} ${strict === 1 ? 'declares' : 'declare'} requirefuncreg.` : '';
    warn(
      funcNode,
      'catalog-unregistered-function',
      `No executor of type "${type}" registered a function "${funcname}" ${asOf}.${list}${flag} ` +
        'The server does not check the registry when it places a process, so an executor of this type may still take it: check the name.',
    );
  }
  return issues;
}
