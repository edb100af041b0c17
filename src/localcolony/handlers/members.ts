// Executors and users (docs/protocol.md §4.3, §4.4).
import { ExecutorState } from '../../colonies/types';
import { GO_ZERO_TIME } from '../../colonies/time';
import { requireColonyOwner, requireMembership } from '../auth';
import { formatNs, nowNs } from '../clock';
import type { Controller } from '../controller';
import { def } from '../dispatch';
import type { Registry } from '../dispatch';
import { emptyReply, okReply } from '../envelope';
import { badRequest, internal, notFound } from '../errors';
import { EXECUTOR, USER } from '../schemas';
import { executorJson, userJson } from '../state';
import type { ColonyState, ExecutorRec } from '../state';

const NAME_FIELDS = { colonyname: 'string', executorname: 'string' } as const;

function executorOrFail(state: ColonyState, colonyName: string, name: string, action: string): ExecutorRec {
  const e = state.executorByName(colonyName, name);
  if (!e) throw internal(`Failed to ${action} executor, executor is nil`);
  return e;
}

function colonyOrFail(state: ColonyState, colonyName: string): string {
  if (!state.colonies.has(colonyName)) throw badRequest(`Colony with name <${colonyName}> does not exists`);
  return colonyName;
}

export function registerMemberHandlers(r: Registry): void {
  r.set('addexecutormsg', def('Failed to add executor', { executor: { ptr: EXECUTOR } }, (m, { core, callerId, payloadType }) => {
    const { state } = core;
    const x = m.executor;
    if (!x) throw badRequest('Failed to add executor, executor is nil');
    requireColonyOwner(state, callerId, x.colonyname);
    // Re-registration is allowed: the old record (and its functions) is replaced.
    const rec: ExecutorRec = {
      executorid: x.executorid,
      executortype: x.executortype,
      executorname: x.executorname,
      colonyname: x.colonyname,
      state: ExecutorState.PENDING,
      requirefuncreg: x.requirefuncreg,
      commissiontime: formatNs(nowNs()),
      lastheardfromtime: x.lastheardfromtime ?? GO_ZERO_TIME,
      locationname: x.locationname,
      capabilities: x.capabilities,
      allocations: x.allocations,
      blueprintid: x.blueprintid,
      blueprintgen: x.blueprintgen,
    };
    const old = state.executorByName(x.colonyname, x.executorname);
    if (old) core.controller.unregisterExecutor(old);
    state.executors.set(`${x.colonyname}\u0000${x.executorname}`, rec);
    return okReply(payloadType, executorJson(rec));
  }));

  r.set('getexecutorsmsg', def('Failed to get executors', { colonyname: 'string' }, (m, { core, callerId, payloadType }) => {
    requireMembership(core.state, callerId, m.colonyname, false);
    const list = core.state.executorsOf(m.colonyname).map(executorJson);
    return okReply(payloadType, list.length ? list : null);
  }));

  r.set('getexecutormsg', def('Failed to get executor', NAME_FIELDS, (m, { core, callerId, payloadType }) => {
    const e = executorOrFail(core.state, m.colonyname, m.executorname, 'get');
    requireMembership(core.state, callerId, e.colonyname);
    return okReply(payloadType, executorJson(e));
  }));

  r.set('getexecutorbyidmsg', def('Failed to get executor by ID', { colonyname: 'string', executorid: 'string' }, (m, { core, callerId, payloadType }) => {
    const e = core.state.executorById(m.executorid);
    if (!e) throw notFound('Failed to get executor by ID, executor is nil');
    requireMembership(core.state, callerId, e.colonyname);
    return okReply(payloadType, executorJson(e));
  }));

  const setState = (action: string, apply: (e: ExecutorRec, controller: Controller) => void) =>
    def(`Failed to ${action} executor`, NAME_FIELDS, (m, { core, callerId, payloadType }) => {
      const e = executorOrFail(core.state, m.colonyname, m.executorname, action);
      requireColonyOwner(core.state, callerId, e.colonyname);
      apply(e, core.controller);
      return emptyReply(payloadType);
    });
  r.set('approveexecutormsg', setState('approve', (e) => (e.state = ExecutorState.APPROVED)));
  r.set('rejectexecutormsg', setState('reject', (e) => (e.state = ExecutorState.REJECTED)));
  r.set('removeexecutormsg', setState('remove', (e, controller) => controller.unregisterExecutor(e)));

  r.set('addusermsg', def('Failed to add user', { user: { ptr: USER } }, (m, { core, callerId, payloadType }) => {
    const { state } = core;
    const u = m.user;
    if (!u) throw badRequest('Failed to add user, executor is nil');
    colonyOrFail(state, u.colonyname);
    requireColonyOwner(state, callerId, u.colonyname);
    if (state.userByName(u.colonyname, u.name)) {
      throw badRequest(`A user with name <${u.name}> already exists in Colony with name <${u.colonyname}>`);
    }
    if (state.userById(u.colonyname, u.userid)) {
      throw badRequest(`A user with Id <${u.userid}> already exists in Colony with name <${u.colonyname}>`);
    }
    const user = userJson(u);
    state.users.set(`${u.colonyname}\u0000${u.name}`, user);
    return okReply(payloadType, user);
  }));

  r.set('getusersmsg', def('Failed to get users', { colonyname: 'string' }, (m, { core, callerId, payloadType }) => {
    colonyOrFail(core.state, m.colonyname);
    requireMembership(core.state, callerId, m.colonyname, false);
    const list = core.state.usersOf(m.colonyname).map(userJson);
    return okReply(payloadType, list.length ? list : null);
  }));

  r.set('getusermsg', def('Failed to get user', { colonyname: 'string', name: 'string' }, (m, { core, callerId, payloadType }) => {
    colonyOrFail(core.state, m.colonyname);
    requireMembership(core.state, callerId, m.colonyname, false);
    const u = core.state.userByName(m.colonyname, m.name);
    if (!u) throw internal('Failed to get user, user is nil');
    return okReply(payloadType, userJson(u));
  }));

  r.set('getuserbyidmsg', def('Failed to get user by ID', { colonyname: 'string', userid: 'string' }, (m, { core, callerId, payloadType }) => {
    colonyOrFail(core.state, m.colonyname);
    requireMembership(core.state, callerId, m.colonyname, false);
    const u = core.state.userById(m.colonyname, m.userid);
    if (!u) throw notFound('Failed to get user by ID, user is nil');
    return okReply(payloadType, userJson(u));
  }));

  r.set('removeusermsg', def('Failed to remove user', { colonyname: 'string', name: 'string' }, (m, { core, callerId, payloadType }) => {
    colonyOrFail(core.state, m.colonyname);
    requireColonyOwner(core.state, callerId, m.colonyname);
    if (!core.state.userByName(m.colonyname, m.name)) throw badRequest(`User with name <${m.name}> not found`);
    core.state.users.delete(`${m.colonyname}\u0000${m.name}`);
    return emptyReply(payloadType);
  }));
}
