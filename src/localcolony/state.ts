// The local colony's in-memory database: records plus the Go-shaped JSON each renders to.
import { ExecutorState, ProcessState } from '../colonies/types';
import type { Colony, ColonyFunction, Executor, Process, User } from '../colonies/types';
import { sha3Hex } from '../colonies/crypto';
import { GO_ZERO_TIME } from '../colonies/time';
import { formatNs } from './clock';
import type { GoStruct } from './gojson';
import { cpuText, memText } from './resources';

/** An executor as stored: optional Go fields always present, nested objects as decoded. */
export interface ExecutorRec extends Omit<Executor, 'locationname' | 'capabilities' | 'allocations' | 'blueprintid' | 'blueprintgen'> {
  locationname: string;
  capabilities: GoStruct;
  allocations: GoStruct;
  blueprintid: string;
  blueprintgen: bigint;
}

type TimeField = 'submissiontime' | 'starttime' | 'endtime' | 'waitdeadline' | 'execdeadline';

/** A process as stored: times as optional ns (unset = Go zero time), the spec as decoded, lists never null. */
export interface ProcessRec extends Omit<Process, TimeField | 'attributes' | 'spec' | 'parents' | 'children'> {
  submissiontime?: bigint;
  starttime?: bigint;
  endtime?: bigint;
  waitdeadline?: bigint;
  execdeadline?: bigint;
  /** ENV attributes derived from spec.env at submit, then those added by the assigned executor. */
  attributes: AttributeRec[];
  spec: GoStruct;
  parents: string[];
  children: string[];
}

/**
 * An attribute as stored. `state` is what the adder sent; the server overwrites every attribute's state with the
 * process's on each later transition, so `undefined` means "follows the process" (see `settleAttributes`).
 */
export interface AttributeRec {
  attributeid: string;
  targetid: string;
  targetcolonyname: string;
  targetprocessgraphid: string;
  state: number | undefined;
  attributetype: number;
  key: string;
  value: string;
}

/** A registered function (addfunctionmsg) with its run statistics, as the server stores it. */
/** A registered function as stored: the client's shape with its optional Go fields always present. */
export interface FunctionRec extends Omit<ColonyFunction, 'description' | 'args' | 'locationname'> {
  description: string;
  /** As sent; `null` when absent (the reply then omits it, like an empty list). */
  args: GoStruct[] | null;
  locationname: string;
}

export interface GraphRec {
  processgraphid: string;
  initiatorid: string;
  initiatorname: string;
  colonyname: string;
  rootprocessids: string[];
  state: ProcessState;
  submissiontime?: bigint;
  starttime?: bigint;
  endtime?: bigint;
  processids: string[];
}

export interface LogRec {
  processid: string;
  colonyname: string;
  executorname: string;
  message: string;
  timestamp: bigint;
}

/** Everything that survives a restart of the local colony (channels do not, as on a real server). */
export class ColonyState {
  serverId = '';
  readonly colonies = new Map<string, Colony>();
  /** key: `${colonyname}\u0000${executorname}` */
  readonly executors = new Map<string, ExecutorRec>();
  /** key: `${colonyname}\u0000${username}` */
  readonly users = new Map<string, User>();
  readonly processes = new Map<string, ProcessRec>();
  readonly graphs = new Map<string, GraphRec>();
  logs: LogRec[] = [];
  readonly paused = new Set<string>();
  /** Registered functions by id, in registration order (the order the server lists them in). */
  readonly functions = new Map<string, FunctionRec>();

  executorByName(colonyName: string, name: string): ExecutorRec | undefined {
    return this.executors.get(`${colonyName}\u0000${name}`);
  }

  /** IDs are meant to be unique; prefer a live record when a re-registered name left an old one behind. */
  executorById(id: string): ExecutorRec | undefined {
    let found: ExecutorRec | undefined;
    for (const e of this.executors.values()) {
      if (e.executorid !== id) continue;
      if (e.state !== ExecutorState.UNREGISTERED) return e;
      found ??= e;
    }
    return found;
  }

