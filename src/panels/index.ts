// Channel panels: one per (process, channel), reused, restored after a window reload, with Export Transcript.
import * as vscode from 'vscode';
import type { ChannelController } from './channelController';
import { registerCommand, UserFacingError } from '../base/errors';
import type { ConnectionService } from '../connection/types';
import { identityKey } from '../connection/identity';
import type { ColonyCatalog } from '../store/colonyCatalog';
import type { ProcessStore } from '../store/processStore';
import { CHANNEL_VIEW_TYPE, ChannelPanel, panelTitle, mediaRoot } from './channelPanel';
import { parsePersistedState } from './protocol';
import { TRANSCRIPT_DEFAULTS, type ChannelLimits } from './transcriptLimits';
import { TranscriptStore } from './transcriptStore';
import { errorMessage } from '../colonies/rpc';
import { formatBytes } from './entryLimits';
import { countOf } from '../base/format';

const MB = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Old transcripts are pruned this long after start-up, then this often. */
const PRUNE_FIRST_MS = 10_000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

export interface TranscriptSettings {
  maxEntriesPerChannel: number;
  maxMBPerChannel: number;
  maxTotalMB: number;
  maxAgeDays: number;
}

/**
 * The colonyos.transcripts.* settings. They are application-scoped (package.json), so a workspace cannot set them
 * (a repository's settings could otherwise make the extension delete the user's transcripts); out-of-range values
 * fall back to the defaults.
 */
export function transcriptSettings(): TranscriptSettings {
  const c = vscode.workspace.getConfiguration('colonyos.transcripts');
  const num = (key: keyof TranscriptSettings, min: number, max: number): number => {
    const v = Number(c.get<number>(key, TRANSCRIPT_DEFAULTS[key]));
    return Number.isFinite(v) && v >= min && v <= max ? v : TRANSCRIPT_DEFAULTS[key];
  };
  return {
    maxEntriesPerChannel: Math.floor(num('maxEntriesPerChannel', 100, 1_000_000)),
    maxMBPerChannel: num('maxMBPerChannel', 1, 100_000),
    maxTotalMB: num('maxTotalMB', 10, 1_000_000),
    maxAgeDays: num('maxAgeDays', 0, 100_000),
  };
}

/** A channel keeps its newest maxEntriesPerChannel entries within maxMBPerChannel, and never more than maxTotalMB. */
export function channelLimits(s: TranscriptSettings): ChannelLimits {
  return { maxEntries: s.maxEntriesPerChannel, maxBytes: Math.min(s.maxMBPerChannel, s.maxTotalMB) * MB };
}

export interface ChannelPanels {
  openChannel(processId: string, channel: string): Promise<void>;
  /** The open panel's controller (transcript, send), for the extension-host tests and other automation. */
  controllerFor(processId: string, channel: string): ChannelController | undefined;
  /** What VS Code calls after a window reload for each chat panel it had (the serializer); the state the webview saved. */
  restorePanel(webviewPanel: vscode.WebviewPanel, state: unknown): void;
}

export interface ChannelPanelServices {
  output: vscode.LogOutputChannel;
  connection: ConnectionService;
  processes: ProcessStore;
  /** The colony catalog, for the waiting status's "why is it waiting" sentence. */
  catalog?: ColonyCatalog;
}

/** Accepts (processId, channel) or a tree node carrying them, whatever its exact field names. */
export function channelTarget(args: unknown[]): { processId: string; channel: string } | undefined {
  const [a, b] = args;
  if (typeof a === 'string' && typeof b === 'string' && a && b) return { processId: a, channel: b };
  if (a && typeof a === 'object') {
    const o = a as Record<string, unknown>;
    const proc = (o.process && typeof o.process === 'object' ? o.process : undefined) as Record<string, unknown> | undefined;
    const processId = [o.processId, o.processid, proc?.processid].find((v) => typeof v === 'string' && v);
    const channel = [o.channel, o.channelName, o.name].find((v) => typeof v === 'string' && v);
    if (typeof processId === 'string' && typeof channel === 'string') return { processId, channel };
  }
  return undefined;
}

