/** Pure helpers of the webview HTML builder (no `vscode`, unit-tested). */
/** A fresh CSP nonce (128 random bits, base64; Web Crypto, so it runs in Node and in VS Code for the web). */
export function makeNonce(): string {
  return btoa(String.fromCharCode(...globalThis.crypto.getRandomValues(new Uint8Array(16))));
}

/** The shared escaper (src/shared/html.ts), re-exported for the host's callers. */
export { escapeHtml } from '../shared/html';

/** The CSP every panel uses. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ') + ';';
}
