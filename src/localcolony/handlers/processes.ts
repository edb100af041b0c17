// Processes: submit, read, list, cancel, remove, assign, close, fail, output, pause (docs/protocol.md §4.5–§4.7).
import { ProcessState } from '../../colonies/types';
import { membershipError, requireColonyOwner, requireMembership } from '../auth';
import { nowNs, SECOND_NS } from '../clock';
import { def } from '../dispatch';
import type { Registry } from '../dispatch';
import { EMPTY_200, emptyReply, okReply } from '../envelope';
import { badRequest, forbidden, internal, notFound } from '../errors';
import { FUNCTION_SPEC } from '../schemas';
import { parseOffer } from '../resources';
import { processJson } from '../state';
import type { ColonyState, ProcessRec } from '../state';

export const MAX_COUNT = 100;

function processOr(state: ColonyState, id: string, fail: () => Error): ProcessRec {
  const p = state.processes.get(id);
  if (!p) throw fail();
  return p;
}

/** The server's SQL LIMIT: a negative count is a database error. */
export function limit<T>(list: T[], count: number): T[] {
  if (count < 0) throw badRequest('pq: LIMIT must not be negative');
  return list.slice(0, count);
}

const cmpBig = (a: bigint | undefined, b: bigint | undefined): number => {
  const x = a ?? 0n;
  const y = b ?? 0n;
  return x < y ? -1 : x > y ? 1 : 0;
};

function sortForState(list: ProcessRec[], state: ProcessState): ProcessRec[] {
  if (state === ProcessState.WAITING) return list.sort((a, b) => cmpBig(a.prioritytime, b.prioritytime));
  if (state === ProcessState.RUNNING) return list.sort((a, b) => cmpBig(a.starttime, b.starttime));
  return list.sort((a, b) => cmpBig(b.endtime, a.endtime));
}

