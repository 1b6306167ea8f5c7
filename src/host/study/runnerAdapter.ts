/**
 * "qPCR: Run Study" in VS Code: the engine's runStudy over a StudyIO on `vscode.workspace.fs` (no node fs, so a
 * remote or virtual workspace works), registered with the host's StudyServices ("Export Report" also writes report.json).
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
import { isInFolders } from './studyInputs';
import * as path from 'node:path';
import type { EngineDiagnostic } from '../../engine/common/diagnostic';
import type { Report } from '../../shared/report/types';
import { runStudy, type StudyIO } from '../../engine/study/runner';
import { InputTooLargeError } from '../../engine/study/inputs';
import { splitGlob, walkGlob, type GlobFs } from '../../engine/common/glob';
import { nodeStudyIO } from '../../cli/nodeIO';
import { toVsDiagnostic } from '../convert';
import { Disposable } from '../dispose';
import type { ResultsPresenter, StudyRunner, StudyServices } from '../studyRunnerApi';

const URI_RE = /^[a-z][a-z0-9+.-]+:\/\//i;
const DRIVE_RE = /^[A-Za-z]:[\\/]/;

/** Maps between the engine's path strings and URIs on the study's file system. */
export class StudyPaths {
  constructor(private readonly _study: vscode.Uri) {}

  /** The path the engine gets for the study file. */
  public get studyPath(): string { return this._study.path; }

  public toUri(p: string): vscode.Uri {
    if (URI_RE.test(p)) {
      const u = vscode.Uri.parse(p, true);
      return u.with({ path: path.posix.normalize(u.path) });
    }
    const slashed = p.replace(/\\/g, '/');
    // A Windows drive path (desktop): URI paths are "/c:/...".
    const abs = DRIVE_RE.test(slashed) ? `/${slashed}` : slashed;
    return this._study.with({ path: path.posix.normalize(abs.startsWith('/') ? abs : `/${abs}`), query: '', fragment: '' });
  }

  public fromUri(u: vscode.Uri): string {
    return u.scheme === this._study.scheme && u.authority === this._study.authority ? u.path : u.toString();
  }
}

/** True when `uri` is one of the workspace folders or inside one (see `isInFolders`). */
export function isInWorkspace(uri: vscode.Uri, folders: readonly vscode.WorkspaceFolder[] | undefined): boolean {
  return isInFolders(uri, folders);
}

export interface WorkspaceStudyIOOptions {
  /** Restrict reads to the workspace folders, symlinks resolved (the workspace is not trusted). */
  restrictToWorkspace: boolean;
  isCancelled: () => boolean;
  /** Called with every file a glob matched (to tell plate files from the others). */
  onMatched?: (p: string) => void;
}

/**
 * The engine's StudyIO on the workspace for one study (runs and live checks). `file:` URIs are read with node's fs
 * (src/cli/nodeIO.ts: regular files only, read in chunks up to the cap, confined to the workspace folders' real
 * paths when restricted, so a symlink inside the workspace cannot lead out); other schemes through workspace.fs
 * (regular files only, the cap checked on the stated size; confined by path).
 */
