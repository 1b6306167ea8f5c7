/**
 * Everything of the extension that needs the engine, loaded on first use by src/extension.ts (dist/features.js
 * beside dist/extension.js): the custom editors' providers, the command handlers and the results panel's restorer,
 * which extension.ts registers at activation under the ids of src/host/contributions.ts, and the document-driven
 * features (plate diagnostics, the study language, quick fixes, run on save, the study runner, the engine workers),
 * which register themselves here and pick up the documents already open.
 */
import * as vscode from 'vscode';
import type { CommandId } from './host/contributions';
import { commandHandlers, registerRunOnSave } from './host/commands';
import { PlateDiagnostics } from './host/plateDiagnostics';
import { PlateStatusBar } from './host/plateStatusBar';
import { RunAnalysisLenses } from './host/study/runAnalysisLens';
import { PlateEditorProvider, type RdmlDocument, RdmlViewerProvider } from './host/plateEditor/plateEditorProvider';
import { EngineQuickFixes } from './host/quickFixes';
import { ResultsPanel } from './host/results/resultsPanel';
import { registerStudyRunner } from './host/study/runnerAdapter';
import { StudyLanguageFeatures } from './host/study/studyLanguage';
import { StudyServices } from './host/studyRunnerApi';
import { engineWorkersDisposable } from './host/worker/engineHost';

/** What extension.ts forwards to once the features are loaded. */
export interface Features {
  plateEditor: vscode.CustomTextEditorProvider;
  plateViewer: vscode.CustomReadonlyEditorProvider<RdmlDocument>;
  commands: Record<CommandId, (arg?: unknown) => Promise<void>>;
  deserializeResults(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  studyServices: StudyServices;
}

/** Starts the document-driven features (disposed with the extension) and returns the rest. */
export function activateFeatures(context: vscode.ExtensionContext): Features {
  const studyServices = new StudyServices();
  const quickFixes = new EngineQuickFixes();
  const plateStatus = new PlateStatusBar();
  context.subscriptions.push(
    plateStatus,
    RunAnalysisLenses.register(),
    // Plate imports, the live checks' data and study runs happen in engine workers (dist/engineWorker.js).
    engineWorkersDisposable(),
    PlateDiagnostics.register(quickFixes, plateStatus),
    StudyLanguageFeatures.register(quickFixes),
    quickFixes.register(),
    registerRunOnSave(studyServices),
    ResultsPanel.registerPresenter(context, studyServices),
    registerStudyRunner(studyServices),
  );
  return {
    plateEditor: new PlateEditorProvider(context.extensionUri),
    plateViewer: new RdmlViewerProvider(context.extensionUri),
    commands: commandHandlers(studyServices),
    deserializeResults: (panel, state) => ResultsPanel.deserialize(context, panel, state),
    studyServices,
  };
}
