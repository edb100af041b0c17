// The one refresh manager's timing logic (docs/architecture.md, Practices): poll only while the view is visible and a group
// is expanded, coalesce bursts of requests, never overlap runs, back off after failures. The clock is
// injected so the policy is unit-tested without real time. No `vscode` import.

/** The shortest list-poll period any setting can ask for (a workspace's included): a server is not a dashboard. */
export const MIN_REFRESH_INTERVAL_S = 2;
/** The longest: past ~24.8 days setTimeout fires at once, which would turn a huge value into a tight loop. */
export const MAX_REFRESH_INTERVAL_S = 24 * 60 * 60;

/** `colonyos.refreshInterval` (seconds) as a poll period in ms, within the bounds above; 0 (manual only) for 0 or junk. */
export function refreshIntervalMs(seconds: unknown): number {
  const n = typeof seconds === 'number' ? seconds : typeof seconds === 'string' && seconds.trim() ? Number(seconds) : NaN;
  if (!Number.isFinite(n) || n <= 0) return 0;
  return Math.round(Math.min(MAX_REFRESH_INTERVAL_S, Math.max(MIN_REFRESH_INTERVAL_S, n)) * 1000);
}

export interface SchedulerTimer {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimer: SchedulerTimer = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface RefreshSchedulerOptions {
  /** One refresh; a rejection counts as a failure and lengthens the next poll delay. */
  run: () => Promise<void>;
  /** Poll period; 0 = manual refresh only. */
  intervalMs: number;
  debounceMs?: number;
  maxBackoffMs?: number;
  timer?: SchedulerTimer;
  onError?: (err: unknown) => void;
}

export class RefreshScheduler {
  private readonly run: () => Promise<void>;
  private readonly debounceMs: number;
  private readonly maxBackoffMs: number;
  private readonly timer: SchedulerTimer;
  private readonly onError: (err: unknown) => void;
  private intervalMs: number;
  private visible = false;
  private active = false;
  private disposed = false;
  private handle: unknown;
  private handleKind: 'debounce' | 'poll' | undefined;
  private running = false;
  private rerun = false;
  private waitingForNext: (() => void)[] = [];
  private waitingForCurrent: (() => void)[] = [];
  private failures = 0;
  private runs = 0;

  constructor(options: RefreshSchedulerOptions) {
    this.run = options.run;
    this.intervalMs = Math.max(0, options.intervalMs);
    this.debounceMs = options.debounceMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.timer = options.timer ?? realTimer;
    this.onError = options.onError ?? (() => undefined);
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  get runCount(): number {
    return this.runs;
  }

  /** Whether a poll is scheduled (not a debounced manual request). */
  get isPolling(): boolean {
    return this.handleKind === 'poll';
  }

  /** The delay the next poll will use, given the failures so far. */
  nextPollDelay(): number {
    if (this.intervalMs <= 0) return 0;
    const factor = 2 ** Math.min(this.failures, 10);
    return Math.min(this.intervalMs * factor, Math.max(this.intervalMs, this.maxBackoffMs));
  }

  setVisible(visible: boolean): void {
    if (this.visible === visible) return;
    this.visible = visible;
    if (visible) this.requestRefresh();
    else this.clearPoll();
  }

  /** True while at least one state group is expanded. */
  setActive(active: boolean): void {
    if (this.active === active) return;
    this.active = active;
    if (active) this.schedulePoll();
    else this.clearPoll();
  }

  setInterval(ms: number): void {
    this.intervalMs = Math.max(0, ms);
    this.clearPoll();
    this.schedulePoll();
  }

  /** Debounced refresh; several calls within the debounce window produce one run. Works in manual mode too. */
  requestRefresh(): void {
    if (this.disposed) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    if (this.handleKind === 'debounce') return;
    this.clearHandle();
    this.setHandle('debounce', this.debounceMs);
  }

  /** Requests a refresh and resolves once a run that started after this call has finished (never rejects). */
  refreshNow(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.waitingForNext.push(resolve);
      this.requestRefresh();
    });
  }

  dispose(): void {
    this.disposed = true;
    this.clearHandle();
    for (const w of [...this.waitingForNext, ...this.waitingForCurrent]) w();
    this.waitingForNext = [];
    this.waitingForCurrent = [];
  }

  private setHandle(kind: 'debounce' | 'poll', ms: number): void {
    this.handleKind = kind;
    this.handle = this.timer.setTimeout(() => {
      this.handle = undefined;
      this.handleKind = undefined;
      void this.trigger();
    }, ms);
  }

  private clearHandle(): void {
    if (this.handle !== undefined) this.timer.clearTimeout(this.handle);
    this.handle = undefined;
    this.handleKind = undefined;
  }

  private clearPoll(): void {
    if (this.handleKind === 'poll') this.clearHandle();
  }

  private schedulePoll(): void {
    if (this.disposed || this.running || this.handle !== undefined) return;
    if (!this.visible || !this.active || this.intervalMs <= 0) return;
    this.setHandle('poll', this.nextPollDelay());
  }

  private async trigger(): Promise<void> {
    if (this.disposed) return;
    this.running = true;
    this.rerun = false;
    this.waitingForCurrent = this.waitingForNext;
    this.waitingForNext = [];
    this.runs++;
    try {
      await this.run();
      this.failures = 0;
    } catch (err) {
      this.failures++;
      try {
        this.onError(err);
      } catch {
        // a failing error listener must not stop the schedule
      }
    } finally {
      this.running = false;
      const done = this.waitingForCurrent;
      this.waitingForCurrent = [];
      for (const w of done) w();
    }
    if (this.disposed) return;
    if (this.rerun || this.waitingForNext.length > 0) {
      this.rerun = false;
      this.requestRefresh();
    } else {
      this.schedulePoll();
    }
  }
}
