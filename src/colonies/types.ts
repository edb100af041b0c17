// Shapes use the ColonyOS JSON field names exactly (docs/protocol.md §3).

export enum ProcessState {
  WAITING = 0,
  RUNNING = 1,
  SUCCESS = 2,
  FAILED = 3,
  CANCELLED = 4,
}

export enum ExecutorState {
  PENDING = 0,
  APPROVED = 1,
  REJECTED = 2,
  UNREGISTERED = 3,
}

export const PROCESS_STATE_NAMES: Record<ProcessState, string> = {
  [ProcessState.WAITING]: 'Waiting',
  [ProcessState.RUNNING]: 'Running',
  [ProcessState.SUCCESS]: 'Successful',
  [ProcessState.FAILED]: 'Failed',
  [ProcessState.CANCELLED]: 'Cancelled',
};

/** How a person names an executor's state (the server's words: pending, approved, rejected, unregistered). */
export const EXECUTOR_STATE_NAMES: Record<ExecutorState, string> = {
  [ExecutorState.PENDING]: 'pending',
  [ExecutorState.APPROVED]: 'approved',
  [ExecutorState.REJECTED]: 'rejected',
  [ExecutorState.UNREGISTERED]: 'unregistered',
};

/** An executor state's name; a state this version does not know is named by its number. */
export function executorStateName(state: unknown): string {
  return EXECUTOR_STATE_NAMES[state as ExecutorState] ?? `state ${String(state)}`;
}

export interface Colony {
  colonyid: string;
  name: string;
}

export interface User {
  colonyname: string;
  userid: string;
  name: string;
  email: string;
  phone: string;
}

export interface GPU {
  name: string;
  mem: string;
  count: number;
  nodecount: number;
}

export interface Hardware {
  model: string;
  nodes: number;
  cpu: string;
  cores: number;
  mem: string;
  storage: string;
  gpu: GPU;
  platform: string;
  architecture: string;
  network: string[] | null;
}

export interface Software {
  name: string;
  type: string;
  version: string;
}

export interface Project {
  allocatedcpu: number;
  usedcpu: number;
  allocatedgpu: number;
  usedgpu: number;
  allocatedstorage: number;
  usedstorage: number;
}

export interface Executor {
  executorid: string;
  executortype: string;
  executorname: string;
  colonyname: string;
  state: ExecutorState;
  requirefuncreg: boolean;
  commissiontime: string;
  lastheardfromtime: string;
  locationname?: string;
  capabilities: { hardware: Hardware[] | null; software: Software[] | null };
  allocations: { projects: Record<string, Project> | null };
  blueprintid?: string;
  blueprintgen?: number;
}

export interface Conditions {
  colonyname: string;
  executornames: string[] | null;
  executortype: string;
  locationname?: string;
  dependencies: string[] | null;
  nodes: number;
  cpu: string;
  processes: number;
  processespernode: number;
  mem: string;
  storage: string;
  gpu: GPU;
  walltime: number;
}

export interface SnapshotMount {
  snapshotid: string;
  label: string;
  dir: string;
  keepfiles: boolean;
  keepsnapshot: boolean;
}

export interface SyncDirMount {
  label: string;
  dir: string;
  keepfiles: boolean;
  onconflicts: { onstart: { keeplocal: boolean }; onclose: { keeplocal: boolean } };
}

export interface Filesystem {
  mount: string;
  snapshots: SnapshotMount[] | null;
  dirs: SyncDirMount[] | null;
}

export interface FunctionSpec {
  nodename: string;
  funcname: string;
  args: unknown[] | null;
  kwargs: Record<string, unknown> | null;
  priority: number;
  maxwaittime: number;
  maxexectime: number;
  maxretries: number;
  conditions: Conditions;
  label: string;
  fs: Filesystem;
  env: Record<string, string> | null;
  channels?: string[];
}

export interface Attribute {
  attributeid: string;
  targetid: string;
  targetcolonyname: string;
  targetprocessgraphid: string;
  state: number;
  attributetype: number;
  key: string;
  value: string;
}

/** `attributetype` values. */
export enum AttributeType {
  IN = 0,
  OUT = 1,
  ERR = 2,
  /** Made by the server from the spec's `env` at submit. */
  ENV = 3,
}

/**
 * An attribute for `addAttribute`. The server derives the id from (targetid, key, attributetype), so each key can be
 * set once per type and process; it keeps `targetcolonyname` and `state` as sent until the process next changes state.
 */
