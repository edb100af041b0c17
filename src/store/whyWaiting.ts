// "Why is it waiting?": compares a waiting process's conditions with the colony catalog the way a ColonyOS v1.9.12
// server assigns work, and names the first thing that blocks it in one sentence with the fix. No `vscode` import.
//
// What the server checks when an executor asks for work (docs/protocol.md §4.6 and README "Why is it waiting?"):
// the caller must be an approved executor; the process's executortype equals the executor's (case-sensitive);
// executornames is empty or names the executor; locationname is empty or equals the executor's, ignoring case;
// cpu and mem are at most what the executor offers in that very request (availablecpu / availablemem, unlimited
// when it sends none), never its registered hardware; nodes, processes and processespernode are at most 127.
// It ignores gpu, walltime, requirefuncreg and whether any executor registered the funcname. An executor that has
// not asked for work for the stale limit (10 min by default) is marked unregistered by the server's cleanup.
import { spanText } from '../base/format';
import { parseTime } from '../colonies/time';
import { ExecutorState, ProcessState, type Executor, type Process } from '../colonies/types';
import type { CatalogSnapshot } from './colonyCatalog';

/** The server's default COLONIES_STALE_EXECUTOR_DURATION (600 s). */
export const DEFAULT_STALE_LIMIT_MS = 600_000;
/** nodes, processes and processespernode above this are never assigned (the server compares with math.MaxInt8). */
export const RESOURCE_CEILING = 127;
/** The longest sentence we show; names and ids in it are capped too. */
export const MAX_SENTENCE = 320;
const MAX_NAME = 40;
const MAX_LISTED = 3;

export type WaitCode =
  | 'not-waiting'
  | 'parents'
  | 'no-type'
  | 'names-missing'
  | 'names-other-type'
  | 'not-approved'
  | 'location'
  | 'ceiling'
  | 'never-polled'
  | 'stale'
  | 'busy'
  | 'ready';

/** What the user can do about it; the vscode layer maps these to actions. */
export type WaitFix = 'start-executor' | 'approve' | 'edit-conditions' | 'restart-executor' | 'wait' | 'none';

export interface WaitReason {
  readonly code: WaitCode;
  /** One sentence, at most MAX_SENTENCE characters, names and ids capped and stripped of control characters. */
  readonly sentence: string;
  readonly fix: WaitFix;
  /** True when nothing in the colony as last seen can run it until something changes. */
  readonly blocking: boolean;
  /** maxwaittime: `expired` once the wait deadline has passed, `soon` when little of it is left. */
  readonly deadline?: 'soon' | 'expired';
  /** The executor names the sentence is about (uncapped list, capped names). */
  readonly executors: readonly string[];
}

export interface WaitOptions {
  /** The server's stale limit; DEFAULT_STALE_LIMIT_MS unless the server is known to use another. */
  staleLimitMs?: number;
}

/** The process fields the explanation reads. */
export type WaitingProcess = Pick<Process, 'processid' | 'state' | 'submissiontime' | 'waitdeadline' | 'waitforparents' | 'parents'> & {
  spec: Pick<Process['spec'], 'maxwaittime'> & { conditions: unknown };
};

/** Why a waiting process has not been assigned, as far as the snapshot tells. */
export function whyWaiting(p: WaitingProcess, snapshot: CatalogSnapshot, now: number, opts: WaitOptions = {}): WaitReason {
  if (p.state !== ProcessState.WAITING) return reason('not-waiting', 'It is not waiting.', 'none', false);
  if (p.waitforparents) {
    const ids = (p.parents ?? []).map((id) => clean(id).slice(0, 8));
    return reason('parents', `It waits for its parent processes (${list(ids)}) to finish successfully, as workflows do.`, 'wait', false);
  }
  const base = assess(p.spec?.conditions, snapshot, now, opts, p.processid);
  return withDeadline(base, p, now);
}

/**
 * For a spec before submit: the reason when the snapshot says nothing could run it (no executor of the type, wrong
 * names, none approved, wrong location, a resource ceiling), else undefined. Busy or silent executors are not hints.
 */
export function whyNotRunnable(conditions: unknown, snapshot: CatalogSnapshot, now: number): WaitReason | undefined {
  const r = assess(conditions, snapshot, now, {}, undefined);
  return HARD.has(r.code) ? r : undefined;
}

const HARD = new Set<WaitCode>(['no-type', 'names-missing', 'names-other-type', 'not-approved', 'location', 'ceiling']);

/** The conditions as the comparison reads them, whatever a spec file or server sent (wrong types read as unset). */
interface Wanted {
  executortype: string;
  names: string[];
  locationname: string;
  cpu: string;
  mem: string;
  nodes: number;
  processes: number;
  processespernode: number;
  gpu: { name: string; count: number };
}

