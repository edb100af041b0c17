// The colony catalog as last seen, kept between sessions (VS Code's globalState) per server identity, so completion
// and hovers in spec files work offline. No `vscode` import: the Memento is passed in. Bounded twice: each saved
// catalog to MAX_SAVED_BYTES (lists halved until it fits) and the number of identities kept to MAX_IDENTITIES.

/** The part of vscode.Memento used here. */
export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export const CATALOG_MEMORY = { maxBytes: 1_000_000, maxIdentities: 8, prefix: 'colonyos.catalog:', index: 'colonyos.catalogIndex' };

function byteLength(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

/** `saved` (ColonyCatalog.saved) cut until its JSON fits in `maxBytes`; undefined when even empty lists do not. */
export function boundSaved(saved: unknown, maxBytes: number = CATALOG_MEMORY.maxBytes): unknown {
  if (!saved || typeof saved !== 'object') return undefined;
  let s = saved as { executors?: unknown[]; functions?: unknown[] };
  if (!Array.isArray(s.executors) || !Array.isArray(s.functions)) return undefined;
  while (byteLength(s) > maxBytes) {
    const executors = s.executors ?? [];
    const functions = s.functions ?? [];
    if (executors.length === 0 && functions.length === 0) return undefined;
    // Functions first: they are the larger part (descriptions, args), and executors answer more questions.
    s = functions.length > 0 ? { ...s, functions: functions.slice(0, Math.floor(functions.length / 2)) } : { ...s, executors: executors.slice(0, Math.floor(executors.length / 2)) };
  }
  return s;
}

export class CatalogMemory {
  constructor(private readonly memento: MementoLike) {}

  load(identity: string): unknown {
    return this.memento.get(CATALOG_MEMORY.prefix + identity);
  }

  /** Saves the catalog of `identity` (bounded), most recent first; the oldest identities beyond the cap are dropped. */
  async save(identity: string, saved: unknown): Promise<void> {
    const bounded = boundSaved(saved);
    if (bounded === undefined) return;
    const index = (this.memento.get<unknown>(CATALOG_MEMORY.index) ?? []) as unknown[];
    const ids = [identity, ...index.filter((x): x is string => typeof x === 'string' && x !== identity)];
    const kept = ids.slice(0, CATALOG_MEMORY.maxIdentities);
    await this.memento.update(CATALOG_MEMORY.prefix + identity, bounded);
    for (const dropped of ids.slice(CATALOG_MEMORY.maxIdentities)) await this.memento.update(CATALOG_MEMORY.prefix + dropped, undefined);
    await this.memento.update(CATALOG_MEMORY.index, kept);
  }
}
