// Process state → what the tree shows (label, icon, colour, contextValue). No `vscode` import.
import { ProcessState, type Process } from '../colonies/types';
import { relativeTime, shortId } from '../base/format';
import { parseTime } from '../colonies/time';

export const STATE_ORDER: readonly ProcessState[] = [
  ProcessState.WAITING,
  ProcessState.RUNNING,
  ProcessState.SUCCESS,
  ProcessState.FAILED,
  ProcessState.CANCELLED,
];

export interface StatePresentation {
  /** Group label. */
  label: string;
  /** The word used in contextValue and ids. */
  key: 'waiting' | 'running' | 'success' | 'failed' | 'cancelled';
  /** ThemeIcon id for process rows. */
  icon: string;
  /** ThemeIcon id for the group row. */
  groupIcon: string;
  /** ThemeColor id, or undefined for the default foreground. */
  color?: string;
}

const PRESENTATION: Record<ProcessState, StatePresentation> = {
  [ProcessState.WAITING]: { label: 'Waiting', key: 'waiting', icon: 'clock', groupIcon: 'clock', color: 'charts.yellow' },
  [ProcessState.RUNNING]: { label: 'Running', key: 'running', icon: 'sync~spin', groupIcon: 'play-circle', color: 'charts.blue' },
  [ProcessState.SUCCESS]: { label: 'Successful', key: 'success', icon: 'pass', groupIcon: 'pass', color: 'testing.iconPassed' },
  [ProcessState.FAILED]: { label: 'Failed', key: 'failed', icon: 'error', groupIcon: 'error', color: 'testing.iconFailed' },
  [ProcessState.CANCELLED]: { label: 'Cancelled', key: 'cancelled', icon: 'circle-slash', groupIcon: 'circle-slash', color: 'disabledForeground' },
};

export function isProcessState(value: unknown): value is ProcessState {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 4;
}

export function presentState(state: ProcessState): StatePresentation {
  return PRESENTATION[state] ?? { label: `Unknown (${String(state)})`, key: 'waiting', icon: 'question', groupIcon: 'question' };
}

export function stateFromKey(key: string): ProcessState | undefined {
  const found = STATE_ORDER.find((s) => PRESENTATION[s].key === key);
  return found;
}

/** `process;state=<key>[;mine]`: drives the menus in package.json. */
export function processContextValue(process: Process, myId: string | undefined): string {
  const mine = isMine(process, myId) ? ';mine' : '';
  return `process;state=${presentState(process.state).key}${mine}`;
}

export function isMine(process: Process, myId: string | undefined): boolean {
  return !!myId && process.initiatorid === myId;
}

/** Channel parties are the submitter and the current assignee (docs/protocol.md §6). */
export function canUseChannels(process: Process, myId: string | undefined): boolean {
  return !!myId && (process.initiatorid === myId || (process.assignedexecutorid !== '' && process.assignedexecutorid === myId));
}

/** The time that matters for the state: submitted for waiting, started for running, ended otherwise. */
export function relevantTime(process: Process): Date | undefined {
  switch (process.state) {
    case ProcessState.WAITING:
      return parseTime(process.submissiontime);
    case ProcessState.RUNNING:
      return parseTime(process.starttime) ?? parseTime(process.submissiontime);
    default:
      return parseTime(process.endtime) ?? parseTime(process.starttime) ?? parseTime(process.submissiontime);
  }
}

export function processLabel(process: Process): string {
  return process.spec?.funcname || '(no funcname)';
}

/** "1a2b3c4d · echo · 5 s ago" */
export function processDescription(process: Process, nowMs: number): string {
  const parts = [shortId(process.processid, 8), process.spec?.conditions?.executortype ?? '', relativeTime(relevantTime(process)?.getTime() ?? NaN, nowMs)];
  return parts.filter((p) => p).join(' · ');
}

export function isWorkflowMember(process: Process): boolean {
  return !!process.processgraphid || (process.parents?.length ?? 0) > 0 || (process.children?.length ?? 0) > 0;
}
