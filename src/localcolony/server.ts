// The local colony server: composition of state, controller, channels, timers, HTTP and WebSocket,
// plus the instrumentation tests and benchmarks use (in-flight counts, dropping sockets, restart).
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { ChannelRouter, DEFAULT_CHANNEL_RATE_LIMITS } from './channels';
import type { ChannelRateLimits } from './channels';
import { Controller } from './controller';
import { handleApi } from './dispatch';
import type { ApiHooks, ServerCore } from './dispatch';
import { EventHub } from './events';
import { serverInfoReply } from './handlers/colonies';
import { buildRegistry } from './handlers';
import { route } from './http';
import type { BodyBudget } from './http';
import { LIMIT_STATUS, limitTexts, resolveLimits, SubscriptionBudget } from './limits';
import type { LocalColonyLimits } from './limits';
import { errorBody } from './envelope';
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
  channelLimits?: Partial<ChannelRateLimits>;
  /** What one client may hold (connections, bodies, subscriptions) and how long it may take; defaults in limits.ts. */
  limits?: Partial<LocalColonyLimits>;
  log?: (line: string) => void;
}

export class LocalColonyServer {
  readonly state: ColonyState;
  readonly channels: ChannelRouter;
  readonly events = new EventHub();
  readonly controller: Controller;
  readonly stats: ServerStats;
  readonly limits: Readonly<LocalColonyLimits>;
  /** Subscriptions held on the whole server, against `limits.maxSubscriptions`. */
  readonly subscriptions: SubscriptionBudget;
  private readonly bodies: BodyBudget = { held: 0 };
  private readonly core: ServerCore;
  private readonly hooks: ApiHooks;
  private readonly log: (line: string) => void;
  private http: Server | undefined;
  private wss: WebSocketServer | undefined;
  private readonly sockets = new Set<Socket>();
  /** Connections refused over the cap: whatever they send is never routed. */
  private readonly refused = new WeakSet<Socket>();
  private readonly clients = new Set<WebSocket>();
  private stopTimers: (() => void) | undefined;
  private boundPort = 0;
  private boundHost = '127.0.0.1';

  constructor(opts: LocalColonyServerOptions = {}) {
    this.state = opts.state ?? new ColonyState();
    this.channels = new ChannelRouter({ ...DEFAULT_CHANNEL_RATE_LIMITS, ...opts.channelLimits });
    this.log = opts.log ?? (() => undefined);
    this.limits = resolveLimits(opts.limits);
    this.subscriptions = new SubscriptionBudget(this.limits.maxSubscriptions);
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

  /** /pubsub connections still open on this side (a test's view of whether sockets are cleaned up). */
  get openWebSockets(): number {
    return this.clients.size;
  }

  /** Bytes of request bodies being received right now (what `limits.maxBufferedBodyBytes` counts). */
  get bodyBytesHeld(): number {
    return this.bodies.held;
  }

  /** TCP connections open now, HTTP and WebSocket alike (what `limits.maxConnections` counts). */
  get openConnections(): number {
    return this.sockets.size;
  }

  /**
   * Over the connection cap, a new connection gets one 503 answer with an error envelope, written before its request
   * is read (an HTTP client reads it as the answer to its request; a WebSocket client as a refused upgrade), and is
   * closed. It is never counted and never reaches the router.
   */
  private refuseConnection(socket: Socket): void {
    this.refused.add(socket);
    socket.pause();
    const body = errorBody(LIMIT_STATUS.tooManyConnections, limitTexts.tooManyConnections(this.limits.maxConnections));
    const head = [
      'HTTP/1.1 503 Service Unavailable',
      'Access-Control-Allow-Origin: *',
      'Content-Type: text/plain; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
    ].join('\r\n');
    socket.end(`${head}\r\n\r\n${body}`);
    setTimeout(() => socket.destroy(), 1000).unref();
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<void> {
    if (this.http) throw new Error('Local colony is already listening');
    const limits = this.limits;
    // Node checks the header deadline on this period: a fraction of it, so a short test deadline holds too.
    const connectionsCheckingInterval = Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4)));
    const http = createServer({ connectionsCheckingInterval }, (req, res) => {
      if (this.refused.has(req.socket)) return;
      route(req, res, {
        api: (body, gone, peer) => handleApi(body, this.core, this.hooks, gone, peer),
        body: { ...limits, budget: this.bodies },
        onApiStart: () => {
          this.stats.requests++;
          this.stats.inFlight++;
          if (this.stats.inFlight > this.stats.inFlightPeak) this.stats.inFlightPeak = this.stats.inFlight;
        },
        onApiEnd: () => {
          this.stats.inFlight--;
        },
        onError: (err) => this.log(`local colony: request failed: ${(err as Error)?.stack ?? String(err)}`),
      });
    });
    // Node's request timeout would also cover the body, but answers without an envelope: the body deadline is
    // readBody's (http.ts). Headers get the real server's 10 s (ReadHeaderTimeout), a connection that sends
    // nothing included; keep-alive idle sockets close after 120 s as on the real server (IdleTimeout).
    http.requestTimeout = 0;
    http.headersTimeout = limits.headersTimeoutMs;
    http.keepAliveTimeout = 120_000;
    http.on('connection', (socket: Socket) => {
      if (this.sockets.size >= limits.maxConnections) {
        this.refuseConnection(socket);
        return;
      }
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    // maxPayload: a larger frame ends its socket before it is buffered.
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: limits.maxFrameBytes });
    http.on('upgrade', (req, socket: Socket, head) => {
      const path = (req.url ?? '/').split('?')[0];
      if (this.refused.has(socket) || path !== '/pubsub') {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        this.clients.add(ws);
        ws.on('close', () => this.clients.delete(ws));
        attachPubsub(ws, this.core, this.events, { budget: this.subscriptions, maxPerSocket: limits.maxSubscriptionsPerSocket });
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
    // Upgraded sockets are not the HTTP server's any more: wait for them separately, so none outlives close().
    const wsGone = [...this.clients].map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve())));
    this.dropAllSockets();
    this.wss?.close();
    this.wss = undefined;
    const closed = new Promise<void>((resolve) => http.close(() => resolve()));
    for (const s of [...this.sockets]) s.destroy();
    await Promise.all([closed, ...wsGone]);
    this.channels.clear();
    this.events.clear();
    this.subscriptions.clear();
  }

  /** Closes and listens again on the same port; processes survive, channels do not (as on a real server). */
  async restart(): Promise<void> {
    const port = this.boundPort;
    const host = this.boundHost;
    await this.close();
    await this.listen(port, host);
  }
}
