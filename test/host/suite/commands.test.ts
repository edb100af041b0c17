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
