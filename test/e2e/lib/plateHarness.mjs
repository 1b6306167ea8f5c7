/**
 * The plate webview outside VS Code: dist/webview/plate.{js,css} served under the extension's strict CSP with a fake
 * `acquireVsCodeApi` that answers `ready` with a given plate state. Used by test/e2e/plateWebview.harness.mjs and
 * scripts/plate-screenshots.mjs.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dist = path.join(repo, 'dist', 'webview');

const csp = "default-src 'none'; img-src 'self' data:; style-src 'self'; font-src 'self'; script-src 'nonce-abc' 'self';";
const page = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="/theme.css"><link rel="stylesheet" href="/plate.css"></head>
<body class="vscode-dark"><div id="root"></div>
<script nonce="abc" src="/fake-api.js"></script><script nonce="abc" src="/plate.js"></script></body></html>`;
/** VS Code's Dark Modern colours the plate webview reads. */
const theme = `:root{--vscode-foreground:#cccccc;--vscode-editor-foreground:#cccccc;--vscode-editor-background:#1f1f1f;--vscode-descriptionForeground:#9d9d9d;
--vscode-charts-yellow:#cca700;--vscode-charts-blue:#3794ff;--vscode-charts-green:#89d185;--vscode-charts-orange:#d18616;--vscode-editorWidget-background:#202020;--vscode-editorWidget-border:#454545;
--vscode-editorError-foreground:#f85149;--vscode-editorWarning-foreground:#cca700;--vscode-editorInfo-foreground:#3794ff;--vscode-focusBorder:#0078d4;--vscode-font-family:sans-serif;--vscode-font-size:13px;
--vscode-editorHoverWidget-background:#202020;--vscode-editorHoverWidget-foreground:#cccccc;--vscode-editorHoverWidget-border:#454545;
--vscode-list-activeSelectionBackground:#04395e;--vscode-list-activeSelectionForeground:#ffffff}body{background:#1f1f1f}`;

/**
 * The fake VS Code API: records posted messages, answers `ready` with `state`, restores `viewState`, and answers
 * `plate/curves` with `curves` (the host's `toCurvesView`) when given.
 */
function fakeApi(state, viewState, curves) {
  const json = (x) => (x === undefined ? 'undefined' : JSON.stringify(x).replace(/</g, '\\u003c'));
  const onCurves = curves === undefined ? '' : `if(m.type==='plate/curves')setTimeout(()=>window.postMessage({type:'plate/curves',curves:${json(curves)}},'*'));`;
  return `window.__posted=[];window.acquireVsCodeApi=()=>({postMessage(m){window.__posted.push(m);if(m.type==='ready')setTimeout(()=>window.postMessage({type:'plate/state',state:${json(state)}},'*'));${onCurves}},getState(){return ${json(viewState)}},setState(s){window.__state=s}});`;
}

/** Serves the page for `state` (and `curves`, on request) on a free loopback port; resolves with the listening server. */
export function servePlateWebview(state, viewState, tag = 'plate-harness', curves = undefined) {
  const routes = { '/': ['text/html', page], '/theme.css': ['text/css', theme], '/fake-api.js': ['text/javascript', fakeApi(state, viewState, curves)] };
  const server = http.createServer((req, res) => {
    const send = (type, body) => { res.writeHead(200, { 'content-type': type }); res.end(body); };
    const url = (req.url ?? '/').split('?')[0];
    if (routes[url]) return send(routes[url][0], routes[url][1]);
    const f = path.join(dist, path.basename(url));
    if (url !== '/' && fs.existsSync(f)) return send(f.endsWith('.css') ? 'text/css' : 'text/javascript', fs.readFileSync(f));
    if (url === '/favicon.ico') { res.writeHead(204); return res.end(); }
    console.error(`[${tag}] 404`, url);
    res.writeHead(404); res.end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
