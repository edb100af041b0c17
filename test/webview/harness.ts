// Loads the BUILT chat webview in real Chromium, inside a page made by the same renderChatHtml the host uses (same CSP),
// with a stand-in for acquireVsCodeApi that records what the webview posts.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { renderChatHtml } from '../../src/panels/chatHtml';
import { renderGraphHtml } from '../../src/panels/graphHtml';
import type { GraphPersistedState } from '../../src/panels/graphProtocol';
import { EntryViewBuilder } from '../../src/panels/entryView';
import { parseWebviewMessage, type ComposerView, type EntryView, type HostMessage, type PanelInfo, type StatusView } from '../../src/panels/protocol';
import type { ChannelEntry } from '../../src/colonies/types';

export const REPO = path.resolve(__dirname, '..', '..');
const ORIGIN = 'https://webview.test';
export const ARTIFACTS = path.join(REPO, '.artifacts', 'webview');

let built = false;
export function buildWebview(): void {
  if (built) return;
  execFileSync(process.execPath, ['esbuild.js'], { cwd: REPO, stdio: 'inherit' });
  built = true;
}

export const DARK_THEME: Record<string, string> = {
  '--vscode-font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': '"DejaVu Sans Mono", monospace',
  '--vscode-editor-font-size': '12px',
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-errorForeground': '#f85149',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-sideBar-background': '#181818',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#026ec1',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-button-secondaryHoverBackground': '#3c3c3c',
  '--vscode-badge-background': '#616161',
  '--vscode-badge-foreground': '#f8f8f8',
  '--vscode-input-background': '#313131',
  '--vscode-input-foreground': '#cccccc',
  '--vscode-input-border': '#3c3c3c',
  '--vscode-input-placeholderForeground': '#989898',
  '--vscode-dropdown-background': '#313131',
  '--vscode-dropdown-foreground': '#cccccc',
  '--vscode-dropdown-border': '#3c3c3c',
  '--vscode-list-hoverBackground': '#2a2d2e',
  '--vscode-list-inactiveSelectionBackground': '#37373d',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-textBlockQuote-background': '#2b2b2b',
  '--vscode-textBlockQuote-border': '#616161',
  '--vscode-textCodeBlock-background': '#2b2b2b',
  '--vscode-editor-findMatchHighlightBackground': 'rgba(234, 92, 0, 0.33)',
  '--vscode-inputValidation-errorBackground': 'rgba(90, 29, 29, 0.5)',
  '--vscode-inputValidation-errorBorder': '#be1100',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-testing-iconPassed': '#73c991',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-toolbar-hoverBackground': 'rgba(90, 93, 94, 0.31)',
  '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.36)',
};

export const LIGHT_THEME: Record<string, string> = {
  ...DARK_THEME,
  '--vscode-foreground': '#3b3b3b',
  '--vscode-descriptionForeground': '#717171',
  '--vscode-errorForeground': '#cd3131',
  '--vscode-editor-background': '#ffffff',
  '--vscode-sideBar-background': '#f8f8f8',
  '--vscode-panel-border': '#e5e5e5',
  '--vscode-focusBorder': '#005fb8',
  '--vscode-button-background': '#005fb8',
  '--vscode-button-hoverBackground': '#0258a8',
  '--vscode-button-secondaryBackground': '#e5e5e5',
  '--vscode-button-secondaryForeground': '#3b3b3b',
  '--vscode-button-secondaryHoverBackground': '#cccccc',
  '--vscode-badge-background': '#cccccc',
  '--vscode-badge-foreground': '#3b3b3b',
  '--vscode-input-background': '#ffffff',
  '--vscode-input-foreground': '#3b3b3b',
  '--vscode-input-border': '#cecece',
  '--vscode-input-placeholderForeground': '#767676',
  '--vscode-dropdown-background': '#ffffff',
  '--vscode-dropdown-foreground': '#3b3b3b',
  '--vscode-dropdown-border': '#cecece',
  '--vscode-list-hoverBackground': '#f2f2f2',
  '--vscode-list-inactiveSelectionBackground': '#e4e6f1',
  '--vscode-textLink-foreground': '#005fb8',
  '--vscode-textBlockQuote-background': '#f8f8f8',
  '--vscode-textBlockQuote-border': '#e5e5e5',
  '--vscode-textCodeBlock-background': '#f8f8f8',
  '--vscode-editor-findMatchHighlightBackground': 'rgba(234, 92, 0, 0.33)',
  '--vscode-inputValidation-errorBackground': '#f2dede',
  '--vscode-charts-green': '#388a34',
  '--vscode-charts-yellow': '#bf8803',
  '--vscode-testing-iconPassed': '#388a34',
  '--vscode-toolbar-hoverBackground': 'rgba(184, 184, 184, 0.31)',
  '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.16)',
};

