// Renders the ProcessTreeModel: Colony → state groups (counts) → processes → channels, workflow, logs, details.
import * as vscode from 'vscode';
import type { ProcessState, Process } from '../colonies/types';
import { describeError } from '../base/errorText';
import type { ConnectionService } from '../connection/types';
import { LOCAL_PROFILE_NAME } from '../connection/localProfile';
import { shortId } from '../base/format';
import { hasFilters } from './filters';
import type { ProcessTreeModel } from './processTreeModel';
import { STATE_ORDER, isWorkflowMember } from './stateMapping';
import {
  channelItem,
  colonyItem,
  emptyItem,
  groupItem,
  leafItem,
  messageItem,
  moreItem,
  processItem,
  relativeItem,
  workflowItem,
} from './processTreeItems';
import { actionNode, errorNode, firstSentence, messageNode } from './treeMessages';
import type { TreeNode } from './treeNodes';

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
  /** A waiting process's "why is it waiting" line from the last catalog snapshot (synchronous, never fetches). */
  waitLine: (p: Process) => string | undefined = () => undefined;

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
        errorNode('error:localstopped', 'Local colony not running', 'The local colony runs inside VS Code and stops with the window that started it. Start it again to get a fresh colony with demo executors.', 'debug-disconnect'),
        actionNode('action:startlocal', 'Start Local Colony', 'colonyos.startLocalColony', 'play'),
      ];
    }
    if (state.kind === 'noKey') {
      return [
        errorNode('error:nokey', 'No private key', `Connection "${profile.name}" has no private key. Set the private key of this connection (kept in VS Code Secret Storage).`, 'key', profile.name),
        actionNode('action:setkey', 'Set Private Key…', 'colonyos.setPrivateKey', 'key'),
        actionNode('action:genkey', 'Generate Private Key…', 'colonyos.generatePrivateKey', 'sparkle'),
      ];
    }
    if (state.kind === 'unreachable') {
      return [
        errorNode('error:unreachable', 'Cannot reach server', state.reason, 'debug-disconnect', `${profile.host}:${profile.port}`),
        // The local colony lives only as long as the window that started it; offer to start it again.
        ...(profile.name === LOCAL_PROFILE_NAME ? [actionNode('action:startlocal', 'Start Local Colony', 'colonyos.startLocalColony', 'play')] : []),
        actionNode('action:retry', 'Retry', 'colonyos.retryConnection', 'debug-restart'),
        actionNode('action:edit', 'Edit Connection…', 'colonyos.editConnection', 'edit'),
      ];
    }
    if (state.kind === 'unauthorized') {
      return [
        errorNode('error:unauthorized', state.myId ? 'Not a member' : 'Access denied', state.reason, 'lock', state.myId ? `key ${shortId(state.myId, 8)}… · ${profile.colonyName}` : undefined),
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
    const model = this.model;
    switch (node.kind) {
      case 'colony':
        return colonyItem(this.connection.profile, model.myId);
      case 'group':
        return groupItem(node.state, model.group(node.state));
      case 'process':
        return processItem(node.processId, model.findProcess(node.processId), model.myId, this.now, this.waitLine);
      case 'channel':
        return channelItem(node.processId, node.channel, model.findProcess(node.processId), model.myId);
      case 'logs':
        return leafItem(node.processId, 'logs', 'Logs', 'output', 'Show the log lines the executor added (follows new lines while the process runs)', 'colonyos.showLogs');
      case 'details':
        return leafItem(node.processId, 'details', 'Details', 'info', 'Show the process: state, times, executor, output, errors (raw JSON one click away)', 'colonyos.showDetails');
      case 'workflow':
        return workflowItem(node.processId, model.findProcess(node.processId));
      case 'relative':
        return relativeItem(node, model.findProcess(node.relativeId));
      case 'more':
        return moreItem(node.state, model.group(node.state));
      case 'empty':
        return emptyItem(node.state, hasFilters(model.filters));
      case 'message':
        return messageItem(node);
    }
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
