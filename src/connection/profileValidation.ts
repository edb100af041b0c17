// Field rules for connection profiles, shared by the guided input, the settings reader and the importers.
// No `vscode` import: unit-tested in plain mocha.
import type { ConnectionProfile } from './types';

export const DEFAULT_PORT = 50080;

/** Returns an error text, or undefined when the value is acceptable (the InputBox validateInput convention). */
export function validateProfileName(value: string, existingNames: readonly string[] = []): string | undefined {
  const name = value.trim();
  if (!name) return 'Enter a name for this connection.';
  if (name.length > 64) return 'Use at most 64 characters.';
  if (existingNames.some((n) => n.toLowerCase() === name.toLowerCase())) return `A connection named "${name}" already exists.`;
  return undefined;
}

const HOST_RE = /^(?:\[[0-9a-fA-F:.]+\]|[0-9a-fA-F:]*:[0-9a-fA-F:.]+|[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*\.?)$/;

export function validateHost(value: string): string | undefined {
  const host = value.trim();
  if (!host) return 'Enter the server host name or IP address, e.g. localhost.';
  if (/^[a-z]+:\/\//i.test(host)) return 'Enter only the host name, without http:// or https:// (TLS is asked next).';
  if (/[/\s]/.test(host)) return 'A host name cannot contain spaces or slashes.';
  if (/:\d+$/.test(host) && !host.includes('::') && host.split(':').length === 2) return 'Enter the port separately, without ":port".';
  if (!HOST_RE.test(host)) return `"${host}" is not a valid host name or IP address.`;
  return undefined;
}

export function parsePort(value: string | number): number | undefined {
  const text = String(value).trim();
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

export function validatePort(value: string): string | undefined {
  return parsePort(value) === undefined ? 'Enter a port number between 1 and 65535 (ColonyOS uses 50080 by default).' : undefined;
}

export function validateColonyName(value: string): string | undefined {
  const name = value.trim();
  if (!name) return 'Enter the colony name (COLONIES_COLONY_NAME), e.g. dev.';
  if (/\s/.test(name)) return 'A colony name cannot contain spaces.';
  return undefined;
}

/** Parses TLS flags the way the ColonyOS tools read COLONIES_TLS. */
export function parseBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  return undefined;
}

/**
 * Reads `colonyos.connections` leniently: hand-edited settings may hold junk, which is skipped with a reason
 * rather than breaking activation.
 */
export function readProfiles(raw: unknown): { profiles: ConnectionProfile[]; problems: string[] } {
  const profiles: ConnectionProfile[] = [];
  const problems: string[] = [];
  if (!Array.isArray(raw)) return { profiles, problems: raw === undefined ? [] : ['colonyos.connections is not an array'] };
  raw.forEach((item, i) => {
    if (!item || typeof item !== 'object') {
      problems.push(`connection #${i + 1} is not an object`);
      return;
    }
    const o = item as Record<string, unknown>;
    const name = typeof o.name === 'string' ? o.name.trim() : '';
    const host = typeof o.host === 'string' ? o.host.trim() : '';
    const port = parsePort(typeof o.port === 'number' || typeof o.port === 'string' ? o.port : '');
    const colonyName = typeof o.colonyName === 'string' ? o.colonyName.trim() : '';
    const error =
      validateProfileName(name, profiles.map((p) => p.name)) ??
      validateHost(host) ??
      (port === undefined ? 'invalid port' : undefined) ??
      validateColonyName(colonyName);
    if (error) {
      problems.push(`connection #${i + 1}${name ? ` "${name}"` : ''}: ${error}`);
      return;
    }
    const caFile = typeof o.caFile === 'string' && o.caFile.trim() ? o.caFile.trim() : undefined;
    const caError = caFile === undefined ? undefined : validateCaFile(caFile);
    if (caError) {
      problems.push(`connection #${i + 1} "${name}": caFile: ${caError}`);
      return;
    }
    const profile: ConnectionProfile = { name, host, port: port as number, tls: o.tls === true, colonyName };
    if (caFile !== undefined) profile.caFile = caFile;
    profiles.push(profile);
  });
  return { profiles, problems };
}

/**
 * A CA certificate file is named by an absolute path (or one under `~`): a relative path would depend on the folder
 * VS Code was started in.
 */
export function validateCaFile(value: string): string | undefined {
  const file = value.trim();
  if (!file) return 'Enter the path of a PEM file.';
  if (!(file.startsWith('/') || file.startsWith('~/') || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith('\\\\'))) {
    return `"${file}" is not an absolute path.`;
  }
  return undefined;
}

/** True when `text` holds at least one PEM certificate. */
export function looksLikePemCertificate(text: string): boolean {
  return /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text);
}
