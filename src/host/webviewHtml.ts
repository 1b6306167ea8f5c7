/**
 * The one HTML builder for every webview (plate editor, results panel, ...): strict CSP with a
 * per-render nonce, resources only from dist/webview, no inline data (data goes by message after `ready`).
 */
import * as vscode from 'vscode';
import { contentSecurityPolicy, escapeHtml, makeNonce } from './htmlUtil';

/** The folder webview resources are loaded from (the only local resource root). */
export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

/** Options for a webview that runs our bundled script and nothing else. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] };
}

export { contentSecurityPolicy, escapeHtml, makeNonce };

export interface WebviewPage {
  /** Page title (escaped). */
  title: string;
  /** Script file name in dist/webview, e.g. `plate.js`. */
  script: string;
  /** Stylesheet file names in dist/webview, e.g. `plate.css`. */
  styles?: string[];
  /** Optional static body markup written by us (never user data); defaults to a `#root` div. */
  body?: string;
}

/** Builds the HTML of a webview page for `webview`. */
export function buildWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = makeNonce();
  const root = webviewRoot(extensionUri);
  const src = (f: string) => escapeHtml(webview.asWebviewUri(vscode.Uri.joinPath(root, f)).toString());
  const links = (page.styles ?? []).map((f) => `<link rel="stylesheet" href="${src(f)}">`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(webview.cspSource, nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${links}
    <title>${escapeHtml(page.title)}</title>
  </head>
  <body>
    ${page.body ?? '<div id="root"></div>'}
    <script nonce="${nonce}" src="${src(page.script)}"></script>
  </body>
</html>`;
}
