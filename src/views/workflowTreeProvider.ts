// Renders the WorkflowTreeModel: state groups (counts) → workflows (member counts) → member processes (states from
// the process store). Rows are text from the server: labels and descriptions are plain text, tooltips escaped Markdown.
import * as vscode from 'vscode';
import { relativeTime, shortId } from '../base/format';
import { describeError } from '../base/errorText';
import { parseTime } from '../colonies/time';
import { ProcessState, type Process, type ProcessGraph } from '../colonies/types';
import type { ConnectionService } from '../connection/types';
import { presentState, processLabel, STATE_ORDER } from './stateMapping';
import { messageItem } from './processTreeItems';
import { actionNode, errorNode, firstSentence, messageNode } from './treeMessages';
import type { MessageNode } from './treeNodes';
import { MAX_GRAPHS_PER_STATE, MAX_MEMBERS_SHOWN, memberCounts, memberIds, type WorkflowTreeModel } from './workflowTreeModel';

export type WorkflowNode =
  | { kind: 'group'; state: ProcessState }
  | { kind: 'graph'; graphId: string; state: ProcessState }
  | { kind: 'member'; graphId: string; processId: string }
  | { kind: 'moreMembers'; graphId: string; hidden: number }
  | { kind: 'more'; state: ProcessState }
  | { kind: 'empty'; state: ProcessState }
  | MessageNode;

const cap = (text: string, max = 120) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** `workflow;state=<key>`: drives the menus in package.json (cancel while unfinished, remove unless running). */
export function workflowContextValue(state: ProcessState): string {
  return `workflow;state=${presentState(state).key}`;
}

/** "3 processes · 2 successful, 1 running · by alice · 5 min ago" */
export function workflowDescription(g: ProcessGraph, get: (id: string) => Process | undefined, nowMs: number): string {
  const ids = memberIds(g);
  const parts = [`${ids.length} process${ids.length === 1 ? '' : 'es'}`];
  const counts = memberCounts(ids, get);
  const known = STATE_ORDER.filter((s) => counts.get(s)).map((s) => `${counts.get(s)} ${presentState(s).label.toLowerCase()}`);
  if (known.length && (counts.get('unknown') ?? 0) < ids.length) parts.push(known.join(', '));
  if (g.initiatorname) parts.push(`by ${cap(g.initiatorname, 40)}`);
  const time = parseTime(g.state === ProcessState.WAITING ? g.submissiontime : g.state === ProcessState.RUNNING ? g.starttime : g.endtime) ?? parseTime(g.submissiontime);
  const age = relativeTime(time?.getTime() ?? NaN, nowMs);
  if (age) parts.push(age);
  return parts.join(' · ');
}

