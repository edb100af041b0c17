// Process events, as the server's event handler routes them (docs/protocol.md §4.6, §5.1, §5.2, P4):
// listeners are keyed by target = executortype + state + location. A signal reaches every listener bound to that
// process id, and exactly ONE general listener (assign long-polls and subscribeprocessesmsg), round-robin.
// Which one depends on every registration before it: ids come from one counter shared by all registrations and
// are ordered as strings ("10" before "9"), and the round-robin position of a target outlives its listeners.
import type { ProcessRec } from './state';

export interface ProcessListener {
  /** Set for subscribeprocessmsg listeners; unset for general ones. */
  processId?: string;
  deliver(p: ProcessRec): void;
  /** Called when a registration made with a lifetime runs out (it is already removed then). */
  expired?(): void;
}

export interface Registration {
  dispose(): void;
}

export class EventHub {
  private readonly listeners = new Map<string, Map<string, ProcessListener>>();
  private readonly nextIndex = new Map<string, number>();
  private readonly lifetimes = new Set<ReturnType<typeof setTimeout>>();
  private idCounter = 0;

  private static target(executorType: string, state: number, location: string): string {
    return `${executorType}${state}${location}`;
  }

  /** Registered process listeners (subscriptions and assign waiters); tests wait on it instead of sleeping. */
  get listenerCount(): number {
    let n = 0;
    for (const group of this.listeners.values()) n += group.size;
    return n;
  }

  /**
   * Adds a listener under a fresh id. With `lifetimeMs` the registration removes itself after that long and
   * then calls `listener.expired` (a subscription's timeout, which does not depend on its socket staying open).
   */
  register(executorType: string, state: number, location: string, listener: ProcessListener, lifetimeMs?: number): Registration {
    const t = EventHub.target(executorType, state, location);
    let group = this.listeners.get(t);
    if (!group) {
      group = new Map();
      this.listeners.set(t, group);
    }
    const id = String(this.idCounter++);
    group.set(id, listener);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const dispose = (): void => {
      if (timer !== undefined) {
        clearTimeout(timer);
        this.lifetimes.delete(timer);
        timer = undefined;
      }
      const g = this.listeners.get(t);
      if (!g || g.get(id) !== listener) return;
      g.delete(id);
      if (g.size === 0) this.listeners.delete(t);
    };
    if (lifetimeMs !== undefined) {
      timer = setTimeout(() => {
        dispose();
        listener.expired?.();
      }, lifetimeMs);
      this.lifetimes.add(timer);
    }
    return { dispose };
  }

  /** Delivers snapshots; listeners must not assume the record stays unchanged. */
  signal(p: ProcessRec): void {
    const snapshot = structuredClone(p);
    const location: string = p.spec.conditions.locationname ?? '';
    const prefix = `${p.spec.conditions.executortype}${p.state}`;
    const targets = location
      ? [EventHub.target(p.spec.conditions.executortype, p.state, location), EventHub.target(p.spec.conditions.executortype, p.state, '')]
      : [...this.listeners.keys()].filter((t) => t.startsWith(prefix));
    const deliveries: Array<() => void> = [];
    let generalWoken = false;
    for (const t of targets) {
      const group = this.listeners.get(t);
      if (!group) continue;
      for (const l of group.values()) {
        if (l.processId !== undefined && l.processId === p.processid) deliveries.push(() => l.deliver(snapshot));
      }
      if (generalWoken) continue;
      // Go sorts the listener ids as strings.
      const general = [...group.entries()].filter(([, l]) => l.processId === undefined).map(([id]) => id).sort();
      if (general.length === 0) continue;
      const idx = (this.nextIndex.get(t) ?? 0) % general.length;
      const chosen = group.get(general[idx]) as ProcessListener;
      this.nextIndex.set(t, (idx + 1) % general.length);
      generalWoken = true;
      deliveries.push(() => chosen.deliver(snapshot));
    }
    for (const d of deliveries) d();
  }

  /** Forgets everything, as a restarted server starts afresh. */
  clear(): void {
    for (const timer of this.lifetimes) clearTimeout(timer);
    this.lifetimes.clear();
    this.listeners.clear();
    this.nextIndex.clear();
    this.idCounter = 0;
  }
}
