// The option and query types of ColoniesClient's calls (src/colonies/client.ts).

import type { CallOptions, TlsCa } from './transport';
import type { ChannelEntry, Executor } from './types';

export interface ColoniesLogger {
  debug(message: string): void;
  warn(message: string): void;
}

export interface ColoniesClientOptions {
  host: string;
  port: number;
  tls?: boolean;
  /** This client's own cap; the process-wide cap per server (16) applies on top. */
  maxInFlight?: number;
  timeoutMs?: number;
  /** Added to the requested long-poll seconds of `assign`. */
  assignMarginMs?: number;
  /** TLS only: false accepts self-signed certificates. */
  rejectUnauthorized?: boolean;
  /** TLS only: certificate authorities (PEM) to trust for HTTPS and wss, e.g. a private CA of a self-hosted server. */
  ca?: TlsCa;
  /**
   * Largest reply read (HTTP body or WebSocket frame), in bytes. Default 256 MiB; larger replies are refused with
   * a clear error instead of exhausting memory. Capped at Node's longest string (~512 MiB).
   */
  maxReplyBytes?: number;
  logger?: ColoniesLogger;
}

export interface ProcessFilters {
  executortype?: string;
  label?: string;
  initiator?: string;
}

export interface LogQuery {
  since?: bigint;
  latest?: boolean;
  executorName?: string;
}

export type NewExecutor = Pick<Executor, 'executorid' | 'executortype' | 'executorname' | 'colonyname'> & Partial<Executor>;

export interface ChannelAppendOptions extends CallOptions {
  inReplyTo?: number;
  /** Entry type: "data" (default), "end", "error" or any string the parties agree on. */
  payloadType?: string;
}

export interface SubscribeChannelOptions extends CallOptions {
  /** Index into the channel log: the number of entries already held (docs/protocol.md §6), not a sequence. */
  afterSeq?: number;
  /** Seconds the server keeps the subscription (it ends it with an empty frame). Default 30. */
  timeout?: number;
  /** Called with each batch; returning false ends the subscription. */
  callback?: (entries: ChannelEntry[]) => boolean | void;
  /** Called once the subscription request has been sent. */
  onSubscribed?: () => void;
}

export interface ChannelReadAllOptions extends CallOptions {
  /** Index to start at (entries to skip). Default 0. */
  from?: number;
  /** Entries per request to start with; halved whenever a page is over the reply cap. Default 200. */
  pageSize?: number;
}
