// Owns the webview's handles on its surroundings: the VS Code API (messages to the host, saved state) and the page's elements.
import type { WebviewMessage } from '../../src/panels/protocol';

import { vscodeApi } from '../shared/vscodeApi';

export const vscode = vscodeApi();
export const post = (m: WebviewMessage): void => vscode.postMessage(m);

const $ = <T extends HTMLElement>(id: string): T => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`chat webview: #${id} is missing from the page`);
  return node as T;
};

/** The elements of the page (src/panels/chatHtml.ts), looked up once. */
export const ui = {
  titleChannel: $('title-channel'),
  titleProcess: $('title-process'),
  status: $('status'),
  statusText: $('status-text'),
  list: $('list'),
  spacer: $('spacer'),
  empty: $('empty'),
  jump: $<HTMLButtonElement>('jump'),
  composer: $('composer'),
  hint: $('composer-hint'),
  replyChip: $('reply-chip'),
  replyChipText: $('reply-chip-text'),
  replyChipRemove: $<HTMLButtonElement>('reply-chip-remove'),
  sendError: $('send-error'),
  sendErrorText: $('send-error-text'),
  retry: $<HTMLButtonElement>('retry'),
  composerRow: $('composer-row'),
  input: $<HTMLTextAreaElement>('input'),
  kind: $<HTMLSelectElement>('kind'),
  send: $<HTMLButtonElement>('send'),
  endConversation: $<HTMLButtonElement>('end-conversation'),
  disabled: $('composer-disabled'),
  copyAll: $<HTMLButtonElement>('copy-all'),
  findOpen: $<HTMLButtonElement>('find-open'),
  find: $('find'),
  findInput: $<HTMLInputElement>('find-input'),
  findCase: $<HTMLButtonElement>('find-case'),
  findCount: $('find-count'),
  findPrev: $<HTMLButtonElement>('find-prev'),
  findNext: $<HTMLButtonElement>('find-next'),
  findClose: $<HTMLButtonElement>('find-close'),
  exportBtn: $<HTMLButtonElement>('export'),
  dropped: $('dropped'),
};
