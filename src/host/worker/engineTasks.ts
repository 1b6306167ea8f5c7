/**
 * The engine tasks the extension host runs in a worker (src/host/worker/engineWorker.ts): everything whose cost
 * grows with the input (reading files, importing plates, QC, the live check's data, study runs). Pure apart from
 * local file reads (localFiles.ts: node's fs): no `vscode`, so the tasks are unit-testable and bundle into
 * dist/engineWorker.js (and, in VS Code for the web, into dist/web/engineWorker.js, a Web Worker).
 *
 * Files are read here with node's fs when the study or plate is on the local file system (`local`); on other
 * schemes (virtual workspaces) each read is a host call (`TaskContext.call('readFile' | 'glob')`) that the
 * host answers through workspace.fs: the bytes are then bounded by the host's own size check, and the work on them
 * still happens here.
 */
import type { EngineDiagnostic, Range } from '../../engine/common/diagnostic';
import type { Plate, QcSettings } from '../../engine/plate/model';
import type { PlateCurves } from '../../engine/curves/store';
import { LARGE_FILE_BYTES } from '../../engine/plate/stream';
import { plainWell } from '../../engine/plate/wellStore';
import { wellSource } from '../../engine/plate/wellSource';
import { append } from '../../shared/append';
import { foldDiagnostics, type FoldOptions } from '../../engine/qc/fold';
import type { StudyAst } from '../../engine/study';
import { InputTooLargeError, inputSpecFromAst, type LiveInputs } from '../../engine/study/inputs';
import { dirnameOf, resolvePath, runStudy, type RunOutcome, type StudyIO } from '../../engine/study/runner';
import type { PlateStateMessage } from '../../shared/plateProtocol';
import { analysePlate, analysePlateStream, outlierView, standardCurveViews, type PlateAnalysisOptions } from '../plateAnalysis';
import { importFailureDetails, saveCaveats, toPlateState, type PlateViewOptions } from '../plateEditor/plateView';
import { isInFolders, resolveForLiveChecks, type UriLike } from '../study/studyInputs';
import { localFiles } from './localFiles';
import type { TaskContext, TaskHandler } from './workerRuntime';
import { documentWriter, type DocumentFile } from '../../engine/report/documents';
import { HOST_ZIP } from '../../cli/nodeZip';
import { tableColumns, type TableColumns } from '../../engine/expression/clinical';

/** Where the files of a task are and who may read what. */
export interface FileAccess {
  /** True: paths are local file paths read with node's fs; false: every read is a host call. */
  local: boolean;
  /** Restricted Mode: reads are allowed only inside these folders (scheme/authority/path of each folder URI). */
  restrictTo?: { uri: UriLike }[];
  /** Restricted Mode, local files: the same folders as file-system paths (reads resolve symlinks against them). */
  roots?: string[];
  /** Scheme and authority of the paths (for the Restricted Mode check of non-local paths). */
  scheme: string;
  authority: string;
}

/** The URI path of a local or engine path (a Windows drive path becomes `/c:/…`, as vscode.Uri does). */
function uriPath(p: string): string {
  const slashed = p.replace(/\\/g, '/');
  return /^[A-Za-z]:\//.test(slashed) ? `/${slashed}` : slashed;
}

/** The StudyIO of one task: the CLI's confined reader for local files, host calls for other schemes. */
export function taskFs(access: FileAccess, ctx: TaskContext): StudyIO {
  const isAllowed = access.restrictTo
    ? (p: string) => isInFolders({ scheme: access.scheme, authority: access.authority, path: uriPath(p) }, access.restrictTo)
    : undefined;
  if (!access.local) {
    return {
      readFile: async (p, o) => {
        const r = await ctx.call<{ bytes: Uint8Array } | { tooLarge: number }>('readFile', { path: p, ...(o?.maxBytes !== undefined ? { maxBytes: o.maxBytes } : {}) });
        if ('tooLarge' in r) throw new InputTooLargeError(r.tooLarge);
        return r.bytes;
      },
      glob: async (pattern, baseDir) => ctx.call<string[]>('glob', { pattern, baseDir }),
      ...(isAllowed ? { isAllowed } : {}),
    };
  }
  // Local files: the CLI's reader (regular files only, sizes capped while reading, symlinks resolved against the
  // workspace folders in Restricted Mode).
  return localFiles.studyIO(access.roots);
}

// ---------------------------------------------------------------------------------------------------------------
// Plate import + QC (plate editor, RDML and large-file viewer, Problems panel)

