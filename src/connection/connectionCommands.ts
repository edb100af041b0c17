// Connection commands: add, edit, remove, switch, keys, imports.
import * as vscode from 'vscode';
import { crypto } from '../colonies/crypto';
import { registerCommand, UserFacingError } from '../commands/errors';
import type { ConnectionServiceImpl } from './connectionService';
import { connectionFromVars, hasColoniesVars, parseEnvFile, uniqueName, type ImportedConnection } from './envImport';
import { inputPrivateKey, inputProfile } from './profileInput';
import { address } from './probe';
import type { ConnectionProfile } from './types';

const ENV_OFFER_DISMISSED = 'colonyos.envImportOfferDismissed';

export interface ConnectionCommandDeps {
  output: vscode.LogOutputChannel;
  connection: ConnectionServiceImpl;
}

/** Commands may be invoked from the palette (no argument), a tree item (an object) or code (a profile name). */
function nameArg(arg: unknown): string | undefined {
  return typeof arg === 'string' ? arg : undefined;
}

export function registerConnectionCommands(context: vscode.ExtensionContext, deps: ConnectionCommandDeps): void {
  const { output, connection } = deps;
  const { profiles, keys } = connection;
  const reg = (id: string, handler: (...args: any[]) => unknown) => registerCommand(context, id, handler, { output });

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

  async function storeKeyAndTell(profileName: string, prvkey: string, how: string): Promise<void> {
    await keys.set(profileName, prvkey);
    const id = crypto.id(prvkey);
    output.info(`Connection "${profileName}": private key ${how}; its id is ${id}`);
    if (profileName === connection.profile?.name) await connection.checkConnection();
    void vscode.window.showInformationMessage(`Private key for "${profileName}" ${how}. Its id is ${id}.`, 'Copy ID').then(
      (c) => (c ? vscode.env.clipboard.writeText(id) : undefined),
      () => undefined,
    );
  }

  async function generateFor(profileName: string): Promise<void> {
    if (await keys.has(profileName)) {
      const replace = await vscode.window.showWarningMessage(
        `Connection "${profileName}" already has a private key. Replace it with a new one?`,
        { modal: true, detail: 'The old key is deleted from Secret Storage; keep a copy if it is registered in a colony.' },
        'Replace',
      );
      if (replace !== 'Replace') return;
    }
    const prvkey = crypto.generatePrivateKey();
    await keys.set(profileName, prvkey);
    const id = crypto.id(prvkey);
    await vscode.env.clipboard.writeText(id);
    output.info(`Connection "${profileName}": generated a new private key; its id is ${id}`);
    if (profileName === connection.profile?.name) await connection.checkConnection();
    void vscode.window.showInformationMessage(
      `Generated a new private key for "${profileName}". Its id ${id} was copied to the clipboard. ` +
        'The colony owner must add this id as a user (colonies user add) or executor before you can use the colony.',
    );
  }

  async function offerKeyStep(profileName: string): Promise<void> {
    const choice = await vscode.window.showQuickPick(
      [
        { label: '$(key) Enter my private key', id: 'enter' },
        { label: '$(sparkle) Generate a new private key', description: 'the colony owner must then add its id', id: 'generate' },
        { label: 'Later', description: 'run "ColonyOS: Set Private Key" when ready', id: 'later' },
      ],
      { title: `Private key for "${profileName}"`, ignoreFocusOut: true },
    );
    if (choice?.id === 'enter') {
      const key = await inputPrivateKey(profileName);
      if (key) await storeKeyAndTell(profileName, key, 'stored');
    } else if (choice?.id === 'generate') {
      await generateFor(profileName);
    }
  }

  async function importConnection(imported: ImportedConnection, source: string): Promise<void> {
    const base = `${imported.profile.colonyName}@${imported.profile.host}`;
    const existing = profiles.list().find(
      (p) => p.host === imported.profile.host && p.port === imported.profile.port && p.colonyName === imported.profile.colonyName && p.tls === imported.profile.tls,
    );
    const name = existing?.name ?? uniqueName(base, profiles.list().map((p) => p.name));
    await profiles.upsert({ name, ...imported.profile });
    if (imported.prvkey) await keys.set(name, imported.prvkey);
    await activate(name);
    for (const w of imported.warnings) output.warn(`Import from ${source}: ${w}`);
    const idText = imported.prvkey ? ` Key id: ${crypto.id(imported.prvkey)}.` : '';
    const warnText = imported.warnings.length ? ` Note: ${imported.warnings.join(' ')}` : '';
    const actions = imported.prvkey ? [] : ['Set Private Key'];
    void vscode.window
      .showInformationMessage(`${existing ? 'Updated' : 'Imported'} connection "${name}" from ${source}.${idText}${warnText}`, ...actions)
      .then((c) => (c ? vscode.commands.executeCommand('colonyos.setPrivateKey', name) : undefined), () => undefined);
  }

  reg('colonyos.addConnection', async () => {
    const profile = await inputProfile('Add ColonyOS Connection', profiles.list().map((p) => p.name));
    if (!profile) return;
    await profiles.upsert(profile);
    await activate(profile.name);
    await offerKeyStep(profile.name);
  });

  reg('colonyos.editConnection', async (arg?: unknown) => {
    const current = nameArg(arg) ? undefined : connection.profile;
    const target = current ?? (await pickProfile('Connection to edit', arg));
    if (!target) return;
    const edited = await inputProfile(`Edit Connection "${target.name}"`, profiles.list().map((p) => p.name), target);
    if (!edited) return;
    await keys.rename(target.name, edited.name);
    await profiles.upsert(edited, target.name);
    connection.reload();
  });

  reg('colonyos.removeConnection', async (arg?: unknown) => {
    const target = await pickProfile('Connection to remove', arg);
    if (!target) return;
    const ok = await vscode.window.showWarningMessage(
      `Remove the ColonyOS connection "${target.name}"?`,
      { modal: true, detail: 'Its private key is deleted from Secret Storage.' },
      'Remove',
    );
    if (ok !== 'Remove') return;
    await keys.delete(target.name);
    await profiles.remove(target.name);
    connection.reload();
  });

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
    if (key) await storeKeyAndTell(target.name, key, 'stored');
  });

  reg('colonyos.generatePrivateKey', async (arg?: unknown) => {
    const target = nameArg(arg) ? await pickProfile('', arg) : connection.profile ?? (await pickProfile('Connection to generate a key for'));
    if (!target) return;
    await generateFor(target.name);
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
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const vars = parseEnvFile(text);
    if (!hasColoniesVars(vars)) {
      throw new UserFacingError(`${vscode.workspace.asRelativePath(uri)} sets no COLONIES_SERVER_HOST or COLONIES_COLONY_NAME.`);
    }
    await importConnection(connectionFromVars(vars), vscode.workspace.asRelativePath(uri));
  });

  reg('colonyos.retryConnection', async () => {
    connection.reload();
    await connection.checkConnection();
  });

  offerEnvironmentImport(context, deps);
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
