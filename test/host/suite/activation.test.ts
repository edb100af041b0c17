import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { REPO_ROOT, activeExtension, extensionId } from '../helpers';

suite('activation', () => {
  test('the extension under development is loaded from this repository and activates', async () => {
    const extension = await activeExtension();
    assert.equal(extension.id.toLowerCase(), extensionId().toLowerCase());
    assert.equal(path.resolve(extension.extensionPath), REPO_ROOT);
    assert.equal(extension.isActive, true);
  });

  test('the fixture workspace is open', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'expected exactly one workspace folder');
    assert.equal(path.basename(folders[0].uri.path), 'workspace');
  });
});
