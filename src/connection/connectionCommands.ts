// Connection commands: add, edit, remove, switch, keys, imports.
import * as vscode from 'vscode';
import { crypto } from '../colonies/crypto';
import { commandRegistrar, UserFacingError } from '../base/errors';
import type { ConnectionServiceImpl } from './connectionService';
import { connectionFromVars, hasColoniesVars, parseEnvFile, uniqueName, type ImportedConnection } from './envImport';
import { confirmTransport, inputPrivateKey, inputProfile } from './profileInput';
import { address } from './probe';
import { identityKey, sameIdentity } from './identity';
import type { ConnectionProfile } from './types';
import { LOCAL_PROFILE_NAME } from './localProfile';
import { activeAfterRemoval } from './profileResolution';

const ENV_OFFER_DISMISSED = 'colonyos.envImportOfferDismissed';

export interface ConnectionCommandDeps {
  output: vscode.LogOutputChannel;
  connection: ConnectionServiceImpl;
}

export interface ConnectionCommands {
  /** The guided Add Connection, optionally prefilled (a workspace's suggestion): every field confirmed, key asked. */
  addConnection(initial?: Partial<ConnectionProfile>): Promise<ConnectionProfile | undefined>;
}

export const RESTRICTED_ENV_IMPORT_TEXT = "Restricted Mode: trust this workspace to import a connection from its .env files. Files outside the workspace can be imported now.";
export const MANAGE_TRUST_ACTION = { title: 'Manage Workspace Trust', command: 'workbench.trust.manage' };

function shortKeyId(prvkey: string): string {
  return crypto.id(prvkey).slice(0, 12);
}

/** Commands may be invoked from the palette (no argument), a tree item (an object) or code (a profile name). */
function nameArg(arg: unknown): string | undefined {
  return typeof arg === 'string' ? arg : undefined;
}

