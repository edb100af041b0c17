// Log polling state: bigint-safe `since` cursor and line formatting. No `vscode` import.
import type { Log } from '../colonies/types';

/** The server caps a log read at 500 (protocol §4.7). */
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
 * value makes the server send the same lines again (P11).
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
