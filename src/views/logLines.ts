// Log polling state: bigint-safe `since` cursor and line formatting. No `vscode` import.
import { truncate } from '../colonies/text';
import type { Log } from '../colonies/types';
import { countOf } from '../base/format';

/** The server caps a log read at 500 (docs/protocol.md §4.7). */
export const LOG_PAGE = 500;

export function formatLogLine(log: Log): string {
  const ms = Number(log.timestamp / 1_000_000n);
  const when = Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : '?';
  const who = log.executorname ? ` [${log.executorname}]` : '';
  return `${when}${who} ${log.message.replace(/\r?\n$/, '')}`;
}

export interface LogsClient {
  getLogs(colonyName: string, processId: string, count: number, prvkey: string, query?: { since?: bigint }, opts?: { signal?: AbortSignal }): Promise<Log[]>;
}

/**
 * Collects the log of one process. `since` is the newest timestamp seen: an exact int64, since a rounded
 * value makes the server send the same lines again (docs/protocol.md P11).
 */
export class LogCursor {
  private since = 0n;
  readonly lines: string[] = [];

  get lastTimestamp(): bigint {
    return this.since;
  }

  /** Reads every line newer than the cursor; returns how many were added. */
  async pull(client: LogsClient, colonyName: string, processId: string, prvkey: string, signal?: AbortSignal): Promise<number> {
    let added = 0;
    for (let page = 0; page < 20; page++) {
      const logs = await client.getLogs(colonyName, processId, LOG_PAGE, prvkey, this.since > 0n ? { since: this.since } : {}, { signal });
      const fresh = logs.filter((l) => l.timestamp > this.since);
      for (const l of fresh) this.lines.push(formatLogLine(l));
      for (const l of fresh) if (l.timestamp > this.since) this.since = l.timestamp;
      added += fresh.length;
      if (logs.length < LOG_PAGE || fresh.length === 0) break;
    }
    return added;
  }
}

/**
 * A log document keeps its newest lines within these caps (a process can log without end, and every line is the
 * executor's text); older lines are dropped, with a note at the top saying how many.
 */
export const LOG_DOC_LIMITS = { maxLines: 20_000, maxChars: 8 * 1024 * 1024, maxLineChars: 8 * 1024 };

export interface LogBuffer {
  lines: string[];
  /** Characters in `lines`. */
  chars: number;
  /** Lines dropped from the front so far. */
  dropped: number;
  /** lines[0..checked) were already cut to maxLineChars. */
  checked: number;
}

/** Cuts the lines added since the last call, then drops the oldest lines beyond the caps. */
export function capLogLines(buf: LogBuffer, limits = LOG_DOC_LIMITS): void {
  const { lines } = buf;
  for (let i = buf.checked; i < lines.length; i++) {
    const line = lines[i];
    if (line.length > limits.maxLineChars) {
      lines[i] = truncate(line, limits.maxLineChars);
    }
    buf.chars += lines[i].length + 1;
  }
  let cut = 0;
  let chars = buf.chars;
  while (lines.length - cut > limits.maxLines || (chars > limits.maxChars && cut < lines.length)) {
    chars -= lines[cut].length + 1;
    cut++;
  }
  if (cut > 0) lines.splice(0, cut);
  buf.chars = chars;
  buf.dropped += cut;
  buf.checked = lines.length;
}

/** The note at the top of a log document that lost its oldest lines. */
export function droppedLinesNote(dropped: number, limits = LOG_DOC_LIMITS): string {
  const what = `${countOf(dropped, 'older line', 'older lines', (n) => n.toLocaleString('en-US'))} ${dropped === 1 ? 'was' : 'were'}`;
  return `--- ${what} dropped: a log document keeps the newest ${limits.maxLines.toLocaleString('en-US')} lines within ${Math.round(limits.maxChars / (1024 * 1024))} MiB ---\n`;
}