export class WorkflowTreeProvider implements vscode.TreeDataProvider<WorkflowNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<WorkflowNode | undefined | void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly graphNodes = new Map<string, Extract<WorkflowNode, { kind: 'graph' }>>();
  private readonly groupNodes = new Map<ProcessState, WorkflowNode>(STATE_ORDER.map((s) => [s, { kind: 'group', state: s }]));
  private readonly loads = new Set<ProcessState>();
  private readonly subs: { dispose(): void }[] = [];
  onGroupShown: () => void = () => undefined;

  constructor(
    private readonly model: WorkflowTreeModel,
    private readonly connection: ConnectionService,
    private readonly now: () => number = Date.now,
  ) {
    this.subs.push(
      model.onDidChange((c) => {
        // A workflow that moved between groups is in both: one refresh of the root avoids duplicate ids.
        if (c.kind === 'graph') {
          const node = this.graphNodes.get(c.graphId);
          if (node) this.changeEmitter.fire(node);
        } else this.changeEmitter.fire();
      }),
      connection.onDidChange(() => this.changeEmitter.fire()),
    );
  }

  refresh(): void {
    this.changeEmitter.fire();
  }

  getParent(node: WorkflowNode): WorkflowNode | undefined {
    if (node.kind === 'graph' || node.kind === 'more' || node.kind === 'empty') return this.groupNodes.get(node.state);
    if (node.kind === 'member' || node.kind === 'moreMembers') return this.graphNodes.get(node.graphId);
    return undefined;
  }

  getChildren(node?: WorkflowNode): WorkflowNode[] {
    if (!node) return this.root();
    if (node.kind === 'group') return this.groupChildren(node.state);
    if (node.kind === 'graph') return this.members(node.graphId);
    return [];
  }

  private root(): WorkflowNode[] {
    const profile = this.connection.profile;
    const kind = this.connection.state.kind;
    if (!profile) return [];
    if (kind !== 'connected') {
      const label = kind === 'connecting' ? `Connecting to ${profile.host}:${profile.port}…` : 'Not connected: see the Processes view';
      return [messageNode({ id: 'wf:message:connection', label, icon: kind === 'connecting' ? 'loading~spin' : 'debug-disconnect' })];
    }
    const err = this.model.lastError;
    if (err !== undefined) {
      const d = describeError(err, { host: profile.host, port: profile.port, colonyName: profile.colonyName });
      return [errorNode('wf:error', firstSentence(d.message), d.message, 'warning'), actionNode('wf:retry', 'Retry', 'colonyos.refreshWorkflows', 'debug-restart')];
    }
    return STATE_ORDER.map((s) => this.groupNodes.get(s)).filter((n): n is WorkflowNode => !!n);
  }

  private groupChildren(state: ProcessState): WorkflowNode[] {
    this.model.setExpanded(state, true);
    this.onGroupShown();
    const group = this.model.group(state);
    if (!group.loaded) {
      if (!this.loads.has(state)) {
        this.loads.add(state);
        this.model
          .loadGroup(state)
          .catch(() => undefined)
          .finally(() => {
            this.loads.delete(state);
            this.changeEmitter.fire();
          });
      }
      return [messageNode({ id: `wf:loading:${state}`, label: 'Loading…', icon: 'loading~spin' })];
    }
    const nodes: WorkflowNode[] = group.graphs.map((g) => this.graphNode(g));
    if (group.truncated) nodes.push({ kind: 'more', state });
    if (nodes.length === 0) nodes.push({ kind: 'empty', state });
    return nodes;
  }

  private graphNode(g: ProcessGraph): Extract<WorkflowNode, { kind: 'graph' }> {
    let node = this.graphNodes.get(g.processgraphid);
    if (!node) {
      node = { kind: 'graph', graphId: g.processgraphid, state: g.state };
      this.graphNodes.set(g.processgraphid, node);
    }
    node.state = g.state;
    return node;
  }

  private members(graphId: string): WorkflowNode[] {
    const g = this.model.findGraph(graphId);
    if (!g) return [];
    void this.model.openGraph(graphId);
    const ids = memberIds(g);
    const nodes: WorkflowNode[] = ids.slice(0, MAX_MEMBERS_SHOWN).map((processId) => ({ kind: 'member', graphId, processId }));
    if (ids.length > MAX_MEMBERS_SHOWN) nodes.push({ kind: 'moreMembers', graphId, hidden: ids.length - MAX_MEMBERS_SHOWN });
    return nodes;
  }

  getTreeItem(node: WorkflowNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group':
        return this.groupItem(node.state);
      case 'graph':
        return this.graphItem(node);
      case 'member':
        return this.memberItem(node.graphId, node.processId);
      case 'moreMembers': {
        const item = new vscode.TreeItem(`${node.hidden} more processes`, vscode.TreeItemCollapsibleState.None);
        item.id = `wf:${node.graphId}/more`;
        item.iconPath = new vscode.ThemeIcon('type-hierarchy');
        item.description = 'open the graph to see them all';
        item.command = { command: 'colonyos.openWorkflowGraph', title: 'Open Graph', arguments: [node.graphId] };
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(`Showing the first ${MAX_GRAPHS_PER_STATE}`, vscode.TreeItemCollapsibleState.None);
        item.id = `wf:more:${node.state}`;
        item.iconPath = new vscode.ThemeIcon('info');
        item.description = `the server returns at most ${MAX_GRAPHS_PER_STATE} per state`;
        return item;
      }
      case 'empty': {
        const item = new vscode.TreeItem('No workflows', vscode.TreeItemCollapsibleState.None);
        item.id = `wf:empty:${node.state}`;
        return item;
      }
      case 'message':
        return messageItem(node);
    }
  }

  private groupItem(state: ProcessState): vscode.TreeItem {
    const pres = presentState(state);
    const group = this.model.group(state);
    const open = state === ProcessState.WAITING || state === ProcessState.RUNNING;
    const item = new vscode.TreeItem(pres.label, open ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `wf:group:${pres.key}`;
    item.iconPath = new vscode.ThemeIcon(pres.groupIcon, pres.color ? new vscode.ThemeColor(pres.color) : undefined);
    item.contextValue = `workflowGroup;state=${pres.key}`;
    if (group.count !== undefined) item.description = `${group.count}`;
    item.tooltip = `${pres.label} workflows: ${group.count ?? 'not loaded yet'}`;
    return item;
  }

  private graphItem(node: Extract<WorkflowNode, { kind: 'graph' }>): vscode.TreeItem {
    const g = this.model.findGraph(node.graphId);
    const pres = presentState(node.state);
    const item = new vscode.TreeItem(`Workflow ${shortId(node.graphId)}`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `wf:${node.graphId}`;
    item.iconPath = new vscode.ThemeIcon('type-hierarchy', pres.color ? new vscode.ThemeColor(pres.color) : undefined);
    item.contextValue = workflowContextValue(node.state);
    const get = (id: string) => this.model.processes?.get(id);
    item.description = g ? workflowDescription(g, get, this.now()) : '';
    const md = new vscode.MarkdownString();
    md.isTrusted = false;
    md.supportHtml = false;
    md.appendMarkdown('**Workflow** ').appendText(node.graphId).appendMarkdown('  \n');
    md.appendMarkdown('**State** ').appendText(pres.label).appendMarkdown('  \n');
    if (g?.initiatorname) md.appendMarkdown('**Submitted by** ').appendText(cap(g.initiatorname)).appendMarkdown('  \n');
    md.appendMarkdown('**Processes** ').appendText(String(g ? memberIds(g).length : 0));
    item.tooltip = md;
    item.accessibilityInformation = { label: `Workflow ${shortId(node.graphId)}, ${pres.label}, ${item.description}` };
    return item;
  }

  private memberItem(graphId: string, processId: string): vscode.TreeItem {
    const p = this.model.processes?.get(processId);
    const item = new vscode.TreeItem(p ? cap(p.spec?.nodename || processLabel(p)) : shortId(processId, 8), vscode.TreeItemCollapsibleState.None);
    item.id = `wf:${graphId}/${processId}`;
    if (p) {
      const pres = presentState(p.state);
      item.iconPath = new vscode.ThemeIcon(pres.icon, pres.color ? new vscode.ThemeColor(pres.color) : undefined);
      item.description = [pres.label.toLowerCase(), cap(processLabel(p), 60), shortId(processId, 8)].join(' · ');
      item.contextValue = `workflowMember;state=${pres.key}`;
      item.accessibilityInformation = { label: `${item.label as string}, ${pres.label}` };
    } else {
      const conn = this.model.processes;
      const gone = conn?.store.goneReason(conn.conn, processId);
      item.iconPath = new vscode.ThemeIcon(gone ? 'warning' : 'loading~spin');
      item.description = gone ? cap(`cannot be read: ${gone}`) : 'reading…';
      item.contextValue = 'workflowMember';
    }
    item.tooltip = `Process ${processId}\nClick to show its details.`;
    item.command = { command: 'colonyos.showDetails', title: 'Show Details', arguments: [processId] };
    return item;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.changeEmitter.dispose();
  }
}
