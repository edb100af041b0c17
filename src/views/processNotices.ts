// Which finished processes deserve a notification, and what it says. No `vscode` import: the decisions are unit-tested,
// processNotifications.ts shows them. A process is followed once it is seen unfinished and is the user's own (they
// submitted it) or watched (opened, revealed, submitted from here); its end is told once.
import { shortId, countOf } from '../base/format';
import { truncate } from '../colonies/text';
import { ProcessState, type Process } from '../colonies/types';

export type NoticeSetting = 'all' | 'failures' | 'off';

export function noticeSetting(v: unknown): NoticeSetting {
  return v === 'failures' || v === 'off' ? v : 'all';
}

export interface ProcessNotice {
  readonly severity: 'info' | 'warning';
  readonly message: string;
  readonly processId: string;
  /** Channels the process has (an Open Transcript action per first channel). */
  readonly channel?: string;
}

/** How many followed processes are remembered per connection (the oldest are dropped beyond it). */
export const MAX_FOLLOWED = 1000;

const FINISHED = new Set([ProcessState.SUCCESS, ProcessState.FAILED, ProcessState.CANCELLED]);

function name(p: Process): string {
  const fn = truncate(p.spec?.funcname || 'process', 60, '');
  return `${fn} (${shortId(p.processid, 8)})`;
}

export class ProcessNotices {
  /** Per connection key: followed process ids, in the order they were first seen. */
  private readonly followed = new Map<string, Set<string>>();

  /**
   * Takes one snapshot from the store. Returns the notice to show when a followed process just finished (and the
   * setting wants it); starts following `p` when it is unfinished and `interesting`.
   */
  observe(key: string, p: Process, interesting: boolean, setting: NoticeSetting): ProcessNotice | undefined {
    let set = this.followed.get(key);
    if (!FINISHED.has(p.state)) {
      if (!interesting) return undefined;
      if (!set) this.followed.set(key, (set = new Set()));
      if (!set.has(p.processid)) {
        set.add(p.processid);
        if (set.size > MAX_FOLLOWED) set.delete(set.values().next().value as string);
      }
      return undefined;
    }
    if (!set?.delete(p.processid)) return undefined;
    return noticeFor(p, setting);
  }

  /** Stops following a process (removed) or a whole connection (gone). */
  forget(key: string, processId?: string): void {
    if (processId === undefined) this.followed.delete(key);
    else this.followed.get(key)?.delete(processId);
  }

  isFollowing(key: string, processId: string): boolean {
    return this.followed.get(key)?.has(processId) ?? false;
  }
}

export function noticeFor(p: Process, setting: NoticeSetting): ProcessNotice | undefined {
  if (setting === 'off') return undefined;
  const channel = p.spec?.channels?.[0];
  if (p.state === ProcessState.FAILED) {
    const errors = Array.isArray(p.errors) ? p.errors.filter((e) => typeof e === 'string' && e.trim()) : [];
    const first = errors.length ? `: ${truncate(errors[0].replace(/\s+/g, ' ').trim(), 200, '')}` : '';
    const more = errors.length > 1 ? ` (and ${countOf(errors.length - 1, 'more error')})` : '';
    return { severity: 'warning', message: `${name(p)} failed${first}${more}`, processId: p.processid, channel };
  }
  if (setting === 'failures') return undefined;
  if (p.state === ProcessState.SUCCESS) {
    const out = Array.isArray(p.out) && p.out.length > 0 ? ` with ${countOf(p.out.length, 'output value')}` : '';
    return { severity: 'info', message: `${name(p)} finished successfully${out}.`, processId: p.processid, channel };
  }
  return { severity: 'info', message: `${name(p)} was cancelled.`, processId: p.processid, channel };
}
