// A FunctionSpec with every field present. Omitted numeric fields would take Go zero values on the server,
// and `maxexectime: 0` fails a process about a second after assignment (docs/protocol.md §8, P13), so the time
// limits default to -1 (no limit) like the ColonyOS CLI.

import type { Conditions, Filesystem, FunctionSpec, GPU } from './types';

export interface FuncSpecInput {
  funcname: string;
  colonyname: string;
  executortype: string;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  executornames?: string[];
  maxexectime?: number;
  maxwaittime?: number;
  maxretries?: number;
  priority?: number;
  label?: string;
  nodename?: string;
  dependencies?: string[];
  channels?: string[];
  env?: Record<string, string>;
  locationname?: string;
  nodes?: number;
  cpu?: string;
  processes?: number;
  processespernode?: number;
  mem?: string;
  storage?: string;
  gpu?: Partial<GPU>;
  walltime?: number;
  fs?: Partial<Filesystem>;
}

export function funcSpec(input: FuncSpecInput): FunctionSpec {
  const conditions: Conditions = {
    colonyname: input.colonyname,
    executornames: input.executornames ?? [],
    executortype: input.executortype,
    dependencies: input.dependencies ?? [],
    nodes: input.nodes ?? 0,
    cpu: input.cpu ?? '',
    processes: input.processes ?? 0,
    processespernode: input.processespernode ?? 0,
    mem: input.mem ?? '',
    storage: input.storage ?? '',
    gpu: { name: '', mem: '', count: 0, nodecount: 0, ...input.gpu },
    walltime: input.walltime ?? 0,
  };
  if (input.locationname) conditions.locationname = input.locationname;
  return {
    nodename: input.nodename ?? '',
    funcname: input.funcname,
    args: input.args ?? [],
    kwargs: input.kwargs ?? {},
    priority: input.priority ?? 0,
    maxwaittime: input.maxwaittime ?? -1,
    maxexectime: input.maxexectime ?? -1,
    maxretries: input.maxretries ?? 0,
    conditions,
    label: input.label ?? '',
    fs: { mount: '', snapshots: [], dirs: [], ...input.fs },
    env: input.env ?? {},
    channels: input.channels ?? [],
  };
}
