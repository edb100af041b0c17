// The extension bundle: dist/extension.js built as `node esbuild.js --production` builds it (same esbuild options,
// written to a temp dir so a parallel test run's dist/ is left alone), its size, and activation time measured twice:
// in the real VS Code extension host (what "Developer: Show Running Extensions" reports, median of 3 fresh servers),
// and in plain Node against a generated `vscode` stand-in, which isolates the extension's own start-up work (module
// evaluation, object graph, registrations) from VS Code's.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { round } from './lib/stats';
import { hostActivationMs, stageExtension } from './lib/hostActivation';

const HOST_SAMPLES = 3;

const REPO = path.resolve(__dirname, '..');

/** The very options `node esbuild.js --production` uses for dist/extension.js (esbuild.js exports them). */
function productionNodeBuild(entry: string, outfile: string): esbuild.BuildOptions {
  const config = createRequire(__filename)(path.join(REPO, 'esbuild.js')) as {
    nodeEntry(entry: string, outfile: string, extra: object, prod: boolean): esbuild.BuildOptions;
  };
  return config.nodeEntry(entry, outfile, {}, true);
}

/** Builds like esbuild.js --production; returns the largest inputs by their bytes in the output. */
async function buildProduction(outfile: string): Promise<[string, number][]> {
  const result = await esbuild.build({ ...productionNodeBuild(path.join(REPO, 'src/extension.ts'), outfile), metafile: true, logLevel: 'warning' });
  const inputs = Object.values(result.metafile.outputs)[0].inputs;
  const byPackage = new Map<string, number>();
  for (const [file, info] of Object.entries(inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const group = m ? m[1] : file.split('/').slice(0, 2).join('/');
    byPackage.set(group, (byPackage.get(group) ?? 0) + info.bytesInOutput);
  }
  return [...byPackage].sort((x, y) => y[1] - x[1]);
}

/** Runs bench/lib/activate.ts, bundled for plain node (no tsx hooks in the measured require), in a child. */
async function measureActivation(bundle: string, dir: string): Promise<{ requireMs: number; activateMs: number; warmActivateMs: number; apiCalls: number; error?: string }> {
  const script = path.join(dir, 'activate.js');
  await esbuild.build({ entryPoints: [path.join(__dirname, 'lib', 'activate.ts')], outfile: script, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning' });
  const out = execFileSync(process.execPath, [script, bundle, REPO], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}');
}

/** Real extension host, production bundle; undefined median when the VS Code server cannot run here. */
async function measureHostActivation(bundle: string, dir: string, log: (line: string) => void): Promise<{ median?: number; samples: number[] }> {
  const extensionDir = path.join(dir, 'extension');
  stageExtension(extensionDir, { 'extension.js': bundle });
  const samples: number[] = [];
  try {
    for (let i = 0; i < HOST_SAMPLES; i++) samples.push(await hostActivationMs(extensionDir));
  } catch (err) {
    log(`  real extension host: not measured (${err instanceof Error ? err.message : String(err)}); activation_ms falls back to plain node`);
    return { samples };
  }
  const sorted = [...samples].sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)];
  log(`  real extension host (Show Running Extensions), production bundle: ${samples.join(' / ')} ms, median ${median} ms`);
  return { median, samples };
}

export async function runExtension(log: (line: string) => void): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-bundle-'));
  try {
    const bundle = path.join(dir, 'extension.js');
    const parts = await buildProduction(bundle);
    const bytes = fs.statSync(bundle).size;
    log(`  production bundle: ${bytes} bytes (${round(bytes / 1024, 1)} KiB; goal < 300 KB)`);
    log(`  largest parts: ${parts.slice(0, 6).map(([name, n]) => `${name} ${round(n / 1024, 1)} KiB`).join(', ')}`);
    const a = await measureActivation(bundle, dir);
    if (a.error) log(`  activate() threw under the stand-in: ${a.error}`);
    log(`  plain node, vscode stand-in: require ${round(a.requireMs)} ms, activate() ${round(a.activateMs)} ms (warm p50 ${round(a.warmActivateMs)} ms), ${a.apiCalls} vscode API calls`);
    const host = await measureHostActivation(bundle, dir, log);
    return {
      bundle_bytes: bytes,
      activation_ms: host.median ?? round(a.requireMs + a.activateMs),
      activation_host_max_ms: host.samples.length ? Math.max(...host.samples) : 0,
      activation_host_failed: host.median === undefined ? 1 : 0,
      activation_node_ms: round(a.requireMs + a.activateMs),
      activation_require_ms: round(a.requireMs),
      activation_activate_ms: round(a.activateMs),
      activation_warm_activate_ms: round(a.warmActivateMs),
      activation_api_calls: a.apiCalls,
      activation_failed: a.error ? 1 : 0,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
