/**
 * "qPCR: Run Study" in VS Code: the engine's runStudy over a StudyIO on `vscode.workspace.fs` (no node fs, so a
 * remote or virtual workspace works), registered with the host's StudyServices ("Export Report" also writes report.json).
 *
 * - Paths given to the engine are the URI *paths* of the study's file system (same scheme and authority as the
 *   study), so the engine's path arithmetic (resolvePath, dirnameOf, report QC paths relative to the study) works
 *   unchanged; they are mapped back to URIs here.
 * - Globs are expanded by walking folders with workspace.fs.readDirectory, with the CLI's rules (src/cli/nodeIO.ts):
 *   `*`, `?`, `[..]`, `{a,b}`, `**`; dot files only when the pattern names them; symlinked folders are not entered.
 * - In an untrusted workspace reads are restricted to the workspace folders (`isAllowed`).
 * - The run's own diagnostics (unmatched globs, unreadable files, failed analyses, plate import errors, clinical
 *   table problems) go to the `qstudy-run` collection; those the live study checks already show are left out. They
 *   are cleared when the study is edited or run again.
 * - A new run of a study cancels the one still running (run-on-save while a run is in progress).
 */
import * as vscode from 'vscode';
import { isInFolders } from './studyInputs';
import * as path from 'node:path';
import * as nodeFs from 'node:fs';
import type { EngineDiagnostic } from '../../engine/common/diagnostic';
import type { Report } from '../../shared/report/types';
import type { StudyIO } from '../../engine/study/runner';
import type { RunProgressEvent, RunTaskArgs, RunTaskResult } from '../worker/engineTasks';
import { enginePath, fileAccess, fileCallsFor, isCancelledTask, limitDiagnostic, runEngineTask } from '../worker/engineHost';
import { toVsDiagnostic } from '../convert';
import { Disposable } from '../dispose';
import type { ResultsPresenter, StudyRunner, StudyServices } from '../studyRunnerApi';

