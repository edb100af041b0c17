// The live graph as the panel draws it (src/panels/graphModel.ts), the webview protocol's checks and caps
// (graphProtocol.ts), and the dagre layout adapter (graphLayout.ts).
import * as assert from 'node:assert/strict';
import { ProcessState, type Process, type ProcessGraph } from '../../../src/colonies/types';
import { nodeActionBlocker } from '../../../src/panels/graphController';
import { graphMemberIds, liveGraphView, sameStructure } from '../../../src/panels/graphModel';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from '../../../src/panels/graphLayout';
import {
  blockingEdges,
  coerceGraphView,
  GRAPH_LIMITS,
  parseGraphHostMessage,
  parseGraphPersistedState,
  parseGraphWebviewMessage,
  type GraphView,
} from '../../../src/panels/graphProtocol';
import { makeProcess } from '../views/fixtures';

const id = (c: string) => c.repeat(64);

function graph(over: Partial<ProcessGraph> = {}): ProcessGraph {
  return {
    processgraphid: id('9'),
    initiatorid: id('u'),
    initiatorname: 'alice',
    colonyname: 'dev',
    rootprocessids: [id('a')],
    state: ProcessState.RUNNING,
    submissiontime: '2026-01-01T10:00:00Z',
    starttime: '2026-01-01T10:00:01Z',
    endtime: '0001-01-01T00:00:00Z',
    processids: [id('a'), id('b'), id('c')],
    nodes: [
      { id: id('a'), data: { label: 'fetch' }, position: { x: 0, y: 0 }, type: 'input', style: { color: '', background: '' } },
      { id: id('b'), data: { label: 'train' }, position: { x: 0, y: 80 }, type: '', style: { color: '', background: '' } },
      { id: id('c'), data: { label: 'report' }, position: { x: 0, y: 160 }, type: 'output', style: { color: '', background: '' } },
    ],
    edges: [
      { id: 'e1', source: id('a'), target: id('b'), animated: false },
      { id: 'e2', source: id('b'), target: id('c'), animated: false },
    ],
    ...over,
  };
}

function member(c: string, state: ProcessState, nodename: string, parents: string[] = []): Process {
  const p = makeProcess({ id: id(c), state, funcname: `${nodename}-fn` });
  p.spec.nodename = nodename;
  p.parents = parents.map(id);
  return p;
}

