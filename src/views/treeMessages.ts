// The message rows of the Processes view: errors with their details, actions that run a command, and their labels.
import type { MessageNode } from './treeNodes';

/** About what a row label shows in the default side bar width (300 px) beside the icon and the inline actions. */
export const ROW_LABEL_CHARS = 34;

/**
 * A short label for an error row: its first sentence, cut at a word before `max` characters with "…". The whole
 * message goes in the row's tooltip and its click (errorNode), so nothing is lost where the side bar cuts.
 */
export function firstSentence(text: string, max = ROW_LABEL_CHARS): string {
  const m = /^(.{10,}?[.:])(\s|$)/.exec(text);
  const sentence = (m ? m[1].replace(/[.:]$/, '') : text).trim();
  if (sentence.length <= max) return sentence;
  const cut = sentence.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space >= max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:(]+$/, '')}…`;
}

export function messageNode(n: Omit<MessageNode, 'kind'>): MessageNode {
  return { kind: 'message', ...n };
}

/** An error row: a short label (and description), the full text in the tooltip and in the dialog its click opens. */
export function errorNode(id: string, label: string, tooltip: string, icon: string, description?: string): MessageNode {
  return messageNode({
    id,
    label,
    description,
    tooltip: `${tooltip}\n\nClick for details and what to do.`,
    icon,
    iconColor: 'errorForeground',
    contextValue: 'connectionError',
    command: { command: 'colonyos.showConnectionError', title: 'Show Details', arguments: [tooltip] },
    accessibilityLabel: `${label}${description ? ` ${description}` : ''}: ${tooltip}`,
  });
}

export function actionNode(id: string, label: string, command: string, icon: string): MessageNode {
  return messageNode({ id, label, icon, command: { command, title: label } });
}
