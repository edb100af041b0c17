// Which connection a channel panel talks to, without `vscode`: the one that was active when it opened, kept for the
// panel's life (its client held open), so switching the active connection never changes what the panel says about
// its process. A panel opened with no usable connection takes the first that connects.
import type { ColoniesClient } from '../colonies/index';
import type { Disposable } from '../colonies/events';
import { errorMessage } from '../colonies/rpc';
import { storeConnection, type ConnectionChange, type ConnectionState, type Session } from '../connection/types';
import { ConnectionProcesses, type ProcessStore } from '../store/processStore';
import type { ConnectedSession } from './controllerOptions';

/** What a panel's controller (channel or graph) offers its connection: connect, disconnect, and whether it is offline. */
export interface ConnectableController {
  connect(session: ConnectedSession & { processes: ConnectionProcesses }): Promise<void>;
  disconnect(reason?: string): void;
  readonly view: { readonly status: { readonly kind: string } };
}

/** The part of the connection service a panel uses. */
export interface PanelConnectionSource {
  readonly client: ColoniesClient | undefined;
  readonly state: ConnectionState;
  onDidChange(listener: (change: ConnectionChange) => void): Disposable;
  requireSession(identity?: string): Promise<Session>;
  retainClient(client: ColoniesClient): Disposable;
}

export class PanelConnection implements Disposable {
  private session: Session | undefined;
  private clientHold: Disposable | undefined;
  private readonly subscription: Disposable;
  private connecting = false;
  private disposed = false;

  constructor(
    private readonly source: PanelConnectionSource,
    private readonly controller: ConnectableController,
    private readonly processes: ProcessStore,
    /** The server it was opened on (connection/identity.ts identityKey), kept across window reloads. */
    readonly identity?: string,
  ) {
    this.subscription = source.onDidChange((change) => this.onChange(change));
  }

  /** The connection the panel holds (undefined until it first connected). */
  get held(): Session | undefined {
    return this.session;
  }

  async connect(): Promise<void> {
    if (this.connecting || this.disposed) return;
    this.connecting = true;
    try {
      const session = this.session ?? (await this.source.requireSession(this.identity));
      if (this.disposed) return;
      if (!this.session) {
        this.session = session;
        this.clientHold = this.source.retainClient(session.client);
      }
      const processes = new ConnectionProcesses(this.processes, storeConnection(session));
      await this.controller.connect({ client: session.client, prvkey: session.prvkey, myId: session.myId, processes });
    } catch (err) {
      this.controller.disconnect(errorMessage(err));
    } finally {
      this.connecting = false;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription.dispose();
    this.clientHold?.dispose();
  }

  /** Only the panel's own client coming back (after it was offline) is its business; other switches are not. */
  private onChange(change: ConnectionChange): void {
    const { client, state } = this.source;
    if (!client || state.kind !== 'connected') return;
    if (!this.session) {
      if (change.client || change.state) void this.connect();
    } else if (client === this.session.client && change.state && this.controller.view.status.kind === 'offline') {
      void this.connect();
    }
  }
}
