// The message rows of the Processes view: errors with their details, actions that run a command, and their labels.
import type { MessageNode } from './treeNodes';

/** The first sentence of an error message, short enough for a row label. */
export function firstSentence(text: string): string {
  const m = /^(.{10,120}?[.:])\s/.exec(text);
  return m ? m[1].replace(/[.:]$/, '') : text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

export function messageNode(n: Omit<MessageNode, 'kind'>): MessageNode {
  return { kind: 'message', ...n };
}

export function errorNode(id: string, label: string, tooltip: string, icon: string): MessageNode {
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

export function actionNode(id: string, label: string, command: string, icon: string): MessageNode {
  return messageNode({ id, label, icon, command: { command, title: label } });
}
