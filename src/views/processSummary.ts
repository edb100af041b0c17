// A process's details as a person reads them: state, times, who ran it, output, errors, channels, workflow
// relatives; the raw JSON is one command away (Show Raw JSON). Plain text, every server string bounded and
// stripped of control characters. No `vscode` import.
import { formatDuration, relativeTime, shortId } from '../base/format';
import { stringifyJson } from '../colonies/json';
import { truncate } from '../colonies/text';
import { parseTime } from '../colonies/time';
import { PROCESS_STATE_NAMES, ProcessState, type Process } from '../colonies/types';

export interface SummaryContext {
  now: number;
  /** The assigned executor's name, when the colony catalog knows it. */
  executorName?: string;
  /** The reader's own id (to say "you" for the initiator). */
  myId?: string;
}

const MAX_VALUES = 20;
const MAX_VALUE_CHARS = 2000;
const LABEL_WIDTH = 14;

/** One line of server text: control characters out (a log line must not rewrite the document), length capped. */
function clean(v: unknown, max = 300): string {
  const s = typeof v === 'string' ? v : v === undefined || v === null ? '' : stringifyJson(v);
  return truncate(s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '').replace(/\r?\n/g, ' ⏎ '), max, '');
}

function when(time: string, now: number): string | undefined {
  const d = parseTime(time);
  return d ? `${d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z')} (${relativeTime(d.getTime(), now)})` : undefined;
}

function span(from: string, to: string | number): string | undefined {
  const a = parseTime(from)?.getTime();
  const b = typeof to === 'number' ? to : parseTime(to)?.getTime();
  return a !== undefined && b !== undefined && b >= a ? formatDuration((b - a) / 1000) : undefined;
}

function values(list: readonly unknown[] | null | undefined, max = MAX_VALUE_CHARS): string[] {
  const items = Array.isArray(list) ? list : [];
  const lines = items.slice(0, MAX_VALUES).map((v) => `  - ${clean(v, max)}`);
  if (items.length > MAX_VALUES) lines.push(`  … and ${items.length - MAX_VALUES} more (Show Raw JSON for all)`);
  return lines.length ? lines : ['  (none)'];
}

export function processSummary(p: Process, ctx: SummaryContext): string {
  const out: string[] = [];
  const row = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== '') out.push(`${label.padEnd(LABEL_WIDTH)} ${value}`);
  };
  const state = PROCESS_STATE_NAMES[p.state] ?? `state ${String(p.state)}`;
  const spec = p.spec ?? ({} as Process['spec']);
  const cond = spec.conditions ?? ({} as Process['spec']['conditions']);
  out.push(`${clean(spec.funcname || 'process', 120)} · ${state}`);
  out.push(`Process ${p.processid}`, '');

  row('State', `${state}${Number(p.retries) > 0 ? ` (retried ${p.retries} of ${spec.maxretries ?? '?'} times)` : ''}`);
  row('Function', clean(spec.funcname, 200));
  row('Executor type', clean(cond.executortype, 200));
  if (p.assignedexecutorid) row('Executor', ctx.executorName ? `${clean(ctx.executorName, 120)} (${shortId(p.assignedexecutorid, 12)})` : p.assignedexecutorid);
  const initiator = clean(p.initiatorname, 120) || shortId(p.initiatorid ?? '', 12);
  row('Submitted by', `${initiator}${ctx.myId && p.initiatorid === ctx.myId ? ' (you)' : ''}`);
  row('Submitted', when(p.submissiontime, ctx.now));
  const started = parseTime(p.starttime) !== undefined;
  const ended = parseTime(p.endtime) !== undefined;
  if (p.state === ProcessState.WAITING) row('Waiting for', span(p.submissiontime, ctx.now));
  else if (started) row('Waited', span(p.submissiontime, p.starttime));
  row('Started', started ? when(p.starttime, ctx.now) : undefined);
  if (p.state === ProcessState.RUNNING && started) row('Running for', span(p.starttime, ctx.now));
  if (ended) {
    row('Ended', when(p.endtime, ctx.now));
    if (started) row('Ran', span(p.starttime, p.endtime));
  }
  const limits = [
    Number(spec.maxwaittime) > 0 ? `wait ${formatDuration(Number(spec.maxwaittime))}` : undefined,
    Number(spec.maxexectime) > 0 ? `run ${formatDuration(Number(spec.maxexectime))}` : undefined,
  ].filter(Boolean);
  row('Limits', limits.length ? limits.join(', ') : 'none');
  row('Priority', spec.priority ? String(spec.priority) : undefined);
  row('Location', clean(cond.locationname, 200));
  const names = Array.isArray(cond.executornames) ? cond.executornames.filter((n) => typeof n === 'string' && n) : [];
  if (names.length) row('Executor names', names.slice(0, 10).map((n) => clean(n, 60)).join(', '));

  out.push('', 'Output');
  out.push(...values(p.out));
  if (p.state === ProcessState.FAILED || (Array.isArray(p.errors) && p.errors.length > 0)) {
    out.push('', 'Errors');
    out.push(...values(p.errors));
  }
  out.push('', 'Arguments');
  out.push(...values(spec.args, 500));
  const kwargs = spec.kwargs && typeof spec.kwargs === 'object' ? Object.entries(spec.kwargs) : [];
  if (kwargs.length) {
    out.push('', 'Keyword arguments');
    out.push(...kwargs.slice(0, MAX_VALUES).map(([k, v]) => `  ${clean(k, 80)}: ${clean(v, 500)}`));
    if (kwargs.length > MAX_VALUES) out.push(`  … and ${kwargs.length - MAX_VALUES} more`);
  }
  const channels = Array.isArray(spec.channels) ? spec.channels : [];
  out.push('', 'Channels', channels.length ? `  ${channels.slice(0, 20).map((c) => clean(c, 80)).join(', ')}  (open them from the process in the Processes view)` : '  (none)');

  if (p.processgraphid) {
    out.push('', 'Workflow');
    out.push(`  Graph       ${p.processgraphid}`);
    out.push(`  Node        ${clean(spec.nodename, 120) || '(unnamed)'}`);
    const rel = (ids: string[] | null) => (Array.isArray(ids) && ids.length ? ids.slice(0, 20).map((id) => shortId(id, 12)).join(', ') : '(none)');
    out.push(`  Parents     ${rel(p.parents)}`, `  Children    ${rel(p.children)}`);
  }
  out.push('', 'Logs: "Show Logs" on the process, or "Follow Logs" to stream them in a terminal.');
  out.push('Everything the server sent: "ColonyOS: Show Raw JSON" (the {} button in this editor\'s title bar).');
  return `${out.join('\n')}\n`;
}
