// Process objects shaped like server replies, for the view unit tests.
import { ProcessState, type Process } from '../../../src/colonies/types';

const ZERO = '0001-01-01T01:12:12+01:12';

export function makeProcess(over: Partial<Process> & { id?: string; funcname?: string; executortype?: string; label?: string } = {}): Process {
  const { id, funcname, executortype, label, ...rest } = over;
  return {
    processid: id ?? 'a'.repeat(64),
    initiatorid: 'u'.repeat(64),
    initiatorname: 'myuser',
    assignedexecutorid: '',
    isassigned: false,
    state: ProcessState.WAITING,
    prioritytime: 1795716309916579663n,
    submissiontime: '2026-01-01T10:00:00+01:00',
    starttime: ZERO,
    endtime: ZERO,
    waitdeadline: ZERO,
    execdeadline: ZERO,
    retries: 0,
    attributes: null,
    spec: {
      nodename: '',
      funcname: funcname ?? 'echo',
      args: ['hi'],
      kwargs: null,
      priority: 0,
      maxwaittime: -1,
      maxexectime: -1,
      maxretries: 0,
      conditions: {
        colonyname: 'dev',
        executornames: null,
        executortype: executortype ?? 'echo-executor',
        dependencies: null,
        nodes: 0,
        cpu: '0m',
        processes: 0,
        processespernode: 0,
        mem: '0Mi',
        storage: '0Mi',
        gpu: { name: '', mem: '0Mi', count: 0, nodecount: 0 },
        walltime: 0,
      },
      label: label ?? '',
      fs: { mount: '', snapshots: null, dirs: null },
      env: null,
      channels: ['chat'],
    },
    waitforparents: false,
    parents: null,
    children: null,
    processgraphid: '',
    in: null,
    out: null,
    errors: null,
    ...rest,
  };
}
