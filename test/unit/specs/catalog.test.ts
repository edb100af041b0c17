import * as assert from 'node:assert/strict';
import { formatDuration } from '../../../src/base/format';
import { ExecutorState, type ColonyFunction, type Executor } from '../../../src/colonies/types';
import type { CatalogSnapshot } from '../../../src/store/colonyCatalog';
import { catalogIssues } from '../../../src/specs/catalogCheck';
import { catalogHover, type HoverPart } from '../../../src/specs/catalogHover';
import { catalogPlaceAt } from '../../../src/specs/catalogPlace';
import { catalogSuggestions } from '../../../src/specs/catalogSuggest';
import type { SpecKind } from '../../../src/specs/detect';
import { parseJsonDocument } from '../../../src/specs/jsonText';

const NOW = Date.parse('2026-01-01T12:00:00Z');

function executor(name: string, type: string, extra: Partial<Executor> = {}): Executor {
  return {
    executorid: `${name}-id`,
    executortype: type,
    executorname: name,
    colonyname: 'dev',
    state: ExecutorState.APPROVED,
    requirefuncreg: false,
    commissiontime: '2026-01-01T10:00:00Z',
    lastheardfromtime: '2026-01-01T11:59:30Z',
    capabilities: { hardware: null, software: null },
    allocations: { projects: null },
    ...extra,
  };
}

function fn(funcname: string, executorname: string, executortype: string, extra: Partial<ColonyFunction> = {}): ColonyFunction {
  return {
    functionid: `${executorname}-${funcname}`,
    executorname,
    executortype,
    colonyname: 'dev',
    funcname,
    counter: 0,
    minwaittime: 0,
    maxwaittime: 0,
    minexectime: 0,
    maxexectime: 0,
    avgwaittime: 0,
    avgexectime: 0,
    ...extra,
  };
}

const SNAPSHOT: CatalogSnapshot = {
  executors: [
    executor('echo-1', 'echo', { locationname: 'lab' }),
    executor('echo-2', 'echo', { state: ExecutorState.PENDING, locationname: 'cloud' }),
    executor('prog-1', 'progress'),
    executor('plain-1', 'plain'),
  ],
  functions: [
    fn('chat', 'echo-1', 'echo', { description: 'A chat', counter: 3, minwaittime: 0.0042, avgwaittime: 0.5, maxwaittime: 1.25, minexectime: 2, avgexectime: 75, maxexectime: 3700 }),
    fn('chat', 'echo-2', 'echo'),
    fn('progress', 'prog-1', 'progress', { args: [{ name: 'stepms', type: 'number', description: 'Pause', required: false }, { name: 'label', type: 'string', required: true }] }),
    fn('gone', 'old-1', 'retired'),
  ],
  running: {},
  fetchedAt: NOW - 120_000,
};

/** `text` with a `|` marking the cursor. */
function at(marked: string, kind: SpecKind = 'funcspec') {
  const offset = marked.indexOf('|');
  return catalogPlaceAt(marked.replace('|', ''), offset, kind);
}

