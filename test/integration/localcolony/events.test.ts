// The local colony's event hub picks the one general listener a signal wakes exactly as a real server does
// (docs/protocol.md P4). test/integration/wakeups.test.ts checks whole scenarios against both; this pins the rules
// that a real server only shows by chance: ids ordered as strings, and registrations with their own lifetime.
import { strict as assert } from 'node:assert';
import { EventHub } from '../../../src/localcolony/events';
import type { ProcessRec } from '../../../src/localcolony/state';
import { until } from '../../support/poll';

function proc(id: string, executortype: string, state = 0): ProcessRec {
  return { processid: id, state, spec: { conditions: { executortype, locationname: '' } } } as unknown as ProcessRec;
}

describe('local colony: event hub wake-ups', () => {
  it('orders listener ids as strings: "10" comes before "9"', () => {
    const hub = new EventHub();
    const woken: string[] = [];
    for (let i = 0; i < 9; i++) hub.register('other', 0, '', { deliver: () => undefined }); // ids 0..8
    hub.register('t', 0, '', { deliver: () => woken.push('id 9') });
    hub.register('t', 0, '', { deliver: () => woken.push('id 10') });
    hub.signal(proc('p1', 't'));
    hub.signal(proc('p2', 't'));
    hub.signal(proc('p3', 't'));
    assert.deepEqual(woken, ['id 10', 'id 9', 'id 10']);
  });

  it('keeps the round-robin position of a target after its last listener is gone', () => {
    const hub = new EventHub();
    const woken: string[] = [];
    const a = hub.register('t', 0, '', { deliver: () => woken.push('a') });
    const b = hub.register('t', 0, '', { deliver: () => woken.push('b') });
    hub.signal(proc('p1', 't')); // a; next is position 1
    a.dispose();
    b.dispose();
    hub.register('t', 0, '', { deliver: () => woken.push('c') });
    hub.register('t', 0, '', { deliver: () => woken.push('d') });
    hub.signal(proc('p2', 't'));
    assert.deepEqual(woken, ['a', 'd']);
  });

  it('wakes every listener of the process but only one general listener', () => {
    const hub = new EventHub();
    const woken: string[] = [];
    hub.register('t', 1, '', { processId: 'p1', deliver: () => woken.push('watch p1') });
    hub.register('t', 1, '', { processId: 'p2', deliver: () => woken.push('watch p2') });
    hub.register('t', 1, '', { deliver: () => woken.push('general a') });
    hub.register('t', 1, '', { deliver: () => woken.push('general b') });
    hub.signal(proc('p1', 't', 1));
    assert.deepEqual(woken.sort(), ['general a', 'watch p1']);
  });

  it('ends a registration made with a lifetime on its own, then says so; clear() forgets everything', async () => {
    const hub = new EventHub();
    let expired = 0;
    hub.register('t', 0, '', { deliver: () => undefined, expired: () => expired++ }, 10);
    assert.equal(hub.listenerCount, 1);
    await until(() => expired === 1, 'the registration to expire');
    assert.equal(hub.listenerCount, 0);

    hub.register('t', 0, '', { deliver: () => undefined, expired: () => expired++ }, 60_000);
    hub.clear(); // also drops its timer: nothing keeps the process alive
    assert.equal(hub.listenerCount, 0);
    const woken: string[] = [];
    // Ids start again at 0 after clear(), and an old registration's dispose must not remove a new listener.
    const stale = hub.register('t', 0, '', { deliver: () => woken.push('stale') });
    hub.clear();
    hub.register('t', 0, '', { deliver: () => woken.push('fresh') });
    stale.dispose();
    hub.signal(proc('p', 't'));
    assert.deepEqual(woken, ['fresh']);
    assert.equal(expired, 1);
  });
});
