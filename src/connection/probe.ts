// Decides the connection state by asking the server for the colony with the profile's key.
// No `vscode` import: used by the service and by the integration tests.
import { crypto } from '../colonies/crypto';
import { ColoniesError, ColoniesTransportError } from '../colonies/rpc';
import { isCertificateError } from '../colonies/transport';
import type { Colony } from '../colonies/types';
import { notMemberText, unreachableText } from '../base/errorText';
import type { ConnectionProfile, ConnectionState } from './types';
import { errorMessage } from '../colonies/rpc';

export interface ColonyProbeClient {
  getColony(colonyName: string, prvkey: string, opts?: { timeoutMs?: number; signal?: AbortSignal }): Promise<Colony>;
}

export function address(profile: Pick<ConnectionProfile, 'host' | 'port' | 'tls'>): string {
  return `${profile.tls ? 'https' : 'http'}://${profile.host}:${profile.port}`;
}

/** Maps a failed getColony to a state; the reason names the server or the id involved. */
export function stateFromProbeError(err: unknown, profile: ConnectionProfile, myId: string | undefined): ConnectionState {
  if (err instanceof ColoniesError) {
    if (/not a member of Colony/i.test(err.message)) {
      return { kind: 'unauthorized', reason: notMemberText(profile.colonyName, myId), myId };
    }
    if (/does not exist/i.test(err.message)) {
      return {
        kind: 'unauthorized',
        reason: `The server at ${address(profile)} has no colony named "${profile.colonyName}". Check the colony name of this connection.`,
        myId,
      };
    }
    if (err.status === 401 || err.status === 403) return { kind: 'unauthorized', reason: `The server refused the key: ${err.message}`, myId };
    return { kind: 'unreachable', reason: `The server at ${address(profile)} answered with an error: ${err.message} (status ${err.status})` };
  }
  if (err instanceof ColoniesTransportError && isCertificateError(err)) {
    return { kind: 'unreachable', reason: `ColonyOS server ${address(profile)} is not trusted: ${err.message}. ${certificateHint(profile)}` };
  }
  if (err instanceof ColoniesTransportError) {
    return { kind: 'unreachable', reason: unreachableText(address(profile), err) };
  }
  return { kind: 'unreachable', reason: `Could not reach ${address(profile)}: ${errorMessage(err)}` };
}

export async function probeConnection(
  client: ColonyProbeClient,
  profile: ConnectionProfile,
  prvkey: string | undefined,
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ConnectionState> {
  if (!prvkey) return { kind: 'noKey' };
  let myId: string;
  try {
    myId = crypto.id(prvkey);
  } catch (err) {
    return { kind: 'unauthorized', reason: (err as Error).message };
  }
  try {
    await client.getColony(profile.colonyName, prvkey, opts);
    return { kind: 'connected', myId };
  } catch (err) {
    return stateFromProbeError(err, profile, myId);
  }
}

/** What to change when the server's certificate is rejected: the profile's CA certificate file. */
export function certificateHint(profile: Pick<ConnectionProfile, 'name' | 'caFile'>): string {
  return profile.caFile
    ? `The CA certificate file "${profile.caFile}" of connection "${profile.name}" did not sign this server's certificate: ` +
        'point "caFile" of that connection (in the colonyos.connections user setting) at the right PEM file, or run "ColonyOS: Edit Connection".'
    : `Set "caFile" of connection "${profile.name}" in the colonyos.connections user setting to the CA certificate (PEM) ` +
        'that signed it, or run "ColonyOS: Edit Connection" and choose the CA certificate file.';
}

export function describeState(state: ConnectionState): string {
  switch (state.kind) {
    case 'none':
      return 'no connection';
    case 'connecting':
      return 'connecting';
    case 'connected':
      return 'connected';
    case 'unreachable':
      return 'unreachable';
    case 'unauthorized':
      return 'unauthorized';
    case 'noKey':
      return 'no private key';
  }
}
