// Shared by the extension-host tests: the manifest of the extension under test, read at run time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { poll } from '../support/poll';

export interface Manifest {
  name: string;
  publisher?: string;
  contributes?: { commands?: { command: string; title: string }[] };
}

// Bundled tests run from somewhere under out/test/host/; the repository root is the nearest folder with a manifest.
function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

export const REPO_ROOT = findRepoRoot(__dirname);

export function readManifest(): Manifest {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
}

export function extensionId(manifest: Manifest = readManifest()): string {
  if (!manifest.publisher) throw new Error('package.json has no "publisher"; the extension id is publisher.name');
  return `${manifest.publisher}.${manifest.name}`;
}

/** The extension under test, activated. */
export async function activeExtension(): Promise<vscode.Extension<unknown>> {
  const id = extensionId();
  const extension = vscode.extensions.getExtension(id);
  if (!extension) throw new Error(`extension ${id} is not loaded in this host`);
  await extension.activate();
  return extension;
}

/** Polls every 200 ms; a throwing check fails at once. */
export function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, limitMs = 20_000): Promise<T> {
  return poll(check, { what, limitMs, stepMs: 200, retryErrors: false });
}

/** A file of the fixture workspace the host opened. */
export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return vscode.Uri.joinPath(folder.uri, name);
}
