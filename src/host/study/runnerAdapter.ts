/**
 * "qPCR: Run Study" in VS Code: the engine's runStudy in an engine worker (src/host/worker: memory limit, time budget,
 * cancellation), registered with the host's StudyServices ("Export Report" also writes report.json). Local files are
 * read in the worker with the CLI's reader; other schemes through host calls on `vscode.workspace.fs` (globWorkspace).
 *
 * - Paths given to the engine are the URI *paths* of the study's file system (same scheme and authority as the
 *   study), so the engine's path arithmetic (resolvePath, dirnameOf, report QC paths relative to the study) works
 *   unchanged; they are mapped back to URIs here.
 * - Globs are expanded by walking folders with workspace.fs.readDirectory, with the engine's one glob
 *   (src/engine/common/glob.ts): `*`, `?`, `[..]`, `{a,b}`, `**`; dot files only when the pattern names them;
 *   symlinked folders are not entered.
 * - In an untrusted workspace every read (runs and live checks) is confined to the workspace folders after
 *   resolving symlinks (`isAllowed`, and the read itself opens the resolved path).
 * - The run's own diagnostics (unmatched globs, unreadable files, failed analyses, plate import errors, clinical
 *   table problems) go to the `qstudy-run` collection; those the live study checks already show are left out. They
 *   are cleared when the study is edited or run again.
 * - A new run of a study cancels the one still running (run-on-save while a run is in progress).
 */
import * as vscode from 'vscode';
import { StudyPaths } from './workspacePaths';
import * as path from 'node:path';
import type { EngineDiagnostic } from '../../engine/common/diagnostic';
import type { Report } from '../../shared/report/types';
import type { DocumentTaskArgs, DocumentTaskResult, RunProgressEvent, RunTaskArgs, RunTaskResult } from '../worker/engineTasks';
import type { DocumentFile } from '../../engine/report/documents';
import { enginePath, fileAccess, fileCallsFor, isCancelledTask, limitDiagnostic, runEngineTask } from '../worker/engineHost';
import { toVsDiagnostic } from '../convert';
import { Disposable } from '../dispose';
import type { ResultsPresenter, StudyRunner, StudyServices } from '../studyRunnerApi';

async function studyText(uri: vscode.Uri): Promise<string> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc) return doc.getText();
  return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri)).replace(/^\uFEFF/, '');
}

function diagKey(d: { code?: unknown; range: { start: { line: number; character: number } } }): string {
  const code = typeof d.code === 'object' && d.code !== null ? (d.code as { value: unknown }).value : d.code;
  return `${String(code)}|${d.range.start.line}|${d.range.start.character}`;
}

/** A run of a study that a newer run of the same study stops. */
interface Supersedable { superseded: boolean; onSuperseded: (() => void) | undefined }

/**
 * Runs the study in an engine worker (limits from the `qpcr.worker.*` settings; local files are read there, other
 * schemes through workspace.fs): cancelling, or a newer run of the same study, terminates the worker. A run that
 * overruns or dies becomes one error on the study's first line.
 */
async function runInWorker(studyUri: vscode.Uri, text: string, progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken, me: Supersedable, only?: number[]): Promise<RunTaskResult> {
  const cts = new vscode.CancellationTokenSource();
  const sub = token.onCancellationRequested(() => cts.cancel());
  me.onSuperseded = () => cts.cancel();
  if (me.superseded || token.isCancellationRequested) cts.cancel();
  let done = 0;
  const args: RunTaskArgs = { ...fileAccess(studyUri), text, studyPath: enginePath(studyUri), ...(only ? { only } : {}) };
  try {
    return await runEngineTask<RunTaskResult>('run', args, 'run', studyUri, {
      token: cts.token,
      ...fileCallsFor(studyUri),
      onEvent: (e) => {
        const { fraction, message } = e as RunProgressEvent;
        const f = Math.min(1, Math.max(done, fraction));
        progress.report({ message, increment: (f - done) * 100 });
        done = f;
      },
    });
  } catch (e) {
    if (isCancelledTask(e)) throw new vscode.CancellationError();
    return { report: null, diagnostics: [limitDiagnostic('The study', e, 'run', undefined, enginePath(studyUri), 'run')], matched: [] };
  } finally {
    sub.dispose();
    cts.dispose();
  }
}

