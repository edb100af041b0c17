// The element types of the process tree. Plain data so commands can accept them as arguments.
import type { ProcessState } from '../colonies/types';

export type TreeNode =
  | { kind: 'colony' }
  | { kind: 'group'; state: ProcessState }
  | { kind: 'process'; processId: string; state: ProcessState }
  | { kind: 'channel'; processId: string; channel: string }
  | { kind: 'logs'; processId: string }
  | { kind: 'details'; processId: string }
  | { kind: 'workflow'; processId: string }
  | { kind: 'relative'; processId: string; relation: 'parent' | 'child'; relativeId: string }
  | { kind: 'more'; state: ProcessState }
  | { kind: 'empty'; state: ProcessState }
  | MessageNode;

export interface MessageNode {
  kind: 'message';
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  iconColor?: string;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  /** What a screen reader says for the row when the label alone is short (error rows). */
  accessibilityLabel?: string;
}

/** Accepts what commands receive: a tree node, a process id, or an object with `processId` / `processid`. */
export function processIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg.trim()) return arg.trim();
  if (arg && typeof arg === 'object') {
    const o = arg as { processId?: unknown; processid?: unknown };
    if (typeof o.processId === 'string') return o.processId;
    if (typeof o.processid === 'string') return o.processid;
  }
  return undefined;
}