describe('graph panel model', () => {
  it('draws the server nodes and edges with states from the store, and "not read yet" before a read', () => {
    const known = new Map([[id('a'), member('a', ProcessState.SUCCESS, 'fetch')], [id('b'), member('b', ProcessState.RUNNING, 'train', ['a'])]]);
    const view = liveGraphView(graph(), (x) => known.get(x));
    assert.deepEqual(
      view.nodes.map((n) => [n.label, n.state, n.shortId, n.detail ?? '']),
      [
        ['fetch', 'success', 'aaaaaaaa', 'fetch-fn'],
        ['train', 'running', 'bbbbbbbb', 'train-fn'],
        ['report', 'unknown', 'cccccccc', ''],
      ],
    );
    assert.deepEqual(view.edges, [{ from: id('a'), to: id('b') }, { from: id('b'), to: id('c') }]);
    assert.equal(view.title, 'Workflow 999999999999');
    assert.match(view.subtitle ?? '', /^Running · 3 processes · by alice$/);
    assert.deepEqual(view.nodes[0].channels, ['chat']);
  });

  it('takes the edges from the members\' parents when the reply has none (a list reply)', () => {
    const g = graph({ nodes: [], edges: [] });
    const known = new Map([[id('b'), member('b', ProcessState.WAITING, 'train', ['a'])], [id('c'), member('c', ProcessState.WAITING, 'report', ['b', 'a'])]]);
    const view = liveGraphView(g, (x) => known.get(x));
    assert.deepEqual(graphMemberIds(g), [id('a'), id('b'), id('c')]);
    assert.deepEqual(view.edges, [{ from: id('a'), to: id('b') }, { from: id('b'), to: id('c') }, { from: id('a'), to: id('c') }]);
    assert.equal(view.nodes[0].label, 'aaaaaaaaaaaa', 'an unread member without a server label shows its short id');
  });

  it('caps a huge graph at GRAPH_LIMITS.nodes with a notice, and drops edges to nodes left out', () => {
    const n = GRAPH_LIMITS.nodes + 5;
    const ids = Array.from({ length: n }, (_, i) => i.toString(16).padStart(64, '0'));
    const g = graph({ processids: ids, nodes: [], edges: ids.slice(1).map((x, i) => ({ id: `${i}`, source: ids[i], target: x, animated: false })) });
    const view = liveGraphView(g, () => undefined);
    assert.equal(view.nodes.length, GRAPH_LIMITS.nodes);
    assert.equal(view.edges.length, GRAPH_LIMITS.nodes - 1);
    assert.match(view.notice ?? '', /first 2,000 of 2,005/);
  });

  it('ignores hostile ids, self-edges and over-long labels from the server', () => {
    const g = graph({
      processids: [id('a'), '<script>', ''],
      nodes: [{ id: id('a'), data: { label: 'x'.repeat(5000) }, position: { x: 0, y: 0 }, type: '', style: { color: '', background: '' } }],
      edges: [{ id: 'e', source: id('a'), target: id('a'), animated: false }, { id: 'f', source: '<img>', target: id('a'), animated: false }],
    });
    const view = liveGraphView(g, () => undefined);
    assert.deepEqual(view.nodes.map((n) => n.id), [id('a')]);
    assert.equal(view.nodes[0].label.length, GRAPH_LIMITS.label);
    assert.deepEqual(view.edges, []);
  });

  it('says when the structure changed (a new layout is needed) and when only states did', () => {
    const a = liveGraphView(graph(), () => undefined);
    const b = liveGraphView(graph(), () => member('a', ProcessState.SUCCESS, 'fetch'));
    assert.equal(sameStructure(a, b), false, 'the funcname became known: labels changed');
    const c = liveGraphView(graph(), () => undefined);
    c.nodes[0].state = 'failed';
    assert.equal(sameStructure(a, c), true);
  });

  it('highlights the edges a waiting node is blocked on: from each parent that has not succeeded', () => {
    const edges = [{ from: 'a', to: 'c' }, { from: 'b', to: 'c' }, { from: 'c', to: 'd' }];
    const states: Record<string, string> = { a: 'success', b: 'running', c: 'waiting', d: 'waiting' };
    const blocking = blockingEdges(edges, (x) => states[x] as never);
    assert.deepEqual([...blocking], [edges[1], edges[2]]);
  });
});

describe('graph webview protocol', () => {
  it('keeps a graph within the limits: unique ids, known edge ends, cut strings, known states', () => {
    const raw = {
      mode: 'preview',
      title: 't'.repeat(1000),
      nodes: [
        { id: 'a', label: 'A', state: 'bogus', problems: ['p'.repeat(1000), 5, 'q'] },
        { id: 'a', label: 'dup' },
        { id: 'b', label: { toString: 'x' }, state: 'ghost', channels: ['c1', 'c2'] },
        'junk',
      ],
      edges: [{ from: 'a', to: 'b', problem: 'cycle' }, { from: 'a', to: 'zzz' }, { from: 'b', to: 'a', problem: '<b>' }],
    };
    const view = coerceGraphView(raw) as GraphView;
    assert.equal(view.mode, 'preview');
    assert.equal(view.title.length, GRAPH_LIMITS.text);
    assert.deepEqual(view.nodes.map((n) => [n.id, n.label, n.state]), [['a', 'A', 'unknown'], ['b', '', 'ghost']]);
    assert.equal(view.nodes[0].problems?.length, 2);
    assert.equal(view.nodes[0].problems?.[0].length, GRAPH_LIMITS.problem);
    assert.deepEqual(view.edges, [{ from: 'a', to: 'b', problem: 'cycle' }, { from: 'b', to: 'a' }]);
  });

  it('accepts only protocol messages in both directions', () => {
    assert.equal(parseGraphHostMessage({ type: 'eval', code: 'x' }), undefined);
    assert.deepEqual(parseGraphHostMessage({ type: 'states', nodes: [{ id: 'a', state: 'running' }, { id: '', state: 'x' }, 7] }), { type: 'states', nodes: [{ id: 'a', state: 'running' }] });
    assert.deepEqual(parseGraphWebviewMessage({ type: 'nodeAction', id: 'p', action: 'logs' }), { type: 'nodeAction', id: 'p', action: 'logs' });
    assert.equal(parseGraphWebviewMessage({ type: 'nodeAction', id: 'p', action: 'rm -rf' }), undefined);
    assert.equal(parseGraphWebviewMessage({ type: 'nodeAction', id: 'p', action: 'channel' }), undefined, 'a channel action names its channel');
    assert.deepEqual(parseGraphWebviewMessage({ type: 'nodeAction', id: 'p', action: 'channel', channel: 'chat' }), { type: 'nodeAction', id: 'p', action: 'channel', channel: 'chat' });
  });

  it('restores a saved panel only when it names a graph id or a file, with a sane zoom', () => {
    assert.deepEqual(parseGraphPersistedState({ kind: 'live', graphId: id('9'), view: { x: 1, y: 2, k: 99 } }), { kind: 'live', graphId: id('9'), view: { x: 1, y: 2, k: 8 } });
    assert.equal(parseGraphPersistedState({ kind: 'live', graphId: '../etc' }), undefined);
    assert.deepEqual(parseGraphPersistedState({ kind: 'preview', uri: 'file:///w/a.workflow.json', view: { x: NaN } }), { kind: 'preview', uri: 'file:///w/a.workflow.json' });
    assert.equal(parseGraphPersistedState(null), undefined);
  });
});

