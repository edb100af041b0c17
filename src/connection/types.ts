// The connection service (docs/architecture.md, Layers): one active profile, one shared client for it, a probed
// state; its event says which of the three changed.
import type * as vscode from 'vscode';
import type { ColoniesClient } from '../colonies/index';
import { connectionKey, type StoreConnection } from '../store/processStore';
import { identityKey } from './identity';
import type { CatalogConnection } from '../store/colonyCatalog';

export interface ConnectionProfile {
  name: string;
  host: string;
  port: number;
  tls: boolean;
  colonyName: string;
  /** HTTPS only: a PEM file with the certificate authority (or authorities) that signed the server's certificate. */
  caFile?: string;
}

export type ConnectionState =
  | { kind: 'none' }
  | { kind: 'connecting' }
  | { kind: 'connected'; myId: string }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'unauthorized'; reason: string; myId?: string }
  | { kind: 'noKey' };

export interface Session {
  client: ColoniesClient;
  profile: ConnectionProfile;
  prvkey: string;
  myId: string;
  /** The process store's key for this server identity and this client (store/processStore.ts connectionKey). */
  key: string;
}

/** What a session is to the process store: its key, its client and its key pair. */
export function storeConnection(s: Session): StoreConnection {
  return { key: s.key, client: s.client, prvkey: s.prvkey, colonyName: s.profile.colonyName };
}

/** The store (and catalog) key of the active connection, or undefined without one; synchronous, for events. */
export function activeStoreKey(c: { readonly profile: ConnectionProfile | undefined; readonly client: ColoniesClient | undefined }): string | undefined {
  return c.profile && c.client ? connectionKey(identityKey(c.profile), c.client) : undefined;
}

/** What a session is to the colony catalog (store/colonyCatalog.ts). */
export function catalogConnection(s: Session): CatalogConnection {
  return { key: s.key, client: s.client, prvkey: s.prvkey, colonyName: s.profile.colonyName };
}

/** What changed; several at once when a switch replaced the profile and its client and reset the state. */
export interface ConnectionChange {
  /** Another active profile (or its settings changed). */
  readonly profile: boolean;
  /** The shared client was replaced (or removed): sessions taken before belong to the previous one. */
  readonly client: boolean;
  /** `state` changed. */
  readonly state: boolean;
}

export interface ConnectionService {
  /** The active profile. */
  readonly profile: ConnectionProfile | undefined;
  /** ONE shared client for the active profile; replaced (old one disposed) on switch. */
  readonly client: ColoniesClient | undefined;
  readonly state: ConnectionState;
  /** Fires when the profile, the client or the state changes, saying which. */
  readonly onDidChange: vscode.Event<ConnectionChange>;
  /**
   * Keeps `client` open after a switch while the returned Disposable is held: a panel keeps talking to the server it
   * was opened on. The client is disposed when the switch happened and the last holder let go.
   */
  retainClient(client: ColoniesClient): vscode.Disposable;
  /** The private key of the active profile, from SecretStorage. */
  getPrivateKey(): Promise<string | undefined>;
  /** The colony owner's key for the active connection, if the user stored one or the environment has it. */
  getColonyOwnerKey(): Promise<string | undefined>;
  /** Stores the colony owner's key for the profile's server identity (Secret Storage). */
  setColonyOwnerKey(profile: ConnectionProfile, prvkey: string): Promise<void>;
  myId(): Promise<string | undefined>;
  /** Throws a UserFacingError with actions (Add Connection / Set Private Key) when the connection is not usable. */
  /**
   * The active connection's session; with `identity` (connection/identity.ts identityKey), that server's even when
   * another connection is active (a restored panel keeps its server).
   */
  requireSession(identity?: string): Promise<Session>;
  /** Re-probes the server; updates `state`. */
  checkConnection(): Promise<void>;
}