export interface PlateTaskArgs {
  /** The text of an open document, bytes the host read (non-local files), or a local path read here. */
  source: { text: string } | { bytes: Uint8Array } | { path: string; stream: boolean };
  fileName: string;
  qc: QcSettings;
  options: PlateAnalysisOptions;
  /** Build the plate editor's state with these options (standard curves and outliers are added here). */
  view?: PlateViewOptions;
  /** Send the plate back (the editable plate editor needs it for its edits). */
  keepPlate?: boolean;
  /** Save caveats: the bytes on disk compared with `source.text` (a local path, or bytes the host read). */
  caveatsFrom?: { path: string } | { bytes: Uint8Array };
  /** Fold crowded findings (src/engine/qc/fold.ts) for the Problems panel; `findings` keeps the unfolded count. */
  fold?: FoldOptions;
}

export interface PlateTaskResult {
  recognised: boolean;
  /** The findings (import, QC, standard curves, outliers), or why the file is not a plate. */
  diagnostics: EngineDiagnostic[];
  plate?: Plate;
  state?: PlateStateMessage;
  /** When not recognised: the import's errors for the plate editor's explanation. */
  failureDetails?: string[];
  /** The save caveats, when `caveatsFrom` was given. */
  caveats?: string[];
  /** When recognised: the format and the number of wells (the status bar item on plate files). */
  summary?: { format: string; wells: number };
  /** With `fold`: the number of findings before folding. */
  findings?: number;
  /** With `view`: the plate's curves (one buffer), which the plate editor sends to its webview on demand. */
  curves?: PlateCurves;
}

export async function plateTask(args: PlateTaskArgs): Promise<PlateTaskResult> {
  const { source, fileName, qc, options } = args;
  const result = 'path' in source
    ? source.stream
      ? await analysePlateStream(localFiles.readStream(source.path), fileName, qc, options)
      : analysePlate(await localFiles.readFile(source.path), fileName, qc, options)
    : analysePlate('text' in source ? source.text : source.bytes, fileName, qc, options);
  if (!result.plate) return { recognised: false, diagnostics: result.diagnostics, failureDetails: importFailureDetails(result.diagnostics) };
  const out: PlateTaskResult = { recognised: true, diagnostics: args.view ? [] : result.diagnostics, summary: { format: result.plate.format, wells: wellSource(result.plate).length } };
  if (args.fold && !args.view) {
    out.findings = result.diagnostics.length;
    out.diagnostics = foldDiagnostics(result.diagnostics, wellSource(result.plate), args.fold);
  }
  if ('text' in source && args.caveatsFrom) out.caveats = await caveatsOf(args.caveatsFrom, source.text);
  if (args.view) {
    out.state = toPlateState(result.plate, result.diagnostics, {
      ...args.view,
      standardCurves: standardCurveViews(result.plate, result.standardCurves),
      outliers: outlierView(result.outlierSettings, result.outliers),
      ...(out.caveats ? { caveats: out.caveats } : {}),
    });
    if (result.plate.curves) out.curves = result.plate.curves;
  }
  if (args.keepPlate) out.plate = cloneSafePlate(result.plate);
  return out;
}

/**
 * The plate as plain data for the structured clone: text importers' wells are views over columns (private fields,
 * engine/plate/wellStore.ts), which would arrive as `{}`.
 */
export function cloneSafePlate(plate: Plate): Plate {
  return { ...plate, wells: plate.wells.map(plainWell) };
}

