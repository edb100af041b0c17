// Types for scripts/vscode-server.mjs, so TypeScript tests (test/e2e) can use it under strict type-checking.
import type { BrowserContext, Page } from 'playwright-core';

export const CODE_SERVER_VERSION: string;
export const APT_PACKAGES: string[];
export const CHROMIUM_PATH: string;
export const CHROMIUM_ARGS: string[];
export const REPO_ROOT: string;

export function ensureAptPackages(packages?: string[]): void;
export function defaultCodeServerDir(): string;
export function serverMainPath(codeServerDir?: string): string;
export function ensureCodeServer(options?: { dir?: string; apt?: boolean }): string;
export function freePort(): Promise<number>;
export function installVsix(options: { vsixPath: string; baseDir: string; codeServerDir?: string }): string[];

export interface WorkbenchUrlOptions {
  folder?: string;
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
}

export interface VsCodeServer {
  port: number;
  url: string;
  pid: number;
  logPath: string;
  baseDir: string;
  dataDir: string;
  extensionsDir: string;
  remoteUri(p: string): string;
  workbenchUrl(options?: WorkbenchUrlOptions): string;
  serverOutputTail(): string;
  stop(): Promise<void>;
}

export function startServer(options?: {
  codeServerDir?: string;
  baseDir?: string;
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
  echo?: boolean;
  port?: number;
  /** --enable-smoke-test-driver: needed for development/test payloads; refuses modal dialogs. Default true. */
  smokeTestDriver?: boolean;
}): Promise<VsCodeServer>;

/** Links an extension folder (default: this repository) into an extensions dir as if it were installed. */
export function linkExtension(extensionsDir: string, extensionDir?: string): void;

export interface HeadlessBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export function launchBrowser(options?: { headless?: boolean; viewport?: { width: number; height: number } }): Promise<HeadlessBrowser>;

/** Text of a codeAutomationLog message (the workbench forwards console calls as their argument list). */
export function formatWorkbenchLog(message: unknown): string;

/** True when the module at `moduleUrl` (its import.meta.url) is the script Node was started with. */
export function isMain(moduleUrl: string): boolean;
export function killGroup(pid: number, signal: NodeJS.Signals): void;