export interface NewAttribute {
  targetid: string;
  key: string;
  value: string;
  attributetype: AttributeType | number;
  targetcolonyname?: string;
  state?: number;
}

export interface FunctionArg {
  name: string;
  type: string;
  description?: string;
  required?: boolean;
  enum?: string[];
}

/**
 * A function an executor registered (`addfunctionmsg`). The server folds each successful run of a process with this
 * `funcname` on this executor into the statistics (seconds; min/max ignore a stored 0, the averages move halfway
 * towards each new value).
 */
export interface ColonyFunction {
  functionid: string;
  executorname: string;
  executortype: string;
  colonyname: string;
  funcname: string;
  description?: string;
  args?: FunctionArg[];
  counter: number;
  minwaittime: number;
  maxwaittime: number;
  minexectime: number;
  maxexectime: number;
  avgwaittime: number;
  avgexectime: number;
  /** The registering executor's location, set by the server. */
  locationname?: string;
}

/**
 * What `addFunction` sends; the executor named must be the signer. The server generates `functionid` when it is
 * empty, sets `locationname` to the executor's and stores the rest as sent (statistics too, zero when absent).
 */
export type NewFunction = Pick<ColonyFunction, 'executorname' | 'executortype' | 'colonyname' | 'funcname'> & Partial<ColonyFunction>;

export interface Process {
  processid: string;
  initiatorid: string;
  initiatorname: string;
  assignedexecutorid: string;
  isassigned: boolean;
  state: ProcessState;
  /** int64 nanoseconds; exceeds 2^53 so it is a bigint. */
  prioritytime: bigint;
  submissiontime: string;
  starttime: string;
  endtime: string;
  waitdeadline: string;
  execdeadline: string;
  retries: number;
  attributes: Attribute[] | null;
  spec: FunctionSpec;
  waitforparents: boolean;
  parents: string[] | null;
  children: string[] | null;
  processgraphid: string;
  in: unknown[] | null;
  out: unknown[] | null;
  errors: string[] | null;
}

export interface Log {
  processid: string;
  colonyname: string;
  executorname: string;
  message: string;
  /** int64 UnixNano; a bigint so `since` polling never re-delivers lines. */
  timestamp: bigint;
}

export interface GraphNode {
  id: string;
  data: { label: string };
  position: { x: number; y: number };
  type: string;
  style: { color: string; background: string };
}

export interface Edge {
  id: string;
  source: string;
  target: string;
  animated: boolean;
}

export interface ProcessGraph {
  processgraphid: string;
  initiatorid: string;
  initiatorname: string;
  colonyname: string;
  rootprocessids: string[] | null;
  state: ProcessState;
  submissiontime: string;
  starttime: string;
  endtime: string;
  processids: string[] | null;
  nodes: GraphNode[] | null;
  edges: Edge[] | null;
}

export interface WorkflowSpec {
  colonyname: string;
  functionspecs: FunctionSpec[];
}

export interface Statistics {
  colonies: number;
  executors: number;
  activeexecutors: number;
  unregisteredexecutors: number;
  waitingprocesses: number;
  runningprocesses: number;
  successfulprocesses: number;
  failedprocesses: number;
  cancelledprocesses: number;
  waitingworkflows: number;
  runningworkflows: number;
  successfulworkflows: number;
  failedworkflows: number;
  cancelledworkflows: number;
}

export interface ServerBackend {
  type: string;
  port: number;
  host?: string;
  tls?: boolean;
  insecure?: boolean;
}

export interface ServerInfo {
  buildversion: string;
  buildtime: string;
  backends: ServerBackend[] | null;
}

export interface Version {
  buildversion: string;
  buildtime: string;
}

export type ChannelMessageType = 'data' | 'end' | 'error' | (string & {});

/** A channel entry as the client exposes it: payload decoded to bytes. */
export interface ChannelEntry {
  sequence: number;
  inreplyto: number;
  timestamp: string;
  senderid: string;
  payload: Uint8Array;
  type: ChannelMessageType;
  error: string;
}

/** A channel entry as it travels on the wire (payload base64 or null). */
export interface WireChannelEntry {
  sequence: number;
  inreplyto?: number;
  timestamp: string;
  senderid: string;
  payload: string | null;
  type?: string;
  error?: string;
}

export interface Failure {
  status: number;
  message: string;
}
