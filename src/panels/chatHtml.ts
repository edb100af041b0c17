// The channel panel's HTML. Pure (no `vscode`, no Node) so the webview tests load exactly what the host serves.
// Nothing from a server is put here: messages arrive later by postMessage and are rendered with textContent.

export interface ChatHtmlOptions {
  /** webview.cspSource */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** Document title (escaped here). */
  title?: string;
  /** Which channel this page shows, so the webview can persist it before the first message arrives. */
  processId?: string;
  channel?: string;
  /** The server the panel was opened on (connection/identity.ts identityKey), persisted with the channel. */
  connection?: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** A fresh nonce for the script tag: 128 random bits, base64url. */
export function makeNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function chatCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The start of every webview page of the extension (chat, workflow graph): doctype, CSP, stylesheet, title. */
export function webviewPageHead(o: { cspSource: string; nonce: string; styleUri: string; title: string }): string {
  const attr = escapeHtml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(chatCsp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>${escapeHtml(o.title)}</title>
</head>
`;
}

export function renderChatHtml(o: ChatHtmlOptions): string {
  const attr = escapeHtml;
  return `${webviewPageHead({ ...o, title: o.title ?? 'Channel' })}<body data-process-id="${attr(o.processId ?? '')}" data-channel="${attr(o.channel ?? '')}" data-connection="${attr(o.connection ?? '')}">
<div class="app">
  <header class="header">
    <div class="header-title">
      <span class="codicon-dot" aria-hidden="true"></span>
      <span id="title-channel" class="title-channel"></span>
      <span id="title-process" class="title-process"></span>
    </div>
    <div class="header-actions">
      <button id="find-open" class="toolbar-button" type="button" title="Find in all messages (Ctrl+F)">Find</button>
      <button id="copy-all" class="toolbar-button" type="button" title="Copy the whole conversation as text">Copy all</button>
      <button id="export" class="toolbar-button" type="button" title="Export the transcript as Markdown or JSON Lines">Export…</button>
    </div>
  </header>
  <div id="status" class="status" role="status"><span class="status-dot" aria-hidden="true"></span><span id="status-text" class="status-text">Loading…</span></div>
  <div id="dropped" class="dropped-note" role="note" hidden></div>
  <div class="list-wrap">
    <div id="list" class="list" role="log" aria-live="polite" aria-relevant="additions" aria-label="Channel messages" tabindex="0">
      <div id="spacer" class="spacer"></div>
    </div>
    <div id="find" class="find" role="search" aria-label="Find in messages" hidden>
      <input id="find-input" class="find-input" type="text" aria-label="Find in messages" placeholder="Find in all messages" spellcheck="false">
      <button id="find-case" class="icon-button find-case" type="button" aria-pressed="false" aria-label="Match case" title="Match case (Alt+C)">Aa</button>
      <span id="find-count" class="find-count" aria-live="polite"></span>
      <button id="find-prev" class="icon-button" type="button" aria-label="Previous match" title="Previous match (Shift+Enter)">↑</button>
      <button id="find-next" class="icon-button" type="button" aria-label="Next match" title="Next match (Enter)">↓</button>
      <button id="find-close" class="icon-button" type="button" aria-label="Close find" title="Close (Escape)">✕</button>
    </div>
    <div id="empty" class="empty" hidden></div>
    <button id="jump" class="jump" type="button" hidden>Jump to latest</button>
  </div>
  <footer id="composer" class="composer">
    <div id="composer-hint" class="composer-hint" hidden></div>
    <div id="reply-chip" class="reply-chip" hidden>
      <span class="reply-chip-label">Replying to</span>
      <span id="reply-chip-text" class="reply-chip-text"></span>
      <button id="reply-chip-remove" class="icon-button" type="button" aria-label="Cancel reply" title="Cancel reply">✕</button>
    </div>
    <div id="send-error" class="send-error" role="alert" hidden>
      <span id="send-error-text"></span>
      <button id="retry" class="toolbar-button" type="button">Retry</button>
    </div>
    <div id="composer-row" class="composer-row">
      <textarea id="input" class="input" rows="1" aria-label="Message" placeholder="Message (Enter to send, Shift+Enter for a new line)"></textarea>
      <select id="kind" class="kind" aria-label="Message type" title="Send as data, end of stream, or error">
        <option value="data">data</option>
        <option value="end">end</option>
        <option value="error">error</option>
      </select>
      <button id="send" class="send" type="button">Send</button>
      <button id="end-conversation" class="end-conversation" type="button" title="Append a message of type &quot;end&quot; to this channel: the executor reads it as the end of the conversation (the echo executor then closes the process). Typing end only sends the word.">End Conversation</button>
    </div>
    <div id="composer-disabled" class="composer-disabled" hidden></div>
  </footer>
</div>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>
`;
}
