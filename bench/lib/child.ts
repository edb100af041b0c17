// The parent side of bench/child.ts: fork, request/response over IPC, clock offset estimation, stop.
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { nowMs } from './stats';

export class BenchChild {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private constructor(private readonly proc: ChildProcess) {
    proc.on('message', (m: { id: number; value?: unknown; error?: string }) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.error !== undefined) w.reject(new Error(m.error));
      else w.resolve(m.value);
    });
    proc.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`bench child exited (${code})`));
      this.waiting.clear();
    });
  }

  static async start(role: 'server' | 'sender'): Promise<BenchChild> {
    const proc = fork(path.join(__dirname, '..', 'child.ts'), [role], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const child = new BenchChild(proc);
    await new Promise<void>((resolve, reject) => {
      child.waiting.set(0, { resolve: () => resolve(), reject });
    });
    return child;
  }

  request<T = any>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.proc.send({ id, cmd, ...args });
    });
  }

  /** This process's clock minus the child's, from the round trip with the smallest delay. */
  async clockOffset(samples = 20): Promise<number> {
    let best = { rtt: Infinity, offset: 0 };
    for (let i = 0; i < samples; i++) {
      const t0 = nowMs();
      const theirs = await this.request<number>('clock');
      const t1 = nowMs();
      if (t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: (t0 + t1) / 2 - theirs };
    }
    return best.offset;
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise<void>((r) => this.proc.once('exit', () => r()));
    await this.request('stop').catch(() => undefined);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (this.proc.exitCode === null) this.proc.kill();
  }
}
