// `npm run bench [-- --json] [-- <name> ...]`: runs the benchmarks one after another (latency, burst, tree, client,
// server, extension, graph), prints every figure, and with --json writes them to bench/results.json with the machine they ran on.
// Benchmarks are measurements, never assertions: a missed goal is printed, not failed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runBurst } from './burst';
import { runClient } from './client';
import { runExtension } from './extension';
import { runGraph } from './graph';
import { runLatency } from './latency';
import { runServer } from './server';
import { runTree } from './tree';

type Bench = (log: (line: string) => void) => Promise<Record<string, number>>;

const BENCHES: Record<string, Bench> = { latency: runLatency, burst: runBurst, tree: runTree, client: runClient, server: runServer, extension: runExtension, graph: runGraph };

const GOALS: Array<{ field: string; ok: (v: number, all: Record<string, number>) => boolean; text: string }> = [
  { field: 'latency_client_p50_ms', ok: (v, all) => v <= 1.5 * all.latency_floor_p50_ms, text: 'client p50 within 1.5× of the bare ws floor' },
  { field: 'latency_webview_p99_ms', ok: (v) => v < 50, text: 'webview p99 under 50 ms' },
  { field: 'burst_render_ms', ok: (v) => v < 1000, text: '10,000-message burst rendered in under 1 s' },
  { field: 'burst_dom_nodes', ok: (v) => v < 1000, text: 'DOM under 1,000 nodes after the burst' },
  { field: 'graph_layered_500_drawn_wall_ms', ok: (v) => v < 1000, text: '500-node workflow graph laid out and drawn in under 1 s' },
  { field: 'graph_layered_500_all_states_ms', ok: (v) => v < 100, text: 'every state of a 500-node graph updated in under 100 ms' },
  { field: 'bundle_bytes', ok: (v) => v < 300_000, text: 'production bundle under 300 KB' },
  // Only when a real server was configured (COLONIES_*): the local colony at least as fast on every path.
  { field: 'server_rps_local_vs_real_ratio', ok: (v) => v >= 1, text: 'local colony signed requests/s ≥ the real server' },
  { field: 'server_append_p50_local_vs_real_ratio', ok: (v) => v <= 1, text: 'local colony append → subscriber p50 ≤ the real server' },
  { field: 'server_wake_p50_local_vs_real_ratio', ok: (v) => v <= 1, text: 'local colony submit → assign wake-up p50 ≤ the real server' },
];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !BENCHES[n]);
  if (unknown.length) throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
  const selected = names.length ? names : Object.keys(BENCHES);
  const results: Record<string, number> = {};
  const failed: string[] = [];
  for (const name of selected) {
    console.log(`\n== ${name} ==`);
    const started = Date.now();
    try {
      Object.assign(results, await BENCHES[name]((line) => console.log(line)));
    } catch (err) {
      failed.push(name);
      console.log(`  FAILED: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
    console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  console.log('\n== figures ==');
  for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(42)} ${v}`);
  console.log('\n== goals ==');
  for (const g of GOALS) {
    if (!(g.field in results)) continue;
    console.log(`${g.ok(results[g.field], results) ? 'met   ' : 'MISSED'} ${g.text} (${g.field} = ${results[g.field]})`);
  }
  if (json) {
    const file = path.join(__dirname, 'results.json');
    const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memory_gib: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
    fs.writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine, benchmarks: selected, failed, ...results }, null, 2)}\n`);
    console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  }
  if (failed.length) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
