// What every end-to-end suite sets up the same way: the target (a real server when COLONIES_* names one, with the
// demo executors started beside it, else the local colony the test starts), one workbench for the suite, a screenshot
// and the workbench log when a test fails, and screenshots copied to COLONYOS_SHOTS_DIR when it is set.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareRealServer, realServerConfigured, type RealServer } from './colonyTarget';
import { openWorkbench, type OpenWorkbenchOptions, type Workbench } from './workbench';

export interface E2eSuite {
  readonly wb: Workbench;
  /** The real server, when the suite runs against one. */
  readonly real: RealServer | undefined;
  /** Takes a screenshot (also into COLONYOS_SHOTS_DIR, prefixed "real-" on a real server). */
  shot(name: string): Promise<void>;
}

/** Registers the suite's before/afterEach/after hooks; `name` prefixes the screenshots of failed tests. */
export function useE2eSuite(name: string, options: OpenWorkbenchOptions = {}): E2eSuite {
  let wb: Workbench | undefined;
  let real: RealServer | undefined;

  before(async () => {
    if (realServerConfigured()) real = await prepareRealServer();
    wb = await openWorkbench(options);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      console.log(`screenshot: ${await wb.screenshot(`failed-${name}-${this.currentTest.title.replace(/\W+/g, '-')}`)}`);
      console.log(`workbench log (last 80 lines):\n${wb.logs.slice(-80).join('\n')}`);
    }
  });

  after(async () => {
    await wb?.close();
    await real?.stop();
  });

  return {
    get wb() {
      if (!wb) throw new Error('the workbench is opened in the suite\'s before hook');
      return wb;
    },
    get real() {
      return real;
    },
    async shot(shotName: string) {
      const file = await this.wb.screenshot(shotName);
      const dir = process.env.COLONYOS_SHOTS_DIR;
      if (dir) {
        fs.mkdirSync(dir, { recursive: true });
        fs.copyFileSync(file, path.join(dir, `${real ? 'real-' : ''}${path.basename(file)}`));
      }
    },
  };
}
