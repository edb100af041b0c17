// The Executors view's tree: nodes and items, rendered from executorModel.ts. Server text goes into labels,
// descriptions and plain-text tooltips only (never Markdown or HTML).
import * as vscode from 'vscode';
import { shortId } from '../base/format';
import { truncate } from '../colonies/text';
import type { CatalogEntry } from '../store/colonyCatalog';
import {
  executorDescription,
  executorRows,
  functionStats,
  groupExecutors,
  hardwareLines,
  type ExecutorGroup,
  type ExecutorGrouping,
  type ExecutorRow,
} from './executorModel';
import type { ColonyFunction } from '../colonies/types';

export type ExecutorNode =
  | { kind: 'message'; text: string; tooltip?: string; icon?: string }
  | { kind: 'group'; group: ExecutorGroup }
  | { kind: 'executor'; row: ExecutorRow }
  | { kind: 'functions'; row: ExecutorRow }
  | { kind: 'function'; fn: ColonyFunction }
  | { kind: 'detail'; key: string; label: string; description: string }
  | { kind: 'running'; processId: string; executorName: string };

export interface ExecutorTreeState {
  entry: () => CatalogEntry;
  grouping: () => ExecutorGrouping;
  /** The active key is the colony owner's (or one is stored): approve, reject and remove are offered. */
  isOwner: () => boolean;
  staleSeconds: () => number;
  now?: () => number;
}

const STATE_ICONS: Record<string, [string, string | undefined]> = {
  approved: ['vm-active', 'testing.iconPassed'],
  pending: ['vm-outline', 'list.warningForeground'],
  rejected: ['circle-slash', 'testing.iconFailed'],
  unregistered: ['debug-disconnect', 'disabledForeground'],
};

