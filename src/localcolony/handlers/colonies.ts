// Colonies, statistics and version (docs/protocol.md §4.1, §4.2).
import { ExecutorState, ProcessState } from '../../colonies/types';
import { requireMembership, membershipError, requireServerOwner } from '../auth';
import { formatNs, nowNs } from '../clock';
import { def } from '../dispatch';
import type { Registry, ServerCore } from '../dispatch';
import { EMPTY_200, emptyReply, okReply } from '../envelope';
import type { Reply } from '../envelope';
import { badRequest, internal } from '../errors';
import { COLONY } from '../schemas';
import { colonyJson } from '../state';
import type { ColonyState } from '../state';

function countProcesses(state: ColonyState, colonyName: string | undefined, s: ProcessState): number {
  let n = 0;
  for (const p of state.processes.values()) if (p.state === s && (colonyName === undefined || p.spec.conditions.colonyname === colonyName)) n++;
  return n;
}

function countGraphs(state: ColonyState, colonyName: string, s: ProcessState): number {
  let n = 0;
  for (const g of state.graphs.values()) if (g.state === s && g.colonyname === colonyName) n++;
  return n;
}

function statistics(state: ColonyState, colonyName: string): Record<string, number> {
  const executors = state.executorsOf(colonyName);
  return {
    colonies: 1,
    executors: executors.length,
    activeexecutors: executors.filter((e) => e.state === ExecutorState.APPROVED).length,
    unregisteredexecutors: executors.filter((e) => e.state === ExecutorState.UNREGISTERED).length,
    waitingprocesses: countProcesses(state, colonyName, ProcessState.WAITING),
    runningprocesses: countProcesses(state, colonyName, ProcessState.RUNNING),
    successfulprocesses: countProcesses(state, colonyName, ProcessState.SUCCESS),
    failedprocesses: countProcesses(state, colonyName, ProcessState.FAILED),
    cancelledprocesses: countProcesses(state, colonyName, ProcessState.CANCELLED),
    waitingworkflows: countGraphs(state, colonyName, ProcessState.WAITING),
    runningworkflows: countGraphs(state, colonyName, ProcessState.RUNNING),
    successfulworkflows: countGraphs(state, colonyName, ProcessState.SUCCESS),
    failedworkflows: countGraphs(state, colonyName, ProcessState.FAILED),
    cancelledworkflows: countGraphs(state, colonyName, ProcessState.CANCELLED),
  };
}

/** getserverinfomsg: unsigned, no checks at all; `buildtime` is the current time, as on a real server. */
export function serverInfoReply(core: ServerCore): Reply {
  const now = formatNs(nowNs()).replace(/\.\d+Z$/, 'Z');
  return okReply('getserverinfomsg', {
    buildversion: 'dev',
    buildtime: now,
    backends: [{ type: 'http', port: core.httpPort(), host: '0.0.0.0' }],
  });
}

export function registerColonyHandlers(r: Registry): void {
  r.set('versionmsg', def('Failed to get server version', { buildversion: 'string', buildtime: 'string' }, () =>
    okReply('versionmsg', { buildversion: '', buildtime: '', msgtype: 'versionmsg' }),
  ));

  r.set('getstatisticsmsg', def('Failed to get statistics', {}, (_m, { core, callerId, payloadType }) => {
    const { state } = core;
    requireServerOwner(state, callerId);
    return okReply(payloadType, {
      colonies: state.colonies.size,
      executors: state.executors.size,
      activeexecutors: 0,
      unregisteredexecutors: 0,
      waitingprocesses: countProcesses(state, undefined, ProcessState.WAITING),
      runningprocesses: countProcesses(state, undefined, ProcessState.RUNNING),
      successfulprocesses: countProcesses(state, undefined, ProcessState.SUCCESS),
      failedprocesses: countProcesses(state, undefined, ProcessState.FAILED),
      cancelledprocesses: 0,
      waitingworkflows: 0,
      runningworkflows: 0,
      successfulworkflows: 0,
      failedworkflows: 0,
      cancelledworkflows: 0,
    });
  }, { mismatchPrefix: 'Failed to get server version' }));

  r.set('addcolonymsg', def('Failed to add colony', { colony: { ptr: COLONY } }, (m, { core, callerId, payloadType }) => {
    const { state } = core;
    requireServerOwner(state, callerId);
    if (!m.colony) throw badRequest('Failed to add colony, colony is <nil>');
    if (m.colony.colonyid.length !== 64) throw badRequest('Failed to add colony, invalid colony Id length');
    if (state.colonies.has(m.colony.name)) throw badRequest(`A Colony with name <${m.colony.name}> already exists`);
    const colony = { colonyid: m.colony.colonyid, name: m.colony.name };
    state.colonies.set(colony.name, colony);
    return okReply(payloadType, colonyJson(colony));
  }));

  r.set('removecolonymsg', def('Failed to remove colony', { colonyname: 'string' }, (m, { core, callerId, payloadType }) => {
    const { state } = core;
    requireServerOwner(state, callerId);
    if (!state.colonies.has(m.colonyname)) throw badRequest(`Colony with name <${m.colonyname}> not found`);
    state.colonies.delete(m.colonyname);
    for (const [key, e] of state.executors) if (e.colonyname === m.colonyname) state.executors.delete(key);
    state.removeFunctionsWhere({ colonyname: m.colonyname });
    for (const [key, u] of state.users) if (u.colonyname === m.colonyname) state.users.delete(key);
    for (const p of state.processesOf(m.colonyname)) core.controller.removeProcess(p.processid);
    for (const [id, g] of state.graphs) if (g.colonyname === m.colonyname) state.graphs.delete(id);
    state.logs = state.logs.filter((l) => l.colonyname !== m.colonyname);
    return emptyReply(payloadType);
  }));

  r.set('getcoloniesmsg', def('Failed to get colonies', {}, (_m, { core, callerId, payloadType }) => {
    requireServerOwner(core.state, callerId);
    const list = [...core.state.colonies.values()].map(colonyJson);
    return okReply(payloadType, list.length ? list : null);
  }));

  r.set('getcolonymsg', def('Failed to get colony', { colonyname: 'string' }, (m, { core, callerId, payloadType }) => {
    requireMembership(core.state, callerId, m.colonyname);
    const colony = core.state.colonies.get(m.colonyname);
    if (!colony) throw internal('Failed to get colony, colony is nil');
    return okReply(payloadType, colonyJson(colony));
  }));

  r.set('getcolonystatsmsg', def('Failed to get colony statistics', { colonyname: 'string' }, (m, { core, callerId, payloadType }) => {
    const colony = core.state.colonies.get(m.colonyname);
    if (!colony) throw badRequest(`Colony with name <${m.colonyname}> not found`);
    if (membershipError(core.state, callerId, colony.name, true) !== undefined) return EMPTY_200;
    return okReply(payloadType, statistics(core.state, colony.name));
  }));
}
