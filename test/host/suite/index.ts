// Extension-host test runner: the workbench calls run() inside the real extension host (extensionTestsPath).
// Runs mocha over every bundled *.test.js next to this file and rejects on any failure or when no test ran,
// so a broken build can never look like a green run.
import Mocha from 'mocha';
import * as fs from 'node:fs';
import * as path from 'node:path';

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

export function run(): Promise<void> {
  // Spec output goes through console.log, which the workbench forwards to the test driver (codeAutomationLog).
  const mocha = new Mocha({ ui: 'tdd', color: false, reporter: 'spec', timeout: 30_000 });
  // The real-server tier runs only the tests that talk to a server (COLONYOS_HOST_GREP); the rest use the local colony.
  const grep = process.env.COLONYOS_HOST_GREP;
  if (grep) {
    mocha.grep(grep);
    console.log(`[host-suite] only tests matching "${grep}"`);
  }
  const files = testFiles(__dirname).sort();
  for (const file of files) mocha.addFile(file);
  console.log(`[host-suite] ${files.length} test files: ${files.map((f) => path.relative(__dirname, f)).join(', ')}`);

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats;
        const ran = stats?.tests ?? 0;
        console.log(`[host-suite] ${stats?.passes ?? 0} passed, ${failures} failed, ${stats?.pending ?? 0} skipped`);
        if (failures > 0) reject(new Error(`${failures} extension host test(s) failed`));
        else if (ran === 0) reject(new Error('no extension host tests ran'));
        else resolve();
      });
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
