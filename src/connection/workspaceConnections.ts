// Connection settings in a workspace's own files are never used (profiles are the user's). This watches those files
// to say so in the output channel, and, in a trusted workspace, offers once to add a suggested server as the user's
// own connection: every field shown for confirmation, and the key typed or picked by the user.
import * as vscode from 'vscode';
import { Disposable } from '../base/disposable';
import type { ConnectionProfile } from './types';
import { uniqueName } from './envImport';
import { identityKey } from './identity';
import { address } from './probe';
import type { ProfileStore } from './profileStore';
import { connectionSettingsIn, ignoredSettingsText } from './workspaceProfiles';

const ANSWERED_KEY = 'colonyos.workspaceConnectionSuggestion';
const MAX_SETTINGS_BYTES = 1024 * 1024;

export interface IgnoredWorkspaceSettings {
  /** The settings file, relative to the workspace when it is inside it. */
  file: string;
  keys: string[];
  profiles: ConnectionProfile[];
}

export interface WorkspaceConnectionDeps {
  profiles: ProfileStore;
  output: vscode.LogOutputChannel;
  workspaceState: vscode.Memento;
  addConnection(initial: Partial<ConnectionProfile>): Promise<unknown>;
}

export class WorkspaceConnectionGuard extends Disposable {
  private current: IgnoredWorkspaceSettings[] = [];
  private readonly logged = new Set<string>();
  private watchers: vscode.Disposable[] = [];
  private scanning: Promise<void> = Promise.resolve();
  private offering = false;
  /** Suggestions already shown in this session (a dismissed notification is not shown again until a reload). */
  private readonly offered = new Set<string>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires after each scan. */
  readonly onDidScan = this.changeEmitter.event;

  constructor(private readonly deps: WorkspaceConnectionDeps) {
    super();
    this.registerAll(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.watch();
        void this.rescan();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.rescan()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('colonyos')) void this.rescan();
      }),
      this.changeEmitter,
    );
    this.watch();
    void this.rescan();
  }

  /** The workspace settings files whose connection settings were ignored, as of the last scan. */
  get ignored(): readonly IgnoredWorkspaceSettings[] {
    return this.current;
  }

  /** Scans again (serialised: a scan never overlaps another). */
  rescan(): Promise<void> {
    this.scanning = this.scanning.then(() => this.scan()).catch((err: unknown) => {
      this.deps.output.warn(`Reading the workspace settings failed: ${String(err)}`);
    });
    return this.scanning;
  }

  private watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    const patterns: vscode.GlobPattern[] = (vscode.workspace.workspaceFolders ?? []).map((f) => new vscode.RelativePattern(f, '.vscode/settings.json'));
    const file = workspaceFile();
    if (file) patterns.push(new vscode.RelativePattern(vscode.Uri.joinPath(file, '..'), file.path.split('/').pop() ?? ''));
    for (const pattern of patterns) {
      const w = vscode.workspace.createFileSystemWatcher(pattern);
      const again = () => void this.rescan();
      this.watchers.push(w, w.onDidCreate(again), w.onDidChange(again), w.onDidDelete(again));
    }
  }

  private async scan(): Promise<void> {
    const found: IgnoredWorkspaceSettings[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
      const text = await readSmallFile(uri);
      const settings = text === undefined ? undefined : connectionSettingsIn(text, 'settings');
      if (settings) found.push({ file: vscode.workspace.asRelativePath(uri, true), ...settings });
    }
    const file = workspaceFile();
    if (file) {
      const text = await readSmallFile(file);
      const settings = text === undefined ? undefined : connectionSettingsIn(text, 'workspaceFile');
      if (settings) found.push({ file: file.fsPath, ...settings });
    }
    // Belt and braces: should VS Code ever report workspace values for these settings, they are ignored as well.
    const reported = this.deps.profiles.workspaceLevelKeys().filter((k) => !found.some((f) => f.keys.includes(k)));
    if (reported.length) found.push({ file: 'workspace settings', keys: reported, profiles: [] });
    this.current = found;
    for (const f of found) {
      const line = ignoredSettingsText(f.file, f.keys);
      if (!this.logged.has(line)) this.deps.output.warn(line);
      this.logged.add(line);
    }
    this.changeEmitter.fire();
    this.offer();
  }

  /** Once per workspace (and again only when the suggestion changes), in a trusted workspace only. */
  private offer(): void {
    const suggested = dedupe(this.current.flatMap((f) => f.profiles));
    if (suggested.length === 0 || this.offering) return;
    const signature = suggested.map(identityKey).sort().join(' ');
    if (!vscode.workspace.isTrusted) {
      const line = 'Restricted Mode: connections suggested by this workspace are not offered until you trust it.';
      if (!this.logged.has(line)) this.deps.output.info(line);
      this.logged.add(line);
      return;
    }
    if (this.deps.workspaceState.get<string>(ANSWERED_KEY) === signature || this.offered.has(signature)) return;
    this.offered.add(signature);
    this.offering = true;
    const first = suggested[0];
    const what =
      suggested.length === 1
        ? `a ColonyOS connection (colony "${first.colonyName}" on ${address(first)})`
        : `${suggested.length} ColonyOS connections`;
    void vscode.window
      .showInformationMessage(
        `This workspace's settings suggest ${what}. Connections from workspace settings are not used; add it as your own connection only if you trust this server.`,
        'Review and Add…',
        'Not for This Workspace',
      )
      .then(async (choice) => {
        if (choice) await this.deps.workspaceState.update(ANSWERED_KEY, signature);
        if (choice === 'Review and Add…') await this.review(suggested);
      })
      .then(
        () => (this.offering = false),
        (err: unknown) => {
          this.offering = false;
          this.deps.output.error(`Adding a suggested connection failed: ${String(err)}`);
        },
      );
  }

  private async review(suggested: ConnectionProfile[]): Promise<void> {
    let pick: ConnectionProfile | undefined = suggested[0];
    if (suggested.length > 1) {
      const items = suggested.map((p) => ({ label: p.name, description: `${address(p)} · colony ${p.colonyName}`, profile: p }));
      pick = (await vscode.window.showQuickPick(items, { placeHolder: 'The suggested connection to review and add' }))?.profile;
    }
    if (!pick) return;
    // Never the suggested name as it is: it may be the name of one of the user's own connections.
    const name = uniqueName(pick.name, this.deps.profiles.list().map((p) => p.name));
    const initial: Partial<ConnectionProfile> = { name, host: pick.host, port: pick.port, tls: pick.tls, colonyName: pick.colonyName };
    await this.deps.addConnection(initial);
  }

  override dispose(): void {
    for (const w of this.watchers.splice(0)) w.dispose();
    super.dispose();
  }
}

function workspaceFile(): vscode.Uri | undefined {
  const file = vscode.workspace.workspaceFile;
  return file && file.scheme !== 'untitled' ? file : undefined;
}

async function readSmallFile(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_SETTINGS_BYTES) return undefined;
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

function dedupe(profiles: ConnectionProfile[]): ConnectionProfile[] {
  const seen = new Set<string>();
  return profiles.filter((p) => {
    const key = identityKey(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