export function registerChannelPanels(context: vscode.ExtensionContext, services: ChannelPanelServices): ChannelPanels {
  const { output, connection, processes, catalog } = services;
  const storageRoot = context.storageUri ?? context.globalStorageUri;
  const store = new TranscriptStore(storageRoot.fsPath);
  // Transcripts of windows with no folder open, cleared too by Clear Saved Transcripts.
  const globalStore = context.storageUri ? new TranscriptStore(context.globalStorageUri.fsPath) : undefined;
  const panels = new Map<string, ChannelPanel>();
  let active: ChannelPanel | undefined;
  const deps = { extensionUri: context.extensionUri, output, connection, processes, catalog, store, limits: () => channelLimits(transcriptSettings()) };

  let pruning: Promise<void> | undefined;
  const prune = (): Promise<void> =>
    (pruning ??= (async () => {
      try {
        const s = transcriptSettings();
        const r = await store.prune({ maxAgeMs: s.maxAgeDays * DAY_MS, maxTotalBytes: s.maxTotalMB * MB });
        if (r.deleted > 0) output.info(`Deleted ${r.deleted} old channel transcripts (${formatBytes(r.deletedBytes)}); ${formatBytes(r.keptBytes)} kept.`);
      } catch (err) {
        output.warn(`Could not prune old channel transcripts: ${errorMessage(err)}`);
      } finally {
        pruning = undefined;
      }
    })());
  const firstPrune = setTimeout(() => void prune(), PRUNE_FIRST_MS);
  const everyPrune = setInterval(() => void prune(), PRUNE_EVERY_MS);
  context.subscriptions.push(
    { dispose: () => (clearTimeout(firstPrune), clearInterval(everyPrune)) },
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('colonyos.transcripts')) void prune();
    }),
  );
  const keyOf = (processId: string, channel: string) => `${processId}\u0000${channel}`;

  function adopt(webviewPanel: vscode.WebviewPanel, processId: string, channel: string, identity: string | undefined): ChannelPanel {
    const panel = new ChannelPanel(webviewPanel, processId, channel, deps, identity);
    const key = keyOf(processId, channel);
    panels.set(key, panel);
    if (webviewPanel.active) active = panel;
    webviewPanel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) active = panel;
      else if (active === panel) active = undefined;
    });
    panel.onDidDispose(() => {
      if (panels.get(key) === panel) panels.delete(key);
      if (active === panel) active = undefined;
    });
    panel.start().catch((err: unknown) => output.error(`Channel panel ${processId}/${channel}: ${errorMessage(err)}`));
    return panel;
  }

  function restorePanel(webviewPanel: vscode.WebviewPanel, state: unknown): void {
    const restored = parsePersistedState(state);
    if (!restored) {
      // Nothing says which channel this was (a state from before the first message); close it rather than show a blank panel.
      output.warn('Channel panel: could not restore a panel without saved state; closing it.');
      webviewPanel.dispose();
      return;
    }
    if (panels.has(keyOf(restored.processId, restored.channel))) {
      webviewPanel.dispose();
      return;
    }
    // A panel saved before panels remembered their server takes the active one.
    adopt(webviewPanel, restored.processId, restored.channel, restored.connection);
  }

  async function openChannel(processId: string, channel: string): Promise<void> {
    const existing = panels.get(keyOf(processId, channel));
    if (existing) {
      existing.reveal();
      return;
    }
    const webviewPanel = vscode.window.createWebviewPanel(
      CHANNEL_VIEW_TYPE,
      panelTitle({ channel, funcname: '', processId }),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      { enableScripts: true, localResourceRoots: [mediaRoot(context.extensionUri)] },
    );
    // The panel keeps the server that is active now, also after a window reload (panelConnection.ts).
    const profile = deps.connection.profile;
    adopt(webviewPanel, processId, channel, profile ? identityKey(profile) : undefined);
  }

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(CHANNEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (webviewPanel: vscode.WebviewPanel, state: unknown) => restorePanel(webviewPanel, state),
    }),
    { dispose: () => [...panels.values()].forEach((p) => p.dispose()) },
  );

  registerCommand(
    context,
    'colonyos.openChannel',
    async (...args: unknown[]) => {
      const target = channelTarget(args);
      if (!target) throw new UserFacingError('Open Channel needs a process and a channel: use it from a channel in the ColonyOS Processes view.');
      await openChannel(target.processId, target.channel);
    },
    { output },
  );

  registerCommand(
    context,
    'colonyos.exportTranscript',
    async (...args: unknown[]) => {
      const target = channelTarget(args);
      const panel = target ? panels.get(keyOf(target.processId, target.channel)) : (active ?? (panels.size === 1 ? [...panels.values()][0] : undefined));
      if (!panel) throw new UserFacingError('Open a channel panel first: Export Transcript saves the conversation of the active channel panel.');
      await panel.exportTranscript();
    },
    { output },
  );

  registerCommand(
    context,
    'colonyos.clearTranscripts',
    async () => {
      const stores = globalStore ? [store, globalStore] : [store];
      const usage = await Promise.all(stores.map((s) => s.usage()));
      const count = usage.reduce((n, u) => n + u.transcripts, 0);
      const bytes = usage.reduce((n, u) => n + u.bytes, 0);
      if (count === 0) {
        void vscode.window.showInformationMessage('There are no saved channel transcripts.');
        return;
      }
      const choice = await vscode.window.showWarningMessage(
        `Delete ${countOf(count, 'saved channel transcript')} (${formatBytes(bytes)})?`,
        {
          modal: true,
          detail:
            'The server deletes a channel when its process closes, so these local copies may be the only record of those conversations. Open channel panels keep showing their messages, and save new ones from now on.',
        },
        'Delete',
      );
      if (choice !== 'Delete') return;
      for (const s of stores) await s.clear();
      output.info(`Cleared ${count} saved channel transcripts (${formatBytes(bytes)}).`);
      void vscode.window.showInformationMessage(`Deleted ${countOf(count, 'saved channel transcript')}.`);
    },
    { output },
  );

  return { openChannel, restorePanel, controllerFor: (processId, channel) => panels.get(keyOf(processId, channel))?.controller };
}
