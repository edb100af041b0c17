// Renders the ProcessTreeModel: Colony → state groups (counts) → processes → channels, workflow, logs, details.
import * as vscode from 'vscode';
import { shortId } from '../base/format';
import { ProcessState, type Process } from '../colonies/types';
import { parseTime } from '../colonies/time';
import { stringifyJson } from '../colonies/json';
import { describeError } from '../base/errorText';
import type { ConnectionService } from '../connection/types';
import { address } from '../connection/probe';
import { LOCAL_PROFILE_NAME } from '../connection/localProfile';
import { hasFilters } from './filters';
import { MAX_PER_STATE, type ProcessTreeModel } from './processTreeModel';
import {
  STATE_ORDER,
  canUseChannels,
  isMine,
  isWorkflowMember,
  presentState,
  processContextValue,
  processDescription,
  processLabel,
} from './stateMapping';
import type { MessageNode, TreeNode } from './treeNodes';

const COLONY_NODE: TreeNode = { kind: 'colony' };

export class ProcessTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<TreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly groupNodes = new Map<ProcessState, TreeNode>(STATE_ORDER.map((s) => [s, { kind: 'group', state: s }]));
  private readonly processNodes = new Map<string, Extract<TreeNode, { kind: 'process' }>>();
  private readonly changedGroups = new Set<ProcessState>();
  private readonly groupLoads = new Set<ProcessState>();
  private readonly groupLoadErrors = new Map<ProcessState, unknown>();
  private readonly subscriptions: { dispose(): void }[] = [];
  /** Called when the tree shows a group's children, i.e. the group is expanded. */
  onGroupShown: () => void = () => undefined;

  constructor(
    private readonly model: ProcessTreeModel,
    private readonly connection: ConnectionService,
    private readonly now: () => number = Date.now,
  ) {
    this.subscriptions.push(
      model.onDidChange((change) => {
        if (change.kind === 'all') {
          this.changedGroups.clear();
          this.changeEmitter.fire();
        } else if (change.kind === 'group') this.groupChanged(change.state);
        else {
          const node = this.processNodes.get(change.processId);
          if (node) this.changeEmitter.fire(node);
        }
      }),
      connection.onDidChange(() => this.changeEmitter.fire()),
    );
  }

  refresh(): void {
    this.changeEmitter.fire();
  }

  /**
   * Group changes of one model update reach the tree as one refresh. A process that moved (Waiting → Cancelled) is
   * in two groups' changes: refreshed separately, VS Code may fetch the new group's children while the old group
   * still holds the same element id, and it fails with "Element with id … is already registered". Refreshing their
   * parent, the colony node, re-fetches both groups in one pass.
   */
  private groupChanged(state: ProcessState): void {
    if (this.changedGroups.size === 0) queueMicrotask(() => this.flushGroupChanges());
    this.changedGroups.add(state);
  }

  private loadGroup(state: ProcessState): void {
    if (this.groupLoads.has(state)) return;
    this.groupLoads.add(state);
    this.model
      .loadGroup(state)
      .catch((err: unknown) => void this.groupLoadErrors.set(state, err))
      .finally(() => {
        this.groupLoads.delete(state);
        this.groupChanged(state);
      });
  }

  private flushGroupChanges(): void {
    const states = [...this.changedGroups];
    this.changedGroups.clear();
    if (states.length === 1) this.changeEmitter.fire(this.groupNodes.get(states[0]));
    else if (states.length > 1) this.changeEmitter.fire(COLONY_NODE);
  }

  groupNode(state: ProcessState): TreeNode {
    return this.groupNodes.get(state) as TreeNode;
  }

  /** The node for a process, creating it if needed (for reveal). */
  processNode(p: Process): TreeNode {
    let node = this.processNodes.get(p.processid);
    if (!node) {
      node = { kind: 'process', processId: p.processid, state: p.state };
      this.processNodes.set(p.processid, node);
    }
    node.state = p.state;
    return node;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    switch (node.kind) {
      case 'group':
        return COLONY_NODE;
      case 'process':
        return this.groupNodes.get(node.state);
      case 'more':
      case 'empty':
        return this.groupNodes.get(node.state);
      case 'channel':
      case 'logs':
      case 'details':
      case 'workflow': {
        const p = this.model.findProcess(node.processId);
        return p ? this.processNode(p) : undefined;
      }
      default:
        return undefined;
    }
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.rootChildren();
    switch (node.kind) {
      case 'colony':
        return STATE_ORDER.map((s) => this.groupNode(s));
      case 'group':
        return this.groupChildren(node.state);
      case 'process':
        return this.processChildren(node.processId);
      case 'workflow':
        return this.workflowChildren(node.processId);
      default:
        return [];
    }
  }

  private rootChildren(): TreeNode[] {
    const profile = this.connection.profile;
    const state = this.connection.state;
    // No profile: return nothing so the view's welcome content (Add Connection / Start Local Colony) shows.
    if (!profile) return [];
    if (state.kind === 'noKey' && profile.name === LOCAL_PROFILE_NAME) {
      // Start Local Colony always stores this key, so a missing one means this window is not running the colony
      // (it stops with the window that started it; some hosts also drop their secrets on reload).
      return [
        errorNode('error:localstopped', 'The local colony is not running', 'The local colony runs inside VS Code and stops with the window that started it. Start it again to get a fresh colony with demo executors.', 'debug-disconnect'),
        actionNode('action:startlocal', 'Start Local Colony', 'colonyos.startLocalColony', 'play'),
      ];
    }
    if (state.kind === 'noKey') {
      return [
        errorNode('error:nokey', `Connection "${profile.name}" has no private key`, 'Set the private key of this connection (kept in VS Code Secret Storage).', 'key'),
        actionNode('action:setkey', 'Set Private Key…', 'colonyos.setPrivateKey', 'key'),
        actionNode('action:genkey', 'Generate Private Key…', 'colonyos.generatePrivateKey', 'sparkle'),
      ];
    }
    if (state.kind === 'unreachable') {
      return [
        errorNode('error:unreachable', `Cannot reach ${profile.host}:${profile.port}`, state.reason, 'debug-disconnect'),
        // The local colony lives only as long as the window that started it; offer to start it again.
        ...(profile.name === LOCAL_PROFILE_NAME ? [actionNode('action:startlocal', 'Start Local Colony', 'colonyos.startLocalColony', 'play')] : []),
        actionNode('action:retry', 'Retry', 'colonyos.retryConnection', 'debug-restart'),
        actionNode('action:edit', 'Edit Connection…', 'colonyos.editConnection', 'edit'),
      ];
    }
    if (state.kind === 'unauthorized') {
      return [
        errorNode('error:unauthorized', state.myId ? `Key ${shortId(state.myId, 8)}… is not a member of "${profile.colonyName}"` : 'Access denied', state.reason, 'lock'),
        ...(state.myId ? [actionNode('action:copyid', `Copy my id (${shortId(state.myId, 8)}…)`, 'colonyos.copyMyId', 'copy')] : []),
        actionNode('action:setkey', 'Set Private Key…', 'colonyos.setPrivateKey', 'key'),
        actionNode('action:retry', 'Retry', 'colonyos.retryConnection', 'debug-restart'),
      ];
    }
    const status = this.model.status;
    if (status.kind === 'error') {
      const d = describeError(status.error, { host: profile.host, port: profile.port, colonyName: profile.colonyName, myId: this.model.myId });
      return [
        errorNode('error:model', firstSentence(d.message), d.message, 'warning'),
        actionNode('action:retry', 'Retry', 'colonyos.retryConnection', 'debug-restart'),
      ];
    }
    if (state.kind === 'connecting' && status.kind !== 'ok') {
      return [messageNode({ id: 'message:connecting', label: `Connecting to ${profile.host}:${profile.port}…`, icon: 'loading~spin' })];
    }
    return [COLONY_NODE];
  }

  /**
   * Never waits: VS Code does not serialize fetches of one parent's children, and two overlapping fetches that
   * both await a load register the same process ids twice ("Element with id … is already registered"). A group
   * that is not loaded yet shows "Loading…" and is refreshed when its list arrives.
   */
  private groupChildren(state: ProcessState): TreeNode[] {
    this.model.setExpanded(state, true);
    this.onGroupShown();
    const group = this.model.group(state);
    if (!group.loaded) {
      const failed = this.groupLoadErrors.get(state);
      if (failed !== undefined) {
        // Shown until a later refresh loads the group (expanded groups are part of every refresh).
        const d = describeError(failed, this.errorContext());
        return [errorNode(`error:group:${state}`, firstSentence(d.message), d.message, 'warning')];
      }
      this.loadGroup(state);
      return [messageNode({ id: `message:loading:${state}`, label: 'Loading…', icon: 'loading~spin' })];
    }
    this.groupLoadErrors.delete(state);
    const nodes: TreeNode[] = group.processes.map((p) => this.processNode(p));
    if (group.truncated) nodes.push({ kind: 'more', state });
    if (nodes.length === 0) nodes.push({ kind: 'empty', state });
    return nodes;
  }

  private processChildren(processId: string): TreeNode[] {
    const p = this.model.findProcess(processId);
    if (!p) return [];
    const nodes: TreeNode[] = (p.spec?.channels ?? []).map((channel) => ({ kind: 'channel' as const, processId, channel }));
    if (isWorkflowMember(p)) nodes.push({ kind: 'workflow', processId });
    nodes.push({ kind: 'logs', processId }, { kind: 'details', processId });
    return nodes;
  }

  private workflowChildren(processId: string): TreeNode[] {
    const p = this.model.findProcess(processId);
    if (!p) return [];
    return [
      ...(p.parents ?? []).map((id) => ({ kind: 'relative' as const, processId, relation: 'parent' as const, relativeId: id })),
      ...(p.children ?? []).map((id) => ({ kind: 'relative' as const, processId, relation: 'child' as const, relativeId: id })),
    ];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'colony':
        return this.colonyItem();
      case 'group':
        return this.groupItem(node.state);
      case 'process':
        return this.processItem(node.processId);
      case 'channel':
        return this.channelItem(node.processId, node.channel);
      case 'logs':
        return leafItem(node.processId, 'logs', 'Logs', 'output', 'Show the log lines the executor added (follows new lines while the process runs)', 'colonyos.showLogs');
      case 'details':
        return leafItem(node.processId, 'details', 'Details', 'json', 'Show the full process as read-only JSON', 'colonyos.showDetails');
      case 'workflow': {
        const p = this.model.findProcess(node.processId);
        const item = new vscode.TreeItem('Workflow', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${node.processId}/workflow`;
        item.iconPath = new vscode.ThemeIcon('type-hierarchy');
        item.description = `${p?.parents?.length ?? 0} parents · ${p?.children?.length ?? 0} children`;
        item.tooltip = p?.processgraphid ? `Process graph ${p.processgraphid}` : 'Part of a workflow';
        if (!p?.parents?.length && !p?.children?.length) item.collapsibleState = vscode.TreeItemCollapsibleState.None;
        return item;
      }
      case 'relative': {
        const rel = this.model.findProcess(node.relativeId);
        const item = new vscode.TreeItem(rel ? processLabel(rel) : shortId(node.relativeId, 8), vscode.TreeItemCollapsibleState.None);
        item.id = `${node.processId}/${node.relation}/${node.relativeId}`;
        item.description = `${node.relation} · ${shortId(node.relativeId, 8)}${rel ? ` · ${presentState(rel.state).label.toLowerCase()}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(node.relation === 'parent' ? 'arrow-up' : 'arrow-down');
        item.tooltip = `${node.relation === 'parent' ? 'Parent' : 'Child'} process ${node.relativeId}\nClick to reveal it.`;
        item.command = { command: 'colonyos.revealProcess', title: 'Reveal Process', arguments: [node.relativeId] };
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(`Showing the first ${MAX_PER_STATE}`, vscode.TreeItemCollapsibleState.None);
        item.id = `more:${node.state}`;
        item.iconPath = new vscode.ThemeIcon('info');
        item.description = 'the server returns at most 100 per state';
        item.tooltip = `ColonyOS returns at most ${MAX_PER_STATE} processes per state in one list. Use a filter (executor type or label) to narrow it down.`;
        item.command = { command: 'colonyos.setFilter', title: 'Filter Processes…' };
        return item;
      }
      case 'empty': {
        const filtered = hasFilters(this.model.filters);
        const item = new vscode.TreeItem(filtered ? 'No processes match the filters' : 'No processes', vscode.TreeItemCollapsibleState.None);
        item.id = `empty:${node.state}`;
        item.description = '';
        return item;
      }
      case 'message':
        return messageItem(node);
    }
  }

  private colonyItem(): vscode.TreeItem {
    const profile = this.connection.profile;
    const item = new vscode.TreeItem(profile?.colonyName ?? 'Colony', vscode.TreeItemCollapsibleState.Expanded);
    item.id = 'colony';
    item.iconPath = new vscode.ThemeIcon('organization');
    item.contextValue = 'colony';
    if (profile) {
      item.description = `${profile.name} · ${profile.host}:${profile.port}`;
      const md = new vscode.MarkdownString();
      md.appendMarkdown('**Colony** ').appendText(profile.colonyName);
      md.appendMarkdown('\n\n**Server** ').appendText(address(profile));
      if (this.model.myId) md.appendMarkdown('\n\n**Your id** ').appendText(this.model.myId);
      item.tooltip = md;
    }
    return item;
  }

  private groupItem(state: ProcessState): vscode.TreeItem {
    const pres = presentState(state);
    const group = this.model.group(state);
    const expand = state === ProcessState.WAITING || state === ProcessState.RUNNING;
    const item = new vscode.TreeItem(pres.label, expand ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `group:${pres.key}`;
    item.iconPath = new vscode.ThemeIcon(pres.groupIcon, pres.color ? new vscode.ThemeColor(pres.color) : undefined);
    item.contextValue = `stateGroup;state=${pres.key}`;
    if (group.count !== undefined) {
      const more = group.truncated && (group.count ?? 0) <= group.processes.length ? '+' : '';
      item.description = `${group.count}${more}`;
    }
    item.tooltip = group.truncated
      ? `${pres.label}: ${group.count ?? '?'} processes; the list shows the first ${MAX_PER_STATE}.`
      : `${pres.label}: ${group.count ?? 'not loaded yet'}`;
    return item;
  }

  private processItem(processId: string): vscode.TreeItem {
    const p = this.model.findProcess(processId);
    if (!p) {
      const gone = new vscode.TreeItem(shortId(processId, 8), vscode.TreeItemCollapsibleState.None);
      gone.id = processId;
      gone.description = 'no longer listed';
      return gone;
    }
    const myId = this.model.myId;
    const pres = presentState(p.state);
    const item = new vscode.TreeItem(processLabel(p), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = p.processid;
    const mine = isMine(p, myId);
    item.description = `${processDescription(p, this.now())}${mine ? ' · mine' : ''}`;
    item.iconPath = new vscode.ThemeIcon(pres.icon, pres.color ? new vscode.ThemeColor(pres.color) : undefined);
    item.contextValue = processContextValue(p, myId);
    item.tooltip = processTooltip(p, mine);
    item.accessibilityInformation = { label: `${processLabel(p)}, ${pres.label}, ${mine ? 'submitted by you, ' : ''}${processDescription(p, this.now())}` };
    return item;
  }

  private channelItem(processId: string, channel: string): vscode.TreeItem {
    const p = this.model.findProcess(processId);
    const allowed = !!p && canUseChannels(p, this.model.myId);
    const item = new vscode.TreeItem(channel, vscode.TreeItemCollapsibleState.None);
    item.id = `${processId}/channel/${channel}`;
    const state = p ? presentState(p.state).key : 'waiting';
    if (allowed) {
      item.iconPath = new vscode.ThemeIcon('comment-discussion');
      item.description = 'channel';
      item.tooltip = `Open the "${channel}" channel of this process`;
      item.contextValue = `channel;state=${state}`;
      item.command = { command: 'colonyos.openChannel', title: 'Open Channel', arguments: [processId, channel] };
    } else {
      item.iconPath = new vscode.ThemeIcon('lock');
      item.description = 'not yours';
      item.tooltip =
        'Only the process submitter and the executor it is assigned to can read or write its channels. ' +
        'Your key is neither, so the server refuses access to this channel.';
      item.contextValue = `lockedChannel;state=${state}`;
    }
    return item;
  }

  private errorContext() {
    const profile = this.connection.profile;
    return { host: profile?.host, port: profile?.port, colonyName: profile?.colonyName, myId: this.model.myId };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changeEmitter.dispose();
  }
}

function processTooltip(p: Process, mine: boolean): vscode.MarkdownString {
  // Everything here comes from the server: appendText escapes it so it is never interpreted as Markdown.
  const md = new vscode.MarkdownString();
  md.supportHtml = false;
  md.isTrusted = false;
  const row = (label: string, value: string | undefined) => {
    if (!value) return;
    md.appendMarkdown(`**${label}** `).appendText(value).appendMarkdown('  \n');
  };
  md.appendMarkdown('### ').appendText(processLabel(p)).appendMarkdown('\n\n');
  row('ID', p.processid);
  row('State', presentState(p.state).label);
  row('Initiator', `${p.initiatorname || '?'} (${shortId(p.initiatorid, 8)}…)${mine ? ' — you' : ''}`);
  row('Executor type', p.spec?.conditions?.executortype);
  row('Assigned executor', p.assignedexecutorid ? `${shortId(p.assignedexecutorid, 8)}…` : undefined);
  row('Label', p.spec?.label);
  row('Submitted', fmt(p.submissiontime));
  row('Started', fmt(p.starttime));
  row('Ended', fmt(p.endtime));
  row('Retries', p.retries ? String(p.retries) : undefined);
  if (p.spec?.channels?.length) row('Channels', p.spec.channels.join(', '));
  if (p.errors?.length) row('Errors', p.errors.join('; '));
  const args = p.spec?.args ?? [];
  const kwargs = p.spec?.kwargs ?? {};
  if (args.length || Object.keys(kwargs).length) {
    md.appendMarkdown('\n**Arguments**\n');
    md.appendCodeblock(truncate(stringifyJson(Object.keys(kwargs).length ? { args, kwargs } : args, 2), 800), 'json');
  }
  return md;
}

function fmt(time: string): string | undefined {
  const d = parseTime(time);
  return d ? d.toLocaleString() : undefined;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;
}

function firstSentence(text: string): string {
  const m = /^(.{10,120}?[.:])\s/.exec(text);
  return m ? m[1].replace(/[.:]$/, '') : text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** The Logs / Details rows under a process. */
function leafItem(processId: string, key: 'logs' | 'details', label: string, icon: string, tooltip: string, command: string): vscode.TreeItem {
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = `${processId}/${key}`;
  item.iconPath = new vscode.ThemeIcon(icon);
  item.tooltip = tooltip;
  item.contextValue = key === 'logs' ? 'processLogs' : 'processDetails';
  item.command = { command, title: label, arguments: [processId] };
  return item;
}

function messageNode(n: Omit<MessageNode, 'kind'>): MessageNode {
  return { kind: 'message', ...n };
}

function errorNode(id: string, label: string, tooltip: string, icon: string): MessageNode {
  return messageNode({
    id,
    label,
    tooltip,
    icon,
    iconColor: 'errorForeground',
    contextValue: 'connectionError',
    command: { command: 'colonyos.showConnectionError', title: 'Show Details', arguments: [tooltip] },
  });
}

function actionNode(id: string, label: string, command: string, icon: string): MessageNode {
  return messageNode({ id, label, icon, command: { command, title: label } });
}

function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = node.description;
  item.tooltip = node.tooltip;
  if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon, node.iconColor ? new vscode.ThemeColor(node.iconColor) : undefined);
  item.contextValue = node.contextValue;
  item.command = node.command;
  return item;
}
