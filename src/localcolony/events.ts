// Process events, as the server's event handler routes them (docs/protocol.md §4.6, §5.1, §5.2, P4):
// listeners are keyed by target = executortype + state + location. A signal reaches every listener bound to that
// process id, and exactly ONE general listener (assign long-polls and subscribeprocessesmsg), round-robin.
import type { ProcessRec } from './state';

export interface ProcessListener {
  /** Set for subscribeprocessmsg listeners; unset for general ones. */
  processId?: string;
  deliver(p: ProcessRec): void;
}

export interface Registration {
  dispose(): void;
}

export class EventHub {
  private readonly listeners = new Map<string, Map<string, ProcessListener>>();
  private readonly nextIndex = new Map<string, number>();
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

  register(executorType: string, state: number, location: string, listener: ProcessListener): Registration {
    const t = EventHub.target(executorType, state, location);
    let group = this.listeners.get(t);
    if (!group) {
      group = new Map();
      this.listeners.set(t, group);
    }
    const id = String(this.idCounter++);
    group.set(id, listener);
    return {
      dispose: () => {
        const g = this.listeners.get(t);
        if (!g) return;
        g.delete(id);
        if (g.size === 0) this.listeners.delete(t);
      },
    };
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

  clear(): void {
    this.listeners.clear();
  }
}
