// A workflow file as the graph preview draws it, with the problems validate.ts finds drawn on it: an unknown
// dependency is a dangling edge to a ghost node, a cycle is a ring of red edges, a repeated nodename is a red node
// with the message. Pure (no `vscode`): the checks are validate.ts's own, this only places them.
import { capText, GRAPH_LIMITS, type GraphEdgeView, type GraphNodeView, type GraphView } from '../panels/graphProtocol';
import { workflowSpecList } from './defaults';
import { type SpecIssue } from './issues';
import { nodeAt, parseJsonDocument } from './jsonText';
import { analyzeSpecText, specPaths } from './validate';

export interface PreviewResult {
  /** The graph, or undefined when the text is not a workflow that can be drawn (see `error`). */
  view?: GraphView;
  /** Why there is no graph: a parse error, or not a workflow; the panel keeps the last good graph and shows this. */
  error?: string;
  /** Where each node's spec is in the text (for "Go to Spec"). */
  sources: Map<string, { offset: number; length: number }>;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const GHOST_PREFIX = 'unknown:';

function issueText(i: SpecIssue): string {
  return `${i.line}:${i.column} ${i.message}`;
}

/** Builds the preview of `text` (a *.workflow.json document). */
export function previewGraph(text: string, fileName: string, title: string): PreviewResult {
  const sources = new Map<string, { offset: number; length: number }>();
  const parsed = parseJsonDocument(text);
  const analysis = analyzeSpecText(text, fileName, { expect: 'workflow', parsed });
  if (!parsed.root || parsed.syntaxIssues.length > 0) {
    const first = parsed.syntaxIssues[0];
    return { error: first ? `Not valid JSON (${issueText(first)}). Showing the last graph that could be read.` : 'Not valid JSON.', sources };
  }
  const refused = analysis.issues.find((i) => i.code === 'wrong-kind' || i.code === 'not-a-spec');
  if (refused) return { error: refused.message, sources };
  const specs = workflowSpecList(analysis.value);
  const paths = specPaths(analysis.value);
  const nodes: GraphNodeView[] = [];
  const idOfName = new Map<string, string>();
  const ids: string[] = [];
  const ranges: { start: number; end: number; id: string }[] = [];
  specs.slice(0, GRAPH_LIMITS.nodes).forEach((raw, i) => {
    const spec = isObj(raw) ? raw : {};
    const name = str(spec.nodename);
    const id = name && !idOfName.has(name) ? name : `#${i}`;
    if (name && !idOfName.has(name)) idOfName.set(name, id);
    ids.push(id);
    const node: GraphNodeView = { id: capText(id, GRAPH_LIMITS.id), label: capText(name || `(spec ${i + 1} has no nodename)`, GRAPH_LIMITS.label), state: 'unknown' };
    const funcname = str(spec.funcname);
    if (funcname) node.detail = capText(funcname, GRAPH_LIMITS.detail);
    const at = nodeAt(parsed.root, paths[i]);
    if (at) {
      sources.set(node.id, { offset: at.offset, length: at.length });
      ranges.push({ start: at.offset, end: at.offset + at.length, id: node.id });
    }
    nodes.push(node);
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const addProblem = (id: string | undefined, message: string) => {
    const n = id ? byId.get(id) : undefined;
    if (!n) return;
    n.problems = [...(n.problems ?? []), message].slice(0, GRAPH_LIMITS.problems);
  };
  // Every error inside a spec is drawn on its node (schema errors too); unknown dependencies go on their ghost.
  for (const issue of analysis.issues) {
    if (issue.severity !== 'error' || issue.code === 'unknown-dependency' || issue.code === 'dependency-cycle') continue;
    const spec = issue.subject?.spec;
    const id = spec !== undefined ? ids[spec] : ranges.find((r) => issue.offset >= r.start && issue.offset < r.end)?.id;
    addProblem(id, issue.message);
  }
  const edges: GraphEdgeView[] = [];
  const seen = new Set<string>();
  specs.slice(0, GRAPH_LIMITS.nodes).forEach((raw, i) => {
    const deps = isObj(raw) && isObj(raw.conditions) && Array.isArray(raw.conditions.dependencies) ? raw.conditions.dependencies : [];
    for (const dep of deps) {
      if (typeof dep !== 'string' || edges.length >= GRAPH_LIMITS.edges) continue;
      let from = idOfName.get(dep);
      let problem: GraphEdgeView['problem'];
      if (from === ids[i]) continue; // a self-dependency: its message is on the node
      if (!from) {
        from = capText(`${GHOST_PREFIX}${dep}`, GRAPH_LIMITS.id);
        problem = 'dangling';
        if (!byId.has(from) && nodes.length < GRAPH_LIMITS.nodes) {
          const ghost: GraphNodeView = { id: from, label: capText(dep || '(empty name)', GRAPH_LIMITS.label), state: 'ghost', problems: [] };
          nodes.push(ghost);
          byId.set(from, ghost);
        }
      }
      const key = `${from}>${ids[i]}`;
      if (seen.has(key) || !byId.has(from)) continue;
      seen.add(key);
      edges.push(problem ? { from, to: ids[i], problem } : { from, to: ids[i] });
    }
  });
  for (const issue of analysis.issues) {
    if (issue.code === 'unknown-dependency' && issue.subject?.dependency !== undefined) {
      addProblem(capText(`${GHOST_PREFIX}${issue.subject.dependency}`, GRAPH_LIMITS.id), issue.message);
    }
    const cycle = issue.code === 'dependency-cycle' ? issue.subject?.cycle : undefined;
    if (cycle) {
      // The cycle lists child → parent; an edge runs parent → child.
      for (let k = 0; k + 1 < cycle.length; k++) {
        const child = idOfName.get(cycle[k]);
        const parent = idOfName.get(cycle[k + 1]);
        for (const e of edges) if (e.from === parent && e.to === child) e.problem = 'cycle';
        addProblem(child, issue.message);
      }
    }
  }
  const errors = analysis.issues.filter((i) => i.severity === 'error').length;
  const view: GraphView = {
    mode: 'preview',
    title: capText(title, GRAPH_LIMITS.text),
    subtitle: `${specs.length} spec${specs.length === 1 ? '' : 's'} · ${errors === 0 ? 'no problems' : `${errors} problem${errors === 1 ? '' : 's'}`}`,
    nodes,
    edges,
  };
  if (specs.length > GRAPH_LIMITS.nodes) view.notice = `Showing the first ${GRAPH_LIMITS.nodes} of ${specs.length} specs.`;
  return { view, sources };
}
