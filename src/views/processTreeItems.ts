// The tree items of the Processes view: colony, state groups, process rows, channels, logs/details, workflow relations, messages.
import { truncate } from '../colonies/text';
import * as vscode from 'vscode';
import { countOf, shortId } from '../base/format';
import { ProcessState, type Process } from '../colonies/types';
import { parseTime } from '../colonies/time';
import { stringifyJson } from '../colonies/json';
import type { ConnectionProfile } from '../connection/types';
import { address } from '../connection/probe';
import { MAX_PER_STATE, type GroupData } from './processTreeModel';
import { canUseChannels, isMine, presentState, processContextValue, processDescription, processLabel } from './stateMapping';
import type { MessageNode, TreeNode } from './treeNodes';

export function colonyItem(profile: ConnectionProfile | undefined, myId: string | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(profile?.colonyName ?? 'Colony', vscode.TreeItemCollapsibleState.Expanded);
  item.id = 'colony';
  item.iconPath = new vscode.ThemeIcon('organization');
  item.contextValue = 'colony';
  if (profile) {
    item.description = `${profile.name} · ${profile.host}:${profile.port}`;
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**Colony** ').appendText(profile.colonyName);
    md.appendMarkdown('\n\n**Server** ').appendText(address(profile));
    if (myId) md.appendMarkdown('\n\n**Your id** ').appendText(myId);
    item.tooltip = md;
  }
  return item;
}

export function groupItem(state: ProcessState, group: GroupData): vscode.TreeItem {
  const pres = presentState(state);
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
    ? `${pres.label}: ${group.count === undefined ? '? processes' : countOf(group.count, 'process', 'processes')}; the list shows the first ${MAX_PER_STATE}.`
    : `${pres.label}: ${group.count ?? 'not loaded yet'}`;
  return item;
}

