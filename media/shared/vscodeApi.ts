// The VS Code webview API, acquired once per page (VS Code allows one acquireVsCodeApi call), for every webview
// script of the extension (media/chat/, media/graph/).
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;
export function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}
