/**
 * The results panel: one webview panel per study (keyed by the study URI) beside the editor, updated when the study
 * runs again. The host owns the report: it sends it after the webview's `ready` (every time, since hidden webviews are
 * destroyed; no retainContextWhenHidden), saves it under globalStorageUri so a panel restored after a reload
 * (registerWebviewPanelSerializer, state from the webview's setState holds the study URI) shows it again, and saves
 * the webview's exports through a save dialog and workspace.fs.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Report } from '../../shared/report/types';
import { renderReportHtml } from '../../engine/report/html';
import { documentWriter } from '../../engine/report/documents';
import { dataUrlBytes, decodeRasters, reportDocument } from '../../shared/report/documents';
import { documentFilesInWorker } from '../study/runnerAdapter';
import { slug } from '../../shared/report/format';
import { assertNever, BINARY_EXPORT_FORMATS, type ResultsExportFormat, type ResultsHostMessage, type ResultsViewState, type ResultsWebviewMessage } from '../../shared/protocol';
import { RESULTS_VIEW_TYPE } from '../contributions';
import { buildWebviewHtml, webviewOptions, webviewRoot } from '../webviewHtml';
import { disposeAll, type IDisposable } from '../dispose';
import type { StudyServices } from '../studyRunnerApi';

const FILTERS: Record<ResultsExportFormat, Record<string, string[]>> = {
  png: { 'PNG image': ['png'] }, svg: { 'SVG image': ['svg'] }, csv: { CSV: ['csv'] }, md: { Markdown: ['md'] },
  html: { HTML: ['html'] }, json: { JSON: ['json'] }, pdf: { PDF: ['pdf'] }, tiff: { 'TIFF image': ['tif', 'tiff'] },
};

/** FNV-1a of the study URI: the file name of its saved report. */
export function reportKey(studyUri: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < studyUri.length; i++) { h ^= studyUri.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
  return h.toString(16).padStart(8, '0');
}

function savedReportUri(context: vscode.ExtensionContext, studyUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(context.globalStorageUri, 'results', `${reportKey(studyUri.toString())}.json`);
}

async function saveReport(context: vscode.ExtensionContext, studyUri: vscode.Uri, report: Report): Promise<void> {
  try {
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(context.globalStorageUri, 'results'));
    await vscode.workspace.fs.writeFile(savedReportUri(context, studyUri), new TextEncoder().encode(JSON.stringify(report)));
  } catch {
    // restoring after a reload is a convenience; the panel itself works without it
  }
}

async function loadReport(context: vscode.ExtensionContext, studyUri: vscode.Uri): Promise<Report | null> {
  try {
    const r = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(savedReportUri(context, studyUri)))) as Report;
    return r && r.version === 1 && Array.isArray(r.results) ? r : null;
  } catch {
    return null;
  }
}

/** report.html for a report, with the results bundle of this extension inlined. */
export async function reportHtmlFor(extensionUri: vscode.Uri, report: Report): Promise<string> {
  const read = async (f: string) => new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(webviewRoot(extensionUri), f)));
  return renderReportHtml(report, { script: await read('results.js'), css: await read('results.css').catch(() => '') });
}

function defaultFolder(studyUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(studyUri, '..');
}

async function saveAs(studyUri: vscode.Uri, name: string, format: ResultsExportFormat | Record<string, string[]>, bytes: Uint8Array): Promise<vscode.Uri | undefined> {
  const filters = typeof format === 'string' ? FILTERS[format] : format;
  const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(defaultFolder(studyUri), name), filters, saveLabel: 'Export' });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, bytes);
  return target;
}

/** Writes a multi-file document (paths → bytes) into a folder the user picks; the folder, or undefined if cancelled. */
async function saveFiles(studyUri: vscode.Uri, files: Record<string, Uint8Array>): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ defaultUri: defaultFolder(studyUri), canSelectFolders: true, canSelectFiles: false, openLabel: 'Export here' });
  if (!picked?.length) return undefined;
  for (const [rel, bytes] of Object.entries(files)) {
    const parts = rel.split('/').filter((p) => p && p !== '.' && p !== '..');
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(picked[0], ...parts), bytes);
  }
  return picked[0];
}

/** Writes report.html for a study (save dialog); the file written, or undefined if cancelled. */
export async function exportReportHtml(extensionUri: vscode.Uri, report: Report, studyUri: vscode.Uri): Promise<vscode.Uri | undefined> {
  const html = await reportHtmlFor(extensionUri, report);
  const base = path.basename(studyUri.path).replace(/\.qstudy$/i, '') || slug(report.study);
  return saveAs(studyUri, `${base}-report.html`, 'html', new TextEncoder().encode(html));
}

export class ResultsPanel {
  private static readonly _panels = new Map<string, ResultsPanel>();

  private readonly _disposables: IDisposable[] = [];
  private _report: Report | null;
  private _message: string | undefined;

  private constructor(
    private readonly _context: vscode.ExtensionContext,
    private readonly _panel: vscode.WebviewPanel,
    private readonly _studyUri: vscode.Uri,
    report: Report | null,
    message?: string,
  ) {
    this._report = report;
    this._message = message;
    _panel.webview.options = webviewOptions(_context.extensionUri);
    _panel.webview.html = buildWebviewHtml(_panel.webview, _context.extensionUri, { title: _panel.title, script: 'results.js', styles: ['results.css'] });
    _panel.onDidDispose(() => this.dispose(), null, this._disposables);
    _panel.webview.onDidReceiveMessage((m: ResultsWebviewMessage) => { void this._onMessage(m); }, null, this._disposables);
    ResultsPanel._panels.set(_studyUri.toString(), this);
  }

