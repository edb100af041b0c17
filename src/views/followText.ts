// What a follow terminal writes (views/logFollower.ts, views/followTerminal.ts): executor text made safe for a
// terminal, member prefixes in stable colours, and the closing summary. No `vscode` import.
import { shortId } from '../base/format';
import { ProcessState, type Log, type Process } from '../colonies/types';
import { presentState } from './stateMapping';

/**
 * How a follow ends; the terminal exits with this status. 0: every process succeeded. 1: one failed. 2: one was
 * cancelled, removed or may no longer be read. 3: the server could not be reached.
 */
export const FollowExit = { Success: 0, Failed: 1, Cancelled: 2, Unreachable: 3 } as const;
export type FollowExitCode = (typeof FollowExit)[keyof typeof FollowExit];

/**
 * Executor text without control characters except tab: C0, DEL and C1 (which includes the 8-bit CSI), so a log
 * line cannot move the cursor, recolour or rewrite the terminal, set its title or reach the clipboard.
 */
export function stripControl(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, '');
}

/** One line cut to `max` characters, saying how many were left out. */
export function capLine(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)} … (${(text.length - max).toLocaleString('en-US')} more characters)` : text;
}

/** A log message as terminal lines: split at line breaks (a trailing one is not a line), cleaned, capped. */
export function messageLines(message: string, maxLineChars: number, maxLines = 100): string[] {
  const parts = message.replace(/\r?\n$/, '').split(/\r\n|\n|\r/);
  const lines = parts.slice(0, maxLines).map((p) => capLine(stripControl(p), maxLineChars));
  if (parts.length > maxLines) lines.push(`… (${(parts.length - maxLines).toLocaleString('en-US')} more lines in this message)`);
  return lines;
}

const COLOURS = [36, 35, 33, 32, 34, 96, 95, 93, 92, 94];
const ESC = '\u001b[';

/** A colour per label that does not change from run to run (the same node is the same colour). */
export function labelColour(label: string): number {
  let h = 0;
  for (let i = 0; i < label.length; i++) h = (h * 31 + label.charCodeAt(i)) >>> 0;
  return COLOURS[h % COLOURS.length];
}

export function colour(code: number, text: string): string {
  return `${ESC}${code}m${text}${ESC}0m`;
}

export function dim(text: string): string {
  return `${ESC}2m${text}${ESC}0m`;
}

/** "12:34:56.789" in UTC, from a log's nanosecond timestamp. */
export function logTime(timestampNs: bigint): string {
  const ms = Number(timestampNs / 1_000_000n);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString().slice(11, 23) : '--:--:--.---';
}

/** A member's prefix, padded to the widest label so the text lines up; empty when there is only one process. */
export function prefix(label: string, width: number): string {
  if (!label) return '';
  const clean = stripControl(label).slice(0, 40);
  return `${colour(labelColour(clean), clean.padEnd(Math.min(width, 40)))} │ `;
}

/** A terminal writes lines with CRLF. */
export function crlf(lines: readonly string[]): string {
  return lines.map((l) => `${l}\r\n`).join('');
}

const MAX_VALUES_SHOWN = 20;

/** Output or errors of a finished process, as text lines (each value on its own line, cleaned and capped). */
export function valueLines(values: readonly unknown[] | null | undefined, maxLineChars: number): string[] {
  const list = Array.isArray(values) ? values : [];
  const lines = list.slice(0, MAX_VALUES_SHOWN).flatMap((v) => messageLines(typeof v === 'string' ? v : JSON.stringify(v) ?? String(v), maxLineChars, 20));
  if (list.length > MAX_VALUES_SHOWN) lines.push(`… (${list.length - MAX_VALUES_SHOWN} more)`);
  return lines;
}

const STATE_COLOUR: Record<number, number> = {
  [ProcessState.WAITING]: 33,
  [ProcessState.RUNNING]: 34,
  [ProcessState.SUCCESS]: 32,
  [ProcessState.FAILED]: 31,
  [ProcessState.CANCELLED]: 90,
};

export function stateWord(state: ProcessState): string {
  return colour(STATE_COLOUR[state] ?? 0, presentState(state).label.toLowerCase());
}

/** What a finished member's closing lines say: its state, then its output or its errors. */
export function endLines(p: Process | undefined, gone: string | undefined, maxLineChars: number): string[] {
  if (!p || gone) return [`${colour(90, 'gone')}: ${capLine(stripControl(gone ?? 'the process could not be read'), maxLineChars)}`];
  const head = `${stateWord(p.state)} ${dim(shortId(p.processid))}`;
  if (p.state === ProcessState.SUCCESS) {
    const out = valueLines(p.out, maxLineChars);
    return out.length ? [`${head}, output:`, ...out.map((l) => `  ${l}`)] : [`${head}, no output`];
  }
  const errors = valueLines(p.errors, maxLineChars);
  return errors.length ? [`${head}, errors:`, ...errors.map((l) => `  ${colour(31, l)}`)] : [head];
}

/** The last line: the exit status and what it means. */
export function exitLine(code: FollowExitCode, reason?: string): string {
  const what = ['every process succeeded', 'a process failed', 'a process was cancelled or removed', 'the server could not be reached'][code];
  const extra = reason ? `: ${capLine(stripControl(reason), 300)}` : '';
  return dim(`[exit ${code}: ${what}${extra}]`);
}

/** Search results as quick pick rows, newest first (the server promises no order); executor text only as text. */
export function searchItems(logs: readonly Log[]): { log: Log; label: string; description: string; detail: string }[] {
  return [...logs]
    .sort((a, b) => (a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : 0))
    .map((log) => ({
      log,
      label: capLine(stripControl(log.message.replace(/\s+/g, ' ')).trim(), 200) || '(empty line)',
      description: `${stripControl(log.executorname).slice(0, 60)} · ${log.processid ? shortId(log.processid, 8) : 'executor log'}`,
      detail: `${new Date(Number(log.timestamp / 1_000_000n)).toISOString().slice(0, 10)} ${logTime(log.timestamp)} UTC`,
    }));
}
