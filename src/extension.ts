/**
 * qPCR Studio extension entry point (Node: desktop VS Code, code-server), kept small so activation is cheap: it
 * registers what VS Code needs at once (host/activation.ts) with stand-ins that load the engine-backed features
 * (src/features.ts, a separate bundle) on first use. No file I/O and no parsing happen here. VS Code for the web
 * starts src/web/extension.ts instead.
 */
import type * as vscode from 'vscode';
import type { Features } from './features';
import { registerContributions, type QpcrStudioApi } from './host/activation';

export type { QpcrStudioApi } from './host/activation';

/** The features module, loaded once (dist/features.js; out/src/features.js under the unit tests). */
function loadFeatures(context: vscode.ExtensionContext): () => Features {
  let features: Features | undefined;
  return () => {
    // A plain require keeps the module out of this bundle (esbuild.mjs marks it external).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    features ??= (require('./features.js') as typeof import('./features')).activateFeatures(context);
    return features;
  };
}

export function activate(context: vscode.ExtensionContext): QpcrStudioApi {
  return registerContributions(context, loadFeatures(context));
}

export function deactivate(): void {}
