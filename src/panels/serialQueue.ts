// Runs async tasks one at a time (a transcript file's appends, drop records and compactions). No `vscode`.

/**
 * Runs tasks one at a time in the order they were added. A task's failure goes to its own caller only. Nothing is
 * chained: the queue is an array that empties as tasks finish, so it does not grow with the number of writes.
 */
export class SerialQueue {
  private readonly tasks: Array<() => Promise<void>> = [];
  private running = false;
  private idleWaiters: Array<() => void> = [];

  run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.tasks.push(() => task().then(resolve, reject));
      void this.pump();
    });
  }

  /** Resolves when every task added so far has finished. */
  idle(): Promise<void> {
    if (!this.running && this.tasks.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get size(): number {
    return this.tasks.length + (this.running ? 1 : 0);
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    while (this.tasks.length > 0) await this.tasks.shift()!();
    this.running = false;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
