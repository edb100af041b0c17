// Owns the graph webview's handles on its surroundings: the VS Code API and the page's elements (src/panels/graphHtml.ts).
import type { GraphWebviewMessage } from '../../src/panels/graphProtocol';

import { vscodeApi } from '../shared/vscodeApi';

export const vscode = vscodeApi();
export const post = (m: GraphWebviewMessage): void => vscode.postMessage(m);

const $ = <T extends Element>(id: string): T => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`graph webview: #${id} is missing from the page`);
  return node as unknown as T;
};

export const SVG_NS = 'http://www.w3.org/2000/svg';

export const ui = {
  title: $<HTMLElement>('title'),
  subtitle: $<HTMLElement>('subtitle'),
  notice: $<HTMLElement>('notice'),
  error: $<HTMLElement>('error'),
  selection: $<HTMLElement>('selection'),
  selectionText: $<HTMLElement>('selection-text'),
  selectionActions: $<HTMLElement>('selection-actions'),
  stage: $<HTMLElement>('stage'),
  canvas: $<SVGSVGElement>('canvas'),
  viewport: $<SVGGElement>('viewport'),
  edges: $<SVGGElement>('edges'),
  nodes: $<SVGGElement>('nodes'),
  empty: $<HTMLElement>('empty'),
  zoomIn: $<HTMLButtonElement>('zoom-in'),
  zoomOut: $<HTMLButtonElement>('zoom-out'),
  fit: $<HTMLButtonElement>('fit'),
};
