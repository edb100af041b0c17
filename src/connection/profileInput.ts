// The guided multi-step input for Add / Edit Connection; every field validated as the user types.
import * as vscode from 'vscode';
import { validatePrivateKey } from '../colonies/crypto';
import type { ConnectionProfile } from './types';
import { DEFAULT_PORT, parsePort, validateColonyName, validateHost, validatePort, validateProfileName } from './profileValidation';

const STEPS = 5;

/** Undefined when the user cancelled at any step. */
export async function inputProfile(
  title: string,
  takenNames: readonly string[],
  initial?: ConnectionProfile,
): Promise<ConnectionProfile | undefined> {
  const step = (n: number) => `${title} (${n}/${STEPS})`;
  const ask = (n: number, prompt: string, value: string, validateInput: (v: string) => string | undefined) =>
    vscode.window.showInputBox({ title: step(n), prompt, value, ignoreFocusOut: true, validateInput });
  const name = await ask(1, 'A name for this connection', initial?.name ?? '', (v) =>
    validateProfileName(v, takenNames.filter((n) => n !== initial?.name)),
  );
  if (name === undefined) return undefined;
  const host = await ask(2, 'Server host name or IP address (COLONIES_SERVER_HOST)', initial?.host ?? 'localhost', validateHost);
  if (host === undefined) return undefined;
  const port = await ask(3, 'Server HTTP port (COLONIES_SERVER_PORT)', String(initial?.port ?? DEFAULT_PORT), validatePort);
  if (port === undefined) return undefined;
  const tlsItems: (vscode.QuickPickItem & { tls: boolean })[] = [
    { label: 'HTTP', description: 'plain http:// and ws://', tls: false },
    { label: 'HTTPS (TLS)', description: 'https:// and wss:// (COLONIES_TLS=true)', tls: true },
  ];
  if (initial?.tls) tlsItems.reverse();
  const tls = await vscode.window.showQuickPick(tlsItems, { title: step(4), placeHolder: 'Transport security', ignoreFocusOut: true });
  if (!tls) return undefined;
  const colonyName = await ask(5, 'Colony name (COLONIES_COLONY_NAME)', initial?.colonyName ?? 'dev', validateColonyName);
  if (colonyName === undefined) return undefined;
  return { name: name.trim(), host: host.trim(), port: parsePort(port) as number, tls: tls.tls, colonyName: colonyName.trim() };
}

export function privateKeyError(value: string): string | undefined {
  try {
    validatePrivateKey(value.trim());
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** A password box for a private key; returns the key (trimmed, lower case), or undefined when cancelled. */
export async function inputPrivateKey(profileName: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: `Private key for "${profileName}"`,
    prompt: 'The 64 hexadecimal characters of your ColonyOS private key (COLONIES_PRVKEY). Stored in VS Code Secret Storage only.',
    password: true,
    ignoreFocusOut: true,
    validateInput: privateKeyError,
  });
  return value?.trim().toLowerCase();
}
