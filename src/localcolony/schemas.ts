// Go struct shapes of what clients send (field names are the JSON keys; see docs/protocol.md §3 and §4).
import type { Schema } from './gojson';

const GPU: Schema = { struct: { name: 'string', mem: 'string', count: 'int', nodecount: 'int' } };

const CONDITIONS: Schema = {
  struct: {
    colonyname: 'string',
    executornames: { arr: 'string' },
    executortype: 'string',
    locationname: 'string',
    dependencies: { arr: 'string' },
    nodes: 'int',
    cpu: 'string',
    processes: 'int',
    processespernode: 'int',
    mem: 'string',
    storage: 'string',
    gpu: GPU,
    walltime: 'int64',
  },
};

const FILESYSTEM: Schema = {
  struct: {
    mount: 'string',
    snapshots: { arr: { struct: { snapshotid: 'string', label: 'string', dir: 'string', keepfiles: 'bool', keepsnapshot: 'bool' } } },
    dirs: {
      arr: {
        struct: {
          label: 'string',
          dir: 'string',
          keepfiles: 'bool',
          onconflicts: { struct: { onstart: { struct: { keeplocal: 'bool' } }, onclose: { struct: { keeplocal: 'bool' } } } },
        },
      },
    },
  },
};

export const FUNCTION_SPEC: Schema = {
  struct: {
    nodename: 'string',
    funcname: 'string',
    args: { arr: 'any' },
    kwargs: { map: 'any' },
    priority: 'int',
    maxwaittime: 'int',
    maxexectime: 'int',
    maxretries: 'int',
    conditions: CONDITIONS,
    label: 'string',
    fs: FILESYSTEM,
    env: { map: 'string' },
    channels: { arr: 'string' },
  },
};

const HARDWARE: Schema = {
  struct: {
    model: 'string',
    nodes: 'int',
    cpu: 'string',
    cores: 'int',
    mem: 'string',
    storage: 'string',
    gpu: GPU,
    platform: 'string',
    architecture: 'string',
    network: { arr: 'string' },
  },
};

const PROJECT: Schema = {
  struct: {
    allocatedcpu: 'int64',
    usedcpu: 'int64',
    allocatedgpu: 'int64',
    usedgpu: 'int64',
    allocatedstorage: 'int64',
    usedstorage: 'int64',
  },
};

export const EXECUTOR: Schema = {
  struct: {
    executorid: 'string',
    executortype: 'string',
    executorname: 'string',
    colonyname: 'string',
    state: 'int',
    requirefuncreg: 'bool',
    commissiontime: 'time',
    lastheardfromtime: 'time',
    locationname: 'string',
    capabilities: { struct: { hardware: { arr: HARDWARE }, software: { arr: { struct: { name: 'string', type: 'string', version: 'string' } } } } },
    allocations: { struct: { projects: { map: PROJECT } } },
    blueprintid: 'string',
    blueprintgen: 'int64',
  },
};

export const FUNCTION: Schema = {
  struct: {
    functionid: 'string',
    executorname: 'string',
    executortype: 'string',
    colonyname: 'string',
    funcname: 'string',
    description: 'string',
    args: { arr: { ptr: { struct: { name: 'string', type: 'string', description: 'string', required: 'bool', enum: { arr: 'string' } } } } },
    counter: 'int',
    minwaittime: 'float',
    maxwaittime: 'float',
    minexectime: 'float',
    maxexectime: 'float',
    avgwaittime: 'float',
    avgexectime: 'float',
    locationname: 'string',
  },
};

export const ATTRIBUTE: Schema = {
  struct: {
    attributeid: 'string',
    targetid: 'string',
    targetcolonyname: 'string',
    targetprocessgraphid: 'string',
    state: 'int',
    attributetype: 'int',
    key: 'string',
    value: 'string',
  },
};

export const USER: Schema = { struct: { colonyname: 'string', userid: 'string', name: 'string', email: 'string', phone: 'string' } };
export const COLONY: Schema = { struct: { colonyid: 'string', name: 'string' } };
export const WORKFLOW_SPEC: Schema = { struct: { colonyname: 'string', functionspecs: { arr: FUNCTION_SPEC } } };

/** The envelope: Go's rpc.RPCMsg (its type errors are shown verbatim in the 400 body). */
export const RPC_MSG: Schema = { name: 'rpc.RPCMsg', struct: { signature: 'string', payloadtype: 'string', payload: 'string' } };

/** Builds a message schema: every message also carries `msgtype`. */
export function msg(fields: { [k: string]: Schema }): Schema {
  return { struct: { ...fields, msgtype: 'string' } };
}
