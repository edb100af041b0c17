// The connection service contract (docs/architecture.md, Layers): one active profile, one shared client, a probed state.
import type * as vscode from 'vscode';
import type { ColoniesClient } from '../colonies/index';

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
}

export interface ConnectionService {
  /** The active profile. */
  readonly profile: ConnectionProfile | undefined;
  /** ONE shared client for the active profile; replaced (old one disposed) on switch. */
  readonly client: ColoniesClient | undefined;
  readonly state: ConnectionState;
  /** Fires when the profile is switched or the state changes. */
  readonly onDidChange: vscode.Event<void>;
  /** The private key of the active profile, from SecretStorage. */
  getPrivateKey(): Promise<string | undefined>;
  myId(): Promise<string | undefined>;
  /** Throws a UserFacingError with actions (Add Connection / Set Private Key) when the connection is not usable. */
  requireSession(): Promise<Session>;
  /** Re-probes the server; updates `state`. */
  checkConnection(): Promise<void>;
}
