// Private keys live only in SecretStorage (DESIGN practice 10), one per profile, behind this typed wrapper.
import * as vscode from 'vscode';
import { validatePrivateKey } from '../colonies/crypto';
import { SECRET_KEY_PREFIX, secretKeyFor } from './profileValidation';

export class PrivateKeyStore implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<string>();
  /** Fires with the profile name whose key changed (also for changes made by another window). */
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key.startsWith(SECRET_KEY_PREFIX)) this.changeEmitter.fire(e.key.slice(SECRET_KEY_PREFIX.length));
    });
  }

  async get(profileName: string): Promise<string | undefined> {
    const value = await this.secrets.get(secretKeyFor(profileName));
    return value || undefined;
  }

  async has(profileName: string): Promise<boolean> {
    return (await this.get(profileName)) !== undefined;
  }

  /** Validates before storing; throws a CryptoError that never contains the key. */
  async set(profileName: string, prvkey: string): Promise<void> {
    validatePrivateKey(prvkey.trim());
    await this.secrets.store(secretKeyFor(profileName), prvkey.trim().toLowerCase());
  }

  async delete(profileName: string): Promise<void> {
    await this.secrets.delete(secretKeyFor(profileName));
  }

  /** Moves a key when a profile is renamed. */
  async rename(from: string, to: string): Promise<void> {
    if (from === to) return;
    const key = await this.get(from);
    if (key !== undefined) await this.secrets.store(secretKeyFor(to), key);
    await this.delete(from);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}