  /** Restores a panel after a reload (the serializer registered under RESULTS_VIEW_TYPE by src/extension.ts). */
  public static async deserialize(context: vscode.ExtensionContext, panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const uri = (state as ResultsViewState | undefined)?.studyUri;
    if (!uri) {
      panel.webview.options = webviewOptions(context.extensionUri);
      panel.webview.html = buildWebviewHtml(panel.webview, context.extensionUri, { title: panel.title, script: 'results.js', styles: ['results.css'] });
      panel.webview.onDidReceiveMessage((m: ResultsWebviewMessage) => {
        if (m.type === 'ready') void panel.webview.postMessage({ type: 'results/report', report: null, studyUri: '', message: 'These results are no longer available. Run the study again.' } satisfies ResultsHostMessage);
      });
      return;
    }
    const studyUri = vscode.Uri.parse(uri);
    const report = await loadReport(context, studyUri);
    new ResultsPanel(context, panel, studyUri, report, report ? undefined : `No saved results for ${path.basename(studyUri.path)}. Run the study again.`);
  }

  /** Makes the panel the study services' results presenter. */
  public static registerPresenter(context: vscode.ExtensionContext, services: StudyServices): vscode.Disposable {
    return services.registerPresenter({
      show: (report, studyUri) => { ResultsPanel.show(context, report, studyUri); },
      exportReport: (report, studyUri) => exportReportHtml(context.extensionUri, report, studyUri),
    });
  }

  /** Opens the study's panel beside the editor, or updates and reveals it. */
  public static show(context: vscode.ExtensionContext, report: Report, studyUri: vscode.Uri): ResultsPanel {
    void saveReport(context, studyUri, report);
    const existing = ResultsPanel._panels.get(studyUri.toString());
    if (existing) {
      existing._update(report);
      existing._panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(RESULTS_VIEW_TYPE, `Results: ${path.basename(studyUri.path)}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(context.extensionUri));
    return new ResultsPanel(context, panel, studyUri, report);
  }

  public dispose(): void {
    ResultsPanel._panels.delete(this._studyUri.toString());
    disposeAll(this._disposables);
    this._panel.dispose();
  }

  private _update(report: Report): void {
    this._report = report;
    this._message = undefined;
    this._post({ type: 'results/report', report, studyUri: this._studyUri.toString() });
  }

  private _post(m: ResultsHostMessage): void {
    void this._panel.webview.postMessage(m);
  }

  private async _onMessage(m: ResultsWebviewMessage): Promise<void> {
    try {
      switch (m.type) {
        case 'ready':
          this._post({ type: 'results/report', report: this._report, studyUri: this._studyUri.toString(), message: this._message });
          return;
        case 'results/export': {
          const bytes = BINARY_EXPORT_FORMATS.includes(m.format)
            ? dataUrlBytes(m.data)
            : new TextEncoder().encode(m.data);
          const written = await saveAs(this._studyUri, path.basename(m.suggestedName), m.format, bytes);
          if (written) this._post({ type: 'results/status', ok: true, message: `Saved ${vscode.workspace.asRelativePath(written)}` });
          return;
        }
        case 'results/exportReport': {
          if (!this._report) return;
          const written = await exportReportHtml(this._context.extensionUri, this._report, this._studyUri);
          if (written) this._post({ type: 'results/status', ok: true, message: `Saved ${vscode.workspace.asRelativePath(written)}` });
          return;
        }
        case 'results/exportDocument': {
          const doc = reportDocument(m.id);
          if (!this._report || !doc) return;
          const base = path.basename(this._studyUri.path).replace(/\.qstudy$/i, '') || slug(this._report.study);
          if (doc.multiFile) {
            const files = await documentWriter(doc.id)({ report: this._report });
            const written = await saveFiles(this._studyUri, Object.fromEntries(files.map((f) => [f.file, f.bytes])));
            if (written) this._post({ type: 'results/status', ok: true, message: `Saved ${files.length} files in ${vscode.workspace.asRelativePath(written)}` });
            return;
          }
          const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(defaultFolder(this._studyUri), `${base}-${doc.file}`), filters: doc.filter, saveLabel: 'Export' });
          if (!target) return;
          const fileName = path.basename(target.path);
          // A document that needs the run's data (plates, the per-subject table) comes from a new run in the worker.
          const files = doc.needsData ? await documentFilesInWorker(this._studyUri, doc.id, fileName, doc.label)
            : await documentWriter(doc.id)({ report: this._report, fileName, ...(m.rasters ? { rasters: decodeRasters(m.rasters) } : {}) });
          for (const [k, f] of files.entries()) await vscode.workspace.fs.writeFile(k === 0 ? target : vscode.Uri.joinPath(target, '..', f.file), f.bytes);
          const names = [target, ...files.slice(1).map((f) => vscode.Uri.joinPath(target, '..', f.file))].map((u) => vscode.workspace.asRelativePath(u));
          this._post({ type: 'results/status', ok: true, message: `Saved ${names.join(', ')}` });
          return;
        }
        case 'results/copy':
          await vscode.env.clipboard.writeText(m.text);
          this._post({ type: 'results/status', ok: true, message: `Copied ${m.what}` });
          return;
        case 'results/revealLine': {
          const line = Math.max(0, m.line - 1);
          await vscode.window.showTextDocument(this._studyUri, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(line, 0, line, 0) });
          return;
        }
        default: assertNever(m);
      }
    } catch (e) {
      this._post({ type: 'results/status', ok: false, message: e instanceof Error ? e.message : String(e) });
    }
  }
}
