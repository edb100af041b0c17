// Connection profiles in user settings (`colonyos.connections`, `colonyos.activeConnection`); never a key here, and
// never a value from a workspace.
import * as vscode from 'vscode';
import { Disposable } from '../base/disposable';
import type { ConnectionProfile } from './types';
import { resolveProfiles, type ResolvedProfiles } from './profileResolution';

const SECTION = 'colonyos';

function resolved(): ResolvedProfiles {
  const config = vscode.workspace.getConfiguration(SECTION);
  return resolveProfiles(config.inspect('connections'), config.inspect('activeConnection'));
}

export class ProfileStore extends Disposable implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private reportedProblems = '';

  constructor(private readonly output: vscode.LogOutputChannel) {
    super();
    // Disposed newest first: the listener, then the emitter.
    this.register(this.changeEmitter);
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.connections`) || e.affectsConfiguration(`${SECTION}.activeConnection`)) {
          this.changeEmitter.fire();
        }
      }),
    );
  }

  /**
   * The user's profiles: only the user (global) level of settings is read. `get()` would merge in workspace values,
   * and a repository's `.vscode/settings.json` could then point a profile name, and the key stored for it, at its
   * own host (the settings are application-scoped as well, so VS Code drops workspace values too).
   */
  list(): ConnectionProfile[] {
    const { profiles, problems } = resolved();
    const text = problems.join('; ');
    if (text && text !== this.reportedProblems) this.output.warn(`Ignoring invalid entries in colonyos.connections: ${text}`);
    this.reportedProblems = text;
    return profiles;
  }

  get(name: string): ConnectionProfile | undefined {
    return this.list().find((p) => p.name === name);
  }

  activeName(): string {
    return resolved().activeName;
  }

  /** Connection settings that VS Code reports at a workspace or folder level (all of them are ignored). */
  workspaceLevelKeys(): string[] {
    return resolved().ignoredWorkspaceKeys;
  }

  /** The active profile; with none named (or a stale name), the first profile. */
  active(): ConnectionProfile | undefined {
    this.list(); // reports invalid entries
    return resolved().active;
  }

  async setActive(name: string): Promise<void> {
    await vscode.workspace.getConfiguration(SECTION).update('activeConnection', name, vscode.ConfigurationTarget.Global);
  }

  /** Adds or replaces (by `previousName`, else by name) a profile, in user settings only. */
  async upsert(profile: ConnectionProfile, previousName = profile.name): Promise<void> {
    const profiles = this.list();
    const i = profiles.findIndex((p) => p.name === previousName);
    if (i >= 0) profiles[i] = profile;
    else profiles.push(profile);
    await this.write(profiles);
    if (previousName !== profile.name && this.activeName() === previousName) await this.setActive(profile.name);
  }

  async remove(name: string): Promise<void> {
    await this.write(this.list().filter((p) => p.name !== name));
    if (this.activeName() === name) await this.setActive(this.list()[0]?.name ?? '');
  }

  /** Writes the user's list (list() never holds workspace values, so nothing of a workspace is copied over). */
  private async write(profiles: ConnectionProfile[]): Promise<void> {
    const plain = profiles.map(({ name, host, port, tls, colonyName, caFile }) => ({ name, host, port, tls, colonyName, ...(caFile ? { caFile } : {}) }));
    await vscode.workspace.getConfiguration(SECTION).update('connections', plain, vscode.ConfigurationTarget.Global);
  }
}
