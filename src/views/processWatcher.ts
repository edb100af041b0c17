// Watches chosen processes (mine, or opened) with subscribeprocessmsg, one process at a time per watch.
// Never subscribeprocessesmsg: that one steals wake-ups from executors (docs/protocol.md P4). No `vscode` import.
import { isTerminal } from '../colonies/client';
import { ColoniesError } from '../colonies/rpc';
import { ProcessState, type Process } from '../colonies/types';
import { errorMessage } from '../colonies/retry';

export interface WatchClient {
  subscribeProcess(processId: string, state: ProcessState, timeoutSeconds: number, prvkey: string, opts?: { signal?: AbortSignal }): Promise<Process>;
  getProcess(processId: string, prvkey: string, opts?: { signal?: AbortSignal }): Promise<Process>;
}

export interface WatchSession {
  client: WatchClient;
  prvkey: string;
}

export interface ProcessWatcherOptions {
  session: () => Promise<WatchSession>;
  onUpdate: (p: Process) => void;
  onLog?: (message: string) => void;
  /** Seconds each subscription lasts before it is renewed (the server then drops the socket, docs/protocol.md P9). */
  subscriptionSeconds?: number;
  maxWatched?: number;
  retryDelayMs?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The states a watch waits for next: one socket per expected transition keeps the server load small. */
export function nextStates(state: ProcessState): ProcessState[] {
  if (state === ProcessState.WAITING) return [ProcessState.RUNNING];
  if (state === ProcessState.RUNNING) return [ProcessState.SUCCESS, ProcessState.FAILED];
  return [];
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

export class ProcessWatcher {
  private readonly watches = new Map<string, AbortController>();
  private readonly seconds: number;
  private readonly maxWatched: number;
  private readonly retryDelayMs: number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(private readonly options: ProcessWatcherOptions) {
    this.seconds = options.subscriptionSeconds ?? 60;
    this.maxWatched = options.maxWatched ?? 10;
    this.retryDelayMs = options.retryDelayMs ?? 5000;
    this.sleep = options.sleep ?? defaultSleep;
  }

  get watchedIds(): string[] {
    return [...this.watches.keys()];
  }

  isWatching(processId: string): boolean {
    return this.watches.has(processId);
  }

  /** Starts watching until the process finishes; the oldest watch is dropped beyond `maxWatched`. */
  watch(processId: string): void {
    if (this.watches.has(processId)) return;
    while (this.watches.size >= this.maxWatched) {
      const oldest = this.watches.keys().next().value as string;
      this.unwatch(oldest);
    }
    const ctrl = new AbortController();
    this.watches.set(processId, ctrl);
    void this.loop(processId, ctrl.signal).finally(() => {
      if (this.watches.get(processId) === ctrl) this.watches.delete(processId);
    });
  }

  unwatch(processId: string): void {
    this.watches.get(processId)?.abort();
    this.watches.delete(processId);
  }

  dispose(): void {
    for (const ctrl of this.watches.values()) ctrl.abort();
    this.watches.clear();
  }

  private async loop(processId: string, signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        const { client, prvkey } = await this.options.session();
        const current = await client.getProcess(processId, prvkey, { signal });
        if (signal.aborted) return;
        this.options.onUpdate(current);
        if (isTerminal(current.state)) return;
        const inner = new AbortController();
        const stop = () => inner.abort();
        signal.addEventListener('abort', stop);
        const started = Date.now();
        let delivered = true;
        try {
          // Whichever expected state comes first wins; the other subscriptions are closed.
          await Promise.any(
            nextStates(current.state).map((s) => client.subscribeProcess(processId, s, this.seconds, prvkey, { signal: inner.signal })),
          ).catch(() => (delivered = false));
        } finally {
          signal.removeEventListener('abort', stop);
          inner.abort();
        }
        // A subscription refused at once (e.g. WebSockets blocked) must not turn into a busy loop.
        if (!delivered && Date.now() - started < 1000) await this.sleep(this.retryDelayMs, signal);
        failures = 0;
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof ColoniesError && (err.status === 404 || err.status === 403)) {
          this.options.onLog?.(`Stopped watching process ${processId}: ${err.message}`);
          return;
        }
        failures++;
        this.options.onLog?.(`Watching process ${processId} failed (${failures}): ${errorMessage(err)}`);
        await this.sleep(Math.min(this.retryDelayMs * 2 ** Math.min(failures - 1, 4), 60_000), signal);
      }
    }
  }
}
