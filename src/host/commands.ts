/** The contributed commands (category "qPCR"). Each command body is a thin adapter; the work lives elsewhere. */
import * as vscode from 'vscode';
import { LARGE_FILE_BYTES } from '../engine/plate/stream';
import * as path from 'node:path';
import { type CommandId, STUDY_LANGUAGE_ID, VIEW_TYPES } from './contributions';
import type { StudyServices } from './studyRunnerApi';
import { methodsMarkdown } from './methodsText';
import { runAnalysisTarget } from './study/runAnalysisLens';
import { newStudyFromPlates } from './newStudy';

const NO_RUNNER = 'qPCR Studio: the study runner is not available yet in this build, so the study cannot be run from the editor.';
const NO_PRESENTER = 'qPCR Studio: the results panel is not available yet in this build.';

function activeUri(): vscode.Uri | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  const input = tab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return input.uri;
  return vscode.window.activeTextEditor?.document.uri;
}

/** "qPCR: Open in Plate Editor": checks the size first, then `vscode.openWith`. */
export async function openPlateEditor(uri?: vscode.Uri): Promise<void> {
  const target = uri instanceof vscode.Uri ? uri : activeUri();
  if (!target) {
    void vscode.window.showErrorMessage('qPCR: open a Cq export (csv, txt, tsv, rdml or xlsx) first, or use the command from the Explorer context menu.');
    return;
  }
  let size: number;
  try {
    size = (await vscode.workspace.fs.stat(target)).size;
  } catch (e) {
    void vscode.window.showErrorMessage(`qPCR: cannot open ${path.basename(target.path)}: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const isBinary = /\.(rdml|xlsx)$/i.test(target.path); // read-only views over the file's bytes
  // VS Code does not sync text documents above 50 MB to extensions (vscode#111849): a custom text editor would fail.
  if (!isBinary && size > LARGE_FILE_BYTES) {
    const mb = (size / 1024 / 1024).toFixed(1);
    void vscode.window.showInformationMessage(
      `qPCR: ${path.basename(target.path)} is ${mb} MB. VS Code does not hand text files over 50 MB to extensions, so it opens read-only ` +
      '(no edits, undo or quick fixes; the table shows the first wells, QC covers the whole file). A study or the qpcr-studio CLI reads it in full.');
    await vscode.commands.executeCommand('vscode.openWith', target, VIEW_TYPES.plateViewer);
    return;
  }
  await vscode.commands.executeCommand('vscode.openWith', target, isBinary ? VIEW_TYPES.rdml : VIEW_TYPES.plateEditor);
}

function studyUriFrom(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const doc = vscode.window.activeTextEditor?.document;
  if (doc?.languageId === STUDY_LANGUAGE_ID) return doc.uri;
  const uri = activeUri();
  return uri && /\.qstudy$/i.test(uri.path) ? uri : undefined;
}

/** "qPCR: Run Study". */
export async function runStudy(services: StudyServices, arg?: unknown): Promise<void> {
  const studyUri = studyUriFrom(arg);
  if (!studyUri) {
    void vscode.window.showErrorMessage('qPCR: open a .qstudy file to run it.');
    return;
  }
  await runAndShow(services, studyUri);
}

/** "▶ Run analysis" (CodeLens): runs one analysis line (and the models it uses) and shows its result. */
export async function runAnalysis(services: StudyServices, arg?: unknown): Promise<void> {
  const target = runAnalysisTarget(arg);
  if (!target) {
    void vscode.window.showErrorMessage('qPCR: put the cursor on an analysis line of a .qstudy file to run it.');
    return;
  }
  await runAndShow(services, target.uri, [target.line]);
}

/**
 * Runs a study (with `only`, just those lines), then shows the report. A partial run is not recorded as the
 * study's last run, so "Open Results" and "Export Report" keep the last full report.
 */
async function runAndShow(services: StudyServices, studyUri: vscode.Uri, only?: number[]): Promise<void> {
  const runner = services.runner;
  if (!runner) {
    void vscode.window.showErrorMessage(NO_RUNNER);
    return;
  }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === studyUri.toString());
  if (doc?.isDirty) await doc.save();
  try {
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `qPCR: running ${path.basename(studyUri.path)}${only ? ` line ${only.map((l) => l + 1).join(', ')}` : ''}`, cancellable: true },
      (progress, token) => runner.run(studyUri, progress, token, only));
    if (only && !report.results.length) {
      void vscode.window.showInformationMessage(`qPCR: there is no analysis on line ${only.map((l) => l + 1).join(', ')} of ${path.basename(studyUri.path)}.`);
      return;
    }
    if (!only) services.recordRun({ studyUri, report, finishedAt: new Date() });
    if (services.presenter) await services.presenter.show(report, studyUri);
    else void vscode.window.showInformationMessage(`qPCR: ${path.basename(studyUri.path)} ran (${report.results.length} results). ${NO_PRESENTER}`);
  } catch (e) {
    if (e instanceof vscode.CancellationError) return;
    void vscode.window.showErrorMessage(`qPCR: the study failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** "qPCR: Open Results": shows the last report of the active (or latest) study. */
export async function openResults(services: StudyServices, arg?: unknown): Promise<void> {
  const presenter = services.presenter;
  if (!presenter) {
    void vscode.window.showErrorMessage(NO_PRESENTER);
    return;
  }
  const studyUri = studyUriFrom(arg);
  const rec = studyUri ? services.lastRun(studyUri) : services.latestRun();
  if (!rec) {
    const run = 'Run Study';
    const pick = await vscode.window.showInformationMessage('qPCR: no results yet in this session. Run the study first.', run);
    if (pick === run) await vscode.commands.executeCommand('qpcr.runStudy', studyUri);
    return;
  }
  await presenter.show(rec.report, rec.studyUri);
}

/** "qPCR: Export Report": writes the last report of the active (or latest) study. */
export async function exportReport(services: StudyServices, arg?: unknown): Promise<void> {
  const presenter = services.presenter;
  if (!presenter) {
    void vscode.window.showErrorMessage(`${NO_PRESENTER} Reports can be exported with the qpcr-studio CLI.`);
    return;
  }
  const studyUri = studyUriFrom(arg);
  const rec = studyUri ? services.lastRun(studyUri) : services.latestRun();
  if (!rec) {
    void vscode.window.showErrorMessage('qPCR: no report to export yet; run the study first.');
    return;
  }
  const written = await presenter.exportReport(rec.report, rec.studyUri);
  if (written) void vscode.window.showInformationMessage(`qPCR: report written to ${vscode.workspace.asRelativePath(written)}`);
}

/** "qPCR: Show Methods": the methods of the active (or latest) study's last run, in a markdown editor and on the clipboard. */
export async function showMethods(services: StudyServices, arg?: unknown): Promise<void> {
  const studyUri = studyUriFrom(arg);
  const rec = studyUri ? services.lastRun(studyUri) : services.latestRun();
  if (!rec) {
    void vscode.window.showErrorMessage('qPCR: no methods yet in this session; run the study first.');
    return;
  }
  const text = methodsMarkdown(rec.report);
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
  await vscode.window.showTextDocument(doc, { preview: false });
  try {
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage(`qPCR: the methods of ${path.basename(rec.studyUri.path)} are copied to the clipboard.`);
  } catch {
    // A browser may refuse the clipboard (no permission): the text is in the editor.
  }
}

/** Every command's handler (src/extension.ts registers them under the ids of ./contributions.ts). */
export function commandHandlers(services: StudyServices): Record<CommandId, (arg?: unknown) => Promise<void>> {
  return {
    'qpcr.openPlateEditor': (uri?: unknown) => openPlateEditor(uri as vscode.Uri | undefined),
    'qpcr.runStudy': (arg?: unknown) => runStudy(services, arg),
    'qpcr.openResults': (arg?: unknown) => openResults(services, arg),
    'qpcr.exportReport': (arg?: unknown) => exportReport(services, arg),
    'qpcr.showMethods': (arg?: unknown) => showMethods(services, arg),
    'qpcr.runAnalysis': (arg?: unknown) => runAnalysis(services, arg),
    'qpcr.newStudyFromPlates': (arg?: unknown) => newStudyFromPlates(arg),
  };
}

/** `qpcr.study.runOnSave`: runs a .qstudy file after it is saved. */
export function registerRunOnSave(services: StudyServices): vscode.Disposable {
  return vscode.workspace.onDidSaveTextDocument((doc) => {
    if (doc.languageId !== STUDY_LANGUAGE_ID) return;
    if (!vscode.workspace.getConfiguration('qpcr.study', doc.uri).get<boolean>('runOnSave', false)) return;
    void runStudy(services, doc.uri);
  });
}
