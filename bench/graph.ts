// Workflow graph: layout (dagre, src/panels/graphLayout.ts) and DOM build of the graph webview (media/graph/) at 500
// and 2,000 nodes. Measured in headless Chromium on the built bundle, in the page the host serves: layout ms and
// build ms (the webview's own performance.now around each, data-layout-ms / data-build-ms), message → drawn wall
// time, DOM elements, the longest main-thread task, and a state update of every node (no new layout). Also the
// layout alone in Node, for comparison. Shapes: "layered" (ranks of 25 or 50 nodes, each with one or two parents in
// the rank above: a fan-out/fan-in pipeline) and "random" (each node depends on one or two earlier nodes anywhere:
// long edges, the hard case for a layered layout).
import { layoutGraph } from '../src/panels/graphLayout';
import type { GraphEdgeView, GraphNodeView, GraphView } from '../src/panels/graphProtocol';
import { ChatBrowser, graphPageHtml } from '../test/webview/harness';
import { nowMs, round } from './lib/stats';

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

export function benchGraph(shape: 'layered' | 'random', n: number, width = 25): GraphView {
  const r = rng(7);
  const nodes: GraphNodeView[] = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, label: `step-${i}`, detail: 'train.py', state: 'waiting', shortId: i.toString(16).padStart(8, '0') }));
  const edges: GraphEdgeView[] = [];
  const seen = new Set<string>();
  for (let i = shape === 'layered' ? width : 1; i < n; i++) {
    const k = 1 + Math.floor(r() * 2);
    for (let j = 0; j < k; j++) {
      const p = shape === 'layered' ? (Math.floor(i / width) - 1) * width + Math.floor(r() * width) : Math.floor(r() * i);
      const key = `${p}>${i}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push({ from: `n${p}`, to: `n${i}` });
    }
  }
  return { mode: 'live', title: `${shape} ${n}`, nodes, edges };
}

const CASES: { name: string; shape: 'layered' | 'random'; n: number; width?: number }[] = [
  { name: 'layered_500', shape: 'layered', n: 500, width: 25 },
  { name: 'random_500', shape: 'random', n: 500 },
  { name: 'layered_2000', shape: 'layered', n: 2000, width: 50 },
];

export async function runGraph(log: (line: string) => void): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of CASES) {
    const view = benchGraph(c.shape, c.n, c.width);
    const started = nowMs();
    layoutGraph(view.nodes, view.edges);
    out[`graph_${c.name}_node_layout_ms`] = round(nowMs() - started);
  }
  const browser = new ChatBrowser();
  await browser.launch();
  try {
    for (const c of CASES) {
      const view = benchGraph(c.shape, c.n, c.width);
      const page = await browser.open({ html: graphPageHtml({ kind: 'live', graphId: '9'.repeat(64) }), viewport: { width: 1280, height: 800 } });
      const p = page.page;
      await p.evaluate(() => {
        (window as any).__long = 0;
        new PerformanceObserver((l) => l.getEntries().forEach((e) => ((window as any).__long = Math.max((window as any).__long, e.duration)))).observe({ entryTypes: ['longtask'] });
      });
      const t0 = nowMs();
      await page.send({ type: 'graph', view });
      await p.waitForFunction((n) => document.body.dataset.drawn === String(n), c.n, { timeout: 600_000, polling: 50 });
      const wall = nowMs() - t0;
      const f = await p.evaluate(() => ({
        layout: Number(document.body.dataset.layoutMs),
        build: Number(document.body.dataset.buildMs),
        dom: document.getElementsByTagName('*').length,
        long: (window as any).__long as number,
      }));
      // Every node changes state at once (a cancel): classes and texts in place, no layout.
      const states = view.nodes.map((n) => ({ id: n.id, state: 'cancelled' }));
      const s0 = nowMs();
      await page.send({ type: 'states', nodes: states });
      await p.waitForFunction(() => document.querySelectorAll('#nodes g.state-cancelled').length === document.querySelectorAll('#nodes g.node').length);
      const stateMs = nowMs() - s0;
      await page.close();
      if (page.problems.length) log(`  page problems: ${page.problems.join('; ')}`);
      const k = `graph_${c.name}`;
      Object.assign(out, {
        [`${k}_edges`]: view.edges.length,
        [`${k}_layout_ms`]: round(f.layout),
        [`${k}_build_ms`]: round(f.build),
        [`${k}_drawn_wall_ms`]: round(wall),
        [`${k}_dom_nodes`]: f.dom,
        [`${k}_longest_task_ms`]: round(f.long),
        [`${k}_all_states_ms`]: round(stateMs),
      });
      log(`  ${c.name}: ${view.edges.length} edges, layout ${round(f.layout)} ms, build ${round(f.build)} ms, drawn after ${round(wall)} ms, ${f.dom} DOM elements, all states ${round(stateMs)} ms`);
    }
  } finally {
    await browser.close();
  }
  return out;
}