describe('graph layout adapter (dagre)', () => {
  it('places parents above children, every node once, with routes for the edges', () => {
    const nodes = ['a', 'b', 'c', 'd'].map((x) => ({ id: x }));
    const edges = [{ from: 'a', to: 'b' }, { from: 'a', to: 'c' }, { from: 'b', to: 'd' }, { from: 'c', to: 'd' }, { from: 'a', to: 'zz' }];
    const l = layoutGraph(nodes, edges);
    assert.deepEqual([...l.nodes.keys()].sort(), ['a', 'b', 'c', 'd']);
    const y = (x: string) => l.nodes.get(x)!.y;
    assert.ok(y('a') < y('b') && y('a') < y('c') && y('b') < y('d') && y('c') < y('d'));
    assert.equal(l.nodes.get('b')!.y, l.nodes.get('c')!.y);
    assert.equal(l.edges.length, 4, 'an edge to an unknown node is ignored');
    for (const e of l.edges) assert.ok(e.points.length >= 2);
    assert.equal(l.nodes.get('a')!.width, NODE_WIDTH);
    assert.equal(l.nodes.get('a')!.height, NODE_HEIGHT);
    // Nothing overlaps.
    const boxes = [...l.nodes.values()];
    for (const p of boxes) for (const q of boxes) if (p !== q) assert.ok(p.x + p.width <= q.x || q.x + q.width <= p.x || p.y + p.height <= q.y || q.y + q.height <= p.y);
    assert.ok(l.width >= 2 * NODE_WIDTH && l.height >= 3 * NODE_HEIGHT);
  });

  it('lays out a cycle (a preview of a broken file) without throwing', () => {
    const l = layoutGraph([{ id: 'a' }, { id: 'b' }], [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }, { from: 'a', to: 'a' }]);
    assert.equal(l.nodes.size, 2);
    assert.equal(l.edges.length, 2);
  });
});

describe('graph panel node actions', () => {
  it('run on the active connection only: a panel kept on another server says which one to switch to', () => {
    assert.equal(nodeActionBlocker(undefined, 'a#1'), undefined, 'not connected yet: the commands ask the active one');
    assert.equal(nodeActionBlocker({ key: 'a#1', name: 'Lab' }, 'a#1'), undefined);
    assert.equal(
      nodeActionBlocker({ key: 'a#1', name: 'Lab' }, 'b#2'),
      'This workflow is on the connection "Lab", not the active one: switch to "Lab" to open its processes.',
    );
    assert.match(nodeActionBlocker({ key: 'a#1', name: 'Lab' }, undefined) ?? '', /switch to "Lab"/);
  });
});
