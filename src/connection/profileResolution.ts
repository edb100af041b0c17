// Which profiles and which active profile apply, from what VS Code reports per settings level. Only the user level
// counts: a workspace value (should VS Code ever pass one through) is named so it can be reported, never used.
// No `vscode` import: unit-tested in plain mocha.
import { readProfiles } from './profileValidation';
import type { ConnectionProfile } from './types';

/** The levels of `WorkspaceConfiguration.inspect()` that matter here. */
export interface InspectedSetting {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export interface ResolvedProfiles {
  profiles: ConnectionProfile[];
  problems: string[];
  activeName: string;
  /** The named active profile; with none named (or a stale name), the first profile. */
  active: ConnectionProfile | undefined;
  /** Settings that have a workspace or folder value, which was ignored. */
  ignoredWorkspaceKeys: string[];
}

function hasWorkspaceValue(i: InspectedSetting | undefined): boolean {
  return i?.workspaceValue !== undefined || i?.workspaceFolderValue !== undefined;
}

export function resolveProfiles(connections: InspectedSetting | undefined, activeConnection: InspectedSetting | undefined): ResolvedProfiles {
  const { profiles, problems } = readProfiles(connections?.globalValue);
  const activeName = typeof activeConnection?.globalValue === 'string' ? activeConnection.globalValue : '';
  const active = profiles.find((p) => p.name === activeName) ?? profiles[0];
  const ignoredWorkspaceKeys: string[] = [];
  if (hasWorkspaceValue(connections)) ignoredWorkspaceKeys.push('colonyos.connections');
  if (hasWorkspaceValue(activeConnection)) ignoredWorkspaceKeys.push('colonyos.activeConnection');
  return { profiles, problems, activeName, active, ignoredWorkspaceKeys };
}

/**
 * What happens to the active connection when `removed` is deleted. Removing another one changes nothing; removing
 * the active one never silently moves to some other server (the tree and the next Submit would follow it): with
 * one left it is used and said, with more the user is asked, the local colony offered first.
 */
export type AfterRemoval =
  | { kind: 'unchanged' }
  | { kind: 'none' }
  | { kind: 'only'; profile: ConnectionProfile }
  | { kind: 'ask'; choices: ConnectionProfile[] };

export function activeAfterRemoval(remaining: readonly ConnectionProfile[], removed: string, activeName: string | undefined, localName: string): AfterRemoval {
  if (removed !== activeName) return { kind: 'unchanged' };
  if (remaining.length === 0) return { kind: 'none' };
  if (remaining.length === 1) return { kind: 'only', profile: remaining[0] };
  const local = remaining.filter((p) => p.name === localName);
  return { kind: 'ask', choices: [...local, ...remaining.filter((p) => p.name !== localName)] };
}