/** Runs before the page's own script: the acquireVsCodeApi stand-in, CSP violation recording, theme variables. */
function initScript(theme: Record<string, string>, themeClass: string, state: unknown): string {
  return `(() => {
  const w = window;
  w.__posted = [];
  w.__state = ${JSON.stringify(state ?? null)} ?? undefined;
  w.__cspViolations = [];
  let acquired = false;
  // Like VS Code: the API can be acquired once; messages are structured-cloned.
  w.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return {
      postMessage: (m) => w.__posted.push(structuredClone(m)),
      getState: () => w.__state,
      setState: (s) => { w.__state = structuredClone(s); },
    };
  };
  document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
  // VS Code sets the theme variables on <html> from its own script; CSSOM writes are allowed by the CSP.
  const theme = ${JSON.stringify(theme)};
  const apply = () => {
    const root = document.documentElement;
    if (!root) return false;
    for (const [k, v] of Object.entries(theme)) root.style.setProperty(k, v);
    return true;
  };
  if (!apply()) {
    const mo = new MutationObserver(() => { if (apply()) mo.disconnect(); });
    mo.observe(document, { childList: true });
  }
  document.addEventListener('DOMContentLoaded', () => document.body.classList.add(${JSON.stringify(themeClass)}));
})();`;
}

export interface ChatPage {
  page: Page;
  /** Sends a host message to the webview the way VS Code does (a window message event). */
  send(message: HostMessage | Record<string, unknown>): Promise<void>;
  /** Everything the webview has posted so far. */
  posted(): Promise<any[]>;
  state(): Promise<unknown>;
  /** Errors thrown in the page, CSP violations and console errors. */
  problems: string[];
  close(): Promise<void>;
}

/** The graph panel's page (src/panels/graphHtml.ts) as the host serves it, for ChatBrowser.open({ html }). */
export function graphPageHtml(saved: GraphPersistedState): (nonce: string, origin: string) => string {
  return (nonce, origin) => renderGraphHtml({ cspSource: origin, nonce, scriptUri: `${origin}/media/graph.js`, styleUri: `${origin}/media/graph.css`, saved });
}

export class ChatBrowser {
  private userDataDir: string | undefined;
  private contextHolder: BrowserContext | undefined;

