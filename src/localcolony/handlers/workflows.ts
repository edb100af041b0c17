// Workflows / process graphs (docs/protocol.md §4.8).
import { ProcessState } from '../../colonies/types';
import { requireColonyOwner, requireMembership } from '../auth';
import { def } from '../dispatch';
import type { Registry } from '../dispatch';
import { emptyReply, okReply } from '../envelope';
import { badRequest, internal } from '../errors';
import { WORKFLOW_SPEC } from '../schemas';
import { graphJson } from '../state';
import type { ColonyState, GraphRec } from '../state';
import { graphDrawing, graphProcessIds } from '../workflows';
import { limit, MAX_COUNT } from './processes';

function graphOr(state: ColonyState, id: string, action: string): GraphRec {
  const g = state.graphs.get(id);
  if (!g) throw internal(`Failed to ${action} processgraph, graph is nil`);
  g.processids = graphProcessIds(state, g);
  return g;
}

function removeGraph(state: ColonyState, g: GraphRec, removeProcess: (id: string) => void): void {
  state.graphs.delete(g.processgraphid);
  for (const p of [...state.processes.values()]) if (p.processgraphid === g.processgraphid) removeProcess(p.processid);
}

export function registerWorkflowHandlers(r: Registry): void {
  r.set('submitworkflowspecmsg', def('Failed to submit workkflow', { spec: { ptr: WORKFLOW_SPEC } }, (m, { core, callerId, payloadType }) => {
    if (!m.spec) throw badRequest('Failed to submit workflow, msg.WorkflowSpec is nil');
    requireMembership(core.state, callerId, m.spec.colonyname);
    const g = core.controller.submitWorkflow(m.spec, callerId);
    return okReply(payloadType, graphJson(g, { zeroTimes: true }));
  }, { mismatchPrefix: 'Failed to submit workflow' }));

  r.set('getprocessgraphmsg', def('Failed to get processgraph', { processgraphid: 'string' }, (m, { core, callerId, payloadType }) => {
    const g = graphOr(core.state, m.processgraphid, 'get');
    requireMembership(core.state, callerId, g.colonyname);
    return okReply(payloadType, graphJson(g, graphDrawing(core.state, g)));
  }));

  r.set('getprocessgraphsmsg', def('Failed to get processgraphs', { colonyname: 'string', count: 'int', state: 'int' }, (m, { core, callerId, payloadType }) => {
    const { state } = core;
    requireMembership(state, callerId, m.colonyname);
    if (![0, 1, 2, 3, 4].includes(m.state)) throw badRequest('invalid msg.State');
    if (m.count > MAX_COUNT) throw badRequest(`Count is larger than MaxCount limit <${MAX_COUNT}>`);
    const graphs = [...state.graphs.values()]
      .filter((g) => g.colonyname === m.colonyname && g.state === m.state)
      .sort((a, b) => ((b.submissiontime ?? 0n) > (a.submissiontime ?? 0n) ? 1 : (b.submissiontime ?? 0n) < (a.submissiontime ?? 0n) ? -1 : 0));
    const list = limit(graphs, m.count).map((g) => {
      g.processids = graphProcessIds(state, g);
      return graphJson(g);
    });
    return okReply(payloadType, list.length ? list : null);
  }));

  r.set('cancelprocessgraphmsg', def('Failed to cancel processgraph', { processgraphid: 'string' }, (m, { core, callerId, payloadType }) => {
    const g = graphOr(core.state, m.processgraphid, 'cancel');
    requireMembership(core.state, callerId, g.colonyname);
    core.controller.cancelGraph(g);
    return emptyReply(payloadType);
  }));

  r.set('removeprocessgraphmsg', def('Failed to remove processgraph', { processgraphid: 'string', all: 'bool' }, (m, { core, callerId, payloadType }) => {
    const g = graphOr(core.state, m.processgraphid, 'remove');
    requireMembership(core.state, callerId, g.colonyname);
    if (g.state === ProcessState.RUNNING) throw badRequest('Failed to remove processgraph, cannot remove a running processgraph');
    removeGraph(core.state, g, (id) => core.controller.removeProcess(id));
    return emptyReply(payloadType);
  }));

  r.set('removeallprocessgraphsmsg', def('Failed to remove all processgraphs', { colonyname: 'string', state: 'int' }, (m, { core, callerId, payloadType }) => {
    requireColonyOwner(core.state, callerId, m.colonyname);
    if (m.state === ProcessState.RUNNING) throw badRequest('not possible to remove running processgraphs');
    if (![-1, 0, 2, 3, 4].includes(m.state)) throw badRequest('invalid state when deleting all processgraphs');
    for (const g of [...core.state.graphs.values()]) {
      if (g.colonyname === m.colonyname && (m.state === -1 || g.state === m.state)) {
        removeGraph(core.state, g, (id) => core.controller.removeProcess(id));
      }
    }
    return emptyReply(payloadType);
  }));
}
