/**
 * What a study's checks, completions and hovers need to know about its data: the targets on its plates and
 * the columns of its clinical table. Loading is injected (the extension loads in an engine worker, see
 * src/host/worker/engineHost.ts), cached per study until its inputs change, and the input files are watched, so a
 * change to a plate or the clinical CSV re-checks the study. A load still running when the study's inputs change
 * (or a watched file changes, or the study is closed) is cancelled.
 */
import * as vscode from 'vscode';
import type { EngineDiagnostic } from '../../engine/common/diagnostic';
import type { StudyAst, StudyContext } from '../../engine/study';
import { Disposable, disposeAll, type IDisposable } from '../dispose';
import { studyInputs, type StudyInputs } from './studyInputs';

/** A loaded context and the problems of loading it (a plate that could not be read within the limits). */
export interface LoadedContext { context: StudyContext; diagnostics: EngineDiagnostic[]; cancelled?: boolean }

/** Loads a study's context; resolves (never rejects) with `cancelled` set when the token fires first. */
export type StudyContextLoader = (studyUri: vscode.Uri, ast: StudyAst, token: vscode.CancellationToken) => Promise<LoadedContext>;

interface CachedLoad { inputsKey: string; loaded: Promise<LoadedContext>; cancel: vscode.CancellationTokenSource }

export class StudyContextCache extends Disposable {
  private readonly _contexts = new Map<string, CachedLoad>();
  private readonly _watchers = new Map<string, { inputsKey: string; disposables: IDisposable[] }>();

  /** `onInputsChanged` is called with the study's URI when one of its plates or its clinical table changes. */
  constructor(private readonly _onInputsChanged: (studyUri: vscode.Uri) => void, private readonly _load: StudyContextLoader) {
    super();
    this._register({ dispose: () => { for (const w of this._watchers.values()) disposeAll(w.disposables); this._watchers.clear(); } });
    this._register({ dispose: () => { for (const c of this._contexts.values()) c.cancel.cancel(); this._contexts.clear(); } });
  }

  /** The context of a study (cached until its inputs or their files change). */
  public async get(studyUri: vscode.Uri, ast: StudyAst): Promise<StudyContext> {
    return (await this.load(studyUri, ast)).context;
  }

  /** The context with the problems of loading it. */
  public load(studyUri: vscode.Uri, ast: StudyAst): Promise<LoadedContext> {
    const inputs = studyInputs(ast);
    const inputsKey = JSON.stringify(inputs);
    const key = studyUri.toString();
    const cached = this._contexts.get(key);
    if (cached && cached.inputsKey === inputsKey) return cached.loaded;
    this._drop(key);
    this._watch(studyUri, inputs, inputsKey);
    const cancel = new vscode.CancellationTokenSource();
    const loaded = this._load(studyUri, ast, cancel.token)
      .catch((): LoadedContext => ({ context: {}, diagnostics: [] }))
      .finally(() => cancel.dispose());
    this._contexts.set(key, { inputsKey, loaded, cancel });
    return loaded;
  }

  /** Forgets (and cancels, if still running) the cached load of a study. */
  private _drop(key: string): void {
    const c = this._contexts.get(key);
    if (!c) return;
    this._contexts.delete(key);
    c.cancel.cancel();
  }

  /** Drops everything about a study (its document was closed). */
  public forget(studyUri: vscode.Uri): void {
    const key = studyUri.toString();
    this._drop(key);
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
      const changed = () => {
        this._drop(key);
        this._onInputsChanged(studyUri);
      };
      disposables.push(w, w.onDidChange(changed), w.onDidCreate(changed), w.onDidDelete(changed));
    }
    this._watchers.set(key, { inputsKey, disposables });
  }
}
