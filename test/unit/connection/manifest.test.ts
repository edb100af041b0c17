// package.json declares the trust boundaries the code relies on: connection settings a workspace cannot set, and
// Restricted Mode support with the workspace-settable settings restricted.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
const properties: Record<string, { scope?: string; items?: { properties?: Record<string, unknown> } }> = manifest.contributes.configuration.properties;

describe('manifest: trust boundaries', () => {
  it('connection settings are application-scoped (user settings only)', () => {
    assert.equal(properties['colonyos.connections'].scope, 'application');
    assert.equal(properties['colonyos.activeConnection'].scope, 'application');
    assert.ok(properties['colonyos.connections'].items?.properties?.caFile, 'a profile can name a CA certificate file');
  });

  it('declares limited Restricted Mode support, with a description and the workspace-settable settings restricted', () => {
    const u = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(u?.supported, 'limited');
    assert.match(u?.description ?? '', /Restricted Mode/);
    const restricted: string[] = u?.restrictedConfigurations ?? [];
    for (const key of restricted) assert.ok(properties[key], `${key} is a contributed setting`);
    // Every setting a workspace may set (not application- or machine-scoped) is restricted in untrusted workspaces.
    const workspaceSettable = Object.keys(properties).filter((k) => !['application', 'machine'].includes(properties[k].scope ?? 'window'));
    assert.deepEqual([...restricted].sort(), workspaceSettable.sort());
  });
});