function wanted(raw: unknown): Wanted {
  const c = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const gpu = (c.gpu && typeof c.gpu === 'object' ? c.gpu : {}) as Record<string, unknown>;
  const names = Array.isArray(c.executornames) ? c.executornames.filter((x): x is string => typeof x === 'string' && x !== '') : [];
  return {
    executortype: str(c.executortype),
    // `["*"]` reads back as empty (any executor).
    names: names.length === 1 && names[0] === '*' ? [] : names,
    locationname: str(c.locationname),
    cpu: str(c.cpu),
    mem: str(c.mem),
    nodes: num(c.nodes),
    processes: num(c.processes),
    processespernode: num(c.processespernode),
    gpu: { name: str(gpu.name), count: num(gpu.count) },
  };
}

function assess(raw: unknown, snapshot: CatalogSnapshot, now: number, opts: WaitOptions, selfId: string | undefined): WaitReason {
  const c = wanted(raw);
  const type = c.executortype;
  const all = snapshot.executors;
  const ofType = all.filter((e) => e.executortype === type);
  const names = c.names;
  const t = `type "${clean(type)}"`;
  if (ofType.length === 0) {
    const named = all.filter((e) => names.includes(e.executorname));
    if (named.length > 0) {
      const e = named[0];
      return reason('names-other-type', `No executor has ${t}, and ${quote(e.executorname)} named in executornames is of type "${clean(e.executortype)}"; fix conditions.executortype or executornames.`, 'edit-conditions', true, named);
    }
    const similar = all.find((e) => e.executortype.toLowerCase() === type.toLowerCase());
    const hint = similar ? ` (types are case-sensitive: did you mean "${clean(similar.executortype)}"?)` : '';
    return reason('no-type', `No executor of ${t} is registered in the colony${hint}; start one of that type or fix conditions.executortype.`, similar ? 'edit-conditions' : 'start-executor', true);
  }

  let cands = ofType;
  if (names.length > 0) {
    cands = ofType.filter((e) => names.includes(e.executorname));
    if (cands.length === 0) {
      const otherType = all.filter((e) => names.includes(e.executorname));
      if (otherType.length > 0) {
        const e = otherType[0];
        return reason('names-other-type', `Executor ${quote(e.executorname)} named in executornames is of type "${clean(e.executortype)}", not "${clean(type)}"; fix conditions.executornames or executortype.`, 'edit-conditions', true, otherType);
      }
      return reason('names-missing', `No executor is named ${list(names.map(quote))} (conditions.executornames); executors of ${t}: ${list(ofType.map((e) => quote(e.executorname)))}.`, 'edit-conditions', true);
    }
  }

  const scope = names.length > 0 ? ` among executornames` : '';
  const approved = cands.filter((e) => e.state === ExecutorState.APPROVED);
  if (approved.length === 0) {
    const pending = cands.filter((e) => e.state === ExecutorState.PENDING || e.state === ExecutorState.REJECTED);
    const gone = cands.filter((e) => e.state === ExecutorState.UNREGISTERED);
    const parts: string[] = [];
    if (pending.length) parts.push(`${list(pending.map(stateName))} must be approved by the colony owner`);
    if (gone.length) parts.push(`${list(gone.map((e) => quote(e.executorname)))} must register again`);
    return reason('not-approved', `No executor of ${t}${scope} is approved: ${parts.join(', and ')}.`, pending.length ? 'approve' : 'start-executor', true, [...pending, ...gone]);
  }

  const loc = c.locationname;
  const located = loc ? approved.filter((e) => (e.locationname ?? '').toLowerCase() === loc.toLowerCase()) : approved;
  if (located.length === 0) {
    const where = [...new Set(approved.map((e) => clean(e.locationname ?? '')).filter(Boolean))].map((l) => `"${l}"`);
    const theirs = where.length ? `they are in ${list(where)}` : 'none has a location';
    return reason('location', `No approved executor of ${t}${scope} is in location "${clean(loc)}" (${theirs}); fix conditions.locationname or start one there.`, 'edit-conditions', true, approved);
  }

  for (const field of ['nodes', 'processes', 'processespernode'] as const) {
    const v = c[field];
    if (v > RESOURCE_CEILING) {
      return reason('ceiling', `conditions.${field} is ${v}, above the ${RESOURCE_CEILING} the server ever assigns, so no executor will take it; lower it to ${RESOURCE_CEILING} or less.`, 'edit-conditions', true);
    }
  }

  const staleMs = opts.staleLimitMs ?? DEFAULT_STALE_LIMIT_MS;
  const runsOther = (e: Executor) => (snapshot.running[e.executorid] ?? []).filter((id) => id !== selfId);
  const busy = located.filter((e) => runsOther(e).length > 0);
  const idle = located.filter((e) => runsOther(e).length === 0);
  const heard = (e: Executor) => parseTime(e.lastheardfromtime)?.getTime();
  const fresh = idle.filter((e) => {
    const h = heard(e);
    return h !== undefined && now - h <= staleMs;
  });
  if (fresh.length === 0) {
    if (busy.length > 0) {
      const who = busy.map((e) => `${quote(e.executorname)} runs ${list(runsOther(e).map((id) => clean(id).slice(0, 8)))}`);
      return reason('busy', `Every approved executor of ${t}${scope} is busy (${list(who)}); it starts when one of them asks for work again, or start another executor of that type.`, 'wait', true, busy);
    }
    const never = idle.filter((e) => heard(e) === undefined);
    if (never.length === idle.length) {
      return reason('never-polled', `${list(never.map((e) => quote(e.executorname)))} ${never.length > 1 ? 'are' : 'is'} approved but never asked for work; start ${never.length > 1 ? 'them' : 'it'} (executors poll for work).`, 'start-executor', true, never);
    }
    const last = Math.max(...idle.map((e) => heard(e) ?? 0));
    return reason('stale', `Executors of ${t}${scope} (${list(idle.map((e) => quote(e.executorname)))}) last asked for work ${spanText(now - last)} ago, and the server unregisters executors silent for ${spanText(staleMs)}; restart them.`, 'restart-executor', true, idle);
  }

  const notes: string[] = [];
  const cpu = c.cpu && c.cpu !== '0m' ? c.cpu : '';
  const mem = c.mem && c.mem !== '0Mi' ? c.mem : '';
  if (cpu || mem) notes.push(`unless it asks with less than ${[cpu && `${clean(cpu)} CPU`, mem && `${clean(mem)} memory`].filter(Boolean).join(' or ')} free`);
  if (c.gpu.count > 0 || c.gpu.name) notes.push('the server does not check gpu');
  const note = notes.length ? ` (${notes.join('; ')})` : '';
  return reason('ready', `An executor of ${t} (${list(fresh.map((e) => quote(e.executorname)))}) can take it${note}; it is waiting for one to ask for work (executors poll).`, 'none', false, fresh);
}