  async launch(): Promise<void> {
    buildWebview();
    this.userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colonyos-webview-'));
    this.contextHolder = await chromium.launchPersistentContext(this.userDataDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 760, height: 640 },
    });
  }

  async open(opts: {
    theme?: Record<string, string>;
    themeClass?: string;
    processId?: string;
    channel?: string;
    state?: unknown;
    viewport?: { width: number; height: number };
    /** Another page of the extension (the graph panel), made by its own host-side renderer with this nonce and origin. */
    html?: (nonce: string, origin: string) => string;
  } = {}): Promise<ChatPage> {
    const context = this.contextHolder!;
    const page = await context.newPage();
    if (opts.viewport) await page.setViewportSize(opts.viewport);
    const nonce = `n${Math.random().toString(36).slice(2)}`;
    const html = opts.html ? opts.html(nonce, ORIGIN) : renderChatHtml({
      cspSource: ORIGIN,
      nonce,
      scriptUri: `${ORIGIN}/media/chat.js`,
      styleUri: `${ORIGIN}/media/chat.css`,
      title: 'test',
      processId: opts.processId ?? 'a'.repeat(64),
      channel: opts.channel ?? 'chat',
    });
    await page.route(`${ORIGIN}/**`, async (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/index.html') return route.fulfill({ status: 200, contentType: 'text/html', body: html });
      const file = path.join(REPO, 'dist', url.pathname);
      if (url.pathname.startsWith('/media/') && fs.existsSync(file)) {
        const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream';
        return route.fulfill({ status: 200, contentType: type, body: fs.readFileSync(file) });
      }
      return route.fulfill({ status: 404, body: 'not found' });
    });
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
    // A plain string: functions serialised from this (tsx-compiled) file would reference tsx's helpers.
    await page.addInitScript(initScript(opts.theme ?? DARK_THEME, opts.themeClass ?? 'vscode-dark', opts.state));
    await page.goto(`${ORIGIN}/index.html`);
    await page.waitForFunction(() => (window as any).__posted.some((m: any) => m.type === 'ready'));
    return {
      page,
      problems,
      send: async (message) => {
        await page.evaluate((m) => window.postMessage(m, '*'), message as any);
        // Let the message event and one animation frame run.
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      },
      posted: () => page.evaluate(() => (window as any).__posted),
      state: () => page.evaluate(() => (window as any).__state),
      close: async () => {
        const csp: string[] = await page.evaluate(() => (window as any).__cspViolations);
        problems.push(...csp.map((c) => `csp: ${c}`));
        await page.close();
      },
    };
  }

  async close(): Promise<void> {
    await this.contextHolder?.close();
    if (this.userDataDir) fs.rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

// ---- fixtures built with the host's own code ----
export const ME = 'b'.repeat(64);
export const EXECUTOR = 'e'.repeat(64);
const T0 = Date.parse('2026-01-02T10:00:00Z');

export function entry(sender: string, sequence: number, payload: string | Uint8Array, extra: Partial<ChannelEntry> = {}): ChannelEntry {
  return {
    sequence,
    inreplyto: 0,
    timestamp: new Date(T0 + sequence * 1000 + (sender === ME ? 500 : 0)).toISOString(),
    senderid: sender,
    payload: typeof payload === 'string' ? new TextEncoder().encode(payload) : payload,
    type: 'data',
    error: '',
    ...extra,
  };
}

/** A varied transcript: one-line, multi-line and JSON messages from both parties. */
export function manyEntries(n: number): ChannelEntry[] {
  const list: ChannelEntry[] = [];
  for (let i = 1; i <= n; i++) {
    const text = i % 7 === 0 ? `line one of ${i}\nline two\nline three` : i % 11 === 0 ? `{"step":${i},"ok":true}` : `message number ${i} ${'word '.repeat(i % 40)}`;
    list.push(entry(i % 3 === 0 ? ME : EXECUTOR, i, text));
  }
  return list;
}

export function views(entries: ChannelEntry[]): EntryView[] {
  return new EntryViewBuilder({ myId: ME, initiatorId: ME, executorId: EXECUTOR }).all(entries);
}

export const INFO: PanelInfo = { processId: 'a'.repeat(64), shortId: 'aaaaaaaaaaaa', channel: 'chat', funcname: 'echo', colonyName: 'dev' };
export const LIVE: StatusView = { kind: 'live' };
export const CAN_SEND: ComposerView = { enabled: true };

export function init(entries: EntryView[], status: StatusView = LIVE, composer: ComposerView = CAN_SEND): HostMessage {
  return { type: 'init', info: INFO, entries, status, composer };
}

/**
 * Registers the hooks every webview suite needs: one browser per suite, a fresh page per test, and after each test
 * the checks that hold everywhere (every posted message is in the protocol; no page errors or CSP violations).
 */
export function useChatPage(): { browser: ChatBrowser; chat: () => ChatPage } {
  const browser = new ChatBrowser();
  let current: ChatPage | undefined;
  before(async () => browser.launch());
  after(async () => browser.close());
  beforeEach(async () => {
    current = await browser.open();
  });
  afterEach(async () => {
    const page = current!;
    current = undefined;
    const posted = await page.posted();
    await page.close();
    for (const m of posted) assert.ok(parseWebviewMessage(m).ok, `posted a message outside the protocol: ${JSON.stringify(m)}`);
    assert.deepEqual(page.problems, []);
  });
  return { browser, chat: () => current! };
}

// ---- what the list shows ----
export const domSize = (chat: ChatPage) => chat.page.evaluate(() => document.getElementsByTagName('*').length);
export const atBottom = (chat: ChatPage) =>
  chat.page.evaluate(() => {
    const l = document.getElementById('list')!;
    return l.scrollHeight - l.scrollTop - l.clientHeight <= 4;
  });

/** The rows whose boxes intersect the list's viewport, by their #sequence text. */
export const visibleSeqs = (chat: ChatPage) =>
  chat.page.evaluate(() => {
    const l = document.getElementById('list')!.getBoundingClientRect();
    return [...document.querySelectorAll('#list .row')]
      .filter((r) => {
        const b = r.getBoundingClientRect();
        return b.bottom > l.top && b.top < l.bottom;
      })
      .map((r) => r.querySelector('.seq')?.textContent ?? r.textContent);
  });
