// The official ColonyOS Go CLI (the binary of the pinned real server, scripts/real-server.mjs) against the suite's
// target: the local colony must satisfy it exactly as a real server does, and the real-server tier checks that the
// same assertions hold there.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBinary } from '../../scripts/real-server.mjs';
import { registerExecutor, startDemoExecutors, type DemoExecutors } from './helpers';
import { waitFor } from '../support/poll';
import { needKey, unique, useTarget } from './target';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('integration: the ColonyOS Go CLI', function () {
  this.timeout(120_000);
  const target = useTarget();
  let bin = '';
  let demos: DemoExecutors | undefined;
  let tmp = '';

  before(async function () {
    // The first build of the pinned release takes minutes; later runs find it in the cache.
    this.timeout(20 * 60_000);
    bin = ensureBinary();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-cli-'));
    demos = await startDemoExecutors(target(), needKey(this, target(), 'colonyPrvKey', 'the demo executors register with the colony owner key'));
  });
  after(async () => {
    await demos?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Runs the CLI asynchronously: the demo executors answering it run in this process. */
  /** The CLI signs member calls with COLONIES_PRVKEY and server-owner calls with COLONIES_SERVER_PRVKEY. */
  function cli(args: string[], prvkey: string, serverPrvKey?: string): Promise<CliResult> {
    const t = target();
    const env = {
      ...process.env,
      COLONIES_SERVER_HOST: t.host, COLONIES_SERVER_PORT: String(t.port), COLONIES_TLS: String(t.tls),
      COLONIES_COLONY_NAME: t.colonyName, COLONIES_PRVKEY: prvkey, COLONIES_SERVER_PRVKEY: serverPrvKey ?? '',
    };
    return new Promise((resolve, reject) => {
      const child = spawn(bin, [...args, ...(t.tls ? [] : ['--insecure'])], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  function ok(r: CliResult, what: string): string {
    assert.equal(r.code, 0, `${what} exited ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    return r.stdout;
  }

  function specFile(spec: object): string {
    const file = path.join(tmp, `${unique('spec')}.json`);
    fs.writeFileSync(file, JSON.stringify(spec));
    return file;
  }

  it('function submit --wait --out prints the output of a process our progress executor runs', async function () {
    const t = target();
    const userKey = needKey(this, t, 'userPrvKey', 'submitting with the CLI');
    const file = specFile({ funcname: 'progress', channels: ['progress'], kwargs: { stepms: 10 }, conditions: { executortype: demos!.progressType, colonyname: t.colonyName }, maxexectime: 60 });
    const out = ok(await cli(['function', 'submit', '--spec', file, '--wait', '--out'], userKey), 'function submit --wait --out');
    assert.equal(out.trim(), 'Complete!');
  });

  it('process get --json shows a spec submitted without args or kwargs with [] and {}', async function () {
    const t = target();
    const userKey = needKey(this, t, 'userPrvKey', 'submitting with the CLI');
    const file = specFile({ funcname: 'no-args', conditions: { executortype: unique('nobody'), colonyname: t.colonyName } });
    const submitted = await cli(['function', 'submit', '--spec', file], userKey);
    ok(submitted, 'function submit');
    const id = /ProcessId=([0-9a-f]{64})/.exec(submitted.stderr + submitted.stdout)?.[1];
    assert.ok(id, `the CLI names the submitted process: ${submitted.stderr}`);
    // This CLI release prints the JSON followed by " <nil>" (its error value).
    const text = ok(await cli(['process', 'get', '--processid', id, '--json'], userKey), 'process get --json');
    const shown = JSON.parse(text.slice(0, text.lastIndexOf('}') + 1)) as { spec: { args: unknown; kwargs: unknown }; state: number };
    assert.deepEqual([shown.spec.args, shown.spec.kwargs, shown.state], [[], {}, 0]);
    ok(await cli(['process', 'remove', '--processid', id], userKey), 'process remove');
  });

  it('executor ls lists the demo executors; colony ls needs the server owner', async function () {
    const t = target();
    const userKey = needKey(this, t, 'userPrvKey', 'listing executors');
    // `executor ls` prints a table whatever --json says.
    const table = ok(await cli(['executor', 'ls'], userKey), 'executor ls');
    for (const type of [demos!.echoType, demos!.progressType]) assert.match(table, new RegExp(`│ ${type} +│`), `no ${type} row in:\n${table}`);
    const serverKey = needKey(this, t, 'serverPrvKey', 'colony ls needs the server owner key');
    assert.match(ok(await cli(['colony', 'ls'], userKey, serverKey), 'colony ls'), new RegExp(`\\b${t.colonyName}\\b`));
    const refused = await cli(['colony', 'ls'], userKey, userKey);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Access denied, not server owner/);
  });

  it('function ls shows the functions the demo executors registered; colony stats agrees with getcolonystatsmsg', async function () {
    const t = target();
    const userKey = needKey(this, t, 'userPrvKey', 'listing functions');
    const table = ok(await cli(['function', 'ls'], userKey), 'function ls');
    for (const [type, fn] of [[demos!.echoType, 'chat'], [demos!.progressType, 'progress']]) {
      assert.match(table, new RegExp(`│ ExecutorType │ ${type} +│\\n│ FunctionName │ ${fn} +│`), `no ${fn} of ${type} in:\n${table}`);
    }
    const stats = await t.client().getColonyStatistics(t.colonyName, userKey);
    const shown = ok(await cli(['colony', 'stats'], userKey), 'colony stats');
    const row = (label: string) => Number(new RegExp(`│ ${label} +│ (\\d+) +│`).exec(shown)?.[1]);
    assert.equal(row('Waiting processes'), stats.waitingprocesses, shown);
    assert.equal(row('Successful processes'), stats.successfulprocesses, shown);
    assert.ok(row('Executors') >= 2, shown);
  });

  /** The workflows `workflow <cmd> --json` lists (it prints nothing on stdout, only a warning, when there are none). */
  async function listed(cmd: string, prvkey: string): Promise<{ processgraphid: string; processids: string[] | null; state: number }[]> {
    const out = ok(await cli(['workflow', cmd, '--json', '--count', '100'], prvkey), `workflow ${cmd}`).trim();
    return out ? (JSON.parse(out) as { processgraphid: string; processids: string[] | null; state: number }[]) : [];
  }

  function submittedId(r: CliResult): string {
    ok(r, 'workflow submit');
    const id = /WorkflowID=([0-9a-f]{64})/.exec(r.stderr + r.stdout)?.[1];
    assert.ok(id, `the CLI names the submitted workflow: ${r.stderr}`);
    return id;
  }

  const step = (nodename: string, executortype: string, dependencies: string[] = []) => ({
    nodename, funcname: 'progress', kwargs: { stepms: 5 }, channels: ['progress'], maxexectime: 60,
    conditions: { executortype, colonyname: target().colonyName, dependencies },
  });

  it('workflow submit --spec runs a workflow our progress executor runs; pss and get show it', async function () {
    const userKey = needKey(this, target(), 'userPrvKey', 'submitting with the CLI');
    const id = submittedId(await cli(['workflow', 'submit', '--spec', specFile([step('first', demos!.progressType), step('second', demos!.progressType, ['first'])])], userKey));
    await waitFor('the workflow in `workflow pss`', async () => ((await listed('pss', userKey)).some((g) => g.processgraphid === id) ? true : undefined), 60_000, 300);
    const text = ok(await cli(['workflow', 'get', '--workflowid', id, '--json'], userKey), 'workflow get --json');
    const graph = JSON.parse(text.slice(0, text.lastIndexOf('}') + 1)) as { state: number; processids: string[]; nodes: { data: { label: string } }[]; edges: unknown[] };
    assert.equal(graph.state, 2);
    assert.equal(graph.processids.length, 2);
    assert.deepEqual(graph.nodes.map((n) => n.data.label).sort(), ['first', 'second']);
    assert.equal(graph.edges.length, 1);
    const table = ok(await cli(['workflow', 'get', '--workflowid', id], userKey), 'workflow get');
    assert.match(table, /State +│ Successful/);
    ok(await cli(['workflow', 'remove', '--workflowid', id], userKey), 'workflow remove');
  });

  it('workflow psw, ps, psc, cancel and remove follow a workflow through its states', async function () {
    const t = target();
    const userKey = needKey(this, t, 'userPrvKey', 'submitting with the CLI');
    const colonyKey = needKey(this, t, 'colonyPrvKey', 'an executor takes the first step');
    const type = unique('cli-wf');
    const id = submittedId(await cli(['workflow', 'submit', '--spec', specFile([step('a', type), step('b', type, ['a'])])], userKey));
    assert.ok((await listed('psw', userKey)).some((g) => g.processgraphid === id && g.processids?.length === 2), 'psw lists it with its processes');
    const executor = await registerExecutor(t.client(), t, colonyKey, type);
    await t.client().assign(t.colonyName, 10, executor.prvkey);
    assert.ok((await listed('ps', userKey)).some((g) => g.processgraphid === id), 'ps lists it once a step runs');
    assert.ok(!(await listed('psw', userKey)).some((g) => g.processgraphid === id));
    ok(await cli(['workflow', 'cancel', '--workflowid', id], userKey), 'workflow cancel');
    assert.ok((await listed('psc', userKey)).some((g) => g.processgraphid === id), 'psc lists it after the cancel');
    assert.deepEqual((await listed('psf', userKey)).filter((g) => g.processgraphid === id), []);
    const removed = await cli(['workflow', 'remove', '--workflowid', id], userKey);
    assert.match(ok(removed, 'workflow remove') + removed.stderr, /Workflow removed/);
    const gone = await cli(['workflow', 'get', '--workflowid', id], userKey);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /Workflow not found/);
  });

  it('workflow submit: an object with functionspecs is refused by the CLI; an unknown dependency by the server, which keeps an empty graph', async function () {
    const t = target();
    const userKey = needKey(this, t, 'userPrvKey', 'submitting with the CLI');
    const asObject = await cli(['workflow', 'submit', '--spec', specFile({ colonyname: t.colonyName, functionspecs: [step('a', 'nobody')] })], userKey);
    assert.notEqual(asObject.code, 0);
    assert.match(asObject.stderr, /It looks like you are trying to submit a function spec/);
    const before = new Set((await listed('psw', userKey)).map((g) => g.processgraphid));
    const bad = await cli(['workflow', 'submit', '--spec', specFile([step('a', unique('nobody'), ['ghost'])])], userKey);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /invalid dependencies, are you depending on a nodename that does not exits\?/);
    const orphans = (await listed('psw', userKey)).filter((g) => !before.has(g.processgraphid));
    assert.equal(orphans.length, 1, 'the server stored the graph before it checked the dependencies (docs/protocol.md §4.8)');
    assert.deepEqual(orphans[0].processids ?? [], []);
    ok(await cli(['workflow', 'remove', '--workflowid', orphans[0].processgraphid], userKey), 'workflow remove of the empty graph');
  });
});