/** A waiting deadline within this share of maxwaittime (or 30 s) is "soon". */
const SOON_SHARE = 0.25;
const SOON_MIN_MS = 30_000;

function withDeadline(r: WaitReason, p: WaitingProcess, now: number): WaitReason {
  const maxWait = Number(p.spec.maxwaittime ?? 0);
  if (!(maxWait > 0)) return r;
  const deadline = parseTime(p.waitdeadline)?.getTime() ?? (parseTime(p.submissiontime)?.getTime() ?? NaN) + maxWait * 1000;
  if (!Number.isFinite(deadline)) return r;
  const left = deadline - now;
  const head = r.sentence.replace(/\.$/, '');
  if (left <= 0) {
    return { ...r, deadline: 'expired', sentence: fit(`${head}; its maxwaittime (${spanText(maxWait * 1000)}) has run out, so the server fails it within seconds.`) };
  }
  if (left <= Math.max(SOON_MIN_MS, maxWait * 1000 * SOON_SHARE)) {
    return { ...r, deadline: 'soon', sentence: fit(`${head}; its maxwaittime fails it in ${spanText(left)} unless it is assigned.`) };
  }
  return r;
}

function stateName(e: Executor): string {
  return `${quote(e.executorname)} (${e.state === ExecutorState.REJECTED ? 'rejected' : 'pending'})`;
}

function reason(code: WaitCode, sentence: string, fix: WaitFix, blocking: boolean, executors: readonly Executor[] = []): WaitReason {
  return { code, sentence: fit(sentence), fix, blocking, executors: executors.map((e) => clean(e.executorname)) };
}

/** Server text is hostile: no control characters or line breaks, and bounded. */
function clean(s: string): string {
  const t = String(s ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  return t.length > MAX_NAME ? `${t.slice(0, MAX_NAME)}…` : t;
}

function quote(name: string): string {
  return `"${clean(name)}"`;
}

function list(items: readonly string[]): string {
  if (items.length <= MAX_LISTED) return items.join(', ');
  return `${items.slice(0, MAX_LISTED).join(', ')} and ${items.length - MAX_LISTED} more`;
}

function fit(s: string): string {
  return s.length > MAX_SENTENCE ? `${s.slice(0, MAX_SENTENCE - 1)}…` : s;
}

/** A process of yours waiting this long with nothing able to run it gets one notification. */
export const LONG_WAIT_MS = 60_000;

/**
 * The one notification for a long wait with no matching executor, or undefined: only when the reason blocks for
 * good until someone acts (not while candidates are busy, not for workflow children) and the process has waited
 * at least `minWaitMs`.
 */
export function longWaitText(p: WaitingProcess & { spec: { funcname?: string } }, reason: WaitReason, now: number, minWaitMs = LONG_WAIT_MS): string | undefined {
  if (!reason.blocking || reason.code === 'busy' || reason.code === 'parents') return undefined;
  const submitted = parseTime(p.submissiontime)?.getTime();
  if (submitted === undefined || now - submitted < minWaitMs) return undefined;
  const name = p.spec.funcname ? ` (${clean(p.spec.funcname)})` : '';
  return fit(`Process ${clean(p.processid).slice(0, 12)}${name} has waited ${spanText(now - submitted)}: ${reason.sentence}`);
}
