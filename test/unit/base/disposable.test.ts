import * as assert from 'node:assert/strict';
import { Disposable } from '../../../src/base/disposable';

class Owner extends Disposable {
  own(name: string, log: string[], fail = false) {
    return this.register({ dispose: () => { log.push(name); if (fail) throw new Error(`${name} failed`); } });
  }
}

describe('base/Disposable', () => {
  it('disposes what it owns once, newest first', () => {
    const log: string[] = [];
    const o = new Owner();
    o.own('a', log);
    o.own('b', log);
    o.dispose();
    o.dispose();
    assert.deepEqual(log, ['b', 'a']);
  });

  it('disposes at once what is registered after dispose', () => {
    const log: string[] = [];
    const o = new Owner();
    o.dispose();
    o.own('late', log);
    assert.deepEqual(log, ['late']);
  });

  it('a throwing disposable does not stop the others, and its error is rethrown', () => {
    const log: string[] = [];
    const o = new Owner();
    o.own('a', log);
    o.own('b', log, true);
    assert.throws(() => o.dispose(), /b failed/);
    assert.deepEqual(log, ['b', 'a']);
  });
});
