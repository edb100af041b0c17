// A base for objects that own disposables (listeners, watchers, child objects): register them once, dispose them
// all once, in reverse order. No `vscode` import: anything with dispose() fits, so the store and the client can
// use it too.

// The contract is the client's own (colonies/events.ts Disposable), named IDisposable here only so it does not clash
// with this base class: one interface, one base.
import type { Disposable as IDisposable } from '../colonies/events';

export type { IDisposable };

export abstract class Disposable implements IDisposable {
  private readonly owned: IDisposable[] = [];
  private disposed = false;

  /** True once dispose() ran. */
  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Takes ownership of `d` (disposed at once if this object already is) and returns it. */
  protected register<T extends IDisposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.owned.push(d);
    return d;
  }

  protected registerAll(...ds: IDisposable[]): void {
    for (const d of ds) this.register(d);
  }

  /** Disposes everything registered, newest first; a throwing disposable does not stop the others. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const d of this.owned.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} disposables failed`);
  }
}
