// The tree's context menus: each `viewItem` rule in package.json matches the rows it is meant for and no other
// (a rule of /^process/ once matched the Logs and Details rows too, offering Re-run on "Logs").
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface MenuItem {
  command: string;
  when?: string;
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { menus: Record<string, MenuItem[]> };
};

/** The contextValue of every kind of row the Processes tree shows (src/views/processTreeProvider.ts). */
const ROWS: Record<string, string> = {
  colony: 'colony',
  group: 'stateGroup;state=waiting',
  waiting: 'process;state=waiting;mine',
  running: 'process;state=running',
  successful: 'process;state=success',
  failed: 'process;state=failed',
  cancelled: 'process;state=cancelled',
  channel: 'channel;state=running',
  lockedChannel: 'lockedChannel;state=running',
  logs: 'processLogs',
  details: 'processDetails',
  error: 'connectionError',
};

/** Evaluates the viewItem part of a when clause (`viewItem =~ /re/` or `viewItem == value`) for one contextValue. */
function matches(when: string, contextValue: string): boolean {
  const re = /viewItem =~ \/(.*?)\/(?:\s|$)/.exec(when);
  if (re) return new RegExp(re[1]).test(contextValue);
  const eq = /viewItem == (\S+)/.exec(when);
  return eq ? eq[1] === contextValue : true;
}

/** The contextValue of every kind of row the Executors view shows (src/views/executorTree.ts). */
const EXECUTOR_ROWS: Record<string, string> = {
  group: 'executorGroup',
  pending: 'executor;state=pending',
  approved: 'executor;state=approved',
  ownerPending: 'executor;state=pending;owner',
  ownerApproved: 'executor;state=approved;owner',
  ownerRejected: 'executor;state=rejected;owner',
  ownerUnregistered: 'executor;state=unregistered;owner',
  fn: 'executorFunction',
  running: 'executorRunning',
};

function rowsFor(command: string, rows: Record<string, string> = ROWS): string[] {
  const items = manifest.contributes.menus['view/item/context'].filter((m) => m.command === command && m.when?.includes('viewItem'));
  assert.ok(items.length > 0, `${command} has a tree context menu entry`);
  return Object.keys(rows).filter((row) => items.some((m) => matches(m.when!, rows[row])));
}

describe('package.json: tree context menus', () => {
  const processRows = ['waiting', 'running', 'successful', 'failed', 'cancelled'];

  it('offers the process commands on process rows only, never on their Logs and Details rows', () => {
    for (const command of ['colonyos.showDetails', 'colonyos.showLogs', 'colonyos.copyProcessId', 'colonyos.rerunProcess']) {
      assert.deepEqual(rowsFor(command), processRows, command);
    }
  });

  it('offers Cancel on waiting and running processes, Remove on the rest of them', () => {
    assert.deepEqual(rowsFor('colonyos.cancelProcess'), ['waiting', 'running']);
    assert.deepEqual(rowsFor('colonyos.removeProcess'), ['waiting', 'successful', 'failed', 'cancelled']);
  });

  it('offers Why Is It Waiting? on waiting processes only, inline and in the menu', () => {
    assert.deepEqual(rowsFor('colonyos.whyWaiting'), ['waiting']);
    const inline = manifest.contributes.menus['view/item/context'].filter((m) => m.command === 'colonyos.whyWaiting' && (m as { group?: string }).group === 'inline');
    assert.equal(inline.length, 1);
  });

  it('offers Open Channel on channels the user can open, and Retry on the error row', () => {
    assert.deepEqual(rowsFor('colonyos.openChannel'), ['channel']);
    assert.deepEqual(rowsFor('colonyos.retryConnection'), ['error']);
  });
});

describe('package.json: Executors view menus', () => {
  it('offers approve, reject and remove only with the colony owner key, and only where they make sense', () => {
    assert.deepEqual(rowsFor('colonyos.approveExecutor', EXECUTOR_ROWS), ['ownerPending', 'ownerRejected']);
    assert.deepEqual(rowsFor('colonyos.rejectExecutor', EXECUTOR_ROWS), ['ownerPending', 'ownerApproved']);
    assert.deepEqual(rowsFor('colonyos.removeExecutor', EXECUTOR_ROWS), ['ownerPending', 'ownerApproved', 'ownerRejected']);
  });

  it('keeps the executor commands off process rows and the process commands off executor rows', () => {
    for (const command of ['colonyos.approveExecutor', 'colonyos.rejectExecutor', 'colonyos.removeExecutor']) {
      assert.deepEqual(rowsFor(command), [], command);
    }
    for (const command of ['colonyos.cancelProcess', 'colonyos.removeProcess', 'colonyos.showDetails', 'colonyos.openChannel']) {
      assert.deepEqual(rowsFor(command, EXECUTOR_ROWS), [], command);
    }
  });

  it('puts Remove Executor last in its menu, and hides the row commands from the palette', () => {
    const remove = manifest.contributes.menus['view/item/context'].find((m) => m.command === 'colonyos.removeExecutor') as MenuItem & { group?: string };
    assert.match(remove.group ?? '', /^9_/);
    const palette = manifest.contributes.menus.commandPalette;
    for (const command of ['colonyos.approveExecutor', 'colonyos.rejectExecutor', 'colonyos.removeExecutor']) {
      assert.equal(palette.find((m) => m.command === command)?.when, 'false', command);
    }
  });
});
