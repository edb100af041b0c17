// Process attributes (docs/protocol.md §10): the assigned executor adds them while the process runs; any approved member
// of the process's colony reads them by id. They are listed in the process's `attributes` after the ENV ones.
import { ProcessState } from '../../colonies/types';
import { requireMembership } from '../auth';
import { def } from '../dispatch';
import type { Registry } from '../dispatch';
import { okReply } from '../envelope';
import { badRequest, forbidden, notFound } from '../errors';
import { ATTRIBUTE } from '../schemas';
import { attributeId, attributeJson } from '../state';
import type { AttributeRec } from '../state';

/** What a real server's database reports for a second attribute with the same id (same process, key and type). */
const DUPLICATE_ATTRIBUTE_ID = 'pq: duplicate key value violates unique constraint "prod_attributes_pkey"';

export function registerAttributeHandlers(r: Registry): void {
  r.set('addattributemsg', def('Failed to add attribute', { attribute: ATTRIBUTE }, (m, { core, callerId, payloadType }) => {
    const { state } = core;
    const a = m.attribute;
    const p = state.processes.get(a.targetid);
    if (!p) throw notFound('Failed to add attribute, process not found');
    requireMembership(state, callerId, p.spec.conditions.colonyname);
    if (p.state !== ProcessState.RUNNING) throw forbidden('Failed to add attribute, process is not running');
    if (p.assignedexecutorid !== callerId) {
      throw forbidden(`Failed to add attribute, only executor with id <${p.assignedexecutorid}> is allowed to set attributes`);
    }
    // The id is derived, the graph id is the process's; the colony name and state are kept as sent.
    const rec: AttributeRec = {
      attributeid: attributeId(a.targetid, a.key, a.attributetype),
      targetid: a.targetid,
      targetcolonyname: a.targetcolonyname,
      targetprocessgraphid: p.processgraphid,
      state: a.state,
      attributetype: a.attributetype,
      key: a.key,
      value: a.value,
    };
    if (state.attributeById(rec.attributeid)) throw badRequest(DUPLICATE_ATTRIBUTE_ID);
    p.attributes.push(rec);
    return okReply(payloadType, attributeJson(rec, p.state));
  }));

  r.set('getattributemsg', def('Failed to get attribute', { attributeid: 'string' }, (m, { core, callerId, payloadType }) => {
    const found = core.state.attributeById(m.attributeid);
    if (!found) throw badRequest('Attribute does not exists');
    requireMembership(core.state, callerId, found.process.spec.conditions.colonyname);
    return okReply(payloadType, attributeJson(found.attribute, found.process.state));
  }));
}
