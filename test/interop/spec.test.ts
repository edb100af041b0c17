// Specs another SDK or the CLI may send without `args` / `kwargs` (or with them null): a real server stores and
// returns them as [] and {} (docs/protocol.md P24), and pycolonies relies on that, since its model rejects a null
// `args` list. An executor written with pycolonies must assign such processes without crashing.

import { strict as assert } from 'node:assert';
import { funcSpec, ProcessState, type ColoniesClient, type FunctionSpec } from '../../src/colonies/index';
import { needKey, unique, type Target } from '../integration/target';
import { useInterop } from './interop';
import { PYCOLONIES_VERSION } from './pyenv';

interface RawProcess {
  processid: string;
  state: number;
  out: unknown;
  spec: { args: unknown; kwargs: unknown };
}

describe(`interop with pycolonies ${PYCOLONIES_VERSION}: specs without args or kwargs`, function () {
  this.timeout(240_000);
  const io = useInterop();
  let t: Target;
  let c: ColoniesClient;

  before(() => {
    t = io.target();
    c = t.client();
  });

  it('a pycolonies executor assigns a spec submitted without args/kwargs, and one with them null, and sees [] and {}', async function () {
    const colonyKey = needKey(this, t, 'colonyPrvKey', 'the Python executor registers itself with the colony owner key');
    const userKey = needKey(this, t, 'userPrvKey', 'submitting the processes');
    const type = unique('interop-noargs');
    const py = io.peer({
      script: 'assign_report.py',
      args: ['--executor-type', type, '--executor-name', unique('interop-noargs'), '--count', '2', '--assign-timeout', '90'],
      keys: { colonyPrvKey: colonyKey },
      limitMs: 200_000,
    });
    await py.waitFor('executor registration', (e) => e.event === 'registered', 60_000);

    const full: Partial<FunctionSpec> = funcSpec({ funcname: 'noargs', colonyname: t.colonyName, executortype: type });
    delete full.args;
    delete full.kwargs;
    const specs: Array<Record<string, unknown>> = [
      { ...full, funcname: 'absent-args' },
      { ...full, funcname: 'null-args', args: null, kwargs: null },
    ];
    const submitted: RawProcess[] = [];
    for (const spec of specs) {
      // Sent as raw RPCs: our own funcSpec() always fills args and kwargs in.
      const p = (await c.rpc('submitfuncspecmsg', { spec }, userKey)) as RawProcess;
      io.cancelAfter(c, p.processid, userKey);
      submitted.push(p);
    }
    // Every difference is collected and reported together: which layer shows null says where it comes from.
    const problems: string[] = [];
    const check = (what: string, args: unknown, kwargs: unknown) => {
      try {
        assert.deepEqual([args, kwargs], [[], {}]);
      } catch {
        problems.push(`${what}: args ${JSON.stringify(args)}, kwargs ${JSON.stringify(kwargs)} (expected [] and {})`);
      }
    };
    for (const p of submitted) check(`submit reply of ${p.processid.slice(0, 8)}`, p.spec.args, p.spec.kwargs);

    let pythonFailure: string | undefined;
    try {
      await py.finished(150_000);
    } catch (err) {
      pythonFailure = (err as Error).message;
    }
    const assigned = py.all('assigned');
    for (const e of assigned) {
      const spec = e.spec as { args: unknown; kwargs: unknown };
      check(`pycolonies' parse of the assigned ${String(e.processid).slice(0, 8)}`, spec.args, spec.kwargs);
    }
    for (const p of submitted) {
      const raw = (await c.rpc('getprocessmsg', { processid: p.processid }, userKey)) as RawProcess;
      check(`a read of ${p.processid.slice(0, 8)}`, raw.spec.args, raw.spec.kwargs);
    }
    if (pythonFailure) problems.push(`the pycolonies executor failed: ${pythonFailure}`);
    assert.deepEqual(problems, []);

    assert.deepEqual(
      assigned.map((e) => e.processid).sort(),
      submitted.map((p) => p.processid).sort(),
      'the Python executor assigned both processes',
    );
    for (const p of submitted) {
      const done = await c.getProcess(p.processid, userKey);
      assert.equal(done.state, ProcessState.SUCCESS);
      assert.deepEqual(done.out, ['ok']);
    }
  });
});
