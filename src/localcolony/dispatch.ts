// POST /api: the server's order of checks (docs/protocol.md §2.2) and the handler registry.
import type { ChannelRouter } from './channels';
import type { Controller } from './controller';
import { decodePayload, errorReply, parseEnvelope, PANIC_REPLY, recoverCaller } from './envelope';
import type { Reply } from './envelope';
import { RpcError } from './errors';
import { GoJsonError, goUnmarshal } from './gojson';
import type { GoStruct, Schema } from './gojson';
import { msg } from './schemas';
import type { ColonyState } from './state';

export interface ServerCore {
  readonly state: ColonyState;
  readonly controller: Controller;
  readonly channels: ChannelRouter;
  /** What getserverinfomsg reports. */
  readonly httpPort: () => number;
  readonly log: (line: string) => void;
}

export interface HandlerContext {
  callerId: string;
  payloadType: string;
  core: ServerCore;
  /** Fires when the HTTP client goes away (ends long-polls). */
  clientGone: AbortSignal;
}

export interface HandlerDef {
  schema: Schema;
  invalidJson: string;
  mismatch: string;
  handle(m: GoStruct, ctx: HandlerContext): Reply | Promise<Reply>;
}

export type Registry = Map<string, HandlerDef>;

export interface DefOptions {
  /** Some handlers word the msgtype check differently from their invalid-JSON text. */
  mismatchPrefix?: string;
  /** A few handlers spell it `msg.msgType`. */
  lowerMsgType?: boolean;
}

export function def(
  prefix: string,
  fields: { [k: string]: Schema },
  handle: HandlerDef['handle'],
  opts: DefOptions = {},
): HandlerDef {
  return {
    schema: msg(fields),
    invalidJson: `${prefix}, invalid JSON`,
    mismatch: `${opts.mismatchPrefix ?? prefix}, msg.${opts.lowerMsgType ? 'msgType' : 'MsgType'} does not match payloadType`,
    handle,
  };
}


/** Decodes the inner message into the handler's schema: invalid JSON → 400, JSON null → Go nil-pointer panic. */
export function decodeInner(payload: string, schema: Schema): { ok: true; msg: GoStruct } | { ok: false; error: GoJsonError | 'nil' } {
  try {
    const value = goUnmarshal(decodePayload(payload), schema) as GoStruct | null;
    if (value === null) return { ok: false, error: 'nil' };
    return { ok: true, msg: value };
  } catch (err) {
    if (err instanceof GoJsonError) return { ok: false, error: err };
    throw err;
  }
}

async function runHandler(h: HandlerDef, payload: string, ctx: HandlerContext): Promise<Reply> {
  const inner = decodeInner(payload, h.schema);
  if (!inner.ok) return inner.error === 'nil' ? PANIC_REPLY : errorReply(400, h.invalidJson);
  if (inner.msg.msgtype !== ctx.payloadType) return errorReply(400, h.mismatch);
  try {
    return await h.handle(inner.msg, ctx);
  } catch (err) {
    if (err instanceof RpcError) return errorReply(err.status, err.message);
    ctx.core.log(`local colony: ${ctx.payloadType} handler failed: ${(err as Error)?.stack ?? String(err)}`);
    return errorReply(500, (err as Error)?.message ?? String(err));
  }
}

export interface ApiHooks {
  registry: Registry;
  serverInfo: () => Reply;
}

export async function handleApi(body: Uint8Array, core: ServerCore, hooks: ApiHooks, clientGone: AbortSignal, peer?: object): Promise<Reply> {
  const parsed = parseEnvelope(body);
  if (!parsed.ok) return parsed.reply;
  const env = parsed.env;
  if (env.payloadtype === 'versionmsg') {
    const h = hooks.registry.get('versionmsg') as HandlerDef;
    return runHandler(h, env.payload, { callerId: '', payloadType: env.payloadtype, core, clientGone });
  }
  if (env.payloadtype === 'getserverinfomsg') return hooks.serverInfo();
  const caller = recoverCaller(env, peer);
  if ('error' in caller) return errorReply(403, caller.error);
  const h = hooks.registry.get(env.payloadtype);
  if (!h) {
    return errorReply(
      403,
      env.payloadtype === ''
        ? 'invalid rpcMsg.PayloadType: empty (this usually means the client is misconfigured - check that COLONIES_PRVKEY and other environment variables are set correctly)'
        : `invalid rpcMsg.PayloadType: ${env.payloadtype}`,
    );
  }
  return runHandler(h, env.payload, { callerId: caller.id, payloadType: env.payloadtype, core, clientGone });
}