/**
 * The files of a report document that needs the run's data (R script, RDML): the study is run again in an engine
 * worker with keepData and the document written there (with a progress notification). Throws the run's first error.
 */
export async function documentFilesInWorker(studyUri: vscode.Uri, id: string, fileName: string, label: string): Promise<DocumentFile[]> {
  const args: DocumentTaskArgs = { ...fileAccess(studyUri), text: await studyText(studyUri), studyPath: enginePath(studyUri), id, fileName };
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${label}: running the study again for its data` },
    () => runEngineTask<DocumentTaskResult>('document', args, 'run', studyUri, fileCallsFor(studyUri)));
  if (!result.files) throw new Error(failureMessage(result.errors, new StudyPaths(studyUri), studyUri));
  return result.files;
}

/** Runs studies for "qPCR: Run Study" (and run-on-save) and publishes the run's diagnostics. */
export class WorkspaceStudyRunner extends Disposable implements StudyRunner {
  private readonly _collection = this._register(vscode.languages.createDiagnosticCollection('qstudy-run'));
  /** URIs (study and data files) that received diagnostics from a study's last run. */
  private readonly _published = new Map<string, vscode.Uri[]>();
  /** The running study runs: a newer run supersedes (cancels) an older one of the same study. */
  private readonly _running = new Map<string, Supersedable>();

  constructor() {
    super();
    this._register(vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length && this._published.has(e.document.uri.toString())) this._clear(e.document.uri);
    }));
    // A study run right after opening (or editing) the study can finish before its live check: the check's problems
    // then arrive after the run's, and the same problem showed twice. The run's copy goes when the live one comes.
    this._register(vscode.languages.onDidChangeDiagnostics((e) => {
      for (const uri of e.uris) if (this._published.has(uri.toString())) this._dropLiveDuplicates(uri);
    }));
  }

  /** Removes the run's problems on the study that another collection (its live check) now also shows. */
  private _dropLiveDuplicates(studyUri: vscode.Uri): void {
    const own = this._collection.get(studyUri);
    if (!own?.length) return;
    const count = (ds: readonly vscode.Diagnostic[]) => {
      const m = new Map<string, number>();
      for (const d of ds) m.set(diagKey(d), (m.get(diagKey(d)) ?? 0) + 1);
      return m;
    };
    const all = count(vscode.languages.getDiagnostics(studyUri)), mine = count(own);
    const keep = own.filter((d) => (all.get(diagKey(d)) ?? 0) <= (mine.get(diagKey(d)) ?? 0));
    if (keep.length !== own.length) this._collection.set(studyUri, keep);
  }

  public async run(studyUri: vscode.Uri, progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken, only?: number[]): Promise<Report> {
    const key = studyUri.toString();
    const previous = this._running.get(key);
    if (previous) {
      previous.superseded = true;
      previous.onSuperseded?.();
    }
    const me: Supersedable = { superseded: false, onSuperseded: undefined };
    this._running.set(key, me);
    const isCancelled = () => me.superseded || token.isCancellationRequested;
    try {
      const paths = new StudyPaths(studyUri);
      const text = await studyText(studyUri);
      const outcome = await runInWorker(studyUri, text, progress, token, me, only);
      if (isCancelled()) throw new vscode.CancellationError();
      this._publish(studyUri, paths, outcome.diagnostics, new Set(outcome.matched));
      if (!outcome.report) throw new Error(failureMessage(outcome.diagnostics, paths, studyUri));
      return outcome.report;
    } finally {
      if (this._running.get(key) === me) this._running.delete(key);
    }
  }

  private _clear(studyUri: vscode.Uri): void {
    const key = studyUri.toString();
    for (const u of this._published.get(key) ?? []) this._collection.delete(u);
    this._published.delete(key);
  }

  private _publish(studyUri: vscode.Uri, paths: StudyPaths, diags: EngineDiagnostic[], plateFiles: Set<string>): void {
    this._clear(studyUri);
    // What the live checks already show on the study (read after clearing ours).
    const live = new Set(vscode.languages.getDiagnostics(studyUri).map(diagKey));
    const byUri = new Map<string, { uri: vscode.Uri; diags: vscode.Diagnostic[] }>();
    for (const d of diags) {
      if (d.code === 'study-cancelled') continue;
      const file = d.file ?? paths.studyPath;
      const uri = paths.toUri(file);
      const isStudy = uri.toString() === studyUri.toString();
      if (isStudy && live.has(diagKey(d))) continue;
      // Plate QC is summarised in the report; only what stopped the import goes to the Problems panel.
      if (!isStudy && plateFiles.has(file) && d.severity !== 'error') continue;
      const doc = vscode.workspace.textDocuments.find((t) => t.uri.toString() === uri.toString());
      const e = byUri.get(uri.toString()) ?? { uri, diags: [] };
      e.diags.push(toVsDiagnostic(d, doc));
      byUri.set(uri.toString(), e);
    }
    for (const e of byUri.values()) this._collection.set(e.uri, e.diags);
    this._published.set(studyUri.toString(), [studyUri, ...[...byUri.values()].map((e) => e.uri)]);
  }
}

/** The error shown when a run produced no report. */
export function failureMessage(diags: EngineDiagnostic[], paths: StudyPaths, studyUri: vscode.Uri): string {
  const errors = diags.filter((d) => d.severity === 'error');
  if (!errors.length) return 'the run produced no report.';
  const first = errors.find((d) => d.code === 'study-file-not-allowed') ?? errors[0];
  const where = first.file && paths.toUri(first.file).toString() !== studyUri.toString()
    ? vscode.workspace.asRelativePath(paths.toUri(first.file)) : path.posix.basename(studyUri.path);
  let msg = `${where}:${first.range.start.line + 1}: ${first.message}`;
  if (first.code === 'study-file-not-allowed') {
    msg += ' This workspace is not trusted (Restricted Mode), so a study may only read files inside the workspace folders; trust the workspace to read it.';
  }
  if (errors.length > 1) msg += ` (${errors.length - 1} more error${errors.length > 2 ? 's' : ''} in the Problems panel)`;
  return msg;
}

/**
 * "Export Report" writes report.html (the results panel's presenter: save dialog, engine's renderReportHtml with the
 * results bundle from dist/webview) and report.json beside it, asking before it replaces an existing report.json.
 */
export function withReportJson(base: ResultsPresenter): ResultsPresenter {
  return {
    show: (report, studyUri) => base.show(report, studyUri),
    exportReport: async (report, studyUri) => {
      const html = await base.exportReport(report, studyUri);
      if (!html) return undefined;
      const json = html.with({ path: html.path.replace(/\.html?$/i, '') + '.json' });
      let exists = false;
      try { await vscode.workspace.fs.stat(json); exists = true; } catch { /* a new file */ }
      if (exists) {
        const replace = 'Replace';
        const pick = await vscode.window.showWarningMessage(`${path.posix.basename(json.path)} already exists. Replace it with this report's JSON?`, { modal: true }, replace);
        if (pick !== replace) return html;
      }
      await vscode.workspace.fs.writeFile(json, new TextEncoder().encode(JSON.stringify(report, null, 2) + '\n'));
      void vscode.window.showInformationMessage(`qPCR: report data written to ${vscode.workspace.asRelativePath(json)}`);
      return html;
    },
  };
}

/**
 * Registers the study runner with the study services, and wraps the presenter registered before it (the results
 * panel) so that "Export Report" also writes report.json.
 */
export function registerStudyRunner(services: StudyServices): vscode.Disposable {
  const runner = new WorkspaceStudyRunner();
  const subs: vscode.Disposable[] = [runner, services.registerRunner(runner)];
  const presenter = services.presenter;
  if (presenter) subs.push(services.registerPresenter(withReportJson(presenter)));
  return vscode.Disposable.from(...subs);
}
