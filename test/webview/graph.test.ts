// The workflow graph webview (media/graph/) in headless Chromium, in the page the host serves (renderGraphHtml, same
// CSP as the chat): nodes and edges drawn as SVG text, states updated in place, blocked-on edges, the preview's
// problems, node clicks posting protocol messages, pan/zoom and the state saved for a reload.
import * as assert from 'node:assert/strict';
import { parseGraphWebviewMessage, type GraphPersistedState, type GraphView } from '../../src/panels/graphProtocol';
import { previewGraph } from '../../src/specs/workflowGraph';
import { ChatBrowser, graphPageHtml, type ChatPage } from './harness';

const GRAPH_ID = '9'.repeat(64);
const pid = (c: string) => c.repeat(64);

function liveView(): GraphView {
  return {
    mode: 'live',
    title: 'Workflow 999999999999',
    subtitle: 'Running · 3 processes',
    nodes: [
      { id: pid('a'), label: 'fetch', detail: 'download', state: 'success', processId: pid('a'), shortId: 'aaaaaaaa' },
      { id: pid('b'), label: 'train', detail: 'fit', state: 'running', processId: pid('b'), shortId: 'bbbbbbbb', channels: ['chat'] },
      { id: pid('c'), label: 'report', state: 'waiting', processId: pid('c'), shortId: 'cccccccc' },
    ],
    edges: [
      { from: pid('a'), to: pid('b') },
      { from: pid('b'), to: pid('c') },
      { from: pid('a'), to: pid('c') },
    ],
  };
}

async function drawn(page: ChatPage, count: number): Promise<void> {
  await page.page.waitForFunction((n) => document.body.dataset.drawn === String(n), count);
}

const edgeClasses = (page: ChatPage) =>
  page.page.evaluate(() => [...document.querySelectorAll('#edges path')].map((p) => `${p.getAttribute('data-from')?.slice(0, 1)}>${p.getAttribute('data-to')?.slice(0, 1)} ${p.getAttribute('class')}`));

