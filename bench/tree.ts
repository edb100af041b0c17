// Tree refresh with 500 processes, 100 in each state, on a local colony (its own process). One refresh = what the
// tree does on a timer with all five groups expanded: ProcessTreeModel.refresh() (statistics + one list per
// group), then the ProcessTreeProvider builds every TreeItem (root, colony, 5 groups, 500 processes) under a
// minimal `vscode` stand-in (the provider's only vscode use is constructing items). Counts the requests made.
import { crypto, funcSpec, ProcessState, type ColoniesClient } from '../src/colonies/index';
import { STATE_ORDER } from '../src/views/stateMapping';
import { addExecutor, startBenchColony } from './lib/setup';
import { percentile, round } from './lib/stats';
import { installVscodeStub } from './lib/vscodeStub';

const PER_STATE = 100;
const RUNS = 10;

/** Counts the calls made through the client (the tree's requests). */
function counting(client: ColoniesClient): { client: ColoniesClient; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const proxy = new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(prop), (calls.get(String(prop)) ?? 0) + 1);
        return value.apply(target, args);
      };
    },
  });
  return { client: proxy, calls };
}

export async function runTree(log: (line: string) => void): Promise<Record<string, number>> {
  installVscodeStub();
  // Loaded after the stub is in place: the provider imports `vscode`.
  const { ProcessTreeModel } = await import('../src/views/processTreeModel');
  const { ProcessTreeProvider } = await import('../src/views/processTreeProvider');
  const colony = await startBenchColony();
  try {
    const c = colony.client;
    const user = colony.userPrvKey;
    const executor = await addExecutor(colony, 'tree');
    const spec = (i: number) => funcSpec({ funcname: `job-${i}`, colonyname: colony.colonyName, executortype: 'tree', label: `batch-${i % 7}` });
    const submitted = await Promise.all(Array.from({ length: 5 * PER_STATE }, (_, i) => c.submitFuncSpec(spec(i), user)));
    const assigned = [];
    for (let i = 0; i < 3 * PER_STATE; i++) assigned.push(await c.assign(colony.colonyName, 5, executor.prvkey));
    await Promise.all(assigned.slice(0, PER_STATE).map((p) => c.close(p.processid, ['ok'], executor.prvkey)));
    await Promise.all(assigned.slice(PER_STATE, 2 * PER_STATE).map((p) => c.fail(p.processid, ['failed on purpose'], executor.prvkey)));
    const assignedIds = new Set(assigned.map((p) => p.processid));
    const waiting = submitted.filter((p) => !assignedIds.has(p.processid));
    await Promise.all(waiting.slice(0, PER_STATE).map((p) => c.cancelProcess(p.processid, user)));
    const stats = await c.getColonyStatistics(colony.colonyName, user);
    log(`  colony: waiting ${stats?.waitingprocesses}, running ${stats?.runningprocesses}, successful ${stats?.successfulprocesses}, failed ${stats?.failedprocesses}, cancelled ${stats?.cancelledprocesses}`);

    const counted = counting(c);
    const myId = crypto.id(user);
    const model = new ProcessTreeModel(async () => ({ client: counted.client, colonyName: colony.colonyName, prvkey: user, myId }));
    for (const s of STATE_ORDER) model.setExpanded(s, true);
    const connection = {
      profile: { name: 'bench', host: '127.0.0.1', port: colony.port, tls: false, colonyName: colony.colonyName },
      client: c,
      state: { kind: 'connected', myId },
      onDidChange: () => ({ dispose: () => undefined }),
    };
    const provider = new ProcessTreeProvider(model, connection as never);

    const buildItems = async () => {
      const roots = await provider.getChildren();
      let items = 0;
      const walk = async (nodes: typeof roots, depth: number) => {
        for (const n of nodes) {
          provider.getTreeItem(n);
          items++;
          if (depth < 2) await walk(await provider.getChildren(n), depth + 1);
        }
      };
      await walk(roots, 0);
      return items;
    };

    const refreshMs: number[] = [];
    const itemsMs: number[] = [];
    let items = 0;
    let requests = 0;
    for (let run = 0; run <= RUNS; run++) {
      counted.calls.clear();
      const t0 = performance.now();
      await model.refresh();
      const t1 = performance.now();
      items = await buildItems();
      const t2 = performance.now();
      requests = [...counted.calls.values()].reduce((a, b) => a + b, 0);
      if (run === 0) {
        log(`  first refresh: model ${round(t1 - t0)} ms, ${items} items ${round(t2 - t1)} ms, requests ${JSON.stringify(Object.fromEntries(counted.calls))}`);
        continue;
      }
      refreshMs.push(t1 - t0);
      itemsMs.push(t2 - t1);
    }
    const shown = model.groups().reduce((n, g) => n + g.processes.length, 0);
    const total = refreshMs.map((r, i) => r + itemsMs[i]);
    log(`  ${RUNS} more refreshes: model p50 ${round(percentile(refreshMs, 50))} ms, items p50 ${round(percentile(itemsMs, 50))} ms, total p50 ${round(percentile(total, 50))} ms / max ${round(Math.max(...total))} ms; ${requests} requests each; ${shown} processes shown`);
    model.dispose();
    provider.dispose();
    if (model.group(ProcessState.WAITING).processes.length !== PER_STATE) throw new Error('tree bench: the waiting group is not complete');
    return {
      tree_processes: shown,
      tree_requests: requests,
      tree_refresh_ms: round(percentile(total, 50)),
      tree_model_refresh_ms: round(percentile(refreshMs, 50)),
      tree_items_ms: round(percentile(itemsMs, 50)),
      tree_items: items,
    };
  } finally {
    await colony.stop();
  }
}
