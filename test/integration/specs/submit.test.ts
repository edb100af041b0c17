// Specs and workflows from the fixture files, validated and defaulted by src/specs, submitted with the real
// client to the local colony over real sockets.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ColoniesClient, ColoniesError, crypto, ProcessState } from '../../../src/colonies/index';
import { registerApprovedExecutor, startLocalColony, type LocalColony } from '../../../src/localcolony/index';
import { analyzeSpecText, prepareSubmission } from '../../../src/specs/validate';
import { submitFailureText } from '../../../src/specs/submitText';
import { waitUntilRunning } from '../../../src/specs/waitRunning';
import { ConnectionProcesses, ProcessStore } from '../../../src/store/processStore';
import { toFunctionSpec, toWorkflowSpec } from '../../../src/specs/defaults';

const FIXTURES = path.resolve(__dirname, '../../fixtures');
const read = (rel: string) => fs.readFileSync(path.join(FIXTURES, rel), 'utf8');

function prepared(rel: string) {
  const text = read(rel);
  const kind = analyzeSpecText(text, rel).kind;
  const p = prepareSubmission(text, rel, kind, 'dev');
  if (!p.ok) throw new Error(`${rel} did not validate: ${p.issues.map((i) => i.message).join('; ')}`);
  return p;
}

function preparedSpec(rel: string) {
  const p = prepared(rel);
  if (p.kind !== 'funcspec') throw new Error(`${rel} is not a function spec`);
  return p.spec;
}

