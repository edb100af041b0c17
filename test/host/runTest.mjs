// Entry point of the extension-host tier (npm run test:host). Keeps @vscode/test-electron's runTests: with
// VSCODE_EXECUTABLE_PATH set it runs that desktop VS Code; otherwise scripts/code-host.mjs, which runs the same
// suite in a real VS Code server extension host (no download needed).
import { runTests } from '@vscode/test-electron';
import path from 'node:path';
import { REPO_ROOT } from '../../scripts/vscode-server.mjs';

const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH || path.join(REPO_ROOT, 'scripts', 'code-host.mjs');

try {
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'host', 'suite', 'index.js'),
    launchArgs: [path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'), '--disable-extensions'],
  });
} catch (err) {
  console.error(`extension host tests failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
