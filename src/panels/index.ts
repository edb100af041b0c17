// Channel panels: one per (process, channel), reused, restored after a window reload, with Export Transcript.
import * as vscode from 'vscode';
import type { ChannelController } from './channelController';
import { registerCommand, UserFacingError } from '../commands/errors';
import type { ConnectionService } from '../connection/types';
import { CHANNEL_VIEW_TYPE, ChannelPanel, panelTitle, mediaRoot } from './channelPanel';
import { parsePersistedState } from './protocol';
import { TranscriptStore } from './transcriptStore';
import { errorMessage } from '../colonies/retry';

export interface ChannelPanels {
  openChannel(processId: string, channel: string): Promise<void>;
  /** The open panel's controller (transcript, send), for the extension-host tests and other automation. */
  controllerFor(processId: string, channel: string): ChannelController | undefined;
}

export interface ChannelPanelServices {
  output: vscode.LogOutputChannel;
  connection: ConnectionService;
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
  const { output, connection } = services;
  const storageRoot = context.storageUri ?? context.globalStorageUri;
  const store = new TranscriptStore(storageRoot.fsPath);
  const panels = new Map<string, ChannelPanel>();
  let active: ChannelPanel | undefined;
  const deps = { extensionUri: context.extensionUri, output, connection, store };
  const keyOf = (processId: string, channel: string) => `${processId}\u0000${channel}`;

  function adopt(webviewPanel: vscode.WebviewPanel, processId: string, channel: string): ChannelPanel {
    const panel = new ChannelPanel(webviewPanel, processId, channel, deps);
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
    adopt(webviewPanel, processId, channel);
  }

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(CHANNEL_VIEW_TYPE, {
      async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown) {
        const restored = parsePersistedState(state);
        if (!restored) {
          // Nothing says which channel this was (a state from before the first message); close it rather than show a blank panel.
          output.warn('Channel panel: could not restore a panel without saved state; closing it.');
          webviewPanel.dispose();
          return;
        }
        const key = keyOf(restored.processId, restored.channel);
        if (panels.has(key)) {
          webviewPanel.dispose();
          return;
        }
        adopt(webviewPanel, restored.processId, restored.channel);
      },
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

  return { openChannel, controllerFor: (processId, channel) => panels.get(keyOf(processId, channel))?.controller };
}
