/**
 * What a study's checks, completions and hovers need to know about its data: the targets on its plates and
 * the columns of its clinical table. Files are resolved relative to the study through workspace.fs, cached by
 * modification time, and watched, so a change to a plate or the clinical CSV re-checks the study.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { ClinicalColumnInfo, StudyAst, StudyContext } from '../../engine/study';
import { importPlate } from '../../engine/plate';
import { loadTable } from '../../engine/expression/clinical';
import { LARGE_FILE_BYTES } from '../../engine/plate/stream';
import type { CqFormat } from '../../engine/plate/model';
import { Disposable, disposeAll, type IDisposable } from '../dispose';
import { sampleLevels, studyInputs, type StudyInputs } from './studyInputs';

const MAX_PLATE_FILES = 500;

interface FileEntry<T> { mtime: number; size: number; value: T }

export class StudyContextCache extends Disposable {
  private readonly _plates = new Map<string, FileEntry<PlateSummary>>();
  private readonly _columns = new Map<string, FileEntry<ClinicalColumnInfo[]>>();
  private readonly _contexts = new Map<string, { inputsKey: string; ctx: Promise<StudyContext> }>();
  private readonly _watchers = new Map<string, { inputsKey: string; disposables: IDisposable[] }>();

  /** `onInputsChanged` is called with the study's URI when one of its plates or its clinical table changes. */
  constructor(private readonly _onInputsChanged: (studyUri: vscode.Uri) => void) {
    super();
    this._register({ dispose: () => { for (const w of this._watchers.values()) disposeAll(w.disposables); this._watchers.clear(); } });
  }

  /** The context of a study (cached until its inputs or their files change). */
  public get(studyUri: vscode.Uri, ast: StudyAst): Promise<StudyContext> {
    const inputs = studyInputs(ast);
    const inputsKey = JSON.stringify(inputs);
    const key = studyUri.toString();
    const cached = this._contexts.get(key);
    if (cached && cached.inputsKey === inputsKey) return cached.ctx;
    this._watch(studyUri, inputs, inputsKey);
    const ctx = this._build(studyUri, inputs).catch((): StudyContext => ({}));
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
        this._plates.delete(uri.toString());
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
    const samples = new Set<string>();
    for (const p of inputs.plates) {
      for (const uri of await findFiles(dir, p.pattern)) {
        const summary = await this._cached(this._plates, uri, (bytes) => plateSummary(bytes, uri, p.format, p.target), { targets: [], samples: [] });
        for (const t of summary.targets) targets.add(t);
        for (const s of summary.samples) samples.add(s);
      }
    }
    let clinicalColumns: ClinicalColumnInfo[] | undefined;
    if (inputs.clinical) {
      const uri = resolveRelative(dir, inputs.clinical.path);
      const key = inputs.clinical.key;
      clinicalColumns = await this._cached(this._columns, uri, (bytes) => tableColumns(bytes, uri, key), []);
    }
    const ctx: StudyContext = {};
    // Leave a part of the context out when its files gave nothing, so the checks do not report every name as unknown.
    if (targets.size) ctx.targets = [...targets];
    if (clinicalColumns?.length) ctx.clinicalColumns = clinicalColumns;
    const levels = sampleLevels(inputs.samplePattern, samples, inputs.clinical?.key);
    if (levels) ctx.levels = levels;
    return ctx;
  }

  private async _cached<T>(cache: Map<string, FileEntry<T>>, uri: vscode.Uri, compute: (bytes: Uint8Array) => T, fallback: T): Promise<T> {
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch {
      cache.delete(uri.toString());
      return fallback;
    }
    const hit = cache.get(uri.toString());
    if (hit && hit.mtime === stat.mtime && hit.size === stat.size) return hit.value;
    if (stat.size > LARGE_FILE_BYTES) return fallback; // completions do not read huge files
    let value: T;
    try {
      value = compute(await vscode.workspace.fs.readFile(uri));
    } catch {
      value = fallback;
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

interface PlateSummary { targets: string[]; samples: string[] }

function plateSummary(bytes: Uint8Array, uri: vscode.Uri, format: CqFormat | undefined, target: string | undefined): PlateSummary {
  const name = uri.fsPath || uri.path;
  // importPlate decodes bytes itself (BOM, UTF-8 or Windows-1252, RDML zip).
  const r = importPlate(bytes, name, { ...(format ? { format } : {}), ...(target ? { target } : {}) });
  if (!r.plate) return { targets: [], samples: [] };
  return { targets: [...new Set(r.plate.wells.map((w) => w.target))], samples: [...new Set(r.plate.wells.map((w) => w.sample))] };
}

function tableColumns(bytes: Uint8Array, uri: vscode.Uri, key: string | undefined): ClinicalColumnInfo[] {
  const t = loadTable(bytes, uri.fsPath || uri.path, key ? { key } : {});
  return t.columns.map((c) => ({ name: c.name, type: c.type, levels: c.levels, n: c.n, missing: c.missing }));
}
