// End-to-end: Submit & Follow on a workflow in the real workbench, as a person does it: open the workflow file, run
// the command from the palette, read the terminal until it says how the workflow ended. Against a local colony, or
// the real server the COLONIES_* variables name (with the demo executors started beside it).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { connectColony } from './chatScenario';
import { realServerConfigured } from './colonyTarget';
import { useE2eSuite } from './suite';
import { answerInputBox, openFile, quickInputRow, runCommand } from './workbench';

const STEP_TIMEOUT_MS = 90_000;

/** A workflow whose steps log a few lines each, one of them for a few seconds, so the follow shows them interleave. */
const PIPELINE = [
  { nodename: 'fetch', funcname: 'echo', args: ['reading input', 'hello world'], conditions: { executortype: 'worker' }, maxexectime: -1 },
  { nodename: 'wait', funcname: 'sleep', args: ['3'], conditions: { executortype: 'worker', dependencies: ['fetch'] }, maxexectime: -1 },
  { nodename: 'shout', funcname: 'upper', conditions: { executortype: 'worker', dependencies: ['fetch'] }, maxexectime: -1 },
  { nodename: 'report', funcname: 'echo', args: ['all done'], conditions: { executortype: 'worker', dependencies: ['wait', 'shout'] }, maxexectime: -1 },
];

describe('e2e: Submit & Follow a workflow', function () {
  this.timeout(300_000);
  // The DOM renderer keeps the terminal's text readable by the test.
  const suite = useE2eSuite('follow', { settings: { 'terminal.integrated.gpuAcceleration': 'off' } });
  const target = realServerConfigured() ? 'real-server' : 'local-colony';

  const terminalText = (): Locator => suite.wb.page.locator('.terminal-wrapper.active .xterm-rows');

  it('streams every member\'s lines, prefixed with its node name, and ends with exit 0', async () => {
    await connectColony(suite.wb);
    fs.writeFileSync(path.join(suite.wb.folder, 'pipeline.workflow.json'), `${JSON.stringify(PIPELINE, null, 2)}\n`);
    await openFile(suite.wb.page, 'pipeline.workflow.json');
    await runCommand(suite.wb.page, 'ColonyOS: Submit & Follow');
    await terminalText().getByText('slept 1 of 3').waitFor({ timeout: STEP_TIMEOUT_MS });
    // Room for every line: the rows the terminal does not show are not in its DOM.
    await runCommand(suite.wb.page, 'View: Toggle Maximized Panel');
    await suite.wb.screenshot(`follow-workflow-running-${target}`);
    await terminalText().getByText('[exit 0: every process succeeded]').waitFor({ timeout: STEP_TIMEOUT_MS });
    const text = await terminalText().innerText();
    for (const node of ['fetch', 'wait', 'shout', 'report']) assert.match(text, new RegExp(`${node}\\s*│`), `no ${node} lines:\n${text}`);
    assert.match(text, /HELLO WORLD/);
    assert.match(text, /4 of 4 processes successful/);
    await runCommand(suite.wb.page, 'Notifications: Clear All Notifications');
    await suite.wb.screenshot(`follow-workflow-ended-${target}`);
  });

  it('Search Logs lists the lines that contain a text, newest first', async () => {
    await runCommand(suite.wb.page, 'ColonyOS: Search Logs');
    await answerInputBox(suite.wb.page, 'HELLO WORLD');
    await quickInputRow(suite.wb.page, 'HELLO WORLD').waitFor({ timeout: STEP_TIMEOUT_MS });
    await suite.wb.screenshot(`search-logs-${target}`);
    await suite.wb.page.keyboard.press('Escape');
  });
});
