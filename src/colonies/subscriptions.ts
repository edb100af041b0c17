// The client's WebSocket subscriptions: a channel's entries, and a process reaching a state (src/colonies/pubsub.ts carries them).

import { isOverflowMarker, toChannelEntries } from './entries';
import { normalizeProcess } from './normalize';
import { runSubscription, type PubsubHandlers, type PubsubOptions } from './pubsub';
import { ColoniesTransportError, createEnvelope, type RpcEnvelope } from './rpc';
import type { CallOptions } from './transport';
import type { SubscribeChannelOptions } from './clientOptions';
import { PROCESS_STATE_NAMES, type ChannelEntry, type Process, type ProcessState } from './types';

/** Time allowed beyond a subscription's own timeout before the client gives up on the server. */
const SUBSCRIPTION_GRACE_MS = 5000;

/** One WebSocket subscription with a client's connection settings; `guardMs` bounds it if the server goes quiet. */
export type Subscribe = (envelope: RpcEnvelope, what: string, guardMs: number, opts: CallOptions, handlers: PubsubHandlers) => Promise<void>;

/** A client's connection settings for its subscriptions; `timeoutMs` is its call timeout, used to connect. */
export type SubscriptionSettings = Omit<PubsubOptions, 'url' | 'envelope' | 'what' | 'connectTimeoutMs' | 'guardMs' | 'signal'> & {
  origin: string;
  tls: boolean;
  timeoutMs: number;
};

/** The `Subscribe` of a client: each subscription opens its own socket to the server's /pubsub. */
export function subscriber(settings: SubscriptionSettings): Subscribe {
  const { origin, tls, timeoutMs, ...socket } = settings;
  const url = `${tls ? 'wss' : 'ws'}${origin.slice(tls ? 5 : 4)}/pubsub`;
  return (envelope, what, guardMs, opts, handlers) =>
    runSubscription({ ...socket, url, envelope, what, connectTimeoutMs: opts.timeoutMs ?? timeoutMs, guardMs, signal: opts.signal }, handlers);
}

/**
 * Subscribes over WebSocket and resolves with every entry received once the subscription ends: at its
 * timeout (the server's empty frame), when `callback` returns false, or, since the server ends it
 * silently when the process closes (docs/protocol.md P7), at the timeout plus a grace period.
 */
export async function subscribeChannelEntries(
  subscribe: Subscribe,
  processId: string,
  channel: string,
  prvkey: string,
  opts: SubscribeChannelOptions,
): Promise<ChannelEntry[]> {
  const timeout = opts.timeout ?? 30;
  const envelope = createEnvelope(
    'subscribechannelmsg',
    { processid: processId, name: channel, afterseq: opts.afterSeq ?? 0, timeout },
    prvkey,
  );
  const all: ChannelEntry[] = [];
  await subscribe(
    envelope,
    `Channel subscription ${channel} of process ${processId}`,
    (timeout > 0 ? timeout : 30) * 1000 + SUBSCRIPTION_GRACE_MS,
    opts,
    {
      onOpen: opts.onSubscribed,
      onValue: (value) => {
        const batch = toChannelEntries(value);
        if (batch.length === 0) return true;
        all.push(...batch);
        const keepGoing = opts.callback?.(batch) !== false;
        return !keepGoing || batch.some(isOverflowMarker);
      },
      onClose: (code) =>
        new ColoniesTransportError(
          `Channel subscription ${channel} of process ${processId} was cut off: the WebSocket closed (${code}) before the subscription ended`,
          'network',
        ),
      onGuardTimeout: () => undefined,
    },
  );
  return all;
}

/**
 * Resolves with the process frame once the process is in `state` (immediately if it already is). Rejects with a
 * timeout error when it does not get there in `timeoutSeconds`; the server then drops the socket with 1006, which is
 * its normal way of ending (docs/protocol.md P9).
 */
export async function subscribeProcessState(
  subscribe: Subscribe,
  processId: string,
  state: ProcessState,
  timeoutSeconds: number,
  prvkey: string,
  opts: CallOptions & { colonyName?: string; onSubscribed?: () => void },
): Promise<Process | undefined> {
  const envelope = createEnvelope(
    'subscribeprocessmsg',
    { colonyname: opts.colonyName ?? '', processid: processId, executortype: '', state, timeout: timeoutSeconds },
    prvkey,
  );
  const stateName = PROCESS_STATE_NAMES[state] ?? String(state);
  const timeoutError = () =>
    new ColoniesTransportError(`Process ${processId} did not reach state ${stateName} within ${timeoutSeconds} s`, 'timeout');
  let result: Process | undefined;
  await subscribe(
    envelope,
    `Process subscription for ${processId}`,
    Math.max(0, timeoutSeconds) * 1000 + SUBSCRIPTION_GRACE_MS,
    opts,
    {
      onOpen: opts.onSubscribed,
      onValue: (value) => {
        const p = normalizeProcess(value);
        if (p.state !== state) return false;
        result = p;
        return true;
      },
      // The server ends process subscriptions by dropping the socket; near the timeout that is normal.
      onClose: (code, elapsedMs) =>
        elapsedMs >= timeoutSeconds * 1000 - 250
          ? timeoutError()
          : new ColoniesTransportError(
              `Process subscription for ${processId} was cut off: the WebSocket closed (${code}) after ${elapsedMs} ms of ${timeoutSeconds} s`,
              'network',
            ),
      onGuardTimeout: timeoutError,
    },
  );
  return result;
}
