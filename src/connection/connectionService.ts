// The active connection: one profile, one ColoniesClient (disposed on switch), a probed state.
import { DEFAULT_STALE_LIMIT_MS } from '../store/whyWaiting';
import * as vscode from 'vscode';
import { ColoniesClient } from '../colonies/index';
import { crypto } from '../colonies/crypto';
import { UserFacingError } from '../base/errors';
import { Disposable } from '../base/disposable';
import type { ConnectionChange, ConnectionProfile, ConnectionService, ConnectionState, Session } from './types';
import { connectionKey } from '../store/processStore';
import type { PrivateKeyStore } from './privateKeys';
import { environmentKeyFor, environmentOwnerKeyFor } from './envImport';
import type { ProfileStore } from './profileStore';
import { address, probeConnection } from './probe';
import { identityKey, isPlainHttpToRemote, plainHttpWarning } from './identity';
import { readCaFile } from './caFile';
import type { WorkspaceConnectionGuard } from './workspaceConnections';
import { errorMessage } from '../colonies/rpc';

const PROBE_TIMEOUT_MS = 10_000;

function sameProfile(a: ConnectionProfile | undefined, b: ConnectionProfile | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Bounds a workspace's settings cannot leave: at least 1 s, at most 1 h (setTimeout overflows past ~24.8 days). */
export const MAX_REQUEST_TIMEOUT_S = 3600;

export function requestTimeoutMs(): number {
  const seconds = vscode.workspace.getConfiguration('colonyos').get<number>('requestTimeout') ?? 30;
  return Math.min(MAX_REQUEST_TIMEOUT_S, Math.max(1, Number(seconds) || 30)) * 1000;
}

/**
 * How long an executor may be silent before the server unregisters it: colonyos.executors.staleAfter (seconds, for a
 * server whose COLONIES_STALE_EXECUTOR_DURATION is not the default), else the server's default. One reader for the
 * Executors view and "Why is it waiting?".
 */
export function staleLimitMs(): number {
  const v = vscode.workspace.getConfiguration('colonyos').get<unknown>('executors.staleAfter');
  return typeof v === 'number' && Number.isFinite(v) && v >= 10 ? v * 1000 : DEFAULT_STALE_LIMIT_MS;
}

export class ConnectionServiceImpl extends Disposable implements ConnectionService, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ConnectionChange>();
  readonly onDidChange = this.changeEmitter.event;
  private currentProfile: ConnectionProfile | undefined;
  private currentClient: ColoniesClient | undefined;
  private currentState: ConnectionState = { kind: 'none' };
  /** Holders per client (panels on the connection they were opened on); a replaced client lives until 0. */
  private readonly holders = new Map<ColoniesClient, number>();
  /** Replaced clients that are still held. */
  private readonly retired = new Set<ColoniesClient>();
  private readonly droppedEmitter = new vscode.EventEmitter<string>();
  /** Fires a store key (store/processStore.ts connectionKey) when its client is gone for good: forget its entries. */
  readonly onDidDropConnection = this.droppedEmitter.event;
  private cachedId: { key: string; id: string } | undefined;
  /** Why the profile's CA certificate file cannot be used; the connection is not used until it is fixed. */
  private caProblem: string | undefined;
  private probeGeneration = 0;
  /** What the workspace's own settings files say about connections (all ignored); set at activation. */
  workspaceConnections: WorkspaceConnectionGuard | undefined;

  constructor(
    readonly profiles: ProfileStore,
    readonly keys: PrivateKeyStore,
    private readonly output: vscode.LogOutputChannel,
  ) {
    super();
    // Disposed newest first: the listeners, then the emitter.
    this.register(this.changeEmitter);
    this.register(this.droppedEmitter);
    this.registerAll(
      profiles.onDidChange(() => this.reload()),
      keys.onDidChange((identity) => {
        if (this.currentProfile && identity === identityKey(this.currentProfile)) void this.checkConnection();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        // The client's timeout is fixed at construction: rebuild it.
        if (e.affectsConfiguration('colonyos.requestTimeout') && this.currentProfile) this.reload(true);
      }),
    );
  }

  get profile(): ConnectionProfile | undefined {
    return this.currentProfile;
  }

  get client(): ColoniesClient | undefined {
    return this.currentClient;
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** The id of the active key when already known (synchronous; for error messages). */
  get knownId(): string | undefined {
    return this.currentState.kind === 'connected' ? this.currentState.myId : this.cachedId?.id;
  }

  /** Re-reads settings; a changed active profile gets a new client and a new probe. */
  reload(force = false): void {
    const next = this.profiles.active();
    if (!force && sameProfile(next, this.currentProfile)) return;
    const profileChanged = !sameProfile(next, this.currentProfile);
    this.retire(this.currentClient);
    this.currentClient = undefined;
    this.currentProfile = next;
    this.cachedId = undefined;
    this.caProblem = undefined;
    void vscode.commands.executeCommand('setContext', 'colonyos.hasConnection', !!next);
    if (!next) {
      this.setState({ kind: 'none' }, { profile: profileChanged, client: true });
      return;
    }
    const { ca, problem } = caOf(next);
    this.caProblem = problem;
    // Back to a server a panel still holds a client for: share that client, so the panel and the views use one
    // client and one store key for that server, not two.
    const held = force ? undefined : [...this.retired].find((c) => reusable(this.profileOf.get(c), next));
    if (held) {
      this.retired.delete(held);
      this.currentClient = held;
      this.output.info(`Connection "${next.name}": ${address(next)}, colony ${next.colonyName} (the client an open panel holds)`);
      this.changeEmitter.fire({ profile: profileChanged, client: true, state: false });
      void this.checkConnection();
      return;
    }
    this.currentClient = this.newClient(next, ca);
    this.output.info(`Connection "${next.name}": ${address(next)}, colony ${next.colonyName}${ca ? `, CA certificate ${next.caFile}` : ''}`);
    if (isPlainHttpToRemote(next)) this.output.warn(`Connection "${next.name}": ${plainHttpWarning(next)}`);
    if (this.caProblem) this.output.error(this.caProblem);
    this.changeEmitter.fire({ profile: profileChanged, client: true, state: false });
    void this.checkConnection();
  }

  retainClient(client: ColoniesClient): vscode.Disposable {
    this.holders.set(client, (this.holders.get(client) ?? 0) + 1);
    let released = false;
    return {
      dispose: () => {
        if (released) return;
        released = true;
        const n = (this.holders.get(client) ?? 1) - 1;
        if (n > 0) return void this.holders.set(client, n);
        this.holders.delete(client);
        if (this.retired.delete(client)) this.disposeClient(client);
      },
    };
  }

  /** A replaced client: disposed now, or when its last holder lets go. */
  private retire(client: ColoniesClient | undefined): void {
    if (!client) return;
    if (this.holders.has(client)) this.retired.add(client);
    else this.disposeClient(client);
  }

  private disposeClient(client: ColoniesClient): void {
    client.dispose();
    const profile = this.profileOf.get(client);
    if (profile) this.droppedEmitter.fire(connectionKey(identityKey(profile), client));
  }

  /** The profile each client was made for (for its store key when it is disposed). */
  private readonly profileOf = new WeakMap<ColoniesClient, ConnectionProfile>();

  private newClient(profile: ConnectionProfile, ca: Buffer | undefined): ColoniesClient {
    const client = new ColoniesClient({
      host: profile.host,
      port: profile.port,
      tls: profile.tls,
      ca,
      timeoutMs: requestTimeoutMs(),
      logger: { debug: (m) => this.output.debug(m), warn: (m) => this.output.warn(m) },
    });
    this.profileOf.set(client, profile);
    return client;
  }

  async getPrivateKey(): Promise<string | undefined> {
    const profile = this.currentProfile;
    if (!profile) return undefined;
    // The key stored for this server identity (never for a profile name); otherwise the user's environment when it
    // describes this very server and colony.
    return (await this.keys.get(profile)) ?? environmentKeyFor(profile, process.env);
  }

  /** The colony owner's key for the active connection: stored for its server identity, or from the environment. */
  async getColonyOwnerKey(): Promise<string | undefined> {
    const profile = this.currentProfile;
    if (!profile) return undefined;
    return (await this.keys.getOwner(profile)) ?? environmentOwnerKeyFor(profile, process.env);
  }

  setColonyOwnerKey(profile: ConnectionProfile, prvkey: string): Promise<void> {
    return this.keys.setOwner(profile, prvkey);
  }

  async myId(): Promise<string | undefined> {
    const key = await this.getPrivateKey();
    return key ? this.idFor(key) : undefined;
  }

  private idFor(key: string): string {
    if (this.cachedId?.key !== key) this.cachedId = { key, id: crypto.id(key) };
    return this.cachedId.id;
  }

  async requireSession(identity?: string): Promise<Session> {
    if (identity !== undefined && (!this.currentProfile || identityKey(this.currentProfile) !== identity)) return this.sessionFor(identity);
    const profile = this.currentProfile;
    const client = this.currentClient;
    if (!profile || !client) {
      throw new UserFacingError('No ColonyOS connection is configured.', [
        { title: 'Add Connection', command: 'colonyos.addConnection' },
        { title: 'Start Local Colony', command: 'colonyos.startLocalColony' },
      ]);
    }
    if (this.caProblem) throw new UserFacingError(this.caProblem, [{ title: 'Edit Connection', command: 'colonyos.editConnection' }]);
    const prvkey = await this.getPrivateKey();
    if (!prvkey) {
      throw new UserFacingError(`Connection "${profile.name}" has no private key.`, [
        { title: 'Set Private Key', command: 'colonyos.setPrivateKey' },
        { title: 'Generate Private Key', command: 'colonyos.generatePrivateKey' },
      ]);
    }
    // The id of this very key (a second Secret Storage read could see another one).
    return { client, profile, prvkey, myId: this.idFor(prvkey), key: connectionKey(identityKey(profile), client) };
  }

  /**
   * A session on a connection that is not the active one: a panel restored after a window reload keeps the server it
   * was opened on. Its client is held only by whoever retains it (retainClient), like a replaced client.
   */
  private async sessionFor(identity: string): Promise<Session> {
    const profile = this.profiles.list().find((p) => identityKey(p) === identity);
    if (!profile) {
      throw new UserFacingError(`This was opened on ${identity}, which none of your connections points to any more. Add a connection to it to reconnect.`, [
        { title: 'Add Connection', command: 'colonyos.addConnection' },
      ]);
    }
    const { ca, problem } = caOf(profile);
    if (problem) throw new UserFacingError(problem, [{ title: 'Edit Connection', command: 'colonyos.editConnection' }]);
    const prvkey = (await this.keys.get(profile)) ?? environmentKeyFor(profile, process.env);
    if (!prvkey) throw new UserFacingError(`Connection "${profile.name}" has no private key.`, [{ title: 'Set Private Key', command: 'colonyos.setPrivateKey' }]);
    let client = [...this.retired].find((c) => reusable(this.profileOf.get(c), profile));
    if (!client) {
      client = this.newClient(profile, ca);
      this.retired.add(client);
      this.output.info(`Connection "${profile.name}": ${address(profile)}, colony ${profile.colonyName}, for a panel opened on it`);
    }
    return { client, profile, prvkey, myId: crypto.id(prvkey), key: connectionKey(identityKey(profile), client) };
  }

  async checkConnection(): Promise<void> {
    const profile = this.currentProfile;
    const client = this.currentClient;
    if (!profile || !client) {
      this.setState({ kind: 'none' });
      return;
    }
    const generation = ++this.probeGeneration;
    if (this.caProblem) {
      this.setState({ kind: 'unreachable', reason: this.caProblem });
      return;
    }
    this.setState({ kind: 'connecting' });
    let state: ConnectionState;
    try {
      const prvkey = await this.getPrivateKey();
      state = await probeConnection(client, profile, prvkey, { timeoutMs: Math.min(PROBE_TIMEOUT_MS, requestTimeoutMs()) });
    } catch (err) {
      state = { kind: 'unreachable', reason: errorMessage(err) };
    }
    if (generation !== this.probeGeneration || client !== this.currentClient) return;
    if (state.kind === 'unreachable' || state.kind === 'unauthorized') this.output.warn(`Connection "${profile.name}": ${state.reason}`);
    else this.output.info(`Connection "${profile.name}": ${state.kind}`);
    this.setState(state);
  }

  /** Called by views when a request fails or succeeds, so the status bar follows what the user sees. */
  noteRequestOutcome(ok: boolean): void {
    const kind = this.currentState.kind;
    if (ok && (kind === 'unreachable' || kind === 'unauthorized')) void this.checkConnection();
    if (!ok && kind === 'connected') void this.checkConnection();
  }

  /** Sets the state; fires when it or anything in `also` changed. */
  private setState(state: ConnectionState, also: { profile?: boolean; client?: boolean } = {}): void {
    const changed = JSON.stringify(state) !== JSON.stringify(this.currentState);
    this.currentState = state;
    if (changed || also.profile || also.client) {
      this.changeEmitter.fire({ profile: !!also.profile, client: !!also.client, state: changed });
    }
  }

  override dispose(): void {
    this.probeGeneration++;
    this.currentClient?.dispose();
    this.currentClient = undefined;
    for (const c of this.retired) c.dispose();
    this.retired.clear();
    super.dispose();
  }
}

/** A client made for `was` can serve `next`: the same server identity, address, TLS and CA file. */
function reusable(was: ConnectionProfile | undefined, next: ConnectionProfile): boolean {
  return (
    !!was &&
    identityKey(was) === identityKey(next) &&
    was.host === next.host &&
    was.port === next.port &&
    was.tls === next.tls &&
    (was.caFile ?? '') === (next.caFile ?? '')
  );
}

/** The profile's CA certificate, or why it cannot be used (then the connection is not used until it is fixed). */
function caOf(profile: ConnectionProfile): { ca?: Buffer; problem?: string } {
  if (!profile.tls || !profile.caFile) return {};
  const read = readCaFile(profile.caFile);
  return typeof read === 'string' ? { problem: `Connection "${profile.name}": ${read}` } : { ca: read };
}