  executorsOf(colonyName: string): ExecutorRec[] {
    return [...this.executors.values()].filter((e) => e.colonyname === colonyName);
  }

  userByName(colonyName: string, name: string): User | undefined {
    return this.users.get(`${colonyName}\u0000${name}`);
  }

  userById(colonyName: string, id: string): User | undefined {
    for (const u of this.users.values()) if (u.colonyname === colonyName && u.userid === id) return u;
    return undefined;
  }

  usersOf(colonyName: string): User[] {
    return [...this.users.values()].filter((u) => u.colonyname === colonyName);
  }

  processesOf(colonyName: string): ProcessRec[] {
    return [...this.processes.values()].filter((p) => p.spec.conditions.colonyname === colonyName);
  }

  /** Attributes live with their process, so removing a process removes them (as the server does). */
  attributeById(id: string): { attribute: AttributeRec; process: ProcessRec } | undefined {
    for (const p of this.processes.values()) {
      const attribute = p.attributes.find((a) => a.attributeid === id);
      if (attribute) return { attribute, process: p };
    }
    return undefined;
  }

  /** Registered functions matching every given field, in registration order. */
  functionsWhere(match: Partial<Pick<FunctionRec, 'colonyname' | 'executorname' | 'funcname'>>): FunctionRec[] {
    return [...this.functions.values()].filter(
      (f) =>
        (match.colonyname === undefined || f.colonyname === match.colonyname) &&
        (match.executorname === undefined || f.executorname === match.executorname) &&
        (match.funcname === undefined || f.funcname === match.funcname),
    );
  }

  removeFunctionsWhere(match: Partial<Pick<FunctionRec, 'colonyname' | 'executorname'>>): void {
    for (const f of this.functionsWhere(match)) this.functions.delete(f.functionid);
  }
}

/** The server's attribute id: SHA3-256 of target id + key + type, so one key per type and process. */
export function attributeId(targetId: string, key: string, attributeType: number): string {
  return sha3Hex(`${targetId}${key}${attributeType}`);
}

/** A process transition: the server sets every attribute of the process to the new state. */
export function settleAttributes(p: ProcessRec): void {
  for (const a of p.attributes) a.state = undefined;
}

/**
 * A copy of the process as it is now, for a signal sent after it changes: attribute states frozen at their
 * current values, since the copy does not follow the record.
 */
export function processSnapshot(p: ProcessRec): ProcessRec {
  const copy = structuredClone(p);
  copy.attributes = copy.attributes.map((a) => ({ ...a, state: a.state ?? p.state }));
  return copy;
}

/**
 * A run's statistics, as the server folds them in on a successful close: min/max keep the extreme (a stored 0
 * counts as unset), the averages halve towards the new value (not a true mean), the counter comes from the first
 * matching record and every record with that (colony, executor, funcname) gets the same values.
 */
export function recordFunctionRun(matching: FunctionRec[], waitS: number, execS: number): void {
  const first = matching[0];
  if (!first) return;
  const stats = {
    counter: first.counter + 1,
    minwaittime: first.minwaittime > 0 ? Math.min(first.minwaittime, waitS) : waitS,
    maxwaittime: first.maxwaittime > 0 ? Math.max(first.maxwaittime, waitS) : waitS,
    minexectime: first.minexectime > 0 ? Math.min(first.minexectime, execS) : execS,
    maxexectime: first.maxexectime > 0 ? Math.max(first.maxexectime, execS) : execS,
    avgwaittime: first.avgwaittime > 0 ? (first.avgwaittime + waitS) / 2 : waitS,
    avgexectime: first.avgexectime > 0 ? (first.avgexectime + execS) / 2 : execS,
  };
  for (const f of matching) Object.assign(f, stats);
}

/** Go's Duration.Seconds() for a span in nanoseconds. */
export function durationSeconds(fromNs: bigint | undefined, toNs: bigint | undefined): number {
  const d = (toNs ?? 0n) - (fromNs ?? 0n);
  return Number(d / 1_000_000_000n) + Number(d % 1_000_000_000n) / 1e9;
}

