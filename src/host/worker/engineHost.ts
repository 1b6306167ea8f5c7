/**
 * The extension host's side of the engine workers: one runner of the platform's engine adapter (nodeEngine.ts: a
 * WorkerPool over dist/engineWorker.js; in VS Code for the web, src/host/web/engine.ts: Web Workers) with the limits
 * from the `qpcr.worker.*` settings, the file access a task gets (node fs in the worker for `file:` URIs when the
 * adapter reads local files; host calls through workspace.fs otherwise; Restricted Mode confines reads to the
 * workspace folders), and the one diagnostic a task that hit a limit becomes ("… could not be read within 1024 MB /
 * 20 s").
 */
import * as vscode from 'vscode';
import type { EngineDiagnostic, Range } from '../../engine/common/diagnostic';
import { LARGE_FILE_BYTES } from '../../engine/plate/stream';
import type { IDisposable } from '../dispose';
import { globWorkspace, StudyPaths } from '../study/workspacePaths';
import type { FileAccess } from './engineTasks';
import { EngineTaskError, formatSeconds, type EngineRunner, type TaskRunOptions } from './engineRunner';
import { engineAdapter } from './nodeEngine';

/** Which time budget a task gets. */
export type TaskBudget = 'check' | 'run';

export interface EngineLimits { memoryMb: number; timeoutMs: number }

const DEFAULTS = { memoryLimitMb: 1024, checkTimeoutSeconds: 20, runTimeoutSeconds: 600 };

/** The limits from the settings (`qpcr.worker.*`), for a resource. */
export function engineLimits(budget: TaskBudget, scope?: vscode.Uri): EngineLimits {
  const c = vscode.workspace.getConfiguration('qpcr.worker', scope);
  const num = (key: keyof typeof DEFAULTS, min: number): number => {
    const v = c.get<number>(key);
    return typeof v === 'number' && Number.isFinite(v) && v >= min ? v : DEFAULTS[key];
  };
  const seconds = budget === 'run' ? num('runTimeoutSeconds', 1) : num('checkTimeoutSeconds', 1);
  return { memoryMb: num('memoryLimitMb', 64), timeoutMs: seconds * 1000 };
}

let pool: EngineRunner | undefined;

/** The engine workers of this activation (created on first use). */
export function engineWorkers(): EngineRunner {
  pool ??= engineAdapter.create(() => engineLimits('check').memoryMb);
  return pool;
}

/** True when the engine reads `uri` itself (a local path); false when it reads it through host calls. */
export function isLocalForEngine(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && engineAdapter.readsLocalFiles;
}

/** Terminates the engine workers (extension deactivation). */
export function engineWorkersDisposable(): IDisposable {
  return { dispose: () => { pool?.dispose(); pool = undefined; } };
}

/** Runs an engine task with the limits of `budget`; `extra` adds cancellation, host calls and events. */
export function runEngineTask<T>(name: string, args: unknown, budget: TaskBudget, scope: vscode.Uri, extra: Omit<TaskRunOptions, 'timeoutMs'> = {}): Promise<T> {
  return engineWorkers().run<T>(name, args, { ...extra, timeoutMs: engineLimits(budget, scope).timeoutMs });
}

/** The file access of a task on the file system of `uri` (a study or a plate). */
export function fileAccess(uri: vscode.Uri): FileAccess {
  const access: FileAccess = { local: isLocalForEngine(uri), scheme: uri.scheme, authority: uri.authority };
  if (!vscode.workspace.isTrusted) {
    const folders = vscode.workspace.workspaceFolders ?? [];
    access.restrictTo = folders.map((f) => ({ uri: { scheme: f.uri.scheme, authority: f.uri.authority, path: f.uri.path } }));
    if (access.local) access.roots = folders.filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  }
  return access;
}

/** The path the engine gets for `uri`: a local path for files it reads itself, else the URI path. */
export function enginePath(uri: vscode.Uri): string {
  return isLocalForEngine(uri) ? uri.fsPath : uri.path;
}

/**
 * Host services for a task whose files are not local (`fileAccess(...).local` false): reads, stats and globs
 * through workspace.fs on the file system of `base`. Files over 50 MB are refused (the host would hold them whole).
 */
export function hostFileCalls(base: vscode.Uri): (method: string, args: unknown) => Promise<unknown> {
  const paths = new StudyPaths(base);
  const fs = vscode.workspace.fs;
  return async (method, args) => {
    switch (method) {
      case 'readFile': {
        // Regular files only, and the cap checked on the stated size (workspace.fs cannot read in chunks): the
        // worker turns `tooLarge` into the engine's InputTooLargeError.
        const { path: p, maxBytes } = args as { path: string; maxBytes?: number };
        const uri = paths.toUri(p);
        const st = await fs.stat(uri);
        if (!(st.type & vscode.FileType.File)) throw new Error('it is not a regular file');
        const cap = Math.min(maxBytes ?? LARGE_FILE_BYTES, LARGE_FILE_BYTES);
        if (st.size > cap) return { tooLarge: cap };
        return { bytes: await fs.readFile(uri) };
      }
      case 'glob': {
        const { pattern, baseDir } = args as { pattern: string; baseDir: string };
        return globWorkspace(paths, pattern, baseDir);
      }
      default:
        throw new Error(`unknown host call "${method}"`);
    }
  };
}

/** Options of `runEngineTask` for a task on the file system of `uri`: host calls when its files are not local. */
export function fileCallsFor(uri: vscode.Uri): Pick<TaskRunOptions, 'onCall'> {
  return isLocalForEngine(uri) ? {} : { onCall: hostFileCalls(uri) };
}

/** True when a task was cancelled (a newer check or run replaced it): nothing to report. */
export function isCancelledTask(e: unknown): boolean {
  return e instanceof EngineTaskError && e.kind === 'cancelled';
}

/**
 * The sentence for a task that hit a limit or failed: "<subject> could not be read within 1024 MB / 20 s: it ran out
 * of memory." The settings are named so the user can raise the limits.
 */
export function limitMessage(subject: string, e: unknown, budget: TaskBudget, verb = 'read'): string {
  const head = `${subject} could not be ${verb}`;
  if (!(e instanceof EngineTaskError)) return `${head}: ${e instanceof Error ? e.message : String(e)}`;
  const within = `within ${e.limits.memoryMb} MB / ${formatSeconds(e.limits.timeoutMs)}`;
  const setting = budget === 'run' ? 'qpcr.worker.runTimeoutSeconds' : 'qpcr.worker.checkTimeoutSeconds';
  switch (e.kind) {
    case 'timeout': return `${head} ${within}: it took longer (setting ${setting}).`;
    case 'memory': return `${head} ${within}: it needs more memory (setting qpcr.worker.memoryLimitMb).`;
    case 'crashed': return `${head} ${within}: ${e.message}.`;
    default: return `${head}: ${e.message}`;
  }
}

/** One error diagnostic for a task that hit a limit, at `range` (default: the first line). */
export function limitDiagnostic(subject: string, e: unknown, budget: TaskBudget, range?: Range, file?: string, verb?: string): EngineDiagnostic {
  return {
    code: 'engine-limit',
    severity: 'error',
    message: limitMessage(subject, e, budget, verb),
    range: range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    ...(file !== undefined ? { file } : {}),
  };
}
