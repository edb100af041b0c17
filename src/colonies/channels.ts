// Channel calls' helpers for the client: the append message, and reading a whole log in pages under the reply cap.

import { checkPayloadSize, payloadBytes } from './entries';
import type { ChannelAppendOptions, ChannelReadAllOptions } from './clientOptions';
import { ReplyTooLargeError, type CallOptions } from './transport';
import type { ChannelEntry } from './types';

/** The `channelappendmsg` message; throws when the payload is over 10 MiB. */
export function channelAppendMessage(
  processId: string,
  channel: string,
  sequence: number,
  payload: string | Uint8Array,
  opts: ChannelAppendOptions,
): Record<string, unknown> {
  const bytes = payloadBytes(payload);
  checkPayloadSize(bytes);
  const msg: Record<string, unknown> = {
    processid: processId,
    name: channel,
    sequence,
    payload: Buffer.from(bytes).toString('base64'),
  };
  if (opts.inReplyTo) msg.inreplyto = opts.inReplyTo;
  if (opts.payloadType) msg.payloadtype = opts.payloadType;
  return msg;
}

/**
 * Reads the log from index `from` (default 0) to its end in pages, so a long log of large messages never has to
 * fit in one reply under the size cap: a page that comes back too large is read again at half the size.
 */
export async function readAllPages(
  read: (at: number, limit: number, call: CallOptions) => Promise<ChannelEntry[]>,
  opts: ChannelReadAllOptions,
): Promise<ChannelEntry[]> {
  const { from, pageSize, ...call } = opts;
  const all: ChannelEntry[] = [];
  let page = Math.max(1, Math.floor(pageSize ?? 200));
  let at = Math.max(0, from ?? 0);
  for (;;) {
    let got: ChannelEntry[];
    try {
      got = await read(at, page, call);
    } catch (err) {
      if (!(err instanceof ReplyTooLargeError) || page === 1) throw err;
      page = Math.ceil(page / 2);
      continue;
    }
    for (const e of got) all.push(e);
    at += got.length;
    if (got.length < page) return all;
  }
}
