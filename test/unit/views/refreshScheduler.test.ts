import * as assert from 'node:assert/strict';
import { RefreshScheduler, type SchedulerTimer } from '../../../src/views/refreshScheduler';

/** A manual clock: timers fire only when the test advances time. */
class FakeTimer implements SchedulerTimer {
  now = 0;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  get pending(): number[] {
    return [...this.timers.values()].map((t) => t.at - this.now).sort((a, b) => a - b);
  }
  /** Advances time, firing due timers in order and letting their promise chains settle. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    await settle();
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
      await settle();
    }
    this.now = end;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function setup(intervalMs = 5000, outcome: () => Promise<void> = async () => undefined) {
  const timer = new FakeTimer();
  const errors: unknown[] = [];
  let runs = 0;
  const s = new RefreshScheduler({
    intervalMs,
    debounceMs: 100,
    maxBackoffMs: 40_000,
    timer,
    onError: (e) => errors.push(e),
    run: async () => {
      runs++;
      await outcome();
    },
  });
  return { s, timer, errors, runs: () => runs };
}

describe('RefreshScheduler', () => {
  it('does not poll while hidden or while no group is expanded', async () => {
    const { s, timer, runs } = setup();
    s.setActive(true);
    await timer.advance(60_000);
    assert.equal(runs(), 0);
    s.setActive(false);
    s.setVisible(true); // becoming visible refreshes once
    await timer.advance(60_000);
    assert.equal(runs(), 1);
    assert.deepEqual(timer.pending, []);
  });

  it('polls at the interval while visible and active, and stops when hidden', async () => {
    const { s, timer, runs } = setup();
    s.setVisible(true);
    s.setActive(true);
    await timer.advance(100);
    assert.equal(runs(), 1);
    await timer.advance(5000);
    assert.equal(runs(), 2);
    await timer.advance(10_000);
    assert.equal(runs(), 4);
    s.setVisible(false);
    await timer.advance(60_000);
    assert.equal(runs(), 4);
  });

  it('debounces a burst of requests into one run', async () => {
    const { s, timer, runs } = setup(0);
    for (let i = 0; i < 10; i++) s.requestRefresh();
    await timer.advance(1000);
    assert.equal(runs(), 1);
  });

  it('interval 0 is manual: no polls, but explicit refreshes run', async () => {
    const { s, timer, runs } = setup(0);
    s.setVisible(true);
    s.setActive(true);
    await timer.advance(100);
    assert.equal(runs(), 1);
    await timer.advance(120_000);
    assert.equal(runs(), 1);
    const done = s.refreshNow();
    await timer.advance(100);
    await done;
    assert.equal(runs(), 2);
  });

  it('never overlaps runs: a request during a run causes exactly one more run', async () => {
    let release!: () => void;
    let concurrent = 0;
    let maxConcurrent = 0;
    const { s, timer, runs } = setup(0, async () => {
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      await new Promise<void>((r) => (release = r));
      concurrent--;
    });
    s.requestRefresh();
    await timer.advance(100);
    assert.equal(runs(), 1);
    s.requestRefresh();
    s.requestRefresh();
    await timer.advance(1000);
    assert.equal(runs(), 1);
    release();
    await timer.advance(100);
    assert.equal(runs(), 2);
    release();
    await timer.advance(1000);
    assert.equal(runs(), 2);
    assert.equal(maxConcurrent, 1);
  });

  it('backs off after failures up to the cap and resets after a success', async () => {
    let fail = true;
    const { s, timer, errors } = setup(5000, async () => {
      if (fail) throw new Error('unreachable');
    });
    s.setVisible(true);
    s.setActive(true);
    await timer.advance(100);
    assert.equal(s.consecutiveFailures, 1);
    assert.deepEqual(timer.pending, [10_000]);
    await timer.advance(10_000);
    assert.deepEqual(timer.pending, [20_000]);
    await timer.advance(20_000);
    assert.deepEqual(timer.pending, [40_000]);
    await timer.advance(40_000);
    assert.deepEqual(timer.pending, [40_000], 'capped');
    assert.equal(errors.length, 4);
    fail = false;
    await timer.advance(40_000);
    assert.equal(s.consecutiveFailures, 0);
    assert.deepEqual(timer.pending, [5000]);
  });

  it('refreshNow resolves after a run that started after the call, even when it fails', async () => {
    const { s, timer } = setup(0, async () => {
      throw new Error('x');
    });
    let resolved = false;
    void s.refreshNow().then(() => (resolved = true));
    await settle();
    assert.equal(resolved, false);
    await timer.advance(100);
    assert.equal(resolved, true);
  });

  it('changing the interval reschedules; dispose stops everything', async () => {
    const { s, timer, runs } = setup(5000);
    s.setVisible(true);
    s.setActive(true);
    await timer.advance(100);
    s.setInterval(1000);
    assert.deepEqual(timer.pending, [1000]);
    await timer.advance(1000);
    assert.equal(runs(), 2);
    s.dispose();
    assert.deepEqual(timer.pending, []);
    s.requestRefresh();
    await timer.advance(10_000);
    assert.equal(runs(), 2);
  });
});
