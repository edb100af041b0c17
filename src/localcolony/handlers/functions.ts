// The function registry (docs/protocol.md §10): executors register the functions they serve; members list them. The
// statistics are folded in by the controller when a process of that function closes successfully.
import { requireMembership } from '../auth';
import { newId } from '../clock';
import { def } from '../dispatch';
import type { Registry } from '../dispatch';
import { emptyReply, okReply, PANIC_REPLY } from '../envelope';
import { badRequest, forbidden, internal, notFound } from '../errors';
import { FUNCTION } from '../schemas';
import { functionJson, functionStats } from '../state';
import type { FunctionRec } from '../state';

/** What a real server's database reports for a second function with the same id. */
const DUPLICATE_FUNCTION_ID = 'pq: duplicate key value violates unique constraint "prod_functions_pkey"';

export function registerFunctionHandlers(r: Registry): void {
  r.set('addfunctionmsg', def('Failed to add function', { fun: { ptr: FUNCTION } }, (m, { core, callerId, payloadType }) => {
    const { state } = core;
    const f = m.fun;
    if (!f) throw badRequest('Failed to add function, msg.Function is nil');
    const functionId: string = f.functionid || newId();
    requireMembership(state, callerId, f.colonyname);
    const executor = state.executorByName(f.colonyname, f.executorname);
    if (!executor) throw badRequest(`Failed to add function, Executor with name <${f.executorname}> does not exist`);
    if (executor.executorid !== callerId) throw forbidden('Not allowed to add a function to another executor');
    if (state.functions.has(functionId)) throw internal(DUPLICATE_FUNCTION_ID);
    // Everything else is stored as sent (executortype and statistics included); the location is the executor's.
    const rec: FunctionRec = {
      functionid: functionId,
      executorname: f.executorname,
      executortype: f.executortype,
      colonyname: f.colonyname,
      funcname: f.funcname,
      description: f.description,
      args: f.args,
      ...functionStats(f),
      locationname: executor.locationname,
    };
    state.functions.set(functionId, rec);
    return okReply(payloadType, functionJson(rec));
  }));

  r.set('getfunctionsmsg', def('Failed to get function', { executorname: 'string', colonyname: 'string' }, (m, { core, callerId, payloadType }) => {
    requireMembership(core.state, callerId, m.colonyname);
    const list = core.state.functionsWhere(m.executorname === '' ? { colonyname: m.colonyname } : { colonyname: m.colonyname, executorname: m.executorname });
    return okReply(payloadType, list.length ? list.map(functionJson) : null);
  }));

  r.set('removefunctionmsg', def('Failed to remove function', { functionid: 'string' }, (m, { core, callerId, payloadType }) => {
    const { state } = core;
    if (m.functionid === '') throw badRequest('Failed to remove function, msg.FunctionID is empty');
    const f = state.functions.get(m.functionid);
    if (!f) throw notFound('Failed to remove function, function does not exist');
    const executor = state.executorByName(f.colonyname, f.executorname);
    requireMembership(state, callerId, f.colonyname);
    // The server dereferences the executor without a check: a missing one is a panic behind gin's recovery.
    if (!executor) return PANIC_REPLY;
    if (executor.executorid !== callerId) throw forbidden('Not allowed to remove a function from another executor');
    state.functions.delete(f.functionid);
    return emptyReply(payloadType);
  }));
}
