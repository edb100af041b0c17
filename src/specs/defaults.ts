// Turns a validated document into what goes on the wire, with the defaults the ColonyOS CLI applies
// (github.com/colonyos/colonies: internal/cli `function submit` / `workflow submit`, pkg/core ConvertJSONToFunctionSpec):
// - an empty conditions.colonyname (or workflow colonyname) becomes the active profile's colony;
// - maxwaittime and maxexectime of 0 (which is also what an absent key decodes to in Go) become -1.
// Keys the server does not know are dropped; Go matches keys case-insensitively, so we do too.
import { isRecord } from '../colonies/text';
import { funcSpec } from '../colonies/funcspec';
import type { FunctionSpec, GPU, WorkflowSpec } from '../colonies/types';

type Obj = Record<string, unknown>;

const isObj: (v: unknown) => v is Obj = isRecord;

/** The value of `key`, matched exactly first, then case-insensitively (as Go's encoding/json does). */
export function field(obj: Obj, key: string): unknown {
  if (key in obj) return obj[key];
  const match = Object.keys(obj).find((k) => k.toLowerCase() === key);
  return match === undefined ? undefined : obj[match];
}

function str(obj: Obj, key: string): string | undefined {
  const v = field(obj, key);
  return typeof v === 'string' ? v : undefined;
}

function num(obj: Obj, key: string): number | undefined {
  const v = field(obj, key);
  return typeof v === 'number' ? v : undefined;
}

function strings(obj: Obj, key: string): string[] | undefined {
  const v = field(obj, key);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}

/** CLI rule: 0 and absent both mean "no limit" (-1). */
export function limitOrNone(value: number | undefined): number {
  return value === undefined || value === 0 ? -1 : value;
}

export function toFunctionSpec(raw: Obj, activeColony: string): FunctionSpec {
  const cond = isObj(field(raw, 'conditions')) ? (field(raw, 'conditions') as Obj) : {};
  const gpuRaw = isObj(field(cond, 'gpu')) ? (field(cond, 'gpu') as Obj) : {};
  const fsRaw = isObj(field(raw, 'fs')) ? (field(raw, 'fs') as Obj) : {};
  const gpu: Partial<GPU> = {
    name: str(gpuRaw, 'name') ?? '',
    mem: str(gpuRaw, 'mem') ?? '',
    count: num(gpuRaw, 'count') ?? 0,
    nodecount: num(gpuRaw, 'nodecount') ?? 0,
  };
  const args = field(raw, 'args');
  const kwargs = field(raw, 'kwargs');
  const env = field(raw, 'env');
  return funcSpec({
    nodename: str(raw, 'nodename'),
    funcname: str(raw, 'funcname') ?? '',
    args: Array.isArray(args) ? args : undefined,
    kwargs: isObj(kwargs) ? kwargs : undefined,
    priority: num(raw, 'priority'),
    maxwaittime: limitOrNone(num(raw, 'maxwaittime')),
    maxexectime: limitOrNone(num(raw, 'maxexectime')),
    maxretries: num(raw, 'maxretries'),
    label: str(raw, 'label'),
    env: isObj(env) ? (env as Record<string, string>) : undefined,
    channels: strings(raw, 'channels'),
    colonyname: str(cond, 'colonyname') || activeColony,
    executortype: str(cond, 'executortype') ?? '',
    executornames: strings(cond, 'executornames'),
    locationname: str(cond, 'locationname'),
    dependencies: strings(cond, 'dependencies'),
    nodes: num(cond, 'nodes'),
    cpu: str(cond, 'cpu'),
    processes: num(cond, 'processes'),
    processespernode: num(cond, 'processespernode'),
    mem: str(cond, 'mem'),
    storage: str(cond, 'storage'),
    walltime: num(cond, 'walltime'),
    gpu,
    fs: {
      mount: str(fsRaw, 'mount') ?? '',
      snapshots: Array.isArray(field(fsRaw, 'snapshots')) ? (field(fsRaw, 'snapshots') as FunctionSpec['fs']['snapshots']) : [],
      dirs: Array.isArray(field(fsRaw, 'dirs')) ? (field(fsRaw, 'dirs') as FunctionSpec['fs']['dirs']) : [],
    },
  });
}

/** The specs of a workflow document: the array itself, or its `functionspecs`. */
export function workflowSpecList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isObj(value) && Array.isArray(field(value, 'functionspecs'))) return field(value, 'functionspecs') as unknown[];
  return [];
}

/** The colony a workflow document names (empty when it is a plain array or leaves it empty). */
export function workflowColony(value: unknown): string {
  return isObj(value) ? (str(value, 'colonyname') ?? '') : '';
}

export function toWorkflowSpec(value: unknown, activeColony: string): WorkflowSpec {
  const colonyname = workflowColony(value) || activeColony;
  // The server runs every spec in the workflow's colony; sending the same name keeps the request unambiguous.
  const functionspecs = workflowSpecList(value)
    .filter(isObj)
    .map((raw) => {
      const spec = toFunctionSpec(raw, colonyname);
      spec.conditions.colonyname = colonyname;
      return spec;
    });
  return { colonyname, functionspecs };
}