const MAGIC = /[*?[{]/;
const URI_RE = /^[a-z][a-z0-9+.-]+:\/\//i;
const DRIVE_RE = /^[A-Za-z]:[\\/]/;

/** A glob segment (`*`, `?`, `[abc]`, `{a,b}`) → RegExp for one path component (as the CLI's globSync). */
export function segmentRegExp(seg: string): RegExp {
  let src = '^';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') src += '[^/\\\\]*';
    else if (c === '?') src += '[^/\\\\]';
    else if (c === '[') {
      const j = seg.indexOf(']', i + 1);
      if (j < 0) { src += '\\['; continue; }
      let cls = seg.slice(i + 1, j);
      if (cls.startsWith('!')) cls = '^' + cls.slice(1);
      src += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = j;
    } else if (c === '{') {
      const j = seg.indexOf('}', i + 1);
      if (j < 0) { src += '\\{'; continue; }
      src += `(?:${seg.slice(i + 1, j).split(',').map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
      i = j;
    } else src += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(src + '$');
}

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
  /** Restrict reads to the workspace folders (the workspace is not trusted). */
  restrictToWorkspace: boolean;
  isCancelled: () => boolean;
  /** Called with every file a glob matched (to tell plate files from the others). */
  onMatched?: (p: string) => void;
}

/** The engine's StudyIO on workspace.fs for one study. */
export function workspaceStudyIO(paths: StudyPaths, opts: WorkspaceStudyIOOptions): StudyIO {
  const fs = vscode.workspace.fs;
  const io: StudyIO = {
    readFile: async (p) => fs.readFile(paths.toUri(p)),
    // Plates over 50 MB on disk are imported as a stream (other schemes: read whole through workspace.fs).
    size: async (p) => {
      const uri = paths.toUri(p);
      return uri.scheme === 'file' ? (await fs.stat(uri)).size : 0;
    },
    readStream: (p) => nodeFs.createReadStream(paths.toUri(p).fsPath, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>,
    glob: async (pattern, baseDir) => {
      const found = await globWorkspace(paths, pattern, baseDir, opts.isCancelled);
      for (const f of found) opts.onMatched?.(f);
      return found;
    },
  };
  if (opts.restrictToWorkspace) io.isAllowed = (p) => isInWorkspace(paths.toUri(p), vscode.workspace.workspaceFolders);
  return io;
}

/** Files matching `pattern` (relative to `baseDir` unless absolute), sorted, as engine paths. */
export async function globWorkspace(paths: StudyPaths, pattern: string, baseDir: string, isCancelled: () => boolean = () => false): Promise<string[]> {
  const isAbs = URI_RE.test(pattern) || DRIVE_RE.test(pattern) || pattern.startsWith('/') || pattern.startsWith('\\');
  const full = (isAbs ? pattern : `${baseDir.replace(/[\\/]+$/, '')}/${pattern}`).replace(/\\/g, '/');
  // Keep a URI's "scheme://authority" in one piece: split only its path.
  const m = URI_RE.test(full) ? /^([a-z][a-z0-9+.-]+:\/\/[^/]*)(.*)$/i.exec(full) : null;
  const prefix = m ? m[1] : '';
  const parts = (m ? m[2] : full).split('/');
  let k = 0;
  while (k < parts.length && !MAGIC.test(parts[k])) k++;
  const root = paths.toUri(prefix + (parts.slice(0, k).join('/') || '/'));
  const rest = parts.slice(k);
  const fs = vscode.workspace.fs;
  const out = new Set<string>();
  if (rest.length === 0) {
    try { if ((await fs.stat(root)).type & vscode.FileType.File) out.add(paths.fromUri(root)); } catch { /* no match */ }
    return [...out];
  }
  const list = async (dir: vscode.Uri): Promise<[string, vscode.FileType][]> => {
    if (isCancelled()) return [];
    try { return await fs.readDirectory(dir); } catch { return []; }
  };
  const isDir = (t: vscode.FileType) => (t & vscode.FileType.Directory) !== 0 && (t & vscode.FileType.SymbolicLink) === 0;
  const walk = async (dir: vscode.Uri, i: number): Promise<void> => {
    const seg = rest[i];
    const last = i === rest.length - 1;
    if (seg === '**') {
      await walk(dir, i + 1);
      for (const [name, t] of await list(dir)) if (isDir(t) && !name.startsWith('.')) await walk(vscode.Uri.joinPath(dir, name), i);
      return;
    }
    if (seg === '' || seg === '.') { if (!last) await walk(dir, i + 1); return; }
    const re = segmentRegExp(seg);
    for (const [name, t] of await list(dir)) {
      if (!re.test(name) || (name.startsWith('.') && !seg.startsWith('.'))) continue;
      const child = vscode.Uri.joinPath(dir, name);
      if (last) { if (t & vscode.FileType.File) out.add(paths.fromUri(child)); }
      else if (isDir(t)) await walk(child, i + 1);
    }
  };
  await walk(root, 0);
  return [...out].sort();
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

/** A run of a study that a newer run of the same study stops. */
interface Supersedable { superseded: boolean; onSuperseded: (() => void) | undefined }

/**
 * Runs the study in an engine worker (limits from the `qpcr.worker.*` settings; local files are read there, other
 * schemes through workspace.fs): cancelling, or a newer run of the same study, terminates the worker. A run that
 * overruns or dies becomes one error on the study's first line.
 */
async function runInWorker(studyUri: vscode.Uri, text: string, progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken, me: Supersedable): Promise<RunTaskResult> {
  const cts = new vscode.CancellationTokenSource();
  const sub = token.onCancellationRequested(() => cts.cancel());
  me.onSuperseded = () => cts.cancel();
  if (me.superseded || token.isCancellationRequested) cts.cancel();
  let done = 0;
  const args: RunTaskArgs = { ...fileAccess(studyUri), text, studyPath: enginePath(studyUri) };
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
  }

  public async run(studyUri: vscode.Uri, progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken): Promise<Report> {
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
      const outcome = await runInWorker(studyUri, text, progress, token, me);
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
