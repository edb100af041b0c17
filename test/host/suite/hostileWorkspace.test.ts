// A hostile workspace inside a real extension host: its .vscode/settings.json names the user's profile ("Local colony")
// with another host, a tiny HTTP listener standing in for the attacker. The user keeps seeing, and using, their own
// server; the attacker's listener gets no connection at all, at start-up of the profile, on refresh or on retry.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { ConnectionServiceImpl } from '../../../src/connection/connectionService';
import type { LocalColonyController } from '../../../src/connection/localColonyController';
import { statusBarContent } from '../../../src/connection/statusBar';
import { activeExtension } from '../helpers';
import { waitFor as eventually } from '../../support/poll';

interface Api {
  connection: ConnectionServiceImpl;
  localColony: LocalColonyController;
}

async function api(): Promise<Api> {
  const exports = (await activeExtension()).exports as Api | undefined;
  assert.ok(exports?.connection && exports.localColony, 'activate() returns { connection, localColony }');
  return exports;
}

const config = () => vscode.workspace.getConfiguration('colonyos');

/** The attacker's host: counts every TCP connection and every request, answers nothing useful. */
class Listener {
  connections = 0;
  requests: string[] = [];
  private readonly server = http.createServer((req, res) => {
    this.requests.push(`${req.method} ${req.url}`);
    res.writeHead(500).end();
  });
  port = 0;

  async listen(): Promise<void> {
    this.server.on('connection', () => this.connections++);
    this.server.on('upgrade', (req, socket) => {
      this.requests.push(`UPGRADE ${req.url}`);
      socket.destroy();
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

suite('hostile workspace settings', function () {
  this.timeout(120_000);
  const attacker = new Listener();
  let settingsUri: vscode.Uri;

  suiteSetup(async () => {
    await attacker.listen();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workspace is open');
    settingsUri = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
  });

  suiteTeardown(async () => {
    const a = await api();
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(settingsUri, '..'), { recursive: true }).then(undefined, () => undefined);
    await a.localColony.stop();
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await config().update('activeConnection', undefined, vscode.ConfigurationTarget.Global);
    await attacker.close();
  });

  test("a workspace profile with the user's profile name never gets the user's key or any request", async () => {
    const { connection, localColony } = await api();
    // The user's own profile: the local colony, made active with its key stored for that server.
    const colony = await localColony.start();
    await eventually('the user connected to the local colony', async () => (connection.state.kind === 'connected' ? true : undefined));
    const own = connection.profile;
    assert.ok(own);
    assert.equal(own.port, colony.port);

    // The repository's settings: the same profile name (and a second one) pointing at the attacker's host.
    const hostile = { name: own.name, host: '127.0.0.1', port: attacker.port, tls: false, colonyName: own.colonyName };
    const settings = {
      'colonyos.connections': [hostile, { ...hostile, name: 'team server' }],
      'colonyos.activeConnection': own.name,
    };
    await vscode.workspace.fs.writeFile(settingsUri, new TextEncoder().encode(JSON.stringify(settings, null, 2)));

    // The extension noticed the file, and says it ignores it (the output channel gets the same line).
    const guard = connection.workspaceConnections;
    assert.ok(guard, 'the workspace connection guard runs');
    const seen = await eventually('the workspace connection settings to be noticed', async () =>
      guard.ignored.find((f) => f.file.endsWith('.vscode/settings.json')),
    );
    assert.deepEqual(seen.keys, ['colonyos.connections', 'colonyos.activeConnection']);
    assert.deepEqual(seen.profiles.map((p) => p.port), [attacker.port, attacker.port]);

    // VS Code itself does not apply them (the settings are application-scoped) ...
    const merged = JSON.stringify(config().get('connections'));
    assert.ok(!merged.includes(String(attacker.port)), `colonyos.connections as VS Code resolves it: ${merged}`);
    // ... and the extension resolves only the user's level.
    assert.deepEqual(connection.profiles.list().map((p) => p.name), [own.name]);

    // Everything that sends a signed request: a reload with a fresh client, a probe, a tree refresh, a retry.
    connection.reload(true);
    await connection.checkConnection();
    await vscode.commands.executeCommand('colonyos.refresh');
    await vscode.commands.executeCommand('colonyos.retryConnection');
    const settled = await eventually('the probe after the retry to settle', async () =>
      connection.state.kind === 'connecting' ? undefined : connection.state.kind,
    );
    assert.equal(attacker.connections, 0, `TCP connections to the attacker (requests: ${attacker.requests.join(', ')})`);
    assert.equal(settled, 'connected');
    const session = await connection.requireSession();
    const processes = await session.client.getProcesses(session.profile.colonyName, 10, 0, session.prvkey);
    assert.ok(Array.isArray(processes));

    // What the user sees: their own profile and server on the status bar, no plain-HTTP warning (loopback).
    assert.equal(connection.profile?.port, colony.port);
    const bar = statusBarContent(connection.profile, connection.state);
    assert.match(bar.text, new RegExp(`^\\$\\(vm-active\\) ${own.name}$`));
    assert.match(bar.tooltip.value, new RegExp(`http://127\\.0\\.0\\.1:${colony.port}`));
    assert.ok(!bar.tooltip.value.includes(String(attacker.port)), bar.tooltip.value);
    assert.equal(bar.warning, false);

    // Adding a profile writes the user's list only: no workspace entry is copied into user settings.
    await connection.profiles.upsert({ name: 'added by the user', host: 'localhost', port: 50080, tls: false, colonyName: 'dev' });
    const userLevel = JSON.stringify(config().inspect('connections')?.globalValue);
    assert.ok(!userLevel.includes(String(attacker.port)), userLevel);
    assert.ok(!userLevel.includes('team server'), userLevel);
    assert.deepEqual(connection.profiles.list().map((p) => p.name), [own.name, 'added by the user']);
    await connection.profiles.remove('added by the user');

    assert.deepEqual(attacker.requests, [], 'requests that reached the attacker');
    assert.equal(attacker.connections, 0, 'TCP connections to the attacker');
  });

  test('a remote plain-HTTP profile is flagged on the status bar and in its tooltip', () => {
    const profile = { name: 'remote', host: 'colonies.example.org', port: 50080, tls: false, colonyName: 'dev' };
    const bar = statusBarContent(profile, { kind: 'connecting' });
    assert.match(bar.text, /\$\(warning\) HTTP$/);
    assert.equal(bar.warning, true);
    assert.match(bar.tooltip.value, /Not encrypted/);
    assert.match(bar.tooltip.value, /replay/);
    const secure = statusBarContent({ ...profile, tls: true }, { kind: 'connecting' });
    assert.doesNotMatch(secure.text, /warning/);
    assert.equal(secure.warning, false);
  });
});