// ---------------------------------------------------------------------------------------------------------
// JSON renderings, in Go struct field order.

export function executorJson(e: ExecutorRec): Record<string, unknown> {
  const out: Record<string, unknown> = {
    executorid: e.executorid,
    executortype: e.executortype,
    executorname: e.executorname,
    colonyname: e.colonyname,
    state: e.state,
    requirefuncreg: e.requirefuncreg,
    commissiontime: e.commissiontime,
    lastheardfromtime: e.lastheardfromtime,
  };
  if (e.locationname) out.locationname = e.locationname;
  out.capabilities = { hardware: e.capabilities.hardware ?? null, software: e.capabilities.software ?? null };
  out.allocations = { projects: e.allocations.projects ?? null };
  if (e.blueprintid) out.blueprintid = e.blueprintid;
  if (e.blueprintgen) out.blueprintgen = e.blueprintgen;
  return out;
}

export function userJson(u: User): User {
  return { colonyname: u.colonyname, userid: u.userid, name: u.name, email: u.email, phone: u.phone };
}

export function colonyJson(c: Colony): Colony {
  return { colonyid: c.colonyid, name: c.name };
}

/**
 * The spec as a DB round trip returns it: resources normalised, `args`/`kwargs`/`env` never null (absent or null
 * at submit reads back as `[]`/`{}`), `channels` omitted when empty.
 */
function specJson(spec: GoStruct, env: Record<string, string>): Record<string, unknown> {
  const c = spec.conditions;
  const names: string[] | null = c.executornames;
  const conditions: Record<string, unknown> = {
    colonyname: c.colonyname,
    executornames: names && names.length === 1 && names[0] === '*' ? [] : names,
    executortype: c.executortype,
  };
  if (c.locationname) conditions.locationname = c.locationname;
  Object.assign(conditions, {
    dependencies: c.dependencies ?? [],
    nodes: c.nodes,
    cpu: cpuText(c.cpu),
    processes: c.processes,
    processespernode: c.processespernode,
    mem: memText(c.mem),
    storage: memText(c.storage),
    gpu: { name: c.gpu.name, mem: memText(c.gpu.mem), count: c.gpu.count, nodecount: 0 },
    walltime: c.walltime,
  });
  const out: Record<string, unknown> = {
    nodename: spec.nodename,
    funcname: spec.funcname,
    args: spec.args ?? [],
    kwargs: spec.kwargs ?? {},
    priority: spec.priority,
    maxwaittime: spec.maxwaittime,
    maxexectime: spec.maxexectime,
    maxretries: spec.maxretries,
    conditions,
    label: spec.label,
    fs: { mount: spec.fs.mount, snapshots: spec.fs.snapshots, dirs: spec.fs.dirs },
    env,
  };
  if (spec.channels && spec.channels.length > 0) out.channels = spec.channels;
  return out;
}

const ATTRIBUTE_ENV = 3;

export function envAttributes(p: { processid: string; processgraphid: string; spec: GoStruct }): AttributeRec[] {
  const env: Record<string, string> = p.spec.env ?? {};
  return Object.keys(env).map((key) => ({
    attributeid: attributeId(p.processid, key, ATTRIBUTE_ENV),
    targetid: p.processid,
    targetcolonyname: p.spec.conditions.colonyname,
    targetprocessgraphid: p.processgraphid,
    state: undefined,
    attributetype: ATTRIBUTE_ENV,
    key,
    value: env[key],
  }));
}

export function attributeJson(a: AttributeRec, processState: number): Record<string, unknown> {
  return {
    attributeid: a.attributeid,
    targetid: a.targetid,
    targetcolonyname: a.targetcolonyname,
    targetprocessgraphid: a.targetprocessgraphid,
    state: a.state ?? processState,
    attributetype: a.attributetype,
    key: a.key,
    value: a.value,
  };
}

/** A registered function's statistics, in the order the server renders them. */
const FUNCTION_STAT_FIELDS = ['counter', 'minwaittime', 'maxwaittime', 'minexectime', 'maxexectime', 'avgwaittime', 'avgexectime'] as const;
export type FunctionStats = Pick<FunctionRec, (typeof FUNCTION_STAT_FIELDS)[number]>;

