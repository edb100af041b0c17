// Follow Logs and Search Logs inside a real extension host, against the local colony and its worker executor.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Log, Process } from '../../../src/colonies/types';
import { activeExtension } from '../helpers';
import { poll } from '../../support/poll';

function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, limitMs = 20_000): Promise<T> {
  return poll(check, { what, limitMs, stepMs: 200, retryErrors: false });
}

suite('follow', function () {
  this.timeout(60_000);
  let uri: vscode.Uri;

  suiteSetup(async () => {
    await activeExtension();
    await vscode.commands.executeCommand('colonyos.startLocalColony');
  });

  suiteTeardown(async () => {
    await vscode.workspace.fs.delete(uri, { recursive: true }).then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('colonyos.stopLocalColony').then(undefined, () => undefined);
  });

  test('Follow Logs follows a process by id to exit 0; Search Logs finds its line', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const needle = `needle-${Date.now()}`;
    uri = vscode.Uri.joinPath(folder.uri, 'needle.colonyos.json');
    const spec = { funcname: 'echo', args: [needle], conditions: { executortype: 'worker' }, maxexectime: -1 };
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(spec, null, 2)));
    const process = await vscode.commands.executeCommand<Process | undefined>('colonyos.submit', uri);
    assert.ok(process);

    const code = await vscode.commands.executeCommand<number | undefined>('colonyos.followLogs', process.processid);
    assert.equal(code, 0);
    const terminal = vscode.window.terminals.find((t) => t.name === `Follow ${process.processid.slice(0, 8)}`);
    assert.ok(terminal, vscode.window.terminals.map((t) => t.name).join(', '));
    terminal.dispose(); // closing the terminal stops the follow; nothing is left running
    await eventually('the terminal to go', () => (vscode.window.terminals.includes(terminal) ? undefined : true));

    let found: Log[] | undefined;
    const searching = vscode.commands.executeCommand<Log[]>('colonyos.searchLogs', needle).then((r) => (found = r));
    // The results open in a quick pick; dismiss it once it is up.
    await eventually('the search to finish', async () => {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      return found;
    });
    await searching;
    assert.deepEqual(found?.map((l) => [l.processid, l.message]), [[process.processid, needle]]);
  });
});
