// Channel append / read over HTTP (docs/protocol.md §4.9, §6).
import { ProcessState } from '../../colonies/types';
import { requireMembership } from '../auth';
import { ChannelError, entryJson } from '../channels';
import type { Channel, ChannelRouter } from '../channels';
import { def } from '../dispatch';
import type { Registry } from '../dispatch';
import { emptyReply, okReply } from '../envelope';
import { forbidden, internal, notFound, RpcError } from '../errors';
import type { ColonyState, ProcessRec } from '../state';

/** The existing channel, or a lazily re-created empty one (name in spec.channels, process not SUCCESS/FAILED). */
export function openChannel(channels: ChannelRouter, p: ProcessRec, name: string): Channel {
  const existing = channels.get(p.processid, name);
  if (existing) return existing;
  const declared = ((p.spec.channels ?? []) as string[]).includes(name);
  if (p.state === ProcessState.SUCCESS || p.state === ProcessState.FAILED || !declared) throw notFound('Channel not found');
  try {
    channels.createIfMissing(p.processid, name, p.initiatorid, p.assignedexecutorid);
  } catch (err) {
    throw internal((err as Error).message);
  }
  const created = channels.get(p.processid, name);
  if (!created) throw notFound('Channel not found');
  return created;
}

/** Process lookup + membership + channel, the common head of append, read and subscribe. */
export function channelFor(state: ColonyState, channels: ChannelRouter, callerId: string, processId: string, name: string): Channel {
  const p = state.processes.get(processId);
  if (!p) throw notFound('Process not found');
  requireMembership(state, callerId, p.spec.conditions.colonyname);
  return openChannel(channels, p, name);
}

export function channelFailure(err: unknown, unauthorizedText: string): RpcError {
  if (err instanceof ChannelError) {
    if (err.code === 'unauthorized') return forbidden(unauthorizedText);
    return internal(err.message);
  }
  return err instanceof RpcError ? err : internal((err as Error)?.message ?? String(err));
}

export function registerChannelHandlers(r: Registry): void {
  r.set('channelappendmsg', def('Failed to append to channel', {
    processid: 'string', name: 'string', sequence: 'int64', inreplyto: 'int64', payload: 'bytes', payloadtype: 'string',
  }, (m, { core, callerId, payloadType }) => {
    const ch = channelFor(core.state, core.channels, callerId, m.processid, m.name);
    try {
      core.channels.append(ch.id, callerId, m.sequence, m.inreplyto, m.payload, m.payloadtype || 'data');
    } catch (err) {
      throw channelFailure(err, 'Not authorized to write to channel');
    }
    return emptyReply(payloadType);
  }));

  r.set('channelreadmsg', def('Failed to read from channel', {
    processid: 'string', name: 'string', afterseq: 'int64', limit: 'int',
  }, (m, { core, callerId, payloadType }) => {
    const ch = channelFor(core.state, core.channels, callerId, m.processid, m.name);
    try {
      return okReply(payloadType, core.channels.readAfter(ch.id, callerId, m.afterseq, m.limit).map(entryJson));
    } catch (err) {
      throw channelFailure(err, 'Not authorized to read from channel');
    }
  }));
}