/** Just the statistics of `f` (a stored record, or an addfunctionmsg as sent). */
export function functionStats(f: FunctionStats): FunctionStats {
  const out = {} as FunctionStats;
  for (const k of FUNCTION_STAT_FIELDS) out[k] = f[k];
  return out;
}

/** A function as the server returns it: `description`, `args` and `locationname` omitted when empty. */
export function functionJson(f: FunctionRec): Record<string, unknown> {
  const out: Record<string, unknown> = {
    functionid: f.functionid,
    executorname: f.executorname,
    executortype: f.executortype,
    colonyname: f.colonyname,
    funcname: f.funcname,
  };
  if (f.description) out.description = f.description;
  if (f.args && f.args.length > 0) out.args = f.args.map(functionArgJson);
  Object.assign(out, functionStats(f));
  if (f.locationname) out.locationname = f.locationname;
  return out;
}

function functionArgJson(a: GoStruct | null): Record<string, unknown> | null {
  if (a === null) return null;
  const out: Record<string, unknown> = { name: a.name, type: a.type };
  if (a.description) out.description = a.description;
  if (a.required) out.required = a.required;
  if (a.enum && a.enum.length > 0) out.enum = a.enum;
  return out;
}

export interface ProcessJsonOptions {
  /** The assign reply shows the exec deadline as it was before assignment (docs/protocol.md §2.4). */
  execdeadline?: bigint | undefined;
}

export function processJson(p: ProcessRec, opts?: ProcessJsonOptions): Record<string, unknown> {
  const env: Record<string, string> = {};
  for (const a of p.attributes) if (a.attributetype === 3) env[a.key] = a.value;
  const execdeadline = opts && 'execdeadline' in opts ? opts.execdeadline : p.execdeadline;
  return {
    processid: p.processid,
    initiatorid: p.initiatorid,
    initiatorname: p.initiatorname,
    assignedexecutorid: p.assignedexecutorid,
    isassigned: p.isassigned,
    state: p.state,
    prioritytime: p.prioritytime,
    submissiontime: formatNs(p.submissiontime),
    starttime: formatNs(p.starttime),
    endtime: formatNs(p.endtime),
    waitdeadline: formatNs(p.waitdeadline),
    execdeadline: formatNs(execdeadline),
    retries: p.retries,
    attributes: p.attributes.map((a) => attributeJson(a, p.state)),
    spec: specJson(p.spec, Object.fromEntries(Object.keys(env).sort().map((k) => [k, env[k]]))),
    waitforparents: p.waitforparents,
    parents: p.parents,
    children: p.children,
    processgraphid: p.processgraphid,
    in: p.in,
    out: p.out,
    errors: p.errors,
  };
}

export interface GraphJsonExtras {
  nodes?: unknown[];
  edges?: unknown[];
  /** The submit reply was never stored, so its times are all zero (docs/protocol.md §4.8). */
  zeroTimes?: boolean;
}

export function graphJson(g: GraphRec, extras: GraphJsonExtras = {}): Record<string, unknown> {
  const t = (ns: bigint | undefined): string => (extras.zeroTimes ? GO_ZERO_TIME : formatNs(ns));
  return {
    processgraphid: g.processgraphid,
    initiatorid: g.initiatorid,
    initiatorname: g.initiatorname,
    colonyname: g.colonyname,
    // Only the empty graph a refused submit leaves behind has no root; a real server sends null for it.
    rootprocessids: g.rootprocessids.length ? g.rootprocessids : null,
    state: g.state,
    submissiontime: t(g.submissiontime),
    starttime: t(g.starttime),
    endtime: t(g.endtime),
    processids: g.processids,
    nodes: extras.nodes ?? [],
    edges: extras.edges ?? [],
  };
}

export function logJson(l: LogRec): Record<string, unknown> {
  return { processid: l.processid, colonyname: l.colonyname, executorname: l.executorname, message: l.message, timestamp: l.timestamp };
}