export function workspaceStudyIO(paths: StudyPaths, opts: WorkspaceStudyIOOptions): StudyIO {
  const fs = vscode.workspace.fs;
  const folders = () => vscode.workspace.workspaceFolders;
  const roots = () => (folders() ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const node = () => nodeStudyIO(opts.restrictToWorkspace ? { roots: roots() } : {});
  const isFileUri = (p: string) => paths.toUri(p).scheme === 'file';
  const io: StudyIO = {
    readFile: async (p, o) => {
      const uri = paths.toUri(p);
      if (uri.scheme === 'file') return node().readFile(uri.fsPath, o);
      const st = await fs.stat(uri);
      if (!(st.type & vscode.FileType.File)) throw new Error('it is not a regular file');
      if (o?.maxBytes !== undefined && st.size > o.maxBytes) throw new InputTooLargeError(o.maxBytes);
      return fs.readFile(uri);
    },
    // Plates over 50 MB on disk are imported as a stream (other schemes: read whole through workspace.fs).
    size: async (p) => (isFileUri(p) ? node().size!(paths.toUri(p).fsPath) : 0),
    readStream: (p) => node().readStream!(paths.toUri(p).fsPath),
    glob: async (pattern, baseDir) => {
      const found = await globWorkspace(paths, pattern, baseDir, opts.isCancelled);
      for (const f of found) opts.onMatched?.(f);
      return found;
    },
  };
  if (opts.restrictToWorkspace) {
    io.isAllowed = async (p) => {
      const uri = paths.toUri(p);
      if (!isInWorkspace(uri, folders())) return false;
      return uri.scheme === 'file' ? node().isAllowed!(uri.fsPath) : true;
    };
  }
  return io;
}

/**
 * Files matching `pattern` (relative to `baseDir` unless absolute), sorted, as engine paths (the engine's glob walk
 * over workspace.fs).
 */
export async function globWorkspace(paths: StudyPaths, pattern: string, baseDir: string, isCancelled: () => boolean = () => false): Promise<string[]> {
  const isAbs = URI_RE.test(pattern) || DRIVE_RE.test(pattern) || pattern.startsWith('/') || pattern.startsWith('\\');
  const full = (isAbs ? pattern : `${baseDir.replace(/[\\/]+$/, '')}/${pattern}`).replace(/\\/g, '/');
  // Keep a URI's "scheme://authority" in one piece: split only its path.
  const m = URI_RE.test(full) ? /^([a-z][a-z0-9+.-]+:\/\/[^/]*)(.*)$/i.exec(full) : null;
  const prefix = m ? m[1] : '';
  const { fixed, rest } = splitGlob(m ? m[2] : full);
  const root = paths.fromUri(paths.toUri(prefix + (fixed.join('/') || '/')));
  const fs = vscode.workspace.fs;
  const globFs: GlobFs = {
    list: async (dir) => {
      let entries: [string, vscode.FileType][];
      try { entries = await fs.readDirectory(paths.toUri(dir)); } catch { return []; }
      // Symlinked folders are not entered; symlinked files match.
      return entries.map(([name, t]) => ({ name, isDir: (t & vscode.FileType.Directory) !== 0 && (t & vscode.FileType.SymbolicLink) === 0, isFile: (t & vscode.FileType.File) !== 0 }));
    },
    isFile: async (p) => { try { return ((await fs.stat(paths.toUri(p))).type & vscode.FileType.File) !== 0; } catch { return false; } },
    join: (dir, name) => paths.fromUri(vscode.Uri.joinPath(paths.toUri(dir), name)),
  };
  return (await walkGlob(root, rest, globFs, isCancelled)).sort();
}

async function studyText(uri: vscode.Uri): Promise<string> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc) return doc.getText();
  return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri)).replace(/^\uFEFF/, '');
}

function diagKey(d: { code?: unknown; range: { start: { line: number; character: number } } }): string {
  const code = typeof d.code === 'object' && d.code !== null ? (d.code as { value: unknown }).value : d.code;
  return `${String(code)}|${d.range.start.line}|${d.range.start.character}`;
}

/** Runs studies for "qPCR: Run Study" (and run-on-save) and publishes the run's diagnostics. */
export class WorkspaceStudyRunner extends Disposable implements StudyRunner {
  private readonly _collection = this._register(vscode.languages.createDiagnosticCollection('qstudy-run'));
  /** URIs (study and data files) that received diagnostics from a study's last run. */
  private readonly _published = new Map<string, vscode.Uri[]>();
  /** The running study runs: a newer run supersedes (cancels) an older one of the same study. */
  private readonly _running = new Map<string, { superseded: boolean }>();

  constructor() {
    super();
    this._register(vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length && this._published.has(e.document.uri.toString())) this._clear(e.document.uri);
    }));
  }

  public async run(studyUri: vscode.Uri, progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken): Promise<Report> {
    const key = studyUri.toString();
    const previous = this._running.get(key);
    if (previous) previous.superseded = true;
    const me = { superseded: false };
    this._running.set(key, me);
    const isCancelled = () => me.superseded || token.isCancellationRequested;
    try {
      const paths = new StudyPaths(studyUri);
      const plateFiles = new Set<string>();
      const io = workspaceStudyIO(paths, { restrictToWorkspace: !vscode.workspace.isTrusted, isCancelled, onMatched: (p) => plateFiles.add(p) });
      const text = await studyText(studyUri);
      let done = 0;
      const outcome = await runStudy(text, paths.studyPath, io, {
        isCancelled,
        onProgress: (fraction, message) => {
          const f = Math.min(1, Math.max(done, fraction));
          progress.report({ message, increment: (f - done) * 100 });
          done = f;
        },
      });
      if (isCancelled()) throw new vscode.CancellationError();
      this._publish(studyUri, paths, outcome.diagnostics, plateFiles);
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
