// What a workspace's own settings files say about connections. VS Code never applies them (the connection settings
// are application-scoped), so the extension reads the files itself only to tell the user, and to let the user adopt
// a suggested server on purpose. No `vscode` import: unit-tested in plain mocha.
// jsonc-parser's ESM build: see src/specs/jsonText.ts for why.
import { parse, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import { readProfiles } from './profileValidation';
import type { ConnectionProfile } from './types';

export const CONNECTION_SETTINGS = ['colonyos.connections', 'colonyos.activeConnection'] as const;

export interface WorkspaceConnectionSettings {
  /** Which of CONNECTION_SETTINGS the file sets. */
  keys: string[];
  /** The valid profiles it defines (never used as they are: only offered to the user as a starting point). */
  profiles: ConnectionProfile[];
}

function valueAt(settings: Record<string, unknown>, dotted: string): unknown {
  if (dotted in settings) return settings[dotted];
  // `"colonyos": { "connections": [...] }` is read by VS Code too.
  const [section, key] = dotted.split('.');
  const nested = settings[section];
  return nested && typeof nested === 'object' && !Array.isArray(nested) ? (nested as Record<string, unknown>)[key] : undefined;
}

/**
 * The connection settings in a settings file's text (`.vscode/settings.json`), or in the `settings` object of a
 * `.code-workspace` file; undefined when it sets none. Tolerates comments, trailing commas and junk.
 */
export function connectionSettingsIn(text: string, kind: 'settings' | 'workspaceFile' = 'settings'): WorkspaceConnectionSettings | undefined {
  const errors: ParseError[] = [];
  const root = parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  if (!root || typeof root !== 'object' || Array.isArray(root)) return undefined;
  const settings = kind === 'workspaceFile' ? (root as Record<string, unknown>).settings : root;
  if (!settings || typeof settings !== 'object' || Array.isArray(settings)) return undefined;
  const s = settings as Record<string, unknown>;
  const keys = CONNECTION_SETTINGS.filter((k) => valueAt(s, k) !== undefined);
  if (keys.length === 0) return undefined;
  return { keys: [...keys], profiles: readProfiles(valueAt(s, 'colonyos.connections')).profiles };
}

/** The output-channel line for one settings file whose connection settings were ignored. */
export function ignoredSettingsText(file: string, keys: readonly string[]): string {
  return (
    `Ignoring ${keys.join(' and ')} in ${file}: ColonyOS connection profiles and the active connection come from ` +
    'your user settings only, so that a repository cannot choose the server your private keys sign requests for.'
  );
}
