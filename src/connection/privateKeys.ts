// Private keys live only in SecretStorage (docs/architecture.md, Practices), one per server identity (scheme, host, port, colony),
// behind this typed wrapper. A profile's display name never selects a key: any settings file can reuse a name.
import * as vscode from 'vscode';
import { Disposable } from '../base/disposable';
import { validatePrivateKey } from '../colonies/crypto';
import {
  IDENTITY_SECRET_PREFIX,
  identityKey,
  migrateLegacyKeys,
  secretKeyForIdentity,
  type KeyMigrationResult,
  type ServerIdentity,
} from './identity';

/** Where a colony owner's key for an identity lives in SecretStorage. */
export const OWNER_SECRET_PREFIX = 'colonyos.ownerKey:';

export class PrivateKeyStore extends Disposable implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<string>();
  /** Fires with the identity key (see identityKey) whose key changed, also for changes made by another window. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    super();
    // Disposed newest first: the listener, then the emitter.
    this.register(this.changeEmitter);
    this.register(
      secrets.onDidChange((e) => {
        if (e.key.startsWith(IDENTITY_SECRET_PREFIX)) this.changeEmitter.fire(e.key.slice(IDENTITY_SECRET_PREFIX.length));
      }),
    );
  }

  async get(server: ServerIdentity): Promise<string | undefined> {
    const value = await this.secrets.get(secretKeyForIdentity(server));
    return value || undefined;
  }

  async has(server: ServerIdentity): Promise<boolean> {
    return (await this.get(server)) !== undefined;
  }

  /** Validates before storing; throws a CryptoError that never contains the key. */
  async set(server: ServerIdentity, prvkey: string): Promise<void> {
    validatePrivateKey(prvkey.trim());
    await this.secrets.store(secretKeyForIdentity(server), prvkey.trim().toLowerCase());
  }

  async delete(server: ServerIdentity): Promise<void> {
    await this.secrets.delete(secretKeyForIdentity(server));
  }

  /** Moves a key when the user edits a profile's server; a key already stored for the new identity is kept. */
  async move(from: ServerIdentity, to: ServerIdentity, keepSource: boolean): Promise<'moved' | 'kept' | 'none'> {
    if (identityKey(from) === identityKey(to)) return 'none';
    const key = await this.get(from);
    if (key === undefined) return 'none';
    if (await this.has(to)) return 'kept';
    await this.secrets.store(secretKeyForIdentity(to), key);
    if (!keepSource) await this.delete(from);
    return 'moved';
  }

  /**
   * The colony owner's key for a server identity, kept apart from the member key the connection uses: only approving,
   * rejecting and removing executors use it (docs/protocol.md P15).
   */
  async getOwner(server: ServerIdentity): Promise<string | undefined> {
    return (await this.secrets.get(`${OWNER_SECRET_PREFIX}${identityKey(server)}`)) || undefined;
  }

  async setOwner(server: ServerIdentity, prvkey: string): Promise<void> {
    validatePrivateKey(prvkey.trim());
    await this.secrets.store(`${OWNER_SECRET_PREFIX}${identityKey(server)}`, prvkey.trim().toLowerCase());
  }

  async deleteOwner(server: ServerIdentity): Promise<void> {
    await this.secrets.delete(`${OWNER_SECRET_PREFIX}${identityKey(server)}`);
  }

  /** The one-time move of keys stored per profile name (see migrateLegacyKeys). */
  migrateLegacy(userProfiles: readonly (ServerIdentity & { name: string })[]): Promise<KeyMigrationResult> {
    return migrateLegacyKeys(this.secrets, userProfiles);
  }
}