export class ExecutorTreeProvider implements vscode.TreeDataProvider<ExecutorNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ExecutorNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly state: ExecutorTreeState) {}

  refresh(): void {
    this.emitter.fire(undefined);
  }

  dispose(): void {
    this.emitter.dispose();
  }

  getChildren(node?: ExecutorNode): ExecutorNode[] {
    if (!node) return this.roots();
    if (node.kind === 'group') return node.group.rows.map((row) => ({ kind: 'executor', row }));
    if (node.kind === 'executor') return executorChildren(node.row);
    if (node.kind === 'functions') return node.row.functions.map((fn) => ({ kind: 'function', fn }));
    return [];
  }

  getTreeItem(node: ExecutorNode): vscode.TreeItem {
    switch (node.kind) {
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.tooltip = node.tooltip ?? node.text;
        if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.group.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `executors:${this.state.grouping()}:${node.group.key}`;
        item.description = `${node.group.rows.length}`;
        item.contextValue = 'executorGroup';
        item.iconPath = new vscode.ThemeIcon(this.state.grouping() === 'state' ? (STATE_ICONS[node.group.key]?.[0] ?? 'server') : 'symbol-class');
        return item;
      }
      case 'executor':
        return this.executorItem(node.row);
      case 'functions': {
        const item = new vscode.TreeItem('Functions', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `executor:${node.row.executor.executorid}:functions`;
        item.description = `${node.row.functions.length}`;
        item.iconPath = new vscode.ThemeIcon('symbol-method');
        return item;
      }
      case 'function': {
        const item = new vscode.TreeItem(node.fn.funcname || '(no name)', vscode.TreeItemCollapsibleState.None);
        item.id = `function:${node.fn.functionid || `${node.fn.executorname}/${node.fn.funcname}`}`;
        item.description = functionStats(node.fn);
        const args = (node.fn.args ?? []).map((a) => `${a.name}${a.type ? `: ${a.type}` : ''}`).join(', ');
        item.tooltip = [
          `${node.fn.funcname}(${args})`,
          node.fn.description ? truncate(node.fn.description, 500) : undefined,
          functionStats(node.fn),
          `Registered by ${node.fn.executorname} (${node.fn.executortype})`,
        ]
          .filter(Boolean)
          .join('\n');
        item.iconPath = new vscode.ThemeIcon('symbol-function');
        item.contextValue = 'executorFunction';
        return item;
      }
      case 'detail': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.key;
        item.description = node.description;
        item.tooltip = `${node.label}: ${node.description}`;
        return item;
      }
      case 'running': {
        const item = new vscode.TreeItem(`Running ${shortId(node.processId, 12)}`, vscode.TreeItemCollapsibleState.None);
        item.id = `executor:${node.executorName}:running:${node.processId}`;
        item.iconPath = new vscode.ThemeIcon('sync~spin');
        item.tooltip = `Process ${node.processId}\nClick to reveal it in the Processes view.`;
        item.command = { command: 'colonyos.revealProcess', title: 'Reveal Process in Tree', arguments: [node.processId] };
        item.contextValue = 'executorRunning';
        return item;
      }
    }
  }

  private roots(): ExecutorNode[] {
    const entry = this.state.entry();
    const snapshot = entry.snapshot;
    if (!snapshot) {
      if (entry.refreshing) return [{ kind: 'message', text: 'Loading executors…', icon: 'loading~spin' }];
      if (entry.error) return [{ kind: 'message', text: `Cannot list executors: ${truncate(entry.error, 200)}`, tooltip: entry.error, icon: 'error' }];
      return [];
    }
    const rows = executorRows(snapshot, this.state.now?.() ?? Date.now(), this.state.staleSeconds());
    if (rows.length === 0) {
      return [{ kind: 'message', text: 'No executors are registered in this colony.', icon: 'info', tooltip: 'Start one (npm run executor -- echo against the local colony) or register one with the ColonyOS CLI.' }];
    }
    const out: ExecutorNode[] = [];
    if (entry.error) out.push({ kind: 'message', text: `Showing what was last read: ${truncate(entry.error, 160)}`, tooltip: entry.error, icon: 'warning' });
    return out.concat(groupExecutors(rows, this.state.grouping()).map((group) => ({ kind: 'group', group })));
  }

  private executorItem(row: ExecutorRow): vscode.TreeItem {
    const e = row.executor;
    const item = new vscode.TreeItem(e.executorname || shortId(e.executorid, 12), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `executor:${e.executorid}`;
    item.description = executorDescription(row, this.state.grouping());
    const [icon, color] = row.stale ? ['warning', 'list.warningForeground'] : (STATE_ICONS[row.stateName] ?? ['server', undefined]);
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.tooltip = [
      `${e.executorname} (${e.executortype})`,
      `State: ${row.stateName}${row.stale ? `, stale: not heard from for over ${Math.round(this.state.staleSeconds() / 60)} min` : ''}`,
      `Last heard from: ${row.lastHeard ?? 'never'}`,
      e.locationname ? `Location: ${e.locationname}` : undefined,
      ...hardwareLines(e).map((l) => `Hardware: ${l}`),
      `Functions: ${row.functions.length}`,
      row.running.length ? `Running: ${row.running.map((id) => shortId(id, 12)).join(', ')}` : 'Running: nothing',
      `Id: ${e.executorid}`,
    ]
      .filter(Boolean)
      .join('\n');
    // `executor;state=pending;owner` drives the menus: owner-only actions need the last part.
    item.contextValue = `executor;state=${row.stateName}${this.state.isOwner() ? ';owner' : ''}`;
    return item;
  }
}

function executorChildren(row: ExecutorRow): ExecutorNode[] {
  const e = row.executor;
  const id = `executor:${e.executorid}`;
  const out: ExecutorNode[] = [
    { kind: 'detail', key: `${id}:type`, label: 'Type', description: e.executortype },
    { kind: 'detail', key: `${id}:state`, label: 'State', description: row.stale ? `${row.stateName}, stale` : row.stateName },
    { kind: 'detail', key: `${id}:heard`, label: 'Last heard from', description: row.lastHeard ?? 'never' },
  ];
  if (e.locationname) out.push({ kind: 'detail', key: `${id}:location`, label: 'Location', description: e.locationname });
  hardwareLines(e).forEach((line, i) => out.push({ kind: 'detail', key: `${id}:hw${i}`, label: 'Hardware', description: line }));
  for (const processId of row.running) out.push({ kind: 'running', processId, executorName: e.executorname });
  out.push(row.functions.length > 0 ? { kind: 'functions', row } : { kind: 'detail', key: `${id}:nofn`, label: 'Functions', description: 'none registered' });
  return out;
}
