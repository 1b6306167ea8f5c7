/** Pure helpers of the webview HTML builder (no `vscode`, unit-tested). */
import { randomBytes } from 'node:crypto';

/** A fresh CSP nonce (128 random bits, base64). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
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
