// A profile's CA certificate file (PEM): read when the connection is made, so a broken path is reported once, by name,
// instead of as a TLS failure on every request. No `vscode` import.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { looksLikePemCertificate } from './profileValidation';

/** CA bundles are a few hundred KiB at most; anything far larger is not one. */
const MAX_CA_FILE_BYTES = 4 * 1024 * 1024;

export function expandHome(file: string): string {
  return file === '~' || file.startsWith('~/') ? path.join(os.homedir(), file.slice(1)) : file;
}

/** The file's bytes, or a sentence saying why it cannot be used. */
export function readCaFile(file: string): Buffer | string {
  const full = expandHome(file.trim());
  let data: Buffer;
  try {
    const size = fs.statSync(full).size;
    if (size > MAX_CA_FILE_BYTES) return `the CA certificate file "${file}" is ${size} bytes; a PEM CA certificate is far smaller.`;
    data = fs.readFileSync(full);
  } catch (err) {
    const code = (err as { code?: string }).code;
    return `cannot read the CA certificate file "${file}" (${code ?? (err as Error).message}). Fix "caFile" of this connection in the colonyos.connections user setting, or run "ColonyOS: Edit Connection".`;
  }
  if (!looksLikePemCertificate(data.toString('latin1'))) {
    return `the CA certificate file "${file}" holds no PEM certificate (-----BEGIN CERTIFICATE-----). Fix "caFile" of this connection, or run "ColonyOS: Edit Connection".`;
  }
  return data;
}
