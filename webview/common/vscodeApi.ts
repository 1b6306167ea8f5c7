/** The webview side of the VS Code API, acquired once (acquireVsCodeApi may only be called once per page). */

export interface VsCodeApi<TMsg, TState> {
  postMessage(message: TMsg): void;
  getState(): TState | undefined;
  setState(state: TState): void;
}

declare function acquireVsCodeApi<TMsg, TState>(): VsCodeApi<TMsg, TState>;

let api: unknown;

export function vscodeApi<TMsg, TState>(): VsCodeApi<TMsg, TState> {
  api ??= acquireVsCodeApi<TMsg, TState>();
  return api as VsCodeApi<TMsg, TState>;
}
