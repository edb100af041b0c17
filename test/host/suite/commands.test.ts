import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, readManifest } from '../helpers';

suite('commands', () => {
  test('every command contributed in package.json is registered after activation', async () => {
    await activeExtension();
    const contributed = (readManifest().contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.ok(missing.length === 0, `contributed but not registered: ${missing.join(', ')}`);
  });
});

suite('walkthrough', () => {
  test('"ColonyOS: Get Started" opens the Get Started walkthrough', async () => {
    await activeExtension();
    await vscode.commands.executeCommand('colonyos.openWalkthrough');
    const labels = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
    // The walkthrough opens in the Welcome editor, titled after it.
    const deadline = Date.now() + 20_000;
    while (!labels().some((l) => /Get Started with ColonyOS|Welcome|Walkthrough/i.test(l))) {
      assert.ok(Date.now() < deadline, `no walkthrough tab; tabs: ${JSON.stringify(labels())}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
