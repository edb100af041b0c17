// The guided multi-step input for Add / Edit Connection; every field validated as the user types. Remote servers
// default to HTTPS, and plain HTTP to another machine is confirmed.
import * as vscode from 'vscode';
import { validatePrivateKey } from '../colonies/crypto';
import type { ConnectionProfile } from './types';
import { DEFAULT_PORT, parsePort, validateCaFile, validateColonyName, validateHost, validatePort, validateProfileName } from './profileValidation';
import { isLoopbackHost, isPlainHttpToRemote, plainHttpWarning } from './identity';
import { readCaFile } from './caFile';

const STEPS = 6;

/** Undefined when the user cancelled at any step. */
export async function inputProfile(
  title: string,
  takenNames: readonly string[],
  initial?: Partial<ConnectionProfile>,
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
  const remote = !isLoopbackHost(host);
  const tlsItems: (vscode.QuickPickItem & { tls: boolean })[] = [
    { label: 'HTTPS (TLS)', description: 'https:// and wss:// (COLONIES_TLS=true)', tls: true },
    {
      label: 'HTTP',
      description: 'plain http:// and ws://',
      detail: remote ? '$(warning) Not encrypted: anyone on the network can read and replay your signed requests.' : undefined,
      tls: false,
    },
  ];
  // Remote servers default to HTTPS (also when editing or reviewing a suggestion); loopback ones keep their choice.
  const preferTls = initial?.tls === true || remote;
  if (!preferTls) tlsItems.reverse();
  const tls = await vscode.window.showQuickPick(tlsItems, { title: step(4), placeHolder: 'Transport security', ignoreFocusOut: true });
  if (!tls) return undefined;
  let caFile: string | undefined;
  if (tls.tls) {
    const ca = await pickCaFile(step(5), initial?.caFile);
    if (ca === undefined) return undefined;
    caFile = ca || undefined;
  }
  const colonyName = await ask(6, 'Colony name (COLONIES_COLONY_NAME)', initial?.colonyName ?? 'dev', validateColonyName);
  if (colonyName === undefined) return undefined;
  const profile: ConnectionProfile = { name: name.trim(), host: host.trim(), port: parsePort(port) as number, tls: tls.tls, colonyName: colonyName.trim() };
  if (caFile) profile.caFile = caFile;
  return confirmTransport(profile);
}

/** '' = the system's certificate authorities; undefined = cancelled. */
async function pickCaFile(title: string, current: string | undefined): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { id: 'system' | 'keep' | 'choose' };
  const items: Item[] = [
    { label: 'Trust the usual certificate authorities', description: "Node's bundled list", id: 'system' },
    { label: '$(file) Choose a CA certificate file (PEM)…', description: 'for a server with a private or self-signed CA', id: 'choose' },
  ];
  if (current) items.unshift({ label: `Keep ${current}`, description: 'the CA certificate file of this connection', id: 'keep' });
  for (;;) {
    const choice = await vscode.window.showQuickPick(items, { title, placeHolder: "Which certificate authority signed the server's certificate?", ignoreFocusOut: true });
    if (!choice) return undefined;
    if (choice.id === 'system') return '';
    if (choice.id === 'keep') return current;
    const picked = await vscode.window.showOpenDialog({
      title: 'CA certificate (PEM) of the ColonyOS server',
      canSelectMany: false,
      openLabel: 'Use This CA Certificate',
      filters: { 'PEM certificates': ['pem', 'crt', 'cer'], 'All files': ['*'] },
    });
    const file = picked?.[0]?.fsPath;
    if (!file) continue;
    const read = validateCaFile(file) ?? readCaFile(file);
    const problem = typeof read === 'string' ? read : undefined;
    if (!problem) return file;
    void vscode.window.showWarningMessage(`Cannot use ${file}: ${problem}`);
  }
}

/**
 * Plain HTTP to another machine needs the user's explicit yes. Returns the profile (switched to HTTPS when the user
 * prefers that), or undefined when cancelled.
 */
export async function confirmTransport<T extends { host: string; tls: boolean }>(profile: T): Promise<T | undefined> {
  if (!isPlainHttpToRemote(profile)) return profile;
  const choice = await vscode.window.showWarningMessage(
    `Use plain HTTP to ${profile.host}?`,
    { modal: true, detail: `${plainHttpWarning(profile)}\n\nUse HTTPS unless the network between you and the server is trusted.` },
    'Use HTTP Anyway',
    'Use HTTPS',
  );
  if (choice === 'Use HTTPS') return { ...profile, tls: true };
  return choice === 'Use HTTP Anyway' ? profile : undefined;
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
