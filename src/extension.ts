/**
 * qPCR Studio extension entry point, kept small so activation is cheap: it registers what VS Code needs at once (the
 * custom editors, the commands and the results panel's serializer, under the ids of host/contributions.ts) with
 * stand-ins that load the engine-backed features (src/features.ts, a separate bundle) on first use, and loads them
 * as soon as a study or a possible Cq export is open. No file I/O and no parsing happen here.
 */
import * as vscode from 'vscode';
import type { Features } from './features';
import { COMMAND_IDS, needsEngine, READONLY_VIEW_TYPES, RESULTS_VIEW_TYPE, TEXT_EDITOR_VIEW_TYPES } from './host/contributions';
import type { StudyServices } from './host/studyRunnerApi';

/** The extension's API for other parts of the product (the study runner and results panel register here). */
export interface QpcrStudioApi {
  readonly studyServices: StudyServices;
}

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
  const load = loadFeatures(context);
  const options = { supportsMultipleEditorsPerDocument: true };
  context.subscriptions.push(
    ...TEXT_EDITOR_VIEW_TYPES.map((viewType) => vscode.window.registerCustomEditorProvider(viewType, {
      resolveCustomTextEditor: (document, panel, token) => load().plateEditor.resolveCustomTextEditor(document, panel, token),
    }, options)),
    ...READONLY_VIEW_TYPES.map((viewType) => vscode.window.registerCustomEditorProvider(viewType, {
      openCustomDocument: (uri, openContext, token) => load().plateViewer.openCustomDocument(uri, openContext, token),
      resolveCustomEditor: (document, panel, token) => load().plateViewer.resolveCustomEditor(document, panel, token),
    }, options)),
    ...COMMAND_IDS.map((id) => vscode.commands.registerCommand(id, (arg?: unknown) => load().commands[id](arg))),
    vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, { deserializeWebviewPanel: (panel, state) => load().deserializeResults(panel, state) }),
    vscode.workspace.onDidOpenTextDocument((doc) => { if (needsEngine(doc)) load(); }),
  );
  for (const doc of vscode.workspace.textDocuments) {
    if (needsEngine(doc)) { load(); break; }
  }
  return { get studyServices() { return load().studyServices; } };
}

export function deactivate(): void {}
