// Small formatting helpers shared by every feature (and the webview bundle). No `vscode` import.

/**
 * The first characters of a 64-hex ColonyOS id: 12 where a person reads it in text (messages, panel titles, chat
 * senders), 8 in the tree's dense rows.
 */
export function shortId(id: string, length: 8 | 12 = 12): string {
  return id.slice(0, length);
}
