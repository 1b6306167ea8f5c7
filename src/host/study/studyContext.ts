/**
 * What a study's checks, completions and hovers need to know about its data (targets, clinical columns, levels of
 * every sample field): a thin vscode adapter over the engine's one resolver of study inputs
 * (src/engine/study/inputs.ts, the same as `qpcr-studio check` and runs). The loading is injected: the extension
 * resolves the inputs in an engine worker (studyLanguage.ts → src/host/worker), so a hostile input costs the
 * extension host nothing. Results are cached per study until its input statements change (studyInputs.ts
 * StudyContextStore), the input files are watched, and a load still running when they change (or the study is
 * closed) is cancelled.
 */
import * as vscode from 'vscode';
import type { EngineDiagnostic } from '../../engine/common/diagnostic';
import type { StudyAst, StudyContext } from '../../engine/study';
import { inputSpecFromAst, type LiveInputs } from '../../engine/study/inputs';
import { Disposable, disposeAll, type IDisposable } from '../dispose';
import { inputsKeyOf, StudyContextStore, watchedPatterns } from './studyInputs';

/** A loaded context and the study's own input diagnostics (as `check` gives them, and worker-limit errors). */
export interface LoadedContext { context: StudyContext; diagnostics: EngineDiagnostic[]; cancelled?: boolean }

/** Resolves a study's inputs for the live checks; resolves (never rejects) with `cancelled` set when the token fires. */
export type StudyInputsLoader = (studyUri: vscode.Uri, ast: StudyAst, token: vscode.CancellationToken) => Promise<LiveInputs & { cancelled?: boolean }>;

export class StudyContextCache extends Disposable {
  private readonly _store = new StudyContextStore();
  private readonly _loads = new Map<string, vscode.CancellationTokenSource>();
  private readonly _watchers = new Map<string, { inputsKey: string; disposables: IDisposable[] }>();

  /** `onInputsChanged` is called with the study's URI when one of its plates or tables changes. */
  constructor(private readonly _onInputsChanged: (studyUri: vscode.Uri) => void, private readonly _load: StudyInputsLoader, private readonly _studyPath: (uri: vscode.Uri) => string) {
    super();
    this._register({ dispose: () => { for (const w of this._watchers.values()) disposeAll(w.disposables); this._watchers.clear(); } });
    this._register({ dispose: () => { for (const c of this._loads.values()) c.cancel(); this._loads.clear(); } });
    // Trusting the workspace lifts the Restricted Mode confinement: read every open study's inputs again.
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => {
      for (const key of this._watchers.keys()) {
        this._invalidate(key);
        this._onInputsChanged(vscode.Uri.parse(key, true));
      }
    }));
  }

  /** The context of a study (cached until its inputs or their files change). */
  public async get(studyUri: vscode.Uri, ast: StudyAst): Promise<StudyContext> {
    return (await this.load(studyUri, ast)).context;
  }

  /** The context with the study's own input diagnostics. */
  public load(studyUri: vscode.Uri, ast: StudyAst): Promise<LoadedContext> {
    const key = studyUri.toString();
    this._watch(studyUri, ast);
    if (this._store.isStale(key, ast)) this._cancel(key); // a load for the old input statements is no longer wanted
    return this._store.loadWith(key, ast, this._studyPath(studyUri), () => {
      const cts = new vscode.CancellationTokenSource();
      this._loads.set(key, cts);
      return this._load(studyUri, ast, cts.token).finally(() => {
        if (this._loads.get(key) === cts) this._loads.delete(key);
        cts.dispose();
      });
    });
  }

  /** Drops everything about a study (its document was closed). */
  public forget(studyUri: vscode.Uri): void {
    const key = studyUri.toString();
    this._invalidate(key);
    const w = this._watchers.get(key);
    if (w) disposeAll(w.disposables);
    this._watchers.delete(key);
  }

  private _cancel(key: string): void {
    const c = this._loads.get(key);
    if (!c) return;
    this._loads.delete(key);
    c.cancel();
  }

  private _invalidate(key: string): void {
    this._cancel(key);
    this._store.invalidate(key);
  }

  private _watch(studyUri: vscode.Uri, ast: StudyAst): void {
    const spec = inputSpecFromAst(ast);
    const inputsKey = inputsKeyOf(spec);
    const key = studyUri.toString();
    const existing = this._watchers.get(key);
    if (existing?.inputsKey === inputsKey) return;
    if (existing) disposeAll(existing.disposables);
    const dir = vscode.Uri.joinPath(studyUri, '..');
    const disposables: IDisposable[] = [];
    for (const pattern of watchedPatterns(spec)) {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, pattern));
      const changed = () => {
        this._invalidate(key);
        this._onInputsChanged(studyUri);
      };
      disposables.push(w, w.onDidChange(changed), w.onDidCreate(changed), w.onDidDelete(changed));
    }
    this._watchers.set(key, { inputsKey, disposables });
  }
}
