// The chat panel's waiting status says why the process waits ("Why is it waiting?", src/store/whyWaiting.ts): the
// sentence comes from the colony catalog of the panel's own connection, read at most every 30 s while it waits.
// No `vscode` import.
import type { Disposable } from '../colonies/events';
import type { Process } from '../colonies/types';
import { catalogConnection, type Session } from '../connection/types';
import type { ColonyCatalog } from '../store/colonyCatalog';
import { whyWaiting, type WaitOptions } from '../store/whyWaiting';

/** How old the catalog may be while a panel's process waits. */
export const PANEL_CATALOG_MAX_AGE_MS = 30_000;

export interface WaitingPanel {
  /** The panel's connection (undefined until it first connected). */
  held(): Session | undefined;
  /** True while the panel's process is waiting. */
  waiting(): boolean;
  /** Posts the status again (the sentence may have changed). */
  refreshStatus(): void;
}

/** The sentence for a waiting process from the last snapshot of the panel's connection (synchronous). */
export function panelWaitReason(catalog: ColonyCatalog, held: Session | undefined, p: Process, opts: WaitOptions = {}): string | undefined {
  const snapshot = held ? catalog.get(held.key).snapshot : undefined;
  return snapshot ? whyWaiting(p, snapshot, Date.now(), opts).sentence : undefined;
}

/** Keeps the catalog fresh enough while the panel's process waits, and re-posts the status when it changes. */
export function followWaitReason(panel: WaitingPanel, catalog: ColonyCatalog, everyMs = PANEL_CATALOG_MAX_AGE_MS): Disposable {
  const tick = (): void => {
    const s = panel.held();
    if (s && panel.waiting()) void catalog.fresh(catalogConnection(s), PANEL_CATALOG_MAX_AGE_MS);
  };
  const sub = catalog.onDidChange((key) => {
    if (key === panel.held()?.key && panel.waiting()) panel.refreshStatus();
  });
  const first = setTimeout(tick, 0);
  const timer = setInterval(tick, everyMs);
  return {
    dispose: () => {
      clearTimeout(first);
      clearInterval(timer);
      sub.dispose();
    },
  };
}
