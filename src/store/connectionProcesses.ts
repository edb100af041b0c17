// The process store seen through one connection (store/processStore.ts): what a panel, a document or a wait holds.
// No `vscode` import.
import type { Disposable } from '../colonies/events';
import type { Process } from '../colonies/types';
import type { ProcessStore, StoreConnection } from './processStore';

/** The store seen through one connection: what a panel or a document holds for its whole life. */
export class ConnectionProcesses {
  constructor(
    readonly store: ProcessStore,
    readonly conn: StoreConnection,
  ) {}

  get(processId: string): Process | undefined {
    return this.store.get(this.conn, processId);
  }

  read(processId: string, opts?: { signal?: AbortSignal }): Promise<Process> {
    return this.store.read(this.conn, processId, opts);
  }

  watch(processId: string, owner?: object): Disposable {
    return this.store.watch(this.conn, processId, owner);
  }

  onProcess(processId: string, listener: (p: Process | undefined, gone?: string) => void): Disposable {
    return this.store.onProcess(this.conn, processId, listener);
  }

  /** Resolves with the process once `done` says so (checked on every change and at once); undefined when aborted. */
  async until(processId: string, done: (p: Process) => boolean, signal: AbortSignal): Promise<Process | undefined> {
    const owner = {};
    let sub: Disposable | undefined;
    let watch: Disposable | undefined;
    try {
      return await new Promise<Process | undefined>((resolve, reject) => {
        const check = (p: Process | undefined, gone?: string) => {
          if (p && done(p)) resolve(p);
          else if (gone) reject(new Error(gone));
        };
        if (signal.aborted) return resolve(undefined);
        signal.addEventListener('abort', () => resolve(undefined), { once: true });
        sub = this.onProcess(processId, check);
        const now = this.get(processId);
        if (now && done(now)) return resolve(now);
        watch = this.watch(processId, owner);
      });
    } finally {
      sub?.dispose();
      watch?.dispose();
    }
  }
}