/** A process row; `p` is undefined once the process is no longer listed. */
export function processItem(
  processId: string,
  p: Process | undefined,
  myId: string | undefined,
  now: () => number,
  waitLine: (p: Process) => string | undefined = () => undefined,
): vscode.TreeItem {
  if (!p) {
    const gone = new vscode.TreeItem(shortId(processId, 8), vscode.TreeItemCollapsibleState.None);
    gone.id = processId;
    gone.description = 'no longer listed';
    return gone;
  }
  const pres = presentState(p.state);
  const item = new vscode.TreeItem(processLabel(p), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = p.processid;
  const mine = isMine(p, myId);
  item.description = `${processDescription(p, now())}${mine ? ' · mine' : ''}`;
  item.iconPath = new vscode.ThemeIcon(pres.icon, pres.color ? new vscode.ThemeColor(pres.color) : undefined);
  item.contextValue = processContextValue(p, myId);
  item.tooltip = processTooltip(p, mine, p.state === ProcessState.WAITING ? waitLine(p) : undefined);
  item.accessibilityInformation = { label: `${processLabel(p)}, ${pres.label}, ${mine ? 'submitted by you, ' : ''}${processDescription(p, now())}` };
  return item;
}

export function channelItem(processId: string, channel: string, p: Process | undefined, myId: string | undefined): vscode.TreeItem {
  const allowed = !!p && canUseChannels(p, myId);
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

/** The Logs / Details rows under a process. */
export function leafItem(processId: string, key: 'logs' | 'details', label: string, icon: string, tooltip: string, command: string): vscode.TreeItem {
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = `${processId}/${key}`;
  item.iconPath = new vscode.ThemeIcon(icon);
  item.tooltip = tooltip;
  item.contextValue = key === 'logs' ? 'processLogs' : 'processDetails';
  item.command = { command, title: label, arguments: [processId] };
  return item;
}

/** The Workflow row under a workflow member: its parents and children. */
export function workflowItem(processId: string, p: Process | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem('Workflow', vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `${processId}/workflow`;
  item.iconPath = new vscode.ThemeIcon('type-hierarchy');
  item.description = `${countOf(p?.parents?.length ?? 0, 'parent')} · ${countOf(p?.children?.length ?? 0, 'child', 'children')}`;
  item.tooltip = p?.processgraphid ? `Process graph ${p.processgraphid}` : 'Part of a workflow';
  if (!p?.parents?.length && !p?.children?.length) item.collapsibleState = vscode.TreeItemCollapsibleState.None;
  return item;
}

/** A parent or child under the Workflow row; `rel` is that process when the tree holds it. */
export function relativeItem(node: Extract<TreeNode, { kind: 'relative' }>, rel: Process | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(rel ? processLabel(rel) : shortId(node.relativeId, 8), vscode.TreeItemCollapsibleState.None);
  item.id = `${node.processId}/${node.relation}/${node.relativeId}`;
  item.description = `${node.relation} · ${shortId(node.relativeId, 8)}${rel ? ` · ${presentState(rel.state).label.toLowerCase()}` : ''}`;
  item.iconPath = new vscode.ThemeIcon(node.relation === 'parent' ? 'arrow-up' : 'arrow-down');
  item.tooltip = `${node.relation === 'parent' ? 'Parent' : 'Child'} process ${node.relativeId}\nClick to reveal it.`;
  item.command = { command: 'colonyos.revealProcess', title: 'Reveal Process', arguments: [node.relativeId] };
  return item;
}

/** The row after a group's list when the server capped it. */
/** The last row of a cut list: how many of how many (the server's own count) and how to see the rest. */
export function moreItem(state: ProcessState, group: Pick<GroupData, 'processes' | 'count'>): vscode.TreeItem {
  const shown = group.processes.length.toLocaleString('en-US');
  const total = group.count !== undefined && group.count > group.processes.length ? group.count.toLocaleString('en-US') : undefined;
  const item = new vscode.TreeItem(total ? `${shown} of ${total}: filter to narrow` : `Showing the first ${shown}`, vscode.TreeItemCollapsibleState.None);
  item.id = `more:${state}`;
  item.iconPath = new vscode.ThemeIcon('filter');
  item.description = `the server lists at most ${MAX_PER_STATE} per state`;
  item.tooltip = `ColonyOS returns at most ${MAX_PER_STATE} processes per state in one list. Use a filter (executor type or label) to narrow it down.`;
  item.command = { command: 'colonyos.setFilter', title: 'Filter Processes…' };
  return item;
}

export function emptyItem(state: ProcessState, filtered: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(filtered ? 'No processes match the filters' : 'No processes', vscode.TreeItemCollapsibleState.None);
  item.id = `empty:${state}`;
  item.description = '';
  return item;
}

export function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = node.description;
  item.tooltip = node.tooltip;
  if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon, node.iconColor ? new vscode.ThemeColor(node.iconColor) : undefined);
  item.contextValue = node.contextValue;
  item.command = node.command;
  if (node.accessibilityLabel) item.accessibilityInformation = { label: node.accessibilityLabel };
  return item;
}

function processTooltip(p: Process, mine: boolean, whyWaiting: string | undefined): vscode.MarkdownString {
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
  row('Why waiting', whyWaiting);
  if (p.spec?.channels?.length) row('Channels', p.spec.channels.join(', '));
  if (p.errors?.length) row('Errors', p.errors.join('; '));
  const args = p.spec?.args ?? [];
  const kwargs = p.spec?.kwargs ?? {};
  if (args.length || Object.keys(kwargs).length) {
    md.appendMarkdown('\n**Arguments**\n');
    md.appendCodeblock(truncate(stringifyJson(Object.keys(kwargs).length ? { args, kwargs } : args, 2), 800, '\n'), 'json');
  }
  return md;
}

function fmt(time: string): string | undefined {
  const d = parseTime(time);
  return d ? d.toLocaleString() : undefined;
}

