// Types for scripts/real-server.mjs, so TypeScript tests can build and find the pinned ColonyOS server.
export const DEV_IDENTITY: Record<string, string>;
export function pinnedVersion(): string;
export function binaryPath(): string;
/** Builds the pinned server (and CLI: the same binary) once; returns its path. */
export function ensureBinary(): string;
export function ensurePostgres(): string;
export function install(): string;
export function startServer(options?: { echo?: boolean }): Promise<{ env: Record<string, string>; logFile: string; stop: () => Promise<void>; version: string; port: number }>;
