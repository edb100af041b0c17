// Server identities: what a private key belongs to. A key signs requests for one (scheme, host, port, colony), never
// for a display name that any settings file could reuse. No `vscode` import: unit-tested in plain mocha.

export interface ServerIdentity {
  host: string;
  port: number;
  tls: boolean;
  colonyName: string;
}

/** Host names compare case-insensitively, without IPv6 brackets or a trailing dot. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

/** `https://host:port/colony` (the colony URI-encoded): one string per identity, used to name its secret. */
export function identityKey(p: ServerIdentity): string {
  const host = normalizeHost(p.host);
  const shown = host.includes(':') ? `[${host}]` : host;
  return `${p.tls ? 'https' : 'http'}://${shown}:${p.port}/${encodeURIComponent(p.colonyName)}`;
}

export function sameIdentity(a: ServerIdentity, b: ServerIdentity): boolean {
  return identityKey(a) === identityKey(b);
}

/** Where a key for an identity lives in SecretStorage. */
export const IDENTITY_SECRET_PREFIX = 'colonyos.key:';

export function secretKeyForIdentity(p: ServerIdentity): string {
  return `${IDENTITY_SECRET_PREFIX}${identityKey(p)}`;
}

/** Before identities, keys were stored per profile name under this prefix; read only by the one-time migration. */
export const LEGACY_SECRET_PREFIX = 'colonyos.prvkey.';

export function legacySecretKeyFor(profileName: string): string {
  return `${LEGACY_SECRET_PREFIX}${profileName}`;
}

/**
 * True for names and addresses that never leave this machine: localhost (and *.localhost, RFC 6761), 127.0.0.0/8,
 * ::1 and IPv4-mapped loopback. Everything else crosses a network that someone else may read.
 */
export function isLoopbackHost(host: string): boolean {
  const h = normalizeHost(host);
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  if (h === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(h) || /^(0{1,4}:){1,6}:0{0,3}1$/.test(h)) return true;
  const mapped = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(h);
  return mapped ? isLoopbackHost(mapped[1]) : false;
}

/** Plain HTTP to another machine: every signed request can be read on the way and replayed to the server. */
export function isPlainHttpToRemote(p: { host: string; tls: boolean }): boolean {
  return !p.tls && !isLoopbackHost(p.host);
}

export function plainHttpWarning(p: { host: string }): string {
  return (
    `Plain HTTP to ${p.host}: requests, their signatures and the replies (process arguments, environment, channel ` +
    'messages) travel unencrypted. Anyone on the network path can read them and replay a signed request to the server.'
  );
}

/** The part of SecretStorage the migration needs. */
export interface SecretsLike {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

export interface KeyMigrationResult {
  /** Profile names whose key now lives under their server identity. */
  moved: string[];
  /** Profile names whose old key differs from the key already stored for the identity: left where it was. */
  conflicts: string[];
}

/**
 * Moves keys stored per profile name to the identity of the profile of that name as the user defined it (the caller
 * passes only the user's own profiles). A key already stored for the identity wins; a different old key is kept
 * under its old name rather than lost.
 */
export async function migrateLegacyKeys(secrets: SecretsLike, userProfiles: readonly (ServerIdentity & { name: string })[]): Promise<KeyMigrationResult> {
  const result: KeyMigrationResult = { moved: [], conflicts: [] };
  for (const p of userProfiles) {
    const legacyName = legacySecretKeyFor(p.name);
    const legacy = (await secrets.get(legacyName)) || undefined;
    if (!legacy) continue;
    const target = secretKeyForIdentity(p);
    const current = (await secrets.get(target)) || undefined;
    if (current !== undefined && current !== legacy) {
      result.conflicts.push(p.name);
      continue;
    }
    if (current === undefined) await secrets.store(target, legacy);
    await secrets.delete(legacyName);
    result.moved.push(p.name);
  }
  return result;
}
