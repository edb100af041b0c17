// The status strip and the composer of one channel panel, derived from what the controller knows (channelController.ts):
// pure functions, so each state's text is in one place.
import { countOf, shortId } from '../base/format';
import type { StreamStatus } from '../colonies/stream';
import { PROCESS_STATE_NAMES, ProcessState, type Process } from '../colonies/types';
import { formatBytes, formatCount } from './entryLimits';
import type { ComposerView, StatusView } from './protocol';
import type { ChannelLimits, TranscriptMeta } from './transcriptLimits';
import { isTerminal } from '../colonies/client';

export interface PanelState {
  /** Why the process is gone from the server, if it is. */
  gone: string | undefined;
  /** The process reached a final state (read, or said by the stream). */
  finished: boolean;
  process: Process | undefined;
  /** The final state stored with the transcript, for a finished process not read in this session. */
  finalState: string | undefined;
  offlineReason: string | undefined;
  streamStatus: StreamStatus;
  myId: string;
  /** Why a waiting process waits (src/store/whyWaiting.ts), when the colony catalog says. */
  waitReason?: string;
}

function finalStateName(s: PanelState): string {
  const state = s.process ? PROCESS_STATE_NAMES[s.process.state] : (s.finalState ?? 'closed');
  return state ?? 'closed';
}

export function statusView(s: PanelState): StatusView {
  if (s.gone) return { kind: 'error', message: s.gone };
  if (s.finished) return { kind: 'finished', state: finalStateName(s) };
  if (s.offlineReason !== undefined) return { kind: 'offline', reason: s.offlineReason };
  const st = s.streamStatus;
  switch (st.kind) {
    case 'error':
      return { kind: 'error', message: st.message };
    case 'reconnecting':
      return { kind: 'reconnecting', attempt: st.attempt, reason: st.reason };
    case 'connecting':
      return { kind: 'connecting' };
    default:
      if (s.process?.state !== ProcessState.WAITING) return { kind: 'live' };
      return s.waitReason ? { kind: 'waiting', why: s.waitReason } : { kind: 'waiting' };
  }
}

/** What the composer says about ending: typing "end" is read as sending the word, which only echoes it back. */
export const END_HINT = 'End Conversation sends an "end" message: the executor reads it as the end of the chat. Typing "end" sends just the word.';

export function composerView(s: PanelState): ComposerView {
  if (s.gone) return { enabled: false, reason: s.gone };
  if (s.finished) {
    return {
      enabled: false,
      reason: `The process has finished (${finalStateName(s)}). The server deletes channels when a process closes; this transcript is kept locally.`,
    };
  }
  if (s.offlineReason !== undefined) return { enabled: false, reason: s.offlineReason };
  const p = s.process;
  const myId = s.myId;
  if (p && myId && myId !== p.initiatorid && myId !== p.assignedexecutorid) {
    return {
      enabled: false,
      reason: `Only the process's submitter and its assigned executor can use this channel; your key's id is ${shortId(myId)}….`,
    };
  }
  if (s.streamStatus.kind === 'error' && s.streamStatus.fatal) return { enabled: false, reason: s.streamStatus.message };
  if (p?.state === ProcessState.WAITING) {
    return { enabled: true, hint: `Queued for the executor: it will read the channel history when it starts. ${END_HINT}` };
  }
  return { enabled: true, hint: END_HINT };
}

/** The text of the notice at the top of the panel when older entries were dropped. */
export function droppedNotice(count: number, limits: ChannelLimits): string {
  const what = `${countOf(count, 'older message', 'older messages', formatCount)} ${count === 1 ? 'was' : 'were'}`;
  return `${what} dropped from this transcript: a channel keeps its newest ${formatCount(limits.maxEntries)} messages within ${formatBytes(limits.maxBytes)} (settings colonyos.transcripts.maxEntriesPerChannel, maxMBPerChannel and maxTotalMB).`;
}

/** What the panel's stored metadata learns from a read of the process (a field the read lacks keeps its value). */
export function metaFromProcess(meta: TranscriptMeta, p: Process): TranscriptMeta {
  const next: TranscriptMeta = {
    ...meta,
    funcname: p.spec?.funcname || meta.funcname,
    colonyName: p.spec?.conditions?.colonyname || meta.colonyName,
    initiatorId: p.initiatorid || meta.initiatorId,
    executorId: p.assignedexecutorid || meta.executorId,
  };
  if (isTerminal(p.state)) next.finalState = PROCESS_STATE_NAMES[p.state];
  return next;
}
