/**
 * What a study's checks, completions and hovers need to know about its data: the targets on its plates and
 * the columns of its clinical table. Files are resolved relative to the study through workspace.fs, cached by
 * modification time, and watched, so a change to a plate or the clinical CSV re-checks the study.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { StudyContext } from '../../engine/study';
import { importPlate } from '../../engine/plate';
import { loadTable } from '../../engine/expression/clinical';
import type { CqFormat } from '../../engine/plate/model';
import { Disposable, disposeAll, type IDisposable } from '../dispose';
import { studyInputs, type StudyInputs } from './studyInputs';

const MAX_PLATE_FILES = 500;
const MAX_FILE_BYTES = 50 * 1024 * 1024;

interface FileEntry<T> { mtime: number; size: number; value: T }

export class StudyContextCache extends Disposable {
  private readonly _targets = new Map<string, FileEntry<string[]>>();
  private readonly _columns = new Map<string, FileEntry<string[]>>();
  private readonly _contexts = new Map<string, { inputsKey: string; ctx: Promise<StudyContext> }>();
  private readonly _watchers = new Map<string, { inputsKey: string; disposables: IDisposable[] }>();

  /** `onInputsChanged` is called with the study's URI when one of its plates or its clinical table changes. */
  constructor(private readonly _onInputsChanged: (studyUri: vscode.Uri) => void) {
    super();
    this._register({ dispose: () => { for (const w of this._watchers.values()) disposeAll(w.disposables); this._watchers.clear(); } });
  }

  /** The context of a study (cached until its inputs or their files change). */
  public get(studyUri: vscode.Uri, ast: unknown): Promise<StudyContext> {
    const inputs = studyInputs(ast);
    const inputsKey = JSON.stringify(inputs);
    const key = studyUri.toString();
    const cached = this._contexts.get(key);
    if (cached && cached.inputsKey === inputsKey) return cached.ctx;
    this._watch(studyUri, inputs, inputsKey);
    const ctx = this._build(studyUri, inputs).catch(() => emptyContext());
    this._contexts.set(key, { inputsKey, ctx });
    return ctx;
  }

  /** Drops everything about a study (its document was closed). */
  public forget(studyUri: vscode.Uri): void {
    const key = studyUri.toString();
    this._contexts.delete(key);
    const w = this._watchers.get(key);
    if (w) disposeAll(w.disposables);
    this._watchers.delete(key);
  }

  private _watch(studyUri: vscode.Uri, inputs: StudyInputs, inputsKey: string): void {
    const key = studyUri.toString();
    const existing = this._watchers.get(key);
    if (existing?.inputsKey === inputsKey) return;
    if (existing) disposeAll(existing.disposables);
    const dir = vscode.Uri.joinPath(studyUri, '..');
    const disposables: IDisposable[] = [];
    const patterns = [...inputs.plates.map((p) => p.pattern), ...(inputs.clinical ? [inputs.clinical.path] : [])];
    for (const pattern of patterns) {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, pattern));
      const changed = (uri: vscode.Uri) => {
        this._targets.delete(uri.toString());
        this._columns.delete(uri.toString());
        this._contexts.delete(key);
        this._onInputsChanged(studyUri);
      };
      disposables.push(w, w.onDidChange(changed), w.onDidCreate(changed), w.onDidDelete(changed));
    }
    this._watchers.set(key, { inputsKey, disposables });
  }

  private async _build(studyUri: vscode.Uri, inputs: StudyInputs): Promise<StudyContext> {
    const dir = vscode.Uri.joinPath(studyUri, '..');
    const targets = new Set<string>();
    for (const p of inputs.plates) {
      for (const uri of await findFiles(dir, p.pattern)) {
        for (const t of await this._cached(this._targets, uri, (bytes) => plateTargets(bytes, uri, p.format))) targets.add(t);
      }
    }
    let columns: string[] = [];
    if (inputs.clinical) {
      const uri = resolveRelative(dir, inputs.clinical.path);
      const key = inputs.clinical.key;
      columns = await this._cached(this._columns, uri, (bytes) => tableColumns(bytes, uri, key));
    }
    return makeContext([...targets], columns);
  }

  private async _cached<T>(cache: Map<string, FileEntry<T>>, uri: vscode.Uri, compute: (bytes: Uint8Array) => T, fallback?: T): Promise<T> {
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch {
      cache.delete(uri.toString());
      return fallback ?? ([] as unknown as T);
    }
    const hit = cache.get(uri.toString());
    if (hit && hit.mtime === stat.mtime && hit.size === stat.size) return hit.value;
    if (stat.size > MAX_FILE_BYTES) return fallback ?? ([] as unknown as T);
    let value: T;
    try {
      value = compute(await vscode.workspace.fs.readFile(uri));
    } catch {
      value = fallback ?? ([] as unknown as T);
    }
    cache.set(uri.toString(), { mtime: stat.mtime, size: stat.size, value });
    return value;
  }
}

function resolveRelative(dir: vscode.Uri, p: string): vscode.Uri {
  return path.isAbsolute(p) ? vscode.Uri.file(p) : vscode.Uri.joinPath(dir, p);
}

/** Files matching a glob relative to the study folder (a plain path is its own match). */
async function findFiles(dir: vscode.Uri, pattern: string): Promise<vscode.Uri[]> {
  if (!/[*?[{]/.test(pattern)) return [resolveRelative(dir, pattern)];
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(dir, pattern), undefined, MAX_PLATE_FILES);
  return found.sort((a, b) => a.toString().localeCompare(b.toString()));
}

function plateTargets(bytes: Uint8Array, uri: vscode.Uri, format: CqFormat | undefined): string[] {
  const name = uri.fsPath || uri.path;
  const data = /\.rdml$/i.test(name) ? bytes : new TextDecoder('utf-8').decode(bytes);
  const r = importPlate(data, name, format ? { format } : undefined);
  return r.plate ? [...new Set(r.plate.wells.map((w) => w.target))] : [];
}

function tableColumns(bytes: Uint8Array, uri: vscode.Uri, key: string | undefined): string[] {
  const t = loadTable(new TextDecoder('utf-8').decode(bytes), uri.fsPath || uri.path, key ? { key } : {});
  return t.columns.map((c) => c.name);
}

function emptyContext(): StudyContext {
  return makeContext([], []);
}

/** TODO(engine): adapt to the final StudyContext shape of src/engine/study. */
function makeContext(targets: string[], columns: string[]): StudyContext {
  return { targets, columns } as StudyContext;
}
