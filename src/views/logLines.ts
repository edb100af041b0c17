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
  getLogs(
    colonyName: string,
    processId: string,
    count: number,
    prvkey: string,
    query?: { since?: bigint; executorName?: string; latest?: boolean },
    opts?: { signal?: AbortSignal },
  ): Promise<Log[]>;
}

/** Whose log to read: one process's, or (with `executorName`) one executor's across its processes. */
export interface LogSource {
  colonyName: string;
  processId: string;
  executorName?: string;
}

/**
 * Reads the lines newer than `since`, at most `maxPages` pages of LOG_PAGE, and returns them with the new cursor.
 * `since` is an exact int64: a rounded value makes the server send the same lines again (docs/protocol.md P11).
 * `more` says the last page was full, so lines may be left for the next call.
 */
export async function readLogsSince(
  client: LogsClient,
  source: LogSource,
  since: bigint,
  prvkey: string,
  opts: { signal?: AbortSignal; maxPages?: number } = {},
): Promise<{ logs: Log[]; since: bigint; more: boolean }> {
  const logs: Log[] = [];
  let more = false;
  for (let page = 0; page < (opts.maxPages ?? 20); page++) {
    const query = { since: since > 0n ? since : undefined, executorName: source.executorName };
    const got = await client.getLogs(source.colonyName, source.processId, LOG_PAGE, prvkey, query, { signal: opts.signal });
    const fresh = got.filter((l) => l.timestamp > since);
    for (const l of fresh) {
      logs.push(l);
      if (l.timestamp > since) since = l.timestamp;
    }
    more = got.length >= LOG_PAGE && fresh.length > 0;
    if (!more) break;
  }
  return { logs, since, more };
}

/** Collects the log of one process, as text lines. */
export class LogCursor {
  private since = 0n;
  readonly lines: string[] = [];

  get lastTimestamp(): bigint {
    return this.since;
  }

  /** Reads every line newer than the cursor; returns how many were added. */
  async pull(client: LogsClient, colonyName: string, processId: string, prvkey: string, signal?: AbortSignal): Promise<number> {
    const read = await readLogsSince(client, { colonyName, processId }, this.since, prvkey, { signal });
    for (const l of read.logs) this.lines.push(formatLogLine(l));
    this.since = read.since;
    return read.logs.length;
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
