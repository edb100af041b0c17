import * as assert from 'node:assert/strict';
import { CATALOG_MEMORY, CatalogMemory, boundSaved, type MementoLike } from '../../../src/store/catalogMemory';
import { ColonyCatalog } from '../../../src/store/colonyCatalog';

class Memento implements MementoLike {
  readonly data = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
}

const fn = (i: number) => ({ functionid: `f${i}`, funcname: `f${i}`, executorname: 'e', executortype: 't', colonyname: 'dev', description: 'd'.repeat(1000) });

describe('store: catalog memory', () => {
  it('round-trips through a catalog: restored, with its original time', async () => {
    const memento = new Memento();
    const memory = new CatalogMemory(memento);
    const saved = { executors: [{ executorname: 'e', executortype: 't' }], functions: [fn(1)], fetchedAt: 1234 };
    await memory.save('http://h:1/dev', saved);
    const catalog = new ColonyCatalog();
    catalog.restore('http://h:1/dev#1', memory.load('http://h:1/dev'));
    const s = catalog.get('http://h:1/dev#1').snapshot;
    assert.equal(s?.restored, true);
    assert.equal(s?.fetchedAt, 1234);
    assert.deepEqual(s?.functions.map((f) => f.funcname), ['f1']);
    catalog.dispose();
  });

  it('bounds the JSON size by halving the lists, functions first', () => {
    const big = { executors: [{ executorname: 'e' }], functions: Array.from({ length: 3000 }, (_, i) => fn(i)), fetchedAt: 1 };
    const bounded = boundSaved(big) as typeof big;
    assert.ok(new TextEncoder().encode(JSON.stringify(bounded)).length <= CATALOG_MEMORY.maxBytes);
    assert.ok(bounded.functions.length > 0 && bounded.functions.length < 3000);
    assert.equal(bounded.executors.length, 1);
    assert.equal(boundSaved({ executors: [], functions: [], fetchedAt: 1 }, 5), undefined, 'nothing fits');
    assert.equal(boundSaved('junk'), undefined);
  });

  it('keeps the most recent identities only', async () => {
    const memento = new Memento();
    const memory = new CatalogMemory(memento);
    for (let i = 0; i < CATALOG_MEMORY.maxIdentities + 2; i++) await memory.save(`id${i}`, { executors: [], functions: [], fetchedAt: i });
    await memory.save('id3', { executors: [], functions: [], fetchedAt: 99 });
    const index = memento.get<string[]>(CATALOG_MEMORY.index) ?? [];
    assert.equal(index.length, CATALOG_MEMORY.maxIdentities);
    assert.equal(index[0], 'id3');
    assert.equal(memory.load('id0'), undefined);
    assert.equal(memory.load('id1'), undefined);
    assert.ok(memory.load('id2'));
    assert.equal([...memento.data.keys()].filter((k) => k.startsWith(CATALOG_MEMORY.prefix)).length, CATALOG_MEMORY.maxIdentities);
  });
});
