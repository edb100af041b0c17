// The local colony server: composition of state, controller, channels, timers, HTTP and WebSocket,
// plus the instrumentation tests and benchmarks use (in-flight counts, dropping sockets, restart).
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { ChannelRouter, DEFAULT_CHANNEL_LIMITS } from './channels';
import type { ChannelLimits } from './channels';
import { Controller } from './controller';
import { handleApi } from './dispatch';
import type { ApiHooks, ServerCore } from './dispatch';
import { EventHub } from './events';
import { serverInfoReply } from './handlers/colonies';
import { buildRegistry } from './handlers';
import { route } from './http';
import { attachPubsub } from './pubsub';
import { ColonyState } from './state';
import { startTimeoutLoop } from './timers';

export interface ServerStats {
  /** /api requests being served right now (long-polls included). */
  inFlight: number;
  /** Highest `inFlight` since start or the last reset. */
  inFlightPeak: number;
  /** /api requests received since start or the last reset. */
  requests: number;
  reset(): void;
}

export interface LocalColonyServerOptions {
  state?: ColonyState;
  /** Tests lower the channel rate limit to exercise it without flooding (defaults: docs/protocol.md §6). */
  channelLimits?: Partial<ChannelLimits>;
  log?: (line: string) => void;
}

export class LocalColonyServer {
  readonly state: ColonyState;
  readonly channels: ChannelRouter;
  readonly events = new EventHub();
  readonly controller: Controller;
  readonly stats: ServerStats;
  private readonly core: ServerCore;
  private readonly hooks: ApiHooks;
  private readonly log: (line: string) => void;
  private http: Server | undefined;
  private wss: WebSocketServer | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly clients = new Set<WebSocket>();
  private stopTimers: (() => void) | undefined;
  private boundPort = 0;
  private boundHost = '127.0.0.1';

  constructor(opts: LocalColonyServerOptions = {}) {
    this.state = opts.state ?? new ColonyState();
    this.channels = new ChannelRouter({ ...DEFAULT_CHANNEL_LIMITS, ...opts.channelLimits });
    this.log = opts.log ?? (() => undefined);
    this.controller = new Controller(this.state, this.channels, this.events);
    const stats: ServerStats = {
      inFlight: 0,
      inFlightPeak: 0,
      requests: 0,
      reset: () => {
        stats.inFlightPeak = stats.inFlight;
        stats.requests = 0;
      },
    };
    this.stats = stats;
    this.core = {
      state: this.state,
      controller: this.controller,
      channels: this.channels,
      httpPort: () => this.boundPort,
      log: this.log,
    };
    this.hooks = { registry: buildRegistry(), serverInfo: () => serverInfoReply(this.core) };
  }

  get port(): number {
    return this.boundPort;
  }

  get host(): string {
    return this.boundHost;
  }

  get listening(): boolean {
    return this.http?.listening ?? false;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<void> {
    if (this.http) throw new Error('Local colony is already listening');
    const http = createServer((req, res) =>
      route(req, res, {
        api: (body, gone) => handleApi(body, this.core, this.hooks, gone),
        onApiStart: () => {
          this.stats.requests++;
          this.stats.inFlight++;
          if (this.stats.inFlight > this.stats.inFlightPeak) this.stats.inFlightPeak = this.stats.inFlight;
        },
        onApiEnd: () => {
          this.stats.inFlight--;
        },
        onError: (err) => this.log(`local colony: request failed: ${(err as Error)?.stack ?? String(err)}`),
      }),
    );
    // Long-polls last as long as the client asks; keep-alive idle sockets close as on the real server.
    http.requestTimeout = 0;
    http.headersTimeout = 10_000;
    http.keepAliveTimeout = 120_000;
    http.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    http.on('upgrade', (req, socket: Socket, head) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== '/pubsub') {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        this.clients.add(ws);
        ws.on('close', () => this.clients.delete(ws));
        attachPubsub(ws, this.core, this.events);
      });
    });
    http.on('clientError', (_err, socket: Socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      http.once('error', onError);
      http.listen(port, host, () => {
        http.off('error', onError);
        resolve();
      });
    });
    const address = http.address();
    this.boundPort = typeof address === 'object' && address ? address.port : port;
    this.boundHost = host;
    this.http = http;
    this.wss = wss;
    this.stopTimers = startTimeoutLoop(this.controller, (err) => this.log(`local colony: timeout loop failed: ${String(err)}`));
  }

  /** Drops every WebSocket connection abruptly (clients see 1006), as a network failure would. */
  dropAllSockets(): void {
    for (const ws of [...this.clients]) ws.terminate();
  }

  /** Stops listening and closes every socket, long-polls included. State is kept on this object. */
  async close(): Promise<void> {
    const http = this.http;
    if (!http) return;
    this.http = undefined;
    this.stopTimers?.();
    this.stopTimers = undefined;
    this.dropAllSockets();
    this.wss?.close();
    this.wss = undefined;
    const closed = new Promise<void>((resolve) => http.close(() => resolve()));
    for (const s of [...this.sockets]) s.destroy();
    await closed;
    this.channels.clear();
    this.events.clear();
  }

  /** Closes and listens again on the same port; processes survive, channels do not (as on a real server). */
  async restart(): Promise<void> {
    const port = this.boundPort;
    const host = this.boundHost;
    await this.close();
    await this.listen(port, host);
  }
}
