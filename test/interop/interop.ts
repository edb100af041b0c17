// What each interop test file shares: the pycolonies venv (made or reused before anything else, failing the
// file when it cannot be), the target from the integration tier (local colony or a real server), Python
// peers killed after every test, and per-test cleanups (processes left running on a shared server).

import { ProcessState, type ColoniesClient } from '../../src/colonies/index';
import { useTarget, type Target } from '../integration/target';
import { killAllPeers, PyPeer, type PeerOptions } from './peer';
import { ensurePyColonies, type PyEnv } from './pyenv';

export interface Interop {
  target(): Target;
  /** Starts a Python peer; it is killed after the test if still running. */
  peer(opts: PeerOptions): PyPeer;
  /** Runs after the test (last registered first), errors ignored. */
  cleanup(fn: () => unknown): void;
  /** Cancels the process after the test unless it finished (a failed flow must not leave work on a shared server). */
  cancelAfter(client: ColoniesClient, processId: string, prvkey: string): void;
}

export function useInterop(): Interop {
  let py: PyEnv | undefined;
  const cleanups: Array<() => unknown> = [];

  before(async function () {
    this.timeout(20 * 60_000); // a first pip install on a slow network
    py = await ensurePyColonies();
  });
  const target = useTarget();

  afterEach(async function () {
    this.timeout(60_000);
    killAllPeers('the test that started it ended');
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch {
        // best effort
      }
    }
  });
  after(() => killAllPeers('the test file ended'));

  return {
    target,
    peer: (opts) => {
      if (!py) throw new Error('the pycolonies venv is not ready');
      return new PyPeer(py, target(), opts);
    },
    cleanup: (fn) => cleanups.push(fn),
    cancelAfter: (client, processId, prvkey) =>
      cleanups.push(async () => {
        const p = await client.getProcess(processId, prvkey);
        if (p.state === ProcessState.WAITING || p.state === ProcessState.RUNNING) await client.cancelProcess(processId, prvkey);
      }),
  };
}

export const progressLines = (): string[] => Array.from({ length: 11 }, (_, i) => `Progress: ${i * 10}%`);
