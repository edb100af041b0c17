// Child script for bench/extension.ts, bundled for plain node: `node activate.js <extension bundle> <repo>`.
// Loads the bundle with a generated `vscode` stand-in (every API call succeeds and returns another stand-in),
// calls activate() once cold and a few times warm, and prints one JSON line with the timings.
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

/** A `vscode` where any property is another stand-in, any call or `new` succeeds, and nothing is a thenable. */
function universalStub(calls: { count: number }): unknown {
  const cache = new Map<PropertyKey, unknown>();
  const target = function () {} as unknown as object;
  const handler: ProxyHandler<object> = {
    get(_t, prop) {
      if (cache.has(prop)) return cache.get(prop);
      if (prop === 'then') return undefined;
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === Symbol.iterator) return function* () {};
      if (prop === 'length') return 0;
      if (!cache.has(prop)) cache.set(prop, universalStub(calls));
      return cache.get(prop);
    },
    set(_t, prop, value) {
      cache.set(prop, value);
      return true;
    },
    apply() {
      calls.count++;
      return universalStub(calls);
    },
    construct() {
      calls.count++;
      return universalStub(calls) as object;
    },
  };
  return new Proxy(target, handler);
}

/** The top-level names of the real API (namespaces, classes, enums), read from @types/vscode. */
function apiNames(repo: string): string[] {
  const dts = fs.readFileSync(path.join(repo, 'node_modules', '@types', 'vscode', 'index.d.ts'), 'utf8');
  return [...new Set([...dts.matchAll(/^\s{0,4}export (?:namespace|class|enum|function|const|let) ([A-Za-z_]+)/gm)].map((m) => m[1]))];
}

/** The module object: the real top-level names (a bundle copies a module's own keys), each a stand-in. */
function vscodeModule(calls: { count: number }, repo: string): Record<string, unknown> {
  return Object.fromEntries(apiNames(repo).map((name) => [name, universalStub(calls)]));
}

function activateOnce(bundle: string, repo: string): { requireMs: number; activateMs: number; apiCalls: number; error?: string } {
  const calls = { count: 0 };
  const stub = vscodeModule(calls, repo);
  const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = mod._load;
  mod._load = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return stub;
    return original.call(this, request, ...rest);
  };
  try {
    delete require.cache[require.resolve(bundle)];
    const t0 = performance.now();
    const ext = require(bundle) as { activate(context: unknown): unknown };
    const t1 = performance.now();
    const context = {
      subscriptions: [] as unknown[],
      extensionPath: repo,
      extensionUri: universalStub(calls),
      globalStorageUri: universalStub(calls),
      storageUri: undefined,
      globalState: { get: () => undefined, update: async () => undefined, keys: () => [] },
      workspaceState: { get: () => undefined, update: async () => undefined, keys: () => [] },
      secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }) },
      asAbsolutePath: (p: string) => path.join(repo, p),
      extensionMode: 1,
      logUri: universalStub(calls),
    };
    let error: string | undefined;
    try {
      const r = ext.activate(context);
      if (r && typeof (r as Promise<unknown>).catch === 'function') (r as Promise<unknown>).catch(() => undefined);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const t2 = performance.now();
    for (const d of context.subscriptions) {
      try {
        (d as { dispose?: () => void }).dispose?.();
      } catch {
        // stand-in objects
      }
    }
    return { requireMs: t1 - t0, activateMs: t2 - t1, apiCalls: calls.count, error };
  } finally {
    mod._load = original;
  }
}


const [bundle, repo] = process.argv.slice(2);
const cold = activateOnce(bundle, repo);
const warm = Array.from({ length: 5 }, () => activateOnce(bundle, repo).activateMs).sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ ...cold, warmActivateMs: warm[2] })}\n`);
