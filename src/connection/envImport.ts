// COLONIES_* variables → a connection profile, from the process environment or a .env / devenv file.
// No `vscode` import: unit-tested in plain mocha.
import { isValidPrivateKey } from '../colonies/crypto';
import type { ConnectionProfile } from './types';
import { DEFAULT_PORT, parseBool, parsePort, validateColonyName, validateHost } from './profileValidation';
import { isLoopbackHost, sameIdentity } from './identity';

export const COLONIES_VARS = [
  'COLONIES_SERVER_HOST',
  'COLONIES_SERVER_PORT',
  'COLONIES_SERVER_HTTP_PORT',
  'COLONIES_TLS',
  'COLONIES_COLONY_NAME',
  'COLONIES_PRVKEY',
] as const;

/**
 * Parses `KEY=value` and `export KEY=value` lines: '#' comments (whole-line, or after an unquoted value
 * preceded by whitespace), single quotes (literal), double quotes (with \n \" \\ escapes). `${VAR}`
 * references are not expanded; they are kept as written.
 */
export function parseEnvFile(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const rawLine of lines) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    vars.set(m[1], parseValue(m[2]));
  }
  return vars;
}

function parseValue(rest: string): string {
  if (rest.startsWith("'")) {
    const end = rest.indexOf("'", 1);
    return end < 0 ? rest.slice(1) : rest.slice(1, end);
  }
  if (rest.startsWith('"')) {
    let out = '';
    for (let i = 1; i < rest.length; i++) {
      const c = rest[i];
      if (c === '\\' && i + 1 < rest.length) {
        const n = rest[++i];
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
      } else if (c === '"') {
        return out;
      } else {
        out += c;
      }
    }
    return out;
  }
  const hash = rest.search(/\s#/);
  return (hash >= 0 ? rest.slice(0, hash) : rest).trim();
}

export interface ImportedConnection {
  profile: Omit<ConnectionProfile, 'name'>;
  /** Present only when the variable holds a valid key. */
  prvkey?: string;
  /** Non-fatal remarks, e.g. an invalid key that was ignored. */
  warnings: string[];
}

type VarSource = Map<string, string> | Record<string, string | undefined>;

function getVar(vars: VarSource, name: string): string | undefined {
  const v = vars instanceof Map ? vars.get(name) : vars[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** True when the source mentions at least the host or the colony name (enough to offer an import). */
export function hasColoniesVars(vars: VarSource): boolean {
  return getVar(vars, 'COLONIES_SERVER_HOST') !== undefined || getVar(vars, 'COLONIES_COLONY_NAME') !== undefined;
}

/** Builds a profile from COLONIES_* variables; throws an Error naming the bad variable. */
export function connectionFromVars(vars: VarSource): ImportedConnection {
  const warnings: string[] = [];
  const host = getVar(vars, 'COLONIES_SERVER_HOST');
  if (!host) throw new Error('COLONIES_SERVER_HOST is not set.');
  const hostError = validateHost(host);
  if (hostError) throw new Error(`COLONIES_SERVER_HOST: ${hostError}`);
  const colonyName = getVar(vars, 'COLONIES_COLONY_NAME');
  if (!colonyName) throw new Error('COLONIES_COLONY_NAME is not set.');
  const colonyError = validateColonyName(colonyName);
  if (colonyError) throw new Error(`COLONIES_COLONY_NAME: ${colonyError}`);

  const portVar = getVar(vars, 'COLONIES_SERVER_PORT') !== undefined ? 'COLONIES_SERVER_PORT' : 'COLONIES_SERVER_HTTP_PORT';
  const portText = getVar(vars, portVar);
  let port = DEFAULT_PORT;
  if (portText !== undefined) {
    const parsed = parsePort(portText);
    if (parsed === undefined) throw new Error(`${portVar}: "${portText}" is not a port number between 1 and 65535.`);
    port = parsed;
  } else {
    warnings.push(`COLONIES_SERVER_PORT is not set; using ${DEFAULT_PORT}.`);
  }

  const tlsText = getVar(vars, 'COLONIES_TLS');
  let tls = parseBool(tlsText);
  if (tlsText !== undefined && tls === undefined) throw new Error(`COLONIES_TLS: "${tlsText}" is not true or false.`);
  if (tls === undefined && !isLoopbackHost(host)) {
    // A new profile for another machine defaults to HTTPS; plain HTTP is a choice the user confirms.
    tls = true;
    warnings.push(`COLONIES_TLS is not set; using HTTPS for the remote host ${host}.`);
  }

  const keyText = getVar(vars, 'COLONIES_PRVKEY');
  let prvkey: string | undefined;
  if (keyText !== undefined) {
    if (isValidPrivateKey(keyText)) prvkey = keyText.toLowerCase();
    // Never echo the value: it is a secret even when malformed.
    else warnings.push('COLONIES_PRVKEY is not a valid private key (64 hexadecimal characters); it was ignored.');
  } else {
    warnings.push('COLONIES_PRVKEY is not set; set the private key afterwards.');
  }
  return { profile: { host, port, tls: tls ?? false, colonyName }, prvkey, warnings };
}

/** A profile name that is not taken yet: `base`, `base (2)`, ... */
export function uniqueName(base: string, taken: readonly string[]): string {
  const lower = new Set(taken.map((t) => t.toLowerCase()));
  if (!lower.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base} (${i})`;
    if (!lower.has(candidate.toLowerCase())) return candidate;
  }
}

/**
 * A private key may live in the user's environment instead of Secret Storage: COLONIES_PRVKEY is used for a
 * profile whose server identity (host, port, TLS, colony) equals the COLONIES_* variables (never for another server).
 */
export function environmentKeyFor(
  profile: { host: string; port: number; colonyName: string; tls?: boolean },
  vars: VarSource,
): string | undefined {
  let imported: ImportedConnection;
  try {
    imported = connectionFromVars(vars);
  } catch {
    return undefined;
  }
  return sameIdentity(imported.profile, { ...profile, tls: profile.tls === true }) ? imported.prvkey : undefined;
}

/**
 * The colony owner's key from the user's environment (COLONIES_COLONY_PRVKEY), for the same server identity only:
 * what approving, rejecting and removing executors need (docs/protocol.md P15: the owner is not a member).
 */
export function environmentOwnerKeyFor(
  profile: { host: string; port: number; colonyName: string; tls?: boolean },
  vars: VarSource,
): string | undefined {
  if (!sameServer(profile, vars)) return undefined;
  const key = getVar(vars, 'COLONIES_COLONY_PRVKEY');
  return key !== undefined && isValidPrivateKey(key) ? key.toLowerCase() : undefined;
}

function sameServer(profile: { host: string; port: number; colonyName: string; tls?: boolean }, vars: VarSource): boolean {
  try {
    return sameIdentity(connectionFromVars(vars).profile, { ...profile, tls: profile.tls === true });
  } catch {
    return false;
  }
}