describe('graph webview', function () {
  this.timeout(60_000);
  const browser = new ChatBrowser();
  let page: ChatPage;
  before(async () => browser.launch());
  after(async () => browser.close());
  async function open(saved: GraphPersistedState = { kind: 'live', graphId: GRAPH_ID }, state?: unknown): Promise<ChatPage> {
    page = await browser.open({ html: graphPageHtml(saved), state });
    return page;
  }
  afterEach(async () => {
    const posted = await page.posted();
    await page.close();
    for (const m of posted) assert.ok(parseGraphWebviewMessage(m), `posted a message outside the protocol: ${JSON.stringify(m)}`);
    assert.deepEqual(page.problems, []);
  });

  it('draws each node with its name, state word and glyph, and short id, and saves which graph it shows at once', async () => {
    await open();
    assert.deepEqual(await page.state(), { kind: 'live', graphId: GRAPH_ID });
    await page.send({ type: 'graph', view: liveView() });
    await drawn(page, 3);
    const nodes = await page.page.evaluate(() =>
      [...document.querySelectorAll('#nodes g.node')].map((g) => ({ cls: g.getAttribute('class'), text: [...g.querySelectorAll('text')].map((t) => t.textContent) })),
    );
    assert.deepEqual(nodes, [
      { cls: 'node state-success', text: ['fetch', 'download', '✓ successful · aaaaaaaa'] },
      { cls: 'node state-running', text: ['train', 'fit', '▶ running · bbbbbbbb'] },
      { cls: 'node state-waiting', text: ['report', '◷ waiting · cccccccc'] },
    ]);
    assert.equal(await page.page.locator('#title').textContent(), 'Workflow 999999999999');
    assert.equal(await page.page.locator('#subtitle').textContent(), 'Running · 3 processes');
  });

  it('highlights the edges a waiting node is blocked on, and follows state updates without a new layout', async () => {
    await open();
    await page.send({ type: 'graph', view: liveView() });
    await drawn(page, 3);
    assert.deepEqual(await edgeClasses(page), ['a>b edge', 'b>c edge blocking', 'a>c edge']);
    await page.page.evaluate(() => ((document.querySelector<any>('#nodes g.node')).__marker = 1));
    await page.send({ type: 'states', nodes: [{ id: pid('b'), state: 'success' }] });
    assert.deepEqual(await edgeClasses(page), ['a>b edge', 'b>c edge', 'a>c edge']);
    await page.send({ type: 'states', nodes: [{ id: pid('c'), state: 'running' }] });
    const after = await page.page.evaluate(() => ({
      same: document.querySelector<any>('#nodes g.node').__marker === 1,
      meta: document.querySelectorAll('#nodes g.node')[2].querySelector('.meta')?.textContent,
    }));
    assert.deepEqual(after, { same: true, meta: '▶ running · cccccccc' });
  });

  it('posts the node actions of a clicked node: reveal, details, logs and its channels', async () => {
    await open();
    await page.send({ type: 'graph', view: liveView() });
    await drawn(page, 3);
    await page.page.locator('#nodes g.node').nth(1).click();
    assert.match((await page.page.locator('#selection-text').textContent()) ?? '', /^train \(fit\) · running · bbbbbbbb$/);
    const buttons = await page.page.locator('#selection-actions button').allTextContents();
    assert.deepEqual(buttons, ['Reveal in Tree', 'Details', 'Logs', '#chat']);
    for (const b of buttons) await page.page.locator('#selection-actions button', { hasText: b }).click();
    const actions = (await page.posted()).filter((m) => m.type === 'nodeAction');
    assert.deepEqual(actions, [
      { type: 'nodeAction', id: pid('b'), action: 'reveal' },
      { type: 'nodeAction', id: pid('b'), action: 'details' },
      { type: 'nodeAction', id: pid('b'), action: 'logs' },
      { type: 'nodeAction', id: pid('b'), action: 'channel', channel: 'chat' },
    ]);
    assert.equal(await page.page.locator('#nodes g.node.selected').count(), 1);
    // A double-click opens the details.
    await page.page.locator('#nodes g.node').nth(0).dblclick();
    assert.deepEqual((await page.posted()).at(-1), { type: 'nodeAction', id: pid('a'), action: 'details' });
  });

  it('shows names from a server as text: markup is never parsed, scripts never run', async () => {
    await open();
    const view = liveView();
    view.nodes[0].label = '<img src=x onerror="window.__pwned=1">';
    view.nodes[1].detail = '<script>window.__pwned=2</script>';
    view.title = '<b>bold</b>';
    await page.send({ type: 'graph', view });
    await drawn(page, 3);
    await page.page.locator('#nodes g.node').nth(0).click();
    const r = await page.page.evaluate(() => ({
      img: document.querySelectorAll('img').length,
      b: document.querySelectorAll('b').length,
      scripts: document.querySelectorAll('script').length,
      pwned: (window as any).__pwned,
      label: document.querySelector('#nodes g.node .label')?.textContent,
    }));
    assert.deepEqual(r, { img: 0, b: 0, scripts: 1, pwned: undefined, label: '<img src=x onerror="windo…' });
  });

  it('draws a preview\'s problems: ghost node and dashed edge, red cycle edges and nodes, and keeps the graph on a parse error', async () => {
    await open({ kind: 'preview', uri: 'file:///w/ml.workflow.json' });
    const text = JSON.stringify([
      { nodename: 'a', funcname: 'f', conditions: { executortype: 'x', dependencies: ['c'] } },
      { nodename: 'b', funcname: 'f', conditions: { executortype: 'x', dependencies: ['a', 'nope'] } },
      { nodename: 'c', funcname: 'f', conditions: { executortype: 'x', dependencies: ['b'] } },
      { nodename: 'c', funcname: 'f', conditions: { executortype: 'x' } },
    ]);
    const view = previewGraph(text, 'ml.workflow.json', 'ml.workflow.json').view!;
    await page.send({ type: 'graph', view });
    await drawn(page, 5);
    const classes = await page.page.evaluate(() => [...document.querySelectorAll('#nodes g.node')].map((g) => `${g.getAttribute('data-id')}: ${g.getAttribute('class')}`));
    assert.deepEqual(classes, [
      'a: node state-unknown preview problem',
      'b: node state-unknown preview problem',
      'c: node state-unknown preview problem',
      '#3: node state-unknown preview problem',
      'unknown:nope: node state-ghost preview problem',
    ]);
    const edges = await page.page.evaluate(() => [...document.querySelectorAll('#edges path')].map((p) => `${p.getAttribute('data-from')}>${p.getAttribute('data-to')} ${p.getAttribute('class')}`));
    assert.deepEqual(edges.sort(), ['a>b edge cycle', 'b>c edge cycle', 'c>a edge cycle', 'unknown:nope>b edge dangling']);
    await page.page.locator('#nodes g.node').nth(4).click();
    assert.match((await page.page.locator('#selection-text').textContent()) ?? '', /nope · unknown dependency · ⚠ Dependency "nope" is not the nodename/);
    await page.page.locator('#nodes g.node').nth(0).click();
    assert.deepEqual(await page.page.locator('#selection-actions button').allTextContents(), ['Go to Spec']);
    await page.page.locator('#selection-actions button').click();
    assert.deepEqual((await page.posted()).at(-1), { type: 'nodeAction', id: 'a', action: 'source' });
    // Invalid JSON: the host sends the last good graph with the parse error on top.
    await page.send({ type: 'graph', view: { ...view, error: 'Not valid JSON (1:3 Expected "}").' } });
    await page.page.waitForFunction(() => !document.getElementById('error')!.hidden);
    assert.equal(await page.page.locator('#error').textContent(), 'Not valid JSON (1:3 Expected "}").');
    assert.equal(await page.page.locator('#nodes g.node').count(), 5);
  });

  it('zooms with the wheel, pans by dragging, fits, and restores the view after a reload', async () => {
    await open();
    await page.send({ type: 'graph', view: liveView() });
    await drawn(page, 3);
    const transform = () => page.page.evaluate(() => document.getElementById('viewport')!.getAttribute('transform'));
    const fitted = await transform();
    await page.page.mouse.move(300, 300);
    await page.page.mouse.wheel(0, -400);
    const zoomed = await transform();
    assert.notEqual(zoomed, fitted);
    await page.page.mouse.move(100, 300);
    await page.page.mouse.down();
    await page.page.mouse.move(200, 350, { steps: 5 });
    await page.page.mouse.up();
    const panned = await transform();
    assert.notEqual(panned, zoomed);
    await page.page.waitForFunction(() => (window as any).__state?.view !== undefined);
    const saved = (await page.state()) as GraphPersistedState;
    assert.equal(saved.kind, 'live');
    await page.page.locator('#fit').click();
    assert.equal(await transform(), fitted);
    // A reload: the page comes back with the saved state and shows the saved view, not a fresh fit.
    const posted = await page.posted();
    await page.close();
    for (const m of posted) assert.ok(parseGraphWebviewMessage(m));
    await open({ kind: 'live', graphId: GRAPH_ID }, saved);
    await page.send({ type: 'graph', view: liveView() });
    await drawn(page, 3);
    const v = saved.view!;
    assert.equal(await transform(), `translate(${v.x.toFixed(1)} ${v.y.toFixed(1)}) scale(${v.k.toFixed(4)})`);
  });

  it('draws 500 nodes in one go', async () => {
    await open();
    const n = 500;
    const nodes = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, label: `step-${i}`, state: 'waiting' as const }));
    const edges = nodes.slice(20).map((x, i) => ({ from: `n${i}`, to: x.id }));
    await page.send({ type: 'graph', view: { mode: 'live', title: 'big', nodes, edges } });
    await page.page.waitForFunction((c) => document.body.dataset.drawn === String(c), n, { timeout: 50_000 });
    assert.equal(await page.page.locator('#edges path').count(), edges.length);
  });
});
