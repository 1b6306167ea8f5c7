/**
 * What a study's checks, completions and hovers need to know about its data (targets, clinical columns, levels of
 * every sample field): a thin vscode adapter over the engine's one resolver of study inputs. The files are read
 * through the same workspace StudyIO as runs (runnerAdapter.ts: confined to the workspace in Restricted Mode),
 * resolved by src/engine/study/inputs.ts exactly as `qpcr-studio check` resolves them (cached in studyInputs.ts),
 * and watched, so a change to a plate, the clinical table or the sample sheet re-checks the study.
 */
import * as vscode from 'vscode';
import type { StudyAst, StudyContext } from '../../engine/study';
import type { EngineDiagnostic } from '../../engine/common/diagnostic';
import { inputSpecFromAst } from '../../engine/study/inputs';
import { Disposable, disposeAll, type IDisposable } from '../dispose';
import { StudyPaths, workspaceStudyIO } from './runnerAdapter';
import { inputsKeyOf, StudyContextStore, watchedPatterns } from './studyInputs';

export class StudyContextCache extends Disposable {
  private readonly _store = new StudyContextStore();
  private readonly _watchers = new Map<string, { inputsKey: string; disposables: IDisposable[] }>();

  /** `onInputsChanged` is called with the study's URI when one of its plates or tables changes. */
  constructor(private readonly _onInputsChanged: (studyUri: vscode.Uri) => void) {
    super();
    this._register({ dispose: () => { for (const w of this._watchers.values()) disposeAll(w.disposables); this._watchers.clear(); } });
    // Trusting the workspace lifts the Restricted Mode confinement: read every open study's inputs again.
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => {
      for (const key of this._watchers.keys()) {
        this._store.invalidate(key);
        this._onInputsChanged(vscode.Uri.parse(key, true));
      }
    }));
  }

  /** The context of a study (cached until its inputs or their files change). */
  public get(studyUri: vscode.Uri, ast: StudyAst): Promise<StudyContext> {
    this._watch(studyUri, ast);
    const paths = new StudyPaths(studyUri);
    return this._store.get(studyUri.toString(), ast, paths.studyPath, () => this._io(paths));
  }

  private _io(paths: StudyPaths) {
    return workspaceStudyIO(paths, { restrictToWorkspace: !vscode.workspace.isTrusted, isCancelled: () => false });
  }

  /** The diagnostics `qpcr-studio check` gives on the study while resolving its inputs (see StudyContextStore). */
  public inputDiagnostics(studyUri: vscode.Uri, ast: StudyAst): Promise<EngineDiagnostic[]> {
    const paths = new StudyPaths(studyUri);
    return this._store.inputDiagnostics(studyUri.toString(), ast, paths.studyPath, () => this._io(paths));
  }

  /** Drops everything about a study (its document was closed). */
  public forget(studyUri: vscode.Uri): void {
    const key = studyUri.toString();
    this._store.invalidate(key);
    const w = this._watchers.get(key);
    if (w) disposeAll(w.disposables);
    this._watchers.delete(key);
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
        this._store.invalidate(key);
        this._onInputsChanged(studyUri);
      };
      disposables.push(w, w.onDidChange(changed), w.onDidCreate(changed), w.onDidDelete(changed));
    }
    this._watchers.set(key, { inputsKey, disposables });
  }
}
