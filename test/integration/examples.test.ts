// Every example the project ships runs as shipped: the demo workspace's spec and workflow files, the New Function
// Spec / New Workflow templates and the JSON examples in README.md, validated and defaulted by src/specs, submitted
// to the target with the demo executors running, and followed to SUCCESS (a chat is answered, then ended).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChannelSession, ProcessState, entryText, type ColoniesClient, type Process } from '../../src/colonies/index';
import { prepareSubmission, analyzeSpecText, type Prepared } from '../../src/specs/validate';
import { funcSpecTemplate, workflowTemplate, FUNCSPEC_TEMPLATE_NAME, WORKFLOW_TEMPLATE_NAME } from '../../src/specs/templates';
import { needKey, useTarget } from './target';
import { startShippedDemoExecutors, type RunningDemoExecutors } from './demoExecutors';
import { waitFor } from '../support/poll';

const REPO = path.resolve(__dirname, '../..');
const WORKSPACE = path.join(REPO, 'test/fixtures/workspace');

interface Example {
  name: string;
  text: string;
}

/** The ```json blocks of README.md that are function specs or workflows. */
function readmeExamples(): Example[] {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  return [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m, i) => ({ name: `README.md json block ${i + 1}`, text: m[1] }));
}

export function shippedExamples(): Example[] {
  const workspace = fs.readdirSync(WORKSPACE).filter((f) => f.endsWith('.json')).sort()
    .map((f) => ({ name: `workspace/${f}`, text: fs.readFileSync(path.join(WORKSPACE, f), 'utf8') }));
  return [
    ...workspace,
    { name: `template ${FUNCSPEC_TEMPLATE_NAME}`, text: funcSpecTemplate() },
    { name: `template ${WORKFLOW_TEMPLATE_NAME}`, text: workflowTemplate() },
    ...readmeExamples(),
  ];
}

/** The file name that makes src/specs read the example as what it is (README blocks have none). */
function asFile(e: Example): string {
  if (e.name.endsWith('.json')) return e.name;
  return Array.isArray(JSON.parse(e.text)) ? 'example.workflow.json' : 'example.colonyos.json';
}

describe('shipped examples run as shipped on the demo executors', function () {
  this.timeout(120_000);
  const target = useTarget();
  let client: ColoniesClient;
  let user: string;
  let executors: RunningDemoExecutors | undefined;

  before(async function () {
    const t = target();
    const colonyKey = needKey(this, t, 'colonyPrvKey', 'the demo executors register themselves');
    user = needKey(this, t, 'userPrvKey', 'examples are submitted by a user');
    client = t.client({ timeoutMs: 15_000 });
    executors = await startShippedDemoExecutors(t, colonyKey);
    console.log(`      demo executors running ${executors.how}`);
  });
  after(async () => {
    await executors?.stop();
  });

  const finished = (id: string, what: string) =>
    waitFor(`${what} to finish`, async () => {
      const p = await client.getProcess(id, user);
      return p.state === ProcessState.SUCCESS || p.state === ProcessState.FAILED || p.state === ProcessState.CANCELLED ? p : undefined;
    }, 60_000, 200);

  async function chatToTheEnd(p: Process, name: string): Promise<Process> {
    await waitFor(`${name} to run`, async () => ((await client.getProcess(p.processid, user)).state === ProcessState.RUNNING ? true : undefined));
    const session = new ChannelSession(client, { processId: p.processid, channel: 'chat', prvkey: user });
    try {
      session.start();
      await session.send('hello from the examples test');
      await waitFor(`the echo reply in ${name}`, async () =>
        session.entries.some((e) => e.senderid !== session.myId && entryText(e) === 'You said: hello from the examples test') ? true : undefined);
      await session.send('', { type: 'end' });
      return await finished(p.processid, name);
    } finally {
      session.dispose();
    }
  }

  it('finds the examples: the workspace files, both templates and the README block', () => {
    const names = shippedExamples().map((e) => e.name);
    assert.ok(names.includes('workspace/hello.workflow.json'), names.join(', '));
    assert.ok(names.includes('workspace/chat.colonyos.json'), names.join(', '));
    assert.ok(names.includes('workspace/progress.colonyos.json'), names.join(', '));
    assert.ok(names.some((n) => n.startsWith('README.md')), names.join(', '));
  });

  for (const example of shippedExamples()) {
    it(`${example.name} reaches SUCCESS`, async () => {
      const t = target();
      const file = asFile(example);
      const prepared: Prepared = prepareSubmission(example.text, file, analyzeSpecText(example.text, file).kind, t.colonyName);
      assert.ok(prepared.ok, `${example.name} does not validate: ${prepared.ok ? '' : prepared.issues.map((i) => i.message).join('; ')}`);
      if (prepared.kind === 'funcspec') {
        const submitted = await client.submitFuncSpec(prepared.spec, user);
        const chat = (prepared.spec.channels ?? []).includes('chat');
        const end = chat ? await chatToTheEnd(submitted, example.name) : await finished(submitted.processid, example.name);
        assert.equal(end.state, ProcessState.SUCCESS, `${example.name}: ${JSON.stringify(end.errors)}`);
        return;
      }
      const graph = await client.submitWorkflowSpec(prepared.workflow, user);
      const ids = graph.processids ?? [];
      assert.equal(ids.length, prepared.workflow.functionspecs.length);
      for (const id of ids) {
        const end = await finished(id, `${example.name} member ${id.slice(0, 8)}`);
        assert.equal(end.state, ProcessState.SUCCESS, `${example.name} ${end.spec.nodename}: ${JSON.stringify(end.errors)}`);
        // The template's second step has no args: it works on its parent's output.
        if (example.name.startsWith('template') && end.spec.nodename === 'report') assert.deepEqual(end.out, ['HELLO']);
      }
    });
  }
});
