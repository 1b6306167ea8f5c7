/**
 * qPCR Studio extension entry point. activate() only registers providers and commands: no file I/O and
 * no parsing happen here (documents are analysed lazily, debounced, when they are opened or edited).
 */
import * as vscode from 'vscode';
import { registerCommands, registerRunOnSave } from './host/commands';
import { PlateDiagnostics } from './host/plateDiagnostics';
import { PlateEditorProvider, RdmlViewerProvider } from './host/plateEditor/plateEditorProvider';
import { EngineQuickFixes } from './host/quickFixes';
import { ResultsPanel } from './host/results/resultsPanel';
import { registerStudyRunner } from './host/study/runnerAdapter';
import { StudyLanguageFeatures } from './host/study/studyLanguage';
import { StudyServices } from './host/studyRunnerApi';
import { engineWorkersDisposable } from './host/worker/engineHost';

/** The extension's API for other parts of the product (the study runner and results panel register here). */
export interface QpcrStudioApi {
  studyServices: StudyServices;
}

export function activate(context: vscode.ExtensionContext): QpcrStudioApi {
  const studyServices = new StudyServices();
  const quickFixes = new EngineQuickFixes();
  context.subscriptions.push(
    // Plate imports, the live checks' data and study runs happen in engine workers (dist/engineWorker.js).
    engineWorkersDisposable(),
    PlateEditorProvider.register(context),
    RdmlViewerProvider.register(context),
    PlateDiagnostics.register(quickFixes),
    StudyLanguageFeatures.register(quickFixes),
    quickFixes.register(),
    registerCommands(studyServices),
    registerRunOnSave(studyServices),
    ResultsPanel.register(context, studyServices),
    registerStudyRunner(studyServices),
  );
  return { studyServices };
}

export function deactivate(): void {}
