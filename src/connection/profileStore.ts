// Connection profiles in settings (`colonyos.connections`, `colonyos.activeConnection`); never a key here.
import * as vscode from 'vscode';
import type { ConnectionProfile } from './types';
import { readProfiles } from './profileValidation';

const SECTION = 'colonyos';

export class ProfileStore implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;
  private reportedProblems = '';

  constructor(private readonly output: vscode.LogOutputChannel) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.connections`) || e.affectsConfiguration(`${SECTION}.activeConnection`)) {
        this.changeEmitter.fire();
      }
    });
  }

  list(): ConnectionProfile[] {
    const { profiles, problems } = readProfiles(vscode.workspace.getConfiguration(SECTION).get<unknown>('connections'));
    const text = problems.join('; ');
    if (text && text !== this.reportedProblems) this.output.warn(`Ignoring invalid entries in colonyos.connections: ${text}`);
    this.reportedProblems = text;
    return profiles;
  }

  get(name: string): ConnectionProfile | undefined {
    return this.list().find((p) => p.name === name);
  }

  activeName(): string {
    return vscode.workspace.getConfiguration(SECTION).get<string>('activeConnection') ?? '';
  }

  /** The active profile; with none named (or a stale name), the first profile. */
  active(): ConnectionProfile | undefined {
    const profiles = this.list();
    return profiles.find((p) => p.name === this.activeName()) ?? profiles[0];
  }

  async setActive(name: string): Promise<void> {
    await vscode.workspace.getConfiguration(SECTION).update('activeConnection', name, vscode.ConfigurationTarget.Global);
  }

  /** Adds or replaces (by `previousName`, else by name) a profile. */
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

  private async write(profiles: ConnectionProfile[]): Promise<void> {
    const plain = profiles.map(({ name, host, port, tls, colonyName }) => ({ name, host, port, tls, colonyName }));
    await vscode.workspace.getConfiguration(SECTION).update('connections', plain, vscode.ConfigurationTarget.Global);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}
