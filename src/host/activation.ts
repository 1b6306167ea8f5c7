/**
 * What both entries register the moment the extension activates (src/extension.ts in Node, src/web/extension.ts in
 * VS Code for the web): the custom editors, the commands and the results panel's serializer, under the ids of
 * contributions.ts, with stand-ins that call `load()` (the engine-backed features, src/features.ts) on first use; and
 * `load()` as soon as a study or a possible Cq export is open. Only `vscode` types and contributions.ts at run time,
 * so the Node entry stays small.
 */
import * as vscode from 'vscode';
import type { Features } from '../features';
import { COMMAND_IDS, needsEngine, READONLY_VIEW_TYPES, RESULTS_VIEW_TYPE, TEXT_EDITOR_VIEW_TYPES } from './contributions';
import type { StudyServices } from './studyRunnerApi';

/** The extension's API for other parts of the product (the study runner and results panel register here). */
export interface QpcrStudioApi {
  readonly studyServices: StudyServices;
}

export function registerContributions(context: vscode.ExtensionContext, load: () => Features): QpcrStudioApi {
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
