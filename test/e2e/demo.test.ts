// `npm run demo -- --smoke`: the README's first command starts a local colony and a VS Code server with the extension
// connected, checks in headless Chromium that the Processes tree shows the colony and its sample processes, and
// stops everything it started.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../scripts/vscode-server.mjs';

function runDemo(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts', 'demo.mjs'), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('e2e: npm run demo -- --smoke', function () {
  this.timeout(300_000);

  it('shows the tree connected to the demo colony, then stops the server and the colony', async () => {
    const screenshot = path.join(REPO_ROOT, '.artifacts', 'demo', 'workbench.png');
    fs.rmSync(screenshot, { force: true });
    const { code, output } = await runDemo(['--smoke', '--no-install']);
    assert.equal(code, 0, output);
    assert.match(output, /smoke check passed: the Get Started walkthrough is open and the process tree is connected \(dev \| Waiting \| .*Running \| .*chat/);
    assert.ok(fs.existsSync(screenshot), 'no screenshot of the demo workbench');
    // Everything it started is reported stopped, and is gone.
    const server = /stopped the VS Code server \(process group (\d+)\)/.exec(output);
    const colony = /stopped the local colony \(pid (\d+)\)/.exec(output);
    assert.ok(server && colony, output);
    assert.equal(isAlive(Number(server[1])), false, 'the VS Code server still runs');
    assert.equal(isAlive(Number(colony[1])), false, 'the local colony still runs');
  });

  it('rejects unknown options with its usage', async () => {
    const { code, output } = await runDemo(['--no-such-option']);
    assert.equal(code, 2);
    assert.match(output, /unknown argument: --no-such-option[\s\S]*--smoke/);
  });
});