export function registerProcessHandlers(r: Registry): void {
  r.set('submitfuncspecmsg', def('Failed to submit process', { spec: { ptr: FUNCTION_SPEC } }, (m, { core, callerId, payloadType }) => {
    const spec = m.spec;
    if (!spec) throw badRequest('Failed to submit process spec, msg.FunctionSpec is nil');
    const colonyName: string = spec.conditions.colonyname;
    requireMembership(core.state, callerId, colonyName);
    if (spec.priority < -50000 || spec.priority > 50000) {
      throw badRequest('Failed to submit function spec, priority outside range [-50000, 50000]');
    }
    const name = core.controller.initiatorName(colonyName, callerId);
    if (name === undefined) throw internal('Could not derive InitiatorName');
    const p = core.controller.addProcess(core.controller.newProcess(spec, callerId, name));
    return okReply(payloadType, processJson(p));
  }, { mismatchPrefix: 'Failed to submit process spec' }));

  r.set('getprocessmsg', def('Failed to get process', { processid: 'string' }, (m, { core, callerId, payloadType }) => {
    const p = processOr(core.state, m.processid, () => notFound('Failed to get process, process not found'));
    requireMembership(core.state, callerId, p.spec.conditions.colonyname);
    return okReply(payloadType, processJson(p));
  }));

  r.set('getprocessesmsg', def('Failed to get processes', {
    colonyname: 'string', count: 'int', state: 'int', executortype: 'string', label: 'string', initiator: 'string',
  }, (m, { core, callerId, payloadType }) => {
    const { state } = core;
    requireMembership(state, callerId, m.colonyname);
    if (m.count > MAX_COUNT) throw badRequest(`Count is larger than MaxCount limit <${MAX_COUNT}>`);
    if (m.initiator !== '' && !state.usersOf(m.colonyname).some((u) => u.name === m.initiator)) {
      throw badRequest(`User <${m.initiator}> does not exist`);
    }
    if (![0, 1, 2, 3, 4].includes(m.state)) throw badRequest('Failed to get processes, invalid msg.State');
    // Only one filter applies: executortype, else initiator, else label.
    const keep = (p: ProcessRec): boolean =>
      m.executortype !== '' ? p.spec.conditions.executortype === m.executortype
        : m.initiator !== '' ? p.initiatorname === m.initiator
          : m.label !== '' ? p.spec.label === m.label : true;
    const list = limit(sortForState(state.processesOf(m.colonyname).filter((p) => p.state === m.state && keep(p)), m.state), m.count);
    return okReply(payloadType, list.length ? list.map((p) => processJson(p)) : null);
  }));

  r.set('getprocesshistmsg', def('Failed to get process hist', {
    colonyname: 'string', executorid: 'string', seconds: 'int', state: 'int',
  }, (m, { core, callerId, payloadType }) => {
    if (membershipError(core.state, callerId, m.colonyname, true) !== undefined) return EMPTY_200;
    const since = nowNs() - BigInt(m.seconds) * SECOND_NS;
    const list = core.state.processesOf(m.colonyname)
      .filter((p) => p.state === m.state && (p.submissiontime ?? 0n) >= since && (m.executorid === '' || p.assignedexecutorid === m.executorid))
      .sort((a, b) => cmpBig(b.submissiontime, a.submissiontime));
    return okReply(payloadType, list.length ? list.map((p) => processJson(p)) : null);
  }, { mismatchPrefix: 'Failed to get process history' }));

  r.set('cancelprocessmsg', def('Failed to cancel process', { processid: 'string' }, (m, { core, callerId, payloadType }) => {
    const p = processOr(core.state, m.processid, () => internal('Failed to cancel process, process is nil'));
    requireMembership(core.state, callerId, p.spec.conditions.colonyname);
    if (p.processgraphid !== '') {
      throw badRequest('Failed to cancel, cannot cancel a process part of a workflow, cancel the entire workflow instead');
    }
    core.controller.cancel(p);
    return emptyReply(payloadType);
  }));

  r.set('removeprocessmsg', def('Failed to remove process', { processid: 'string', all: 'bool' }, (m, { core, callerId, payloadType }) => {
    const p = processOr(core.state, m.processid, () => internal('Failed to remove process, process is nil'));
    requireMembership(core.state, callerId, p.spec.conditions.colonyname);
    if (p.processgraphid !== '') {
      throw badRequest('Failed to remove, cannot remove a process part of a workflow, delete the entire workflow instead');
    }
    if (p.state === ProcessState.RUNNING) throw badRequest('Failed to remove process, cannot remove a running process');
    core.controller.removeProcess(p.processid);
    return emptyReply(payloadType);
  }));

  r.set('removeallprocessesmsg', def('Failed to remove all processes', { colonyname: 'string', state: 'int' }, (m, { core, callerId, payloadType }) => {
    requireColonyOwner(core.state, callerId, m.colonyname);
    if (m.state === ProcessState.RUNNING) throw badRequest('Not possible to remove running processes');
    if (![-1, 0, 2, 3, 4].includes(m.state)) throw badRequest('Invalid state when deleting all processes');
    for (const p of core.state.processesOf(m.colonyname)) {
      if (m.state === -1 || p.state === m.state) core.controller.removeProcess(p.processid);
    }
    return emptyReply(payloadType);
  }));

  r.set('assignprocessmsg', def('Failed to assign process', {
    colonyname: 'string', timeout: 'int', availablecpu: 'string', availablemem: 'string',
  }, async (m, { core, callerId, payloadType, clientGone }) => {
    requireMembership(core.state, callerId, m.colonyname);
    if (m.timeout === 0) throw badRequest('Invalid timeout value, timeout cannot be zero');
    const executor = core.state.executorById(callerId);
    if (!executor) throw internal('Failed to assign process, executor not found');
    const offer = parseOffer(m.availablecpu ?? '', m.availablemem ?? '');
    return okReply(payloadType, await core.controller.assign(executor, m.colonyname, m.timeout, clientGone, offer));
  }, { lowerMsgType: true }));

  const closeChecks = (p: ProcessRec, callerId: string, verb: string): void => {
    if (p.assignedexecutorid === '') throw forbidden(`Failed to close process as ${verb}, process is not assigned`);
    if (p.assignedexecutorid !== callerId) throw forbidden(`Failed to close process as ${verb}, not allowed to close process as ${verb}`);
  };

  r.set('closesuccessfulmsg', def('Failed to close successful', { processid: 'string', out: { arr: 'any' } }, (m, { core, callerId, payloadType }) => {
    const p = processOr(core.state, m.processid, () => internal('Failed to close process as successful, process is nil'));
    requireMembership(core.state, callerId, p.spec.conditions.colonyname);
    closeChecks(p, callerId, 'successful');
    core.controller.closeSuccessful(p, m.out);
    return emptyReply(payloadType);
  }, { mismatchPrefix: 'Failed to close process as successful' }));

  r.set('closefailedmsg', def('Failed to close failed', { processid: 'string', errors: { arr: 'string' } }, (m, { core, callerId, payloadType }) => {
    const p = processOr(core.state, m.processid, () => internal('Failed to close process as failed, process is nil'));
    requireMembership(core.state, callerId, p.spec.conditions.colonyname);
    closeChecks(p, callerId, 'failed');
    core.controller.closeFailed(p, m.errors);
    return emptyReply(payloadType);
  }, { mismatchPrefix: 'Failed to close process as failed' }));

  r.set('setoutputmsg', def('Failed to set output', { processid: 'string', out: { arr: 'any' } }, (m, { core, callerId, payloadType }) => {
    const p = processOr(core.state, m.processid, () => internal('Failed to set output, process is nil'));
    requireMembership(core.state, callerId, p.spec.conditions.colonyname);
    // (sic) the server reuses the close-successful text here.
    if (p.assignedexecutorid !== callerId) throw forbidden('Failed to close process as successful, not allowed to close process as successful');
    if (p.state !== ProcessState.RUNNING) throw forbidden('Failed to set output, process is not running');
    if (m.out && m.out.length > 0) p.out = m.out;
    return emptyReply(payloadType);
  }));

  r.set('pauseassignmentsmsg', def('Failed to pause assignments', { colonyname: 'string' }, (m, { core, callerId, payloadType }) => {
    requireColonyOwner(core.state, callerId, m.colonyname);
    core.controller.pause(m.colonyname);
    return emptyReply(payloadType);
  }));

  r.set('resumeassignmentsmsg', def('Failed to resume assignments', { colonyname: 'string' }, (m, { core, callerId, payloadType }) => {
    requireColonyOwner(core.state, callerId, m.colonyname);
    core.controller.resume(m.colonyname);
    return emptyReply(payloadType);
  }));

  r.set('getpausestatusmsg', def('Failed to get pause status', { colonyname: 'string' }, (m, { core, callerId }) => {
    requireMembership(core.state, callerId, m.colonyname, false);
    return okReply('pausestatusreplymsg', { msgtype: 'pausestatusreplymsg', colonyname: m.colonyname, ispaused: core.state.paused.has(m.colonyname) });
  }));
}
