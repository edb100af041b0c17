// Wording for submit results and server refusals. Pure, so the messages are unit-tested.
import type { Executor } from '../colonies/types';
import { countOf } from '../base/format';
import { whyNotRunnable } from '../store/whyWaiting';
import { formatIssue, type SpecIssue } from './issues';

/** What to do about a server error on submit, keyed by the server's own words (docs/protocol.md §4.5, §4.8). */
export function submitErrorHint(serverMessage: string): string | undefined {
  const m = serverMessage.toLowerCase();
  if (m.includes('priority outside range')) return 'Set "priority" to a whole number between -50000 and 50000.';
  if (m.includes('invalid dependencies')) {
    return 'Every entry of "conditions.dependencies" must be the "nodename" of another spec in the same workflow.';
  }
  if (m.includes('duplicate nodename')) return 'Give each spec of the workflow its own "nodename".';
  if (m.includes('nodename is missing')) return 'Every spec of a workflow needs a "nodename".';
  if (m.includes('cannot unmarshal') || m.includes('failed to parse')) {
    return 'The server could not read a field: check the types in the spec (numbers must be whole numbers, "env" values strings).';
  }
  return undefined;
}

/** Server error text with the hint, naming the file: `chat.colonyos.json was not submitted: <server words>. <hint>` */
export function submitFailureText(fileLabel: string, serverMessage: string): string {
  const hint = submitErrorHint(serverMessage);
  return `${fileLabel} was not submitted. The ColonyOS server said: "${serverMessage}".${hint ? ` ${hint}` : ''}`;
}

/** The notification for a refused document: which file, where, what to fix; says nothing was sent. */
export function validationFailureText(fileLabel: string, issues: readonly SpecIssue[]): string {
  const errors = issues.filter((i) => i.severity === 'error');
  const first = errors[0] ?? issues[0];
  const count = countOf(errors.length, 'problem');
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more in the Problems view)` : '';
  return `Nothing was sent: ${fileLabel} has ${count}. ${formatIssue(fileLabel, first)}${more}`;
}

/**
 * A warning when nothing in the colony could run the spec (src/store/whyWaiting.ts whyNotRunnable: no executor of the
 * type, wrong names, none approved, a location none is in, a resource ceiling): the server accepts the process and
 * it simply waits, which looks like a hang otherwise.
 */
export function missingExecutorText(conditions: unknown, executors: readonly Executor[], maxwaittime: number, now = Date.now()): string | undefined {
  const r = whyNotRunnable(conditions, { executors, functions: [], running: {}, fetchedAt: now }, now);
  if (!r) return undefined;
  const wait = maxwaittime > 0 ? `for up to ${maxwaittime} s (maxwaittime), then fails` : 'until then (no maxwaittime)';
  return `${r.sentence} The process waits ${wait}.`;
}
