/**
 * qPCR Studio in VS Code for the web (vscode.dev, github.dev, code-server's web worker extension host): package.json
 * `browser` → dist/web/extension.js, one bundle (a web extension cannot load a sibling module), built for the browser
 * by esbuild.mjs with the web adapters of scripts/bundles.mjs (files through workspace.fs). The engine tasks run in a
 * Web Worker on dist/web/engineWorker.js (src/host/web/engine.ts), a file the extension host serves to `new Worker`.
 * The same registrations and features as the Node entry; the features start on first use, as there.
 */
import * as vscode from 'vscode';
import { activateFeatures, type Features } from '../features';
import { registerContributions, type QpcrStudioApi } from '../host/activation';
import { setEngineWorkerScript } from '../host/web/engine';

/**
 * The URL the engine worker is started from. An extension served over http(s) (vscode.dev and github.dev install
 * from the marketplace's CDN) gives its file's URL; the web worker extension host refuses `new Worker` on any other
 * extension location ("Creating workers from remote extensions is currently not supported" for code-server's
 * `vscode-remote:` extensions), so there the script is read through workspace.fs and started from a Blob URL.
 */
async function engineWorkerUrl(extensionUri: vscode.Uri): Promise<string> {
  const script = vscode.Uri.joinPath(extensionUri, 'dist', 'web', 'engineWorker.js');
  if (script.scheme === 'https' || script.scheme === 'http') return script.toString(true);
  const bytes = await vscode.workspace.fs.readFile(script);
  const web = globalThis as unknown as { Blob: new (parts: Uint8Array[], o: { type: string }) => object; URL: { createObjectURL(b: object): string } };
  return web.URL.createObjectURL(new web.Blob([bytes], { type: 'text/javascript' }));
}

export function activate(context: vscode.ExtensionContext): QpcrStudioApi {
  const workerUrl = engineWorkerUrl(context.extensionUri);
  workerUrl.catch(() => undefined); // reported by the engine (it falls back to in-process) when first used
  setEngineWorkerScript(workerUrl);
  let features: Features | undefined;
  return registerContributions(context, () => (features ??= activateFeatures(context)));
}

export function deactivate(): void {}
