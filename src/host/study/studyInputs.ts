/**
 * The vscode-free part of the editor's study context (studyContext.ts is the vscode adapter: the workspace IO and
 * file watching). The inputs are resolved by the engine's one resolver (src/engine/study/inputs.ts), exactly as
 * `qpcr-studio check` and runs resolve them; this module only caches the result per study until its inputs change.
 */
import * as path from 'node:path';
import type { StudyAst, StudyContext } from '../../engine/study';
import type { EngineDiagnostic } from '../../engine/common/diagnostic';
import { inputSpecFromAst, liveContext, resolveLiveInputs, type LiveInputs, type StudyInputSpec, type StudyIO } from '../../engine/study/inputs';
import { LARGE_FILE_BYTES } from '../../engine/plate/stream';

/** What decides a study's context: its input statements without their positions (typing elsewhere keeps the cache). */
export function inputsKeyOf(spec: StudyInputSpec): string {
  return JSON.stringify(spec, (k, v: unknown) => (k === 'range' ? undefined : v));
}

/** The files a study's inputs name, as globs relative to the study folder (for file watchers). */
export function watchedPatterns(spec: StudyInputSpec): string[] {
  const smp = spec.samples;
  return [...spec.plates.map((p) => p.glob), ...(spec.clinical ? [spec.clinical.path] : []), ...(smp && 'sheet' in smp ? [smp.sheet] : [])];
}

/**
 * The live checks' inputs of a study, as the host resolves them: the engine's `resolveLiveInputs` on the study's AST
 * (parsed as the editor parses it), its path and a StudyIO; plates over 50 MB are not read for live checks (the
 * context then has no targets, so no target is reported unknown).
 */
export function resolveForLiveChecks(ast: StudyAst, studyPath: string, io: StudyIO): Promise<LiveInputs> {
  return resolveLiveInputs(ast, studyPath, io, { maxPlateBytes: LARGE_FILE_BYTES });
}

/** Resolves a study's inputs for the live checks (in the extension: an engine worker; in tests: resolveForLiveChecks). */
export type LiveLoad = () => Promise<LiveInputs & { cancelled?: boolean }>;

/**
 * Contexts per study: the inputs are resolved once and kept until the study's input statements change or
 * `invalidate` is called; cohort sizes follow the current text (they need only the kept clinical table).
 */
export class StudyContextStore {
  private readonly _inputs = new Map<string, { inputsKey: string; live: Promise<LiveInputs & { cancelled?: boolean }> }>();

  private _live(key: string, ast: StudyAst, load: LiveLoad): Promise<LiveInputs & { cancelled?: boolean }> {
    const inputsKey = inputsKeyOf(inputSpecFromAst(ast));
    let cached = this._inputs.get(key);
    if (!cached || cached.inputsKey !== inputsKey) {
      const live = load().catch((): LiveInputs => ({ context: {}, diagnostics: [], clinical: null }));
      this._inputs.set(key, (cached = { inputsKey, live }));
    }
    return cached.live;
  }

  /** True when the cached inputs of `key` were resolved for other input statements than `ast`'s (a load is due). */
  public isStale(key: string, ast: StudyAst): boolean {
    return this._inputs.get(key)?.inputsKey !== inputsKeyOf(inputSpecFromAst(ast));
  }

  /** The context and the study's own input diagnostics (see inputDiagnostics), loading the inputs with `load` if due. */
  public async loadWith(key: string, ast: StudyAst, studyPath: string, load: LiveLoad): Promise<{ context: StudyContext; diagnostics: EngineDiagnostic[]; cancelled?: boolean }> {
    const live = await this._live(key, ast, load);
    const diagnostics = live.diagnostics.filter((d) => d.file === studyPath).map(({ file: _file, ...d }) => d);
    return { context: liveContext(ast, live), diagnostics, ...(live.cancelled ? { cancelled: true } : {}) };
  }

  /** The context of the study `key`; `io` and `studyPath` are used only when its inputs must be resolved. */
  public async get(key: string, ast: StudyAst, studyPath: string, io: () => StudyIO): Promise<StudyContext> {
    return (await this.loadWith(key, ast, studyPath, () => resolveForLiveChecks(ast, studyPath, io()))).context;
  }

  /**
   * The diagnostics `check` gives on the study itself while resolving its inputs (a glob that matches nothing, a
   * file that cannot be read or is outside the workspace in Restricted Mode, a bad sample pattern ...), without
   * their `file` (they are the study's own).
   */
  public async inputDiagnostics(key: string, ast: StudyAst, studyPath: string, io: () => StudyIO): Promise<EngineDiagnostic[]> {
    return (await this.loadWith(key, ast, studyPath, () => resolveForLiveChecks(ast, studyPath, io()))).diagnostics;
  }

  /** One of the study's input files changed: resolve again on the next `get`. */
  public invalidate(key: string): void { this._inputs.delete(key); }
}

/** The parts of a URI the workspace check compares. */
export interface UriLike { scheme: string; authority: string; path: string }

/**
 * True when `uri` is one of the folders or inside one: same scheme and authority, and its normalised path is the
 * folder's path or below it (`/a/b` is not inside `/a/bc`; `..` segments are resolved first). Used to keep a study
 * in an untrusted workspace from reading files outside the workspace (for `file:` URIs the reads also resolve
 * symlinks: src/cli/nodeIO.ts).
 */
export function isInFolders(uri: UriLike, folders: readonly { uri: UriLike }[] | undefined): boolean {
  const p = path.posix.normalize(uri.path);
  return (folders ?? []).some((f) => {
    if (f.uri.scheme !== uri.scheme || f.uri.authority !== uri.authority) return false;
    const root = path.posix.normalize(f.uri.path).replace(/\/+$/, '');
    return p === root || p.startsWith(root + '/') || root === '';
  });
}
