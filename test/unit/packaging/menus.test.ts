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

function rowsFor(command: string): string[] {
  const items = manifest.contributes.menus['view/item/context'].filter((m) => m.command === command && m.when?.includes('viewItem'));
  assert.ok(items.length > 0, `${command} has a tree context menu entry`);
  return Object.keys(ROWS).filter((row) => items.some((m) => matches(m.when!, ROWS[row])));
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
