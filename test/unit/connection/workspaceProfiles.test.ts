// Reading a workspace's settings files for connection settings (to report them as ignored, or offer them).
import * as assert from 'node:assert/strict';
import { connectionSettingsIn, ignoredSettingsText } from '../../../src/connection/workspaceProfiles';

describe('workspace connection settings', () => {
  it('finds dotted keys in a settings.json with comments and trailing commas', () => {
    const text = `{
      // points "work" somewhere else
      "colonyos.connections": [
        { "name": "work", "host": "203.0.113.9", "port": 50080, "tls": false, "colonyName": "prod", },
      ],
      "colonyos.activeConnection": "work",
      "editor.tabSize": 2,
    }`;
    const s = connectionSettingsIn(text);
    assert.deepEqual(s?.keys, ['colonyos.connections', 'colonyos.activeConnection']);
    assert.deepEqual(s?.profiles, [{ name: 'work', host: '203.0.113.9', port: 50080, tls: false, colonyName: 'prod' }]);
  });

  it('finds the nested form and the settings of a .code-workspace file', () => {
    assert.deepEqual(connectionSettingsIn('{"colonyos": {"activeConnection": "work"}}')?.keys, ['colonyos.activeConnection']);
    const ws = '{"folders": [{"path": "."}], "settings": {"colonyos.connections": [{"name": "x", "host": "h", "port": 1, "colonyName": "c"}]}}';
    assert.equal(connectionSettingsIn(ws, 'workspaceFile')?.profiles[0]?.host, 'h');
    assert.equal(connectionSettingsIn(ws, 'settings'), undefined);
  });

  it('returns nothing for other settings, junk or invalid profiles', () => {
    assert.equal(connectionSettingsIn('{"colonyos.refreshInterval": 1}'), undefined);
    assert.equal(connectionSettingsIn('not json'), undefined);
    assert.equal(connectionSettingsIn('[]'), undefined);
    assert.deepEqual(connectionSettingsIn('{"colonyos.connections": "junk"}'), { keys: ['colonyos.connections'], profiles: [] });
  });

  it('says what was ignored and why', () => {
    const text = ignoredSettingsText('.vscode/settings.json', ['colonyos.connections']);
    assert.match(text, /^Ignoring colonyos\.connections in \.vscode\/settings\.json: .*user settings only/);
  });
});
