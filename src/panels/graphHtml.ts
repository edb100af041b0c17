// The workflow graph panel's HTML. Pure (no `vscode`, no Node) so the webview tests load exactly what the host
// serves, under the same CSP as the chat panel. Nothing from a server or a file is put here: the graph arrives
// by postMessage and is built with createElementNS / textContent (media/graph/render.ts).
import { escapeHtml, webviewPageHead } from './chatHtml';
import type { GraphPersistedState } from './graphProtocol';

export interface GraphHtmlOptions {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** Which graph this page shows, saved by the webview at once so a reload can reopen it. */
  saved: GraphPersistedState;
}

export function renderGraphHtml(o: GraphHtmlOptions): string {
  const attr = escapeHtml;
  const saved = JSON.stringify(o.saved);
  return `${webviewPageHead({ ...o, title: 'Workflow graph' })}<body data-saved="${attr(saved)}">
<div class="app">
  <header class="header">
    <div class="header-title">
      <span id="title" class="title"></span>
      <span id="subtitle" class="subtitle"></span>
    </div>
    <div class="header-actions">
      <button id="zoom-out" class="toolbar-button" type="button" title="Zoom out (-)" aria-label="Zoom out">−</button>
      <button id="zoom-in" class="toolbar-button" type="button" title="Zoom in (+)" aria-label="Zoom in">+</button>
      <button id="fit" class="toolbar-button" type="button" title="Fit the graph to the panel (0)">Fit</button>
    </div>
  </header>
  <div id="notice" class="banner notice" role="note" hidden></div>
  <div id="error" class="banner error" role="alert" hidden></div>
  <div id="selection" class="selection" hidden>
    <span id="selection-text" class="selection-text"></span>
    <span id="selection-actions" class="selection-actions"></span>
  </div>
  <div id="stage" class="stage" tabindex="0" aria-label="Workflow graph: drag to pan, wheel to zoom">
    <svg id="canvas" class="canvas" xmlns="http://www.w3.org/2000/svg" role="group" aria-label="Workflow graph">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="arrow"></path></marker>
        <marker id="arrow-blocking" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="arrow blocking"></path></marker>
        <marker id="arrow-problem" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="arrow problem"></path></marker>
      </defs>
      <g id="viewport"><g id="edges"></g><g id="nodes"></g></g>
    </svg>
    <div id="empty" class="empty" hidden></div>
  </div>
  <div class="legend" aria-hidden="true">
    <span class="legend-item state-waiting">◷ waiting</span><span class="legend-item state-running">▶ running</span><span class="legend-item state-success">✓ successful</span><span class="legend-item state-failed">✗ failed</span><span class="legend-item state-cancelled">⊘ cancelled</span><span class="legend-item blocking">━ blocked on</span>
  </div>
</div>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>
`;
}
