/**
 * qPCR Studio in VS Code for the web (vscode.dev, github.dev, code-server's web worker extension host): package.json
 * `browser` → dist/web/extension.js, one bundle (a web extension cannot load a sibling file), built for the browser
 * by esbuild.mjs with the web adapters of scripts/bundles.mjs (the engine in-process, files through workspace.fs).
 * The same registrations and features as the Node entry; the features start on first use, as there.
 */
import type * as vscode from 'vscode';
import { activateFeatures, type Features } from '../features';
import { registerContributions, type QpcrStudioApi } from '../host/activation';

export function activate(context: vscode.ExtensionContext): QpcrStudioApi {
  let features: Features | undefined;
  return registerContributions(context, () => (features ??= activateFeatures(context)));
}

export function deactivate(): void {}
