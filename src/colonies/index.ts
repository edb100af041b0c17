// Public surface of the ColonyOS client (no `vscode` import anywhere below src/colonies).

export { ColoniesClient, isTerminal, normalizeProcess } from './client';
export type {
  ChannelAppendOptions,
  ChannelReadAllOptions,
  ColoniesClientOptions,
  ColoniesLogger,
  LogQuery,
  NewExecutor,
  ProcessFilters,
  SubscribeChannelOptions,
} from './clientOptions';
export type { CallOptions } from './transport';
export { DEFAULT_MAX_REPLY_BYTES, originOf, ReplyTooLargeError } from './transport';
export { ChannelStream } from './stream';
export type { ChannelStreamOptions, StreamStatus } from './stream';
export { ChannelSession } from './session';
export type { ChannelSessionOptions, SendOptions } from './session';
export { OrderedTranscript } from './transcript';
export type { OrderedTranscriptOptions, TranscriptCap, TranscriptChange, TranscriptChangeEvent } from './transcript';
export { Emitter } from './events';
export type { Disposable, Event } from './events';
export { funcSpec } from './funcspec';
export type { FuncSpecInput } from './funcspec';
export { Crypto, crypto, CryptoError, isValidPrivateKey, recoverId, sha3Hex, validatePrivateKey } from './crypto';
export { ColoniesError, ColoniesTransportError, createEnvelope, decodeBase64, decodeEnvelope, decodeReply, encodeBase64 } from './rpc';
export { parseJson, stringifyJson, toBigInt } from './json';
export { GO_ZERO_TIME, isZeroTime, parseTime, parseTimeNs } from './time';
export { MAX_CHANNEL_PAYLOAD_BYTES, entryKey, entryText } from './entries';
export { DEFAULT_MAX_IN_FLIGHT } from './limiter';
export { backoffMs, delay, isRateLimited } from './retry';
export { errorMessage } from './rpc';
export * from './types';
