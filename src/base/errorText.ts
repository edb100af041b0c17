// Turns any thrown value into a sentence a user can act on. No `vscode` import: unit-tested in plain mocha.
import { ColoniesError, ColoniesTransportError } from '../colonies/rpc';
import { CryptoError } from '../colonies/crypto';

/** A button on an error notification that runs a command. */
export interface ErrorAction {
  title: string;
  command: string;
  args?: unknown[];
}

/** An error whose message is already written for the user; `actions` become notification buttons. */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
  readonly actions: ErrorAction[];
  constructor(message: string, actions: ErrorAction[] = []) {
    super(message);
    this.actions = actions;
  }
}

/** What the error handler knows about the active connection, to say which server and which id are involved. */
export interface ErrorContext {
  host?: string;
  port?: number;
  colonyName?: string;
  myId?: string;
}

export interface DescribedError {
  message: string;
  actions: ErrorAction[];
  /** True when nothing should be shown (the user cancelled). */
  silent: boolean;
}

const NOT_MEMBER_RE = /not a member of Colony with name (.*)$/i;

export const SET_KEY_ACTION: ErrorAction = { title: 'Set Private Key', command: 'colonyos.setPrivateKey' };
export const EDIT_CONNECTION_ACTION: ErrorAction = { title: 'Edit Connection', command: 'colonyos.editConnection' };
export const RETRY_ACTION: ErrorAction = { title: 'Retry', command: 'colonyos.retryConnection' };

/** The explanation for 403 "not a member": the key is valid but nobody registered its id in the colony (docs/protocol.md P15). */
export function notMemberText(colony: string, myId: string | undefined): string {
  const who = myId ? `The private key of this connection has the id ${myId}` : 'The private key of this connection';
  return (
    `Access denied: not a member of colony "${colony}". ${who}, which is not a user or an approved executor of that colony. ` +
    'The colony owner must add this id as a user or executor (colony owner and server owner keys are not members).'
  );
}

export function serverLabel(ctx: ErrorContext | undefined): string {
  return ctx?.host ? `${ctx.host}:${ctx.port ?? '?'}` : 'the ColonyOS server';
}

/** What common socket error codes mean to a person, for the unreachable sentence. */
const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'nothing is listening on that port',
  ENOTFOUND: 'the host name is unknown',
  EAI_AGAIN: 'the host name could not be looked up',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'no route to the host',
  ENETUNREACH: 'the network is unreachable',
  ECONNRESET: 'the connection was reset',
};

/**
 * "ColonyOS server <server> is unreachable: nothing is listening on that port (ECONNREFUSED)": the server is named
 * once. The transport's own message already names it ("… failed: cannot reach the ColonyOS server at <origin>
 * (<cause>)", src/colonies/transport.ts); only its cause is kept.
 */
export function unreachableText(server: string, err: ColoniesTransportError): string {
  const what = err.code === 'timeout' ? 'did not answer in time' : 'is unreachable';
  const m = /cannot reach the ColonyOS server at \S+ \((.*)\)$/s.exec(err.message);
  const cause = m ? m[1] : err.message;
  const code = /^[A-Z_]+$/.test(cause.split(' ')[0]) ? cause.split(' ')[0] : undefined;
  const meaning = code ? NETWORK_CAUSES[code] : undefined;
  return `ColonyOS server ${server} ${what}: ${meaning ? `${meaning} (${cause})` : cause}`;
}

export function describeError(err: unknown, ctx?: ErrorContext): DescribedError {
  if (err instanceof UserFacingError) return { message: err.message, actions: err.actions, silent: false };
  if (err instanceof ColoniesTransportError) {
    if (err.code === 'cancelled' || err.code === 'disposed') return { message: err.message, actions: [], silent: true };
    if (err.code === 'protocol') {
      return {
        message: `${serverLabel(ctx)} did not answer like a ColonyOS server: ${err.message}`,
        actions: [EDIT_CONNECTION_ACTION],
        silent: false,
      };
    }
    return {
      message: unreachableText(serverLabel(ctx), err),
      actions: [RETRY_ACTION, EDIT_CONNECTION_ACTION],
      silent: false,
    };
  }
  if (err instanceof ColoniesError) {
    const m = NOT_MEMBER_RE.exec(err.message);
    if (err.status === 403 && m) {
      return { message: notMemberText(m[1].trim() || ctx?.colonyName || '?', ctx?.myId), actions: [SET_KEY_ACTION], silent: false };
    }
    return { message: `ColonyOS server: ${err.message} (status ${err.status})`, actions: [], silent: false };
  }
  if (err instanceof CryptoError) return { message: err.message, actions: [SET_KEY_ACTION], silent: false };
  if (err instanceof Error) {
    if (err.name === 'AbortError') return { message: err.message, actions: [], silent: true };
    return { message: err.message || err.name, actions: [], silent: false };
  }
  return { message: String(err), actions: [], silent: false };
}