describe('specs: submitting to the local colony', function () {
  this.timeout(30_000);
  let colony: LocalColony;
  let client: ColoniesClient;
  let user: string;

  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((fn) => fn()));
  before(async () => {
    colony = await startLocalColony();
    client = new ColoniesClient({ host: '127.0.0.1', port: colony.port, timeoutMs: 10_000 });
    user = colony.userPrvKey;
  });
  after(async () => {
    client.dispose();
    await colony.stop();
  });
  /** An approved executor of type echo, registered the way a colony owner would. */
  const echoExecutor = (name: string): string => {
    const key = crypto.generatePrivateKey();
    registerApprovedExecutor(colony.server, 'dev', key, name, 'echo');
    return key;
  };

  afterEach(async () => {
    await client.removeAllProcesses('dev', colony.colonyPrvKey).catch(() => undefined);
  });

  it('submits the chat example with the CLI defaults applied and its channel created', async () => {
    const process = await client.submitFuncSpec(preparedSpec('workspace/chat.colonyos.json'), user);
    assert.equal(process.state, ProcessState.WAITING);
    assert.equal(process.spec.conditions.colonyname, 'dev');
    assert.equal(process.spec.conditions.executortype, 'echo');
    assert.equal(process.spec.maxexectime, -1);
    assert.equal(process.spec.maxwaittime, -1);
    assert.deepEqual(process.spec.channels, ['chat']);
    assert.equal(process.initiatorid, crypto.id(user));
    // Channels exist from submit (docs/protocol.md P3): the submitter can read the empty log at once.
    assert.deepEqual(await client.channelRead(process.processid, 'chat', 0, 10, user), []);
  });

  it('a spec with maxexectime 0 is sent as -1 and keeps running after assignment', async () => {
    const spec = preparedSpec('specs/broken/maxexectime-zero.colonyos.json');
    assert.equal(spec.maxexectime, -1);
    const execKey = echoExecutor('spec-test-echo-0');
    const submitted = await client.submitFuncSpec(spec, user);
    const assigned = await client.assign('dev', 5, execKey);
    assert.equal(assigned.processid, submitted.processid);
    // The server's timeout loop runs every second; after 1.5 s a 0 limit would have failed it (docs/protocol.md P13).
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await client.getProcess(submitted.processid, user)).state, ProcessState.RUNNING);
    await client.close(submitted.processid, [], execKey);
  });

  it('waits for RUNNING once an executor assigns the process, and stops waiting when aborted', async () => {
    const spec = preparedSpec('workspace/chat.colonyos.json');
    const execKey = echoExecutor('spec-test-echo');
    const submitted = await client.submitFuncSpec(spec, user);
    const abort = new AbortController();
    const processes = new ProcessStore();
    cleanups.push(() => processes.dispose());
    const through = new ConnectionProcesses(processes, { key: 'local', client, prvkey: user, colonyName: 'dev' });
    const waiting = waitUntilRunning(through, submitted, { signal: abort.signal });
    const assigned = await client.assign('dev', 5, execKey);
    assert.equal(assigned.processid, submitted.processid);
    const running = await waiting;
    assert.equal(running?.state, ProcessState.RUNNING);
    await client.close(submitted.processid, ['done'], execKey);

    const other = await client.submitFuncSpec({ ...spec, conditions: { ...spec.conditions, executortype: 'nobody' } }, user);
    const abort2 = new AbortController();
    const never = waitUntilRunning(through, other, { signal: abort2.signal });
    setTimeout(() => abort2.abort(), 200);
    assert.equal(await never, undefined);
    abort.abort();
  });

  it('returns a finished process instead of waiting forever', async () => {
    const execKey = echoExecutor('spec-test-fast');
    const submitted = await client.submitFuncSpec(preparedSpec('specs/good/minimal.json'), user);
    await client.assign('dev', 5, execKey);
    await client.fail(submitted.processid, ['boom'], execKey);
    const processes = new ProcessStore();
    cleanups.push(() => processes.dispose());
    const through = new ConnectionProcesses(processes, { key: 'local', client, prvkey: user, colonyName: 'dev' });
    const result = await waitUntilRunning(through, submitted, { signal: new AbortController().signal });
    assert.equal(result?.state, ProcessState.FAILED);
    assert.deepEqual(result?.errors, ['boom']);
  });

  it('submits the full example with every field intact', async () => {
    const process = await client.submitFuncSpec(preparedSpec('specs/good/full.funcspec.json'), user);
    assert.equal(process.spec.priority, -50000);
    assert.equal(process.spec.maxretries, 3);
    assert.deepEqual(process.spec.kwargs, { epochs: 10, rate: 0.01 });
    assert.deepEqual(process.spec.env, { THREADS: '4' });
    assert.equal(process.spec.conditions.gpu.count, 2);
    assert.equal(process.spec.fs.dirs?.[0].onconflicts.onclose.keeplocal, true);
    assert.deepEqual(process.spec.channels, ['chat', 'progress']);
  });

  it('submits the array workflow and the object workflow; the graph has one process per spec', async () => {
    for (const rel of ['workspace/hello.workflow.json', 'specs/good/object.workflow.json']) {
      const p = prepared(rel);
      assert.ok(p.ok && p.kind === 'workflow');
      const graph = await client.submitWorkflowSpec(p.workflow, user);
      assert.equal(graph.colonyname, 'dev');
      assert.equal(graph.processids?.length, p.workflow.functionspecs.length, rel);
      assert.equal(graph.rootprocessids?.length, 1, rel);
      const root = await client.getProcess(graph.rootprocessids[0], user);
      assert.equal(root.processgraphid, graph.processgraphid);
      assert.equal(root.spec.maxexectime, -1);
      await client.removeProcessGraph(graph.processgraphid, user);
    }
  });

  it('what our validation refuses, the server refuses too, and the message keeps its words with a hint', async () => {
    // Bypass our checks to show they match the server's (docs/protocol.md §4.5, §4.8).
    const badDeps = toWorkflowSpec(JSON.parse(read('specs/broken/workflow-unknown-dependency.workflow.json')), 'dev');
    const depErr = await client.submitWorkflowSpec(badDeps, user).then(() => undefined, (e: unknown) => e);
    assert.ok(depErr instanceof ColoniesError, String(depErr));
    assert.match(submitFailureText('w.workflow.json', depErr.message), /invalid dependencies.*Every entry of "conditions.dependencies"/);

    const highPriority = toFunctionSpec(JSON.parse(read('specs/broken/priority-out-of-range.colonyos.json')), 'dev');
    const prioErr = await client.submitFuncSpec(highPriority, user).then(() => undefined, (e: unknown) => e);
    assert.ok(prioErr instanceof ColoniesError, String(prioErr));
    assert.equal(prioErr.status, 400);
    assert.equal(
      submitFailureText('p.colonyos.json', prioErr.message),
      'p.colonyos.json was not submitted. The ColonyOS server said: "Failed to submit function spec, priority outside range [-50000, 50000]". Set "priority" to a whole number between -50000 and 50000.',
    );
  });

  it('a key that is not a member of the colony is refused with 403', async () => {
    const err = await client.submitFuncSpec(preparedSpec('specs/good/minimal.json'), crypto.generatePrivateKey()).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ColoniesError);
    assert.equal(err.status, 403);
  });
});
