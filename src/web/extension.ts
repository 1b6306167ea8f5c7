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

export function activate(context: vscode.ExtensionContext): QpcrStudioApi {
  setEngineWorkerScript(vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', 'engineWorker.js').toString(true));
  let features: Features | undefined;
  return registerContributions(context, () => (features ??= activateFeatures(context)));
}

export function deactivate(): void {}