export function registerConnectionCommands(context: vscode.ExtensionContext, deps: ConnectionCommandDeps): ConnectionCommands {
  const { output, connection } = deps;
  const { profiles, keys } = connection;
  const reg = commandRegistrar(context, output);

  async function pickProfile(placeHolder: string, arg?: unknown): Promise<ConnectionProfile | undefined> {
    const list = profiles.list();
    const byName = nameArg(arg);
    if (byName) {
      const found = list.find((p) => p.name === byName);
      if (!found) throw new UserFacingError(`There is no ColonyOS connection named "${byName}".`);
      return found;
    }
    if (list.length === 0) {
      throw new UserFacingError('No ColonyOS connection is configured.', [{ title: 'Add Connection', command: 'colonyos.addConnection' }]);
    }
    if (list.length === 1) return list[0];
    const active = connection.profile?.name;
    const items = list.map((p) => ({ label: p.name, description: `${address(p)} · ${p.colonyName}`, detail: p.name === active ? 'active' : undefined, profile: p }));
    return (await vscode.window.showQuickPick(items, { placeHolder }))?.profile;
  }

  async function activate(name: string): Promise<void> {
    await profiles.setActive(name);
    connection.reload();
  }

  /** Other profiles of the user that reach the same server identity, and so share its key. */
  function sharing(profile: ConnectionProfile): ConnectionProfile[] {
    return profiles.list().filter((p) => p.name !== profile.name && sameIdentity(p, profile));
  }

  function isActiveIdentity(profile: ConnectionProfile): boolean {
    return !!connection.profile && sameIdentity(connection.profile, profile);
  }

  async function storeKeyAndTell(profile: ConnectionProfile, prvkey: string, how: string): Promise<void> {
    const profileName = profile.name;
    await keys.set(profile, prvkey);
    const id = crypto.id(prvkey);
    output.info(`Connection "${profileName}": private key ${how} for ${identityKey(profile)}; its id is ${id}`);
    if (isActiveIdentity(profile)) await connection.checkConnection();
    void vscode.window.showInformationMessage(`Private key for "${profileName}" ${how}. Its id is ${id}.`, 'Copy ID').then(
      (c) => (c ? vscode.env.clipboard.writeText(id) : undefined),
      () => undefined,
    );
  }

  async function generateFor(profile: ConnectionProfile): Promise<void> {
    const profileName = profile.name;
    if (await keys.has(profile)) {
      const others = sharing(profile).map((p) => `"${p.name}"`);
      const replace = await vscode.window.showWarningMessage(
        `Connection "${profileName}" already has a private key. Replace it with a new one?`,
        {
          modal: true,
          detail:
            'The old key is deleted from Secret Storage; keep a copy if it is registered in a colony.' +
            (others.length ? ` Connections ${others.join(', ')} use the same server and colony, and so the same key.` : ''),
        },
        'Replace',
      );
      if (replace !== 'Replace') return;
    }
    const prvkey = crypto.generatePrivateKey();
    await keys.set(profile, prvkey);
    const id = crypto.id(prvkey);
    await vscode.env.clipboard.writeText(id);
    output.info(`Connection "${profileName}": generated a new private key for ${identityKey(profile)}; its id is ${id}`);
    if (isActiveIdentity(profile)) await connection.checkConnection();
    void vscode.window.showInformationMessage(
      `Generated a new private key for "${profileName}". Its id ${id} was copied to the clipboard. ` +
        'The colony owner must add this id as a user (colonies user add) or executor before you can use the colony.',
    );
  }

  /** Asks for the key of a new server identity: typed, generated, or picked from another of the user's connections. */
  async function offerKeyStep(profile: ConnectionProfile): Promise<void> {
    const profileName = profile.name;
    if (await keys.has(profile)) {
      output.info(`Connection "${profileName}": uses the private key already stored for ${identityKey(profile)}`);
      return;
    }
    type Item = vscode.QuickPickItem & { id: 'enter' | 'generate' | 'later' | 'copy'; from?: ConnectionProfile };
    const items: Item[] = [
      { label: '$(key) Enter my private key', id: 'enter' },
      { label: '$(sparkle) Generate a new private key', description: 'the colony owner must then add its id', id: 'generate' },
    ];
    const seen = new Set<string>([identityKey(profile)]);
    for (const other of profiles.list()) {
      if (seen.has(identityKey(other))) continue;
      seen.add(identityKey(other));
      const key = await keys.get(other);
      if (key) items.push({ label: `$(copy) Use the key of "${other.name}"`, description: `id ${shortKeyId(key)}…`, detail: `${address(other)} · colony ${other.colonyName}`, id: 'copy', from: other });
    }
    items.push({ label: 'Later', description: 'run "ColonyOS: Set Private Key" when ready', id: 'later' });
    const choice = await vscode.window.showQuickPick(items, { title: `Private key for "${profileName}" (${address(profile)}, colony ${profile.colonyName})`, ignoreFocusOut: true });
    if (choice?.id === 'enter') {
      const key = await inputPrivateKey(profileName);
      if (key) await storeKeyAndTell(profile, key, 'stored');
    } else if (choice?.id === 'generate') {
      await generateFor(profile);
    } else if (choice?.id === 'copy' && choice.from) {
      const key = await keys.get(choice.from);
      if (key) await storeKeyAndTell(profile, key, `copied from "${choice.from.name}"`);
    }
  }

  /** 'store' when there is no key yet, it is the same, or the user agreed to replace it; undefined when cancelled. */
  async function mayReplaceKey(profile: ConnectionProfile, next: string, source: string): Promise<'store' | 'keep' | undefined> {
    const current = await keys.get(profile);
    if (current === undefined || current === next) return 'store';
    const choice = await vscode.window.showWarningMessage(
      `Replace the private key stored for "${profile.name}" with the one from ${source}?`,
      {
        modal: true,
        detail:
          `Stored key id: ${crypto.id(current)}\nKey id in ${source}: ${crypto.id(next)}\n\n` +
          'The stored key is deleted from Secret Storage; keep a copy if it is registered in a colony.',
      },
      'Replace Key',
      'Keep Stored Key',
    );
    return choice === 'Replace Key' ? 'store' : choice === 'Keep Stored Key' ? 'keep' : undefined;
  }

  async function importConnection(imported: ImportedConnection, source: string): Promise<void> {
    const server = await confirmTransport(imported.profile);
    if (!server) return;
    const base = `${server.colonyName}@${server.host}`;
    const existing = profiles.list().find((p) => sameIdentity(p, server));
    const name = existing?.name ?? uniqueName(base, profiles.list().map((p) => p.name));
    const profile: ConnectionProfile = { ...existing, name, ...server };
    const keyChoice = imported.prvkey === undefined ? 'keep' : await mayReplaceKey(profile, imported.prvkey, source);
    if (!keyChoice) return;
    const storeKey = keyChoice === 'store';
    await profiles.upsert(profile);
    if (storeKey && imported.prvkey) await keys.set(profile, imported.prvkey);
    await activate(name);
    for (const w of imported.warnings) output.warn(`Import from ${source}: ${w}`);
    const keptText = imported.prvkey && !storeKey ? ' The stored private key was kept.' : '';
    const idText = storeKey && imported.prvkey ? ` Key id: ${crypto.id(imported.prvkey)}.` : keptText;
    const warnText = imported.warnings.length ? ` Note: ${imported.warnings.join(' ')}` : '';
    const actions = imported.prvkey || (await keys.has(profile)) ? [] : ['Set Private Key'];
    void vscode.window
      .showInformationMessage(`${existing ? 'Updated' : 'Imported'} connection "${name}" from ${source}.${idText}${warnText}`, ...actions)
      .then((c) => (c ? vscode.commands.executeCommand('colonyos.setPrivateKey', name) : undefined), () => undefined);
  }

  async function addConnection(initial?: Partial<ConnectionProfile>): Promise<ConnectionProfile | undefined> {
    const profile = await inputProfile('Add ColonyOS Connection', profiles.list().map((p) => p.name), initial);
    if (!profile) return undefined;
    await profiles.upsert(profile);
    await activate(profile.name);
    await offerKeyStep(profile);
    return profile;
  }

  reg('colonyos.addConnection', () => addConnection());

  reg('colonyos.editConnection', async (arg?: unknown) => {
    const current = nameArg(arg) ? undefined : connection.profile;
    const target = current ?? (await pickProfile('Connection to edit', arg));
    if (!target) return;
    const edited = await inputProfile(`Edit Connection "${target.name}"`, profiles.list().map((p) => p.name), target);
    if (!edited) return;
    // The key follows the profile to its new server only because the user made this edit; another connection
    // still using the old server keeps it too.
    const stillUsed = sharing(target).length > 0;
    const moved = await keys.move(target, edited, stillUsed);
    if (moved === 'moved') output.info(`Connection "${edited.name}": private key moved from ${identityKey(target)} to ${identityKey(edited)}`);
    if (moved === 'kept') output.info(`Connection "${edited.name}": uses the private key already stored for ${identityKey(edited)}`);
    await profiles.upsert(edited, target.name);
    connection.reload();
    if (!(await keys.has(edited))) await offerKeyStep(edited);
  });

  reg('colonyos.removeConnection', async (arg?: unknown) => {
    const target = await pickProfile('Connection to remove', arg);
    if (!target) return;
    const others = sharing(target);
    const wasActive = connection.profile?.name === target.name;
    const keyText = others.length
      ? `Its private key stays in Secret Storage: ${others.map((p) => `"${p.name}"`).join(', ')} use${others.length === 1 ? 's' : ''} the same server and colony.`
      : 'Its private key is deleted from Secret Storage.';
    const nextText = wasActive && profiles.list().length > 2 ? ' It is the active connection: you then choose which one to use.' : '';
    const ok = await vscode.window.showWarningMessage(`Remove the ColonyOS connection "${target.name}"?`, { modal: true, detail: keyText + nextText }, 'Remove');
    if (ok !== 'Remove') return;
    if (others.length === 0) await keys.delete(target);
    await profiles.remove(target.name);
    await chooseNextActive(target.name, wasActive ? target.name : undefined);
    connection.reload();
  });

  /** After removing the active connection: say which one is used now, or ask (activeAfterRemoval). */
  async function chooseNextActive(removed: string, activeName: string | undefined): Promise<void> {
    const plan = activeAfterRemoval(profiles.list(), removed, activeName, LOCAL_PROFILE_NAME);
    if (plan.kind === 'unchanged' || plan.kind === 'none') return;
    let next = plan.kind === 'only' ? plan.profile : undefined;
    if (plan.kind === 'ask') {
      const choice = await vscode.window.showQuickPick(
        plan.choices.map((p) => ({ label: p.name, description: `${address(p)} · colony ${p.colonyName}`, profile: p })),
        { title: `Connection "${removed}" was removed`, placeHolder: 'Which connection should ColonyOS use now?', ignoreFocusOut: true },
      );
      next = choice?.profile ?? plan.choices[0];
    }
    if (!next) return;
    await profiles.setActive(next.name);
    void vscode.window
      .showInformationMessage(`ColonyOS now uses the connection "${next.name}" (${address(next)}, colony ${next.colonyName}).`, 'Switch Connection')
      .then((c) => (c ? vscode.commands.executeCommand('colonyos.switchConnection') : undefined));
  }

  reg('colonyos.switchConnection', async (arg?: unknown) => {
    const byName = nameArg(arg);
    if (byName) {
      if (!profiles.get(byName)) throw new UserFacingError(`There is no ColonyOS connection named "${byName}".`);
      return activate(byName);
    }
    const active = connection.profile?.name;
    type Item = vscode.QuickPickItem & { run: () => Promise<unknown> | Thenable<unknown> };
    const items: Item[] = profiles.list().map((p) => ({
      label: `${p.name === active ? '$(check) ' : ''}${p.name}`,
      description: `${address(p)} · colony ${p.colonyName}`,
      run: () => activate(p.name),
    }));
    items.push(
      { label: '', kind: vscode.QuickPickItemKind.Separator, run: async () => undefined },
      { label: '$(add) Add Connection…', run: () => vscode.commands.executeCommand('colonyos.addConnection') },
      { label: '$(terminal) Import from Environment', run: () => vscode.commands.executeCommand('colonyos.importFromEnvironment') },
      { label: '$(file) Import from .env File…', run: () => vscode.commands.executeCommand('colonyos.importFromEnvFile') },
    );
    const choice = await vscode.window.showQuickPick(items, { placeHolder: 'Select the ColonyOS connection to use' });
    await choice?.run();
  });

  reg('colonyos.setPrivateKey', async (arg?: unknown) => {
    const target = nameArg(arg) ? await pickProfile('', arg) : connection.profile ?? (await pickProfile('Connection to set the key for'));
    if (!target) return;
    const key = await inputPrivateKey(target.name);
    if (key) await storeKeyAndTell(target, key, 'stored');
  });

  reg('colonyos.generatePrivateKey', async (arg?: unknown) => {
    const target = nameArg(arg) ? await pickProfile('', arg) : connection.profile ?? (await pickProfile('Connection to generate a key for'));
    if (!target) return;
    await generateFor(target);
  });

  reg('colonyos.importFromEnvironment', async () => {
    if (!hasColoniesVars(process.env)) {
      throw new UserFacingError(
        'No COLONIES_* variables are set in the environment VS Code was started from (COLONIES_SERVER_HOST, COLONIES_COLONY_NAME, ...).',
        [{ title: 'Import from .env File', command: 'colonyos.importFromEnvFile' }],
      );
    }
    await importConnection(connectionFromVars(process.env), 'the environment');
  });

  reg('colonyos.importFromEnvFile', async (arg?: unknown) => {
    const uri =
      arg instanceof vscode.Uri
        ? arg
        : (
            await vscode.window.showOpenDialog({
              title: 'Import ColonyOS connection from a .env / devenv file',
              canSelectMany: false,
              openLabel: 'Import',
              defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
            })
          )?.[0];
    if (!uri) return;
    // A workspace's own .env file is the repository's word, not the user's: only in a trusted workspace.
    if (!vscode.workspace.isTrusted && vscode.workspace.getWorkspaceFolder(uri)) {
      throw new UserFacingError(RESTRICTED_ENV_IMPORT_TEXT, [MANAGE_TRUST_ACTION]);
    }
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const vars = parseEnvFile(text);
    if (!hasColoniesVars(vars)) {
      throw new UserFacingError(`${vscode.workspace.asRelativePath(uri)} sets no COLONIES_SERVER_HOST or COLONIES_COLONY_NAME.`);
    }
    await importConnection(connectionFromVars(vars), vscode.workspace.asRelativePath(uri));
  });

  reg('colonyos.retryConnection', async () => {
    // Forced: the CA certificate file may have been fixed on disk.
    connection.reload(true);
    await connection.checkConnection();
  });

  offerEnvironmentImport(context, deps);
  return { addConnection };
}

/** At activation: COLONIES_* variables are set and no profile exists → offer to use them. */
function offerEnvironmentImport(context: vscode.ExtensionContext, deps: ConnectionCommandDeps): void {
  if (deps.connection.profiles.list().length > 0 || !hasColoniesVars(process.env)) return;
  if (context.globalState.get<boolean>(ENV_OFFER_DISMISSED)) return;
  const host = process.env.COLONIES_SERVER_HOST ?? '?';
  const colony = process.env.COLONIES_COLONY_NAME ?? '?';
  void vscode.window
    .showInformationMessage(
      `ColonyOS: COLONIES_* environment variables found (colony "${colony}" on ${host}). Use them as a connection?`,
      'Use Them',
      "Don't Ask Again",
    )
    .then(
      async (choice) => {
        if (choice === 'Use Them') await vscode.commands.executeCommand('colonyos.importFromEnvironment');
        else if (choice === "Don't Ask Again") await context.globalState.update(ENV_OFFER_DISMISSED, true);
      },
      (err: unknown) => deps.output.error(`Environment import offer failed: ${String(err)}`),
    );
}
