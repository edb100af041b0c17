// Process logs (docs/protocol.md §4.7): assignee-only writes; reads with SQL LIMIT semantics and bigint timestamps;
// a colony-wide search (searchlogsmsg).
import { ProcessState } from '../../colonies/types';
import { requireMembership } from '../auth';
import { nowNs } from '../clock';
import { def } from '../dispatch';
import type { Registry } from '../dispatch';
import { emptyReply, okReply } from '../envelope';
import { badRequest, forbidden, internal } from '../errors';
import { logJson } from '../state';
import type { LogRec } from '../state';
import { limit } from './processes';

export const MAX_LOG_COUNT = 500;
/** searchlogsmsg caps (docs/protocol.md §4.7). */
export const MAX_SEARCH_COUNT = 100;
export const MAX_SEARCH_DAYS = 30;
const DAY_NS = 86_400_000_000_000n;

/**
 * The server's `MSG LIKE '%' || text || '%'` (case-sensitive; `%` and `_` in the text are wildcards too, and a
 * backslash takes the next character literally) as a regular expression.
 */
export function likePattern(text: string): RegExp {
  // By code point, so `_` stands for one character even outside the Basic Multilingual Plane.
  const pattern = Array.from(`%${text}%`);
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && i + 1 < pattern.length) re += escapeRegExp(pattern[++i]);
    else if (ch === '%') re += '[\\s\\S]*';
    else if (ch === '_') re += '[\\s\\S]';
    else re += escapeRegExp(ch);
  }
  return new RegExp(`^${re}$`, 'u');
}

function escapeRegExp(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function registerLogHandlers(r: Registry): void {
  r.set('addlogmsg', def('Failed to add log', { processid: 'string', message: 'string' }, (m, { core, callerId }) => {
    const p = core.state.processes.get(m.processid);
    if (!p) throw internal('Failed to add log, process is nil');
    requireMembership(core.state, callerId, p.spec.conditions.colonyname);
    const executor = core.state.executorById(callerId);
    // (sic) the server reports the set-output text here.
    if (p.state !== ProcessState.RUNNING) throw forbidden('Failed to set output, process is not running');
    if (p.assignedexecutorid !== callerId || !executor) {
      throw forbidden('Failed to add log, not allowed to add log, only the assigned Executor may att logs');
    }
    core.state.logs.push({
      processid: p.processid,
      colonyname: p.spec.conditions.colonyname,
      executorname: executor.executorname,
      message: m.message,
      timestamp: nowNs(),
    });
    return emptyReply('addlogmsg');
  }));

  r.set('getlogsmsg', def('Failed to get logs', {
    colonyname: 'string', processid: 'string', executorname: 'string', count: 'int', since: 'int64', latest: 'bool',
  }, (m, { core, callerId, payloadType }) => {
    const { state } = core;
    let matching: (l: LogRec) => boolean;
    if (m.executorname !== '') {
      const e = state.executorByName(m.colonyname, m.executorname);
      if (!e) throw internal('Failed to get logs, executor does not exist');
      requireMembership(state, callerId, e.colonyname);
      matching = (l) => l.executorname === m.executorname;
    } else {
      const p = state.processes.get(m.processid);
      if (!p) throw internal('Failed to get logs, process does not exist');
      requireMembership(state, callerId, p.spec.conditions.colonyname);
      matching = (l) => l.processid === m.processid;
    }
    if (m.count > MAX_LOG_COUNT) throw forbidden(`Count exceeds max log count (${MAX_LOG_COUNT})`);
    const all = state.logs.filter(matching);
    let logs: LogRec[];
    if (m.latest) {
      logs = limit([...all].reverse(), m.count).reverse();
    } else if (m.since > 0n) {
      logs = limit(all.filter((l) => l.timestamp > m.since), m.count);
    } else {
      logs = limit(all, m.count);
    }
    return okReply(payloadType, logs.length ? logs.map(logJson) : null);
  }));

  // (sic) the server words the mismatch as a get, and the day cap as a count.
  r.set('searchlogsmsg', def('Failed to search logs', { colonyname: 'string', text: 'string', days: 'int', count: 'int' }, (m, { core, callerId, payloadType }) => {
    requireMembership(core.state, callerId, m.colonyname);
    if (m.count > MAX_SEARCH_COUNT) throw badRequest(`Count exceeds max log count (${MAX_SEARCH_COUNT})`);
    if (m.days > MAX_SEARCH_DAYS) throw badRequest(`Count exceeds max day count (${MAX_SEARCH_DAYS})`);
    const after = nowNs() - BigInt(m.days) * DAY_NS;
    const like = likePattern(m.text);
    const found = core.state.logs.filter((l) => l.colonyname === m.colonyname && l.timestamp > after && like.test(l.message));
    const logs = limit(found, m.count);
    return okReply(payloadType, logs.length ? logs.map(logJson) : null);
  }, { mismatchPrefix: 'Failed to get logs' }));
}