describe('specs: function catalog', () => {
  describe('where the cursor is', () => {
    it('funcname, executortype, locationname and executornames values, in a function spec', () => {
      assert.equal(at('{ "funcname": "ch|" }')?.slot, 'funcname');
      assert.deepEqual(at('{ "funcname": "ch|" }')?.node, { offset: 14, length: 4, value: 'ch' });
      assert.equal(at('{ "funcname": | }')?.node, undefined, 'no string typed yet');
      assert.equal(at('{ "funcname": "|')?.slot, 'funcname', 'an unterminated string');
      assert.equal(at('{ "conditions": { "executortype": "|" } }')?.slot, 'executortype');
      assert.equal(at('{ "conditions": { "locationname": "|" } }')?.slot, 'locationname');
      assert.equal(at('{ "conditions": { "executornames": ["a", "|"] } }')?.slot, 'executorname');
      assert.equal(at('{ "conditions": { "executornames": [|] } }')?.slot, 'executorname');
    });

    it('nothing on keys, other values, or nested look-alikes', () => {
      assert.equal(at('{ "fun|cname": "chat" }'), undefined);
      assert.equal(at('{ "label": "|" }'), undefined);
      assert.equal(at('{ "kwargs": { "funcname": "|" } }'), undefined);
      assert.equal(at('{ "conditions": { "executortype": "x" }, "env": { "executortype": "|" } }'), undefined);
    });

    it('kwargs keys, with the spec funcname and type and the keys already there', () => {
      const p = at('{ "funcname": "progress", "conditions": { "executortype": "progress" }, "kwargs": { "stepms": 1, "l|" } }');
      assert.equal(p?.slot, 'kwargsKey');
      assert.equal(p?.funcname, 'progress');
      assert.equal(p?.executortype, 'progress');
      assert.deepEqual(p?.presentKeys, ['stepms']);
      assert.equal(p?.colonFollows, false);
      assert.equal(at('{ "kwargs": { "a|": 1 } }')?.colonFollows, true);
      assert.equal(at('{ "kwargs": { | } }')?.slot, 'kwargsKey');
    });

    it('each node of a workflow, as an array or as {"functionspecs": [...]}, and not the workflow itself', () => {
      const p = at('[ { "funcname": "a" }, { "funcname": "b", "conditions": { "executortype": "e|" } } ]', 'workflow');
      assert.equal(p?.slot, 'executortype');
      assert.deepEqual(p?.specPath, [1]);
      const q = at('{ "colonyname": "dev", "functionspecs": [ { "conditions": { "executortype": "echo" }, "funcname": "|" } ] }', 'workflow');
      assert.equal(q?.slot, 'funcname');
      assert.deepEqual(q?.specPath, ['functionspecs', 0]);
      assert.equal(q?.executortype, 'echo');
      assert.equal(at('{ "funcname": "|", "functionspecs": [] }', 'workflow'), undefined);
    });
  });

  describe('what is offered', () => {
    const labels = (marked: string, kind: SpecKind = 'funcspec') => {
      const place = at(marked, kind);
      assert.ok(place);
      return catalogSuggestions(SNAPSHOT, place);
    };

    it('funcname: one item per name and type, with the type in the detail; the spec type first', () => {
      const items = labels('{ "funcname": "|", "conditions": { "executortype": "progress" } }');
      assert.deepEqual(items.map((i) => [i.label, i.detail]), [
        ['chat', 'echo · 2 executors'],
        ['gone', 'retired · 1 executor'],
        ['progress', 'progress · 1 executor'],
      ]);
      assert.equal(items.find((i) => i.label === 'chat')?.documentation, 'A chat');
      assert.equal(items.find((i) => i.label === 'chat')?.insertText, '"chat"');
      const sorted = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText)).map((i) => i.label);
      assert.equal(sorted[0], 'progress');
    });

    it('executortype: types of executors and of registered functions, with states', () => {
      const items = labels('{ "conditions": { "executortype": "|" } }');
      assert.deepEqual(items.map((i) => [i.label, i.detail]), [
        ['echo', '2 executors (1 approved, 1 pending) · 2 functions'],
        ['plain', '1 executor (1 approved) · 0 functions'],
        ['progress', '1 executor (1 approved) · 1 function'],
        ['retired', 'no executor · 1 function'],
      ]);
    });

    it('executornames and locationname', () => {
      const names = labels('{ "conditions": { "executortype": "echo", "executornames": ["|"] } }');
      assert.deepEqual(names.map((i) => [i.label, i.detail]).slice(0, 2), [
        ['echo-1', 'echo · approved · lab'],
        ['echo-2', 'echo · pending · cloud'],
      ]);
      assert.equal(names.length, 4);
      const locs = labels('{ "conditions": { "executortype": "echo", "locationname": "|" } }');
      assert.deepEqual(locs.map((i) => [i.label, i.detail]), [
        ['cloud', '1 executor of type echo'],
        ['lab', '1 executor of type echo'],
      ]);
    });

    it('kwargs keys from the registered args of the named function, as snippets unless a colon follows', () => {
      const items = labels('{ "funcname": "progress", "conditions": { "executortype": "progress" }, "kwargs": { "stepms": 5, | } }');
      assert.deepEqual(items.map((i) => [i.label, i.detail, i.insertText, i.snippet]), [['label', 'string · required · progress', '"label": "$1"', true]]);
      const typed = labels('{ "funcname": "progress", "kwargs": { "st|": 5 } }');
      assert.deepEqual(typed.map((i) => [i.label, i.insertText, i.snippet, i.documentation]), [
        ['stepms', '"stepms"', false, 'Pause'],
        ['label', '"label"', false, undefined],
      ]);
      assert.deepEqual(labels('{ "funcname": "chat", "kwargs": { | } }'), [], 'no args registered');
      assert.deepEqual(labels('{ "kwargs": { | } }'), [], 'no funcname');
    });

    it('server text with snippet syntax is inserted literally', () => {
      const odd: CatalogSnapshot = { ...SNAPSHOT, functions: [fn('f', 'x', 't', { args: [{ name: 'a$1}\\', type: 'string' }] })] };
      const place = at('{ "funcname": "f", "kwargs": { | } }');
      assert.ok(place);
      assert.equal(catalogSuggestions(odd, place)[0].insertText, '"a\\$1\\}\\\\\\\\": "$1"');
    });
  });

  describe('hovers', () => {
    const render = (parts: HoverPart[] | undefined) => (parts ?? []).map((p) => (p.kind === 'md' ? p.value : `«${p.value}»`)).join('');

    it('funcname: description, args, calls with min / avg / max wait and exec times in readable units', () => {
      const place = at('{ "funcname": "ch|at", "conditions": { "executortype": "echo" } }');
      assert.ok(place);
      const text = render(catalogHover(SNAPSHOT, place, 'dev', NOW));
      assert.match(text, /\*\*Function\*\* «chat» · executor type «echo»/);
      assert.match(text, /«A chat»/);
      assert.match(text, /«echo-1»: 3 calls · wait 4 ms \/ 500 ms \/ 1\.3 s · exec 2 s \/ 1 min 15 s \/ 1 h 1 min/);
      assert.match(text, /«echo-2»: no successful run counted yet/);
      assert.match(text, /\*Colony «dev», as of 2 min ago\*/);
      const args = render(catalogHover(SNAPSHOT, at('{ "funcname": "progr|ess" }')!, 'dev', NOW));
      assert.match(args, /«stepms» \(«number»\): «Pause»/);
      assert.match(args, /«label» \(«string», required\)/);
    });

    it('executortype and executornames: executors with states, and functions', () => {
      const type = render(catalogHover(SNAPSHOT, at('{ "conditions": { "executortype": "ec|ho" } }')!, 'dev', NOW));
      assert.match(type, /«echo-1» — approved, at «lab», heard from 30 s ago/);
      assert.match(type, /«echo-2» — pending/);
      assert.match(type, /\*\*Functions\*\* «chat»/);
      const none = render(catalogHover(SNAPSHOT, at('{ "conditions": { "executortype": "nob|ody" } }')!, 'dev', NOW));
      assert.match(none, /No executor of this type/);
      const ex = render(catalogHover(SNAPSHOT, at('{ "conditions": { "executornames": ["prog|-1"] } }')!, 'dev', NOW));
      assert.match(ex, /\*\*Executor\*\* «prog-1»\n\nType «progress» · approved/);
      assert.match(ex, /\*\*Functions\*\* «progress»/);
    });

    it('server text only in text parts, capped and on one line', () => {
      const hostile = '**bold** [link](command:x) <img src=x>\n# heading ' + 'x'.repeat(2000);
      const snap: CatalogSnapshot = { ...SNAPSHOT, executors: [executor(hostile, 'echo')], functions: [fn('f', hostile, 'echo', { description: hostile })] };
      const parts = catalogHover(snap, at('{ "funcname": "|f" }')!, 'dev', NOW) ?? [];
      for (const p of parts) if (p.kind === 'md') assert.ok(!p.value.includes('[link]') && !p.value.includes('<img'), p.value);
      const names = parts.filter((p) => p.kind === 'text' && p.value.startsWith('**bold**'));
      assert.ok(names.length >= 2);
      for (const p of names) assert.ok(p.value.length <= 1001, `capped: ${p.value.length}`);
      assert.ok(names.some((p) => !p.value.includes('\n')), 'list items stay on one line');
    });
  });

  describe('warnings', () => {
    function issues(text: string, kind: SpecKind = 'funcspec', snapshot: CatalogSnapshot = SNAPSHOT) {
      const parsed = parseJsonDocument(text);
      return catalogIssues({ text, root: parsed.root, value: parsed.value, kind, snapshot, colony: 'dev', now: NOW });
    }

    it('an executor type with no executor, an executor name that does not exist; all warnings with colony and age', () => {
      const found = issues('{ "funcname": "x", "conditions": { "executortype": "ehco", "executornames": ["echo-1", "echo-9"] } }');
      assert.deepEqual(found.map((i) => [i.code, i.severity]), [
        ['catalog-no-executor-type', 'warning'],
        ['catalog-no-executor-name', 'warning'],
      ]);
      assert.equal(
        found[0].message,
        'No executor of type "ehco" in colony "dev" (as of 2 min ago): the process would wait until one registers. Types there: "echo", "plain", "progress".',
      );
      assert.equal(found[1].message, 'No executor named "echo-9" in colony "dev" (as of 2 min ago).');
    });

    it('funcname: only for types whose registry is not empty, worded as a hint (the server does not check the registry)', () => {
      const [miss] = issues('{ "funcname": "chta", "conditions": { "executortype": "echo" } }');
      assert.equal(miss.code, 'catalog-unregistered-function');
      assert.equal(miss.severity, 'warning');
      assert.match(miss.message, /^No executor of type "echo" registered a function "chta" in colony "dev" \(as of 2 min ago\)\. Registered for this type: "chat"\./);
      assert.match(miss.message, /may still take it: check the name\.$/);
      assert.deepEqual(issues('{ "funcname": "chat", "conditions": { "executortype": "echo" } }'), []);
      assert.deepEqual(issues('{ "funcname": "anything", "conditions": { "executortype": "plain" } }'), [], 'plain registers nothing');
      const strict: CatalogSnapshot = { ...SNAPSHOT, executors: [...SNAPSHOT.executors, executor('strict-1', 'plain', { requirefuncreg: true })] };
      const [flagged] = issues('{ "funcname": "anything", "conditions": { "executortype": "plain" } }', 'funcspec', strict);
      assert.match(flagged.message, /No function is registered for this type\. 1 of its 2 executors declares requirefuncreg\./);
    });

    it('each workflow node; nothing for another colony', () => {
      const wf = '[ { "nodename": "a", "funcname": "chat", "conditions": { "executortype": "echo" } }, { "nodename": "b", "funcname": "x", "conditions": { "executortype": "nope" } } ]';
      const found = issues(wf, 'workflow');
      assert.deepEqual(found.map((i) => i.code), ['catalog-no-executor-type']);
      assert.equal(wf.slice(found[0].offset, found[0].offset + found[0].length), '"nope"');
      assert.deepEqual(issues('{ "colonyname": "other", "functionspecs": [ { "funcname": "x", "conditions": { "executortype": "nope" } } ] }', 'workflow'), []);
      assert.deepEqual(issues('{ "funcname": "x", "conditions": { "colonyname": "other", "executortype": "nope" } }'), []);
    });
  });

  it('durations read as a person says them', () => {
    assert.deepEqual([0, 0.0004, 0.0042, 0.5, 1.25, 9.96, 42.4, 75, 3700, 90_000, -1, NaN].map(formatDuration), [
      '0 s',
      '<1 ms',
      '4 ms',
      '500 ms',
      '1.3 s',
      '10 s',
      '42 s',
      '1 min 15 s',
      '1 h 1 min',
      '1 d 1 h',
      '–',
      '–',
    ]);
  });
});