async function caveatsOf(from: { path: string } | { bytes: Uint8Array }, docText: string): Promise<string[]> {
  try {
    if ('bytes' in from) return saveCaveats(from.bytes, docText);
    if (await localFiles.size(from.path) > LARGE_FILE_BYTES) return [];
    return saveCaveats(await localFiles.readFile(from.path), docText);
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The data of a study's live checks: the engine's resolver of study inputs (as `qpcr-studio check` resolves them)

export interface StudyContextArgs extends FileAccess {
  /** The study file's path (local path, or URI path on the study's file system). */
  studyPath: string;
  /** The study's input statements (see `dataStatements`), as parsed on the host. */
  ast: StudyAst;
}

/** The statements the resolver reads (inputSpecFromAst): small and shallow whatever the rest holds (a huge `let`). */
const DATA_KINDS = new Set(['plates', 'clinical', 'samples', 'reference', 'targets', 'qc']);

/** The part of a study's AST the context needs. */
export function dataStatements(ast: StudyAst): StudyAst {
  return { ...ast, statements: ast.statements.filter((s) => DATA_KINDS.has(s.kind)) };
}

/** What the worker is reading, reported before each file (a failure is then shown on that statement). */
export interface ContextReadEvent { what: 'plate' | 'clinical' | 'samples'; file: string; range: Range }

/**
 * The resolved inputs (LiveInputs: context, the study's input diagnostics, the clinical table for cohort sizes), the
 * table as its columns: its row objects are not made and copied to the host, which needs none.
 */
export type StudyContextResult = Omit<LiveInputs, 'clinical'> & { clinical: TableColumns | null };

/** A StudyIO that reports each file it opens as a ContextReadEvent (the statement it belongs to). */
function reporting(io: StudyIO, args: StudyContextArgs, ctx: TaskContext): StudyIO {
  const spec = inputSpecFromAst(args.ast);
  const dir = dirnameOf(args.studyPath);
  const table = (p: string): Range | undefined => {
    if (spec.clinical && resolvePath(dir, spec.clinical.path) === p) return spec.clinical.range;
    const smp = spec.samples;
    return smp && 'sheet' in smp && resolvePath(dir, smp.sheet) === p ? smp.range : undefined;
  };
  const emit = (file: string) => {
    const t = table(file);
    const range = t ?? spec.plates[0]?.range;
    if (range) ctx.emit({ what: t ? 'clinical' : 'plate', file, range } satisfies ContextReadEvent);
  };
  return {
    ...io,
    readFile: (p, o) => { emit(p); return io.readFile(p, o); },
    ...(io.readStream ? { readStream: (p: string) => { emit(p); return io.readStream!(p); } } : {}),
  };
}

export async function studyContextTask(args: StudyContextArgs, ctx: TaskContext): Promise<StudyContextResult> {
  const live = await resolveForLiveChecks(args.ast, args.studyPath, reporting(taskFs(args, ctx), args, ctx));
  return { ...live, clinical: live.clinical && tableColumns(live.clinical) };
}

// ---------------------------------------------------------------------------------------------------------------
// Study runs

export interface RunTaskArgs extends FileAccess {
  text: string;
  studyPath: string;
  /** Run only the analyses on these 0-based lines (and the models they use): the "Run analysis" CodeLens. */
  only?: number[];
}

export interface RunTaskResult extends RunOutcome {
  /** Every file a glob matched (the host tells plate files from the others by it). */
  matched: string[];
}

/** Progress of a run, reported as events. */
export interface RunProgressEvent { fraction: number; message: string }

export async function runTask(args: RunTaskArgs, ctx: TaskContext): Promise<RunTaskResult> {
  const io = taskFs(args, ctx);
  const matched: string[] = [];
  const glob = io.glob.bind(io);
  io.glob = async (pattern, baseDir) => {
    const found = await glob(pattern, baseDir);
    append(matched, found);
    return found;
  };
  const outcome = await runStudy(args.text, args.studyPath, io, {
    onProgress: (fraction, message) => ctx.emit({ fraction, message } satisfies RunProgressEvent),
    ...(args.only ? { only: args.only } : {}),
  });
  return { ...outcome, matched };
}

/**
 * A report document that needs the run's data (`needsData`: R script, RDML): the results panel holds only
 * report.json, so the study is run again here with keepData and the document written from that run (its report
 * included, so the document and its numbers come from one run).
 */
export interface DocumentTaskArgs extends FileAccess {
  text: string;
  studyPath: string;
  /** The document's id (src/shared/report/documents.ts). */
  id: string;
  /** The name it is saved under (companion files are named after it). */
  fileName: string;
}

/** The document's files, or the errors that stopped the run. */
export interface DocumentTaskResult { files: DocumentFile[] | null; errors: EngineDiagnostic[] }

export async function documentTask(args: DocumentTaskArgs, ctx: TaskContext): Promise<DocumentTaskResult> {
  const outcome = await runStudy(args.text, args.studyPath, taskFs(args, ctx), {
    keepData: true, onProgress: (fraction, message) => ctx.emit({ fraction, message } satisfies RunProgressEvent),
  });
  if (!outcome.report || !outcome.data) return { files: null, errors: outcome.diagnostics.filter((d) => d.severity === 'error') };
  const files = await documentWriter(args.id)({ report: outcome.report, data: outcome.data, studyPath: args.studyPath, fileName: args.fileName, ...(HOST_ZIP ? { zip: HOST_ZIP } : {}) });
  return { files, errors: [] };
}

/** The tasks of dist/engineWorker.js, by name. */
export const ENGINE_TASKS = {
  plate: plateTask,
  studyContext: studyContextTask,
  run: runTask,
  document: documentTask,
} satisfies Record<string, TaskHandler>;

export type EngineTaskName = keyof typeof ENGINE_TASKS;
