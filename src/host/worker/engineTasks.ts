/**
 * The engine tasks the extension host runs in a worker (src/host/worker/engineWorker.ts): everything whose cost
 * grows with the input (reading files, importing plates, QC, the live check's data, study runs). Pure apart from
 * node's fs: no `vscode`, so the tasks are unit-testable and bundle into dist/engineWorker.js.
 *
 * Files are read here with node's fs when the study or plate is on the local file system (`local`); on other
 * schemes (virtual workspaces) each read is a host call (`TaskContext.call('readFile' | 'glob' | 'size')`) that the
 * host answers through workspace.fs: the bytes are then bounded by the host's own size check, and the work on them
 * still happens here.
 */
import * as fs from 'node:fs';
import type { EngineDiagnostic, Range } from '../../engine/common/diagnostic';
import type { CqFormat, Plate, QcSettings } from '../../engine/plate/model';
import { importPlate } from '../../engine/plate';
import { LARGE_FILE_BYTES } from '../../engine/plate/stream';
import { loadTable } from '../../engine/expression/clinical';
import type { ClinicalColumnInfo, StudyAst, StudyContext } from '../../engine/study';
import { dirnameOf, resolvePath, runStudy, type RunOutcome, type StudyIO } from '../../engine/study/runner';
import type { PlateState } from '../../shared/plateProtocol';
import { globSync } from '../../cli/nodeIO';
import { analysePlate, analysePlateStream, outlierView, standardCurveViews, type PlateAnalysisOptions } from '../plateAnalysis';
import { importFailureDetails, saveCaveats, toPlateState, type PlateViewOptions } from '../plateEditor/plateView';
import { isInFolders, sampleLevels, studyInputs, type UriLike } from '../study/studyInputs';
import type { TaskContext, TaskHandler } from './workerRuntime';

/** Where the files of a task are and who may read what. */
export interface FileAccess {
  /** True: paths are local file paths read with node's fs; false: every read is a host call. */
  local: boolean;
  /** Restricted Mode: reads are allowed only inside these folders (scheme/authority/path of each folder URI). */
  restrictTo?: { uri: UriLike }[];
  /** Scheme and authority of the paths (for the Restricted Mode check of non-local paths). */
  scheme: string;
  authority: string;
}

/** File access of one task. `stat` gives undefined for a missing file or a folder. */
export interface TaskFs extends StudyIO {
  stat(p: string): Promise<{ mtime: number; size: number } | undefined>;
}

/** The URI path of a local or engine path (a Windows drive path becomes `/c:/…`, as vscode.Uri does). */
function uriPath(p: string): string {
  const slashed = p.replace(/\\/g, '/');
  return /^[A-Za-z]:\//.test(slashed) ? `/${slashed}` : slashed;
}

export function taskFs(access: FileAccess, ctx: TaskContext): TaskFs {
  const isAllowed = access.restrictTo
    ? (p: string) => isInFolders({ scheme: access.scheme, authority: access.authority, path: uriPath(p) }, access.restrictTo)
    : undefined;
  if (!access.local) {
    return {
      readFile: async (p) => ctx.call<Uint8Array>('readFile', p),
      glob: async (pattern, baseDir) => ctx.call<string[]>('glob', { pattern, baseDir }),
      stat: async (p) => ctx.call<{ mtime: number; size: number } | undefined>('stat', p),
      ...(isAllowed ? { isAllowed } : {}),
    };
  }
  return {
    readFile: async (p) => new Uint8Array(await fs.promises.readFile(p)),
    glob: async (pattern, baseDir) => globSync(pattern, baseDir),
    stat: async (p) => {
      try {
        const s = await fs.promises.stat(p);
        return s.isFile() ? { mtime: s.mtimeMs, size: s.size } : undefined;
      } catch {
        return undefined;
      }
    },
    size: async (p) => (await fs.promises.stat(p)).size,
    readStream: (p) => fs.createReadStream(p, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>,
    ...(isAllowed ? { isAllowed } : {}),
  };
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
}

export interface PlateTaskResult {
  recognised: boolean;
  /** The findings (import, QC, standard curves, outliers), or why the file is not a plate. */
  diagnostics: EngineDiagnostic[];
  plate?: Plate;
  state?: PlateState;
  /** When not recognised: the import's errors for the plate editor's explanation. */
  failureDetails?: string[];
  /** The save caveats, when `caveatsFrom` was given. */
  caveats?: string[];
}

export async function plateTask(args: PlateTaskArgs): Promise<PlateTaskResult> {
  const { source, fileName, qc, options } = args;
  const result = 'path' in source
    ? source.stream
      ? await analysePlateStream(fs.createReadStream(source.path, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>, fileName, qc, options)
      : analysePlate(new Uint8Array(await fs.promises.readFile(source.path)), fileName, qc, options)
    : analysePlate('text' in source ? source.text : source.bytes, fileName, qc, options);
  if (!result.plate) return { recognised: false, diagnostics: result.diagnostics, failureDetails: importFailureDetails(result.diagnostics) };
  const out: PlateTaskResult = { recognised: true, diagnostics: args.view ? [] : result.diagnostics };
  if ('text' in source && args.caveatsFrom) out.caveats = await caveatsOf(args.caveatsFrom, source.text);
  if (args.view) {
    out.state = toPlateState(result.plate, result.diagnostics, {
      ...args.view,
      standardCurves: standardCurveViews(result.plate, result.standardCurves),
      outliers: outlierView(result.outlierSettings, result.outliers),
      ...(out.caveats ? { caveats: out.caveats } : {}),
    });
  }
  if (args.keepPlate) out.plate = cloneSafePlate(result.plate);
  return out;
}

/**
 * The plate as plain data for the structured clone: text importers keep `Well.ranges` as a `CellRanges` instance
 * (getters over private fields), which would arrive as `{}`; its `toJSON()` is the plain object.
 */
export function cloneSafePlate(plate: Plate): Plate {
  const plain = (r: Plate['wells'][number]['ranges']) => {
    const toJSON = (r as { toJSON?: () => typeof r }).toJSON;
    return typeof toJSON === 'function' ? toJSON.call(r) : r;
  };
  return { ...plate, wells: plate.wells.map((w) => ({ ...w, ranges: plain(w.ranges) })) };
}

async function caveatsOf(from: { path: string } | { bytes: Uint8Array }, docText: string): Promise<string[]> {
  try {
    if ('bytes' in from) return saveCaveats(from.bytes, docText);
    if ((await fs.promises.stat(from.path)).size > LARGE_FILE_BYTES) return [];
    return saveCaveats(new Uint8Array(await fs.promises.readFile(from.path)), docText);
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The data of a study's live checks: targets and samples on its plates, columns of its clinical table

export interface StudyContextArgs extends FileAccess {
  /** The study file's path (local path, or URI path on the study's file system). */
  studyPath: string;
  /** The study's data statements (`plates`, `clinical`, `samples`, see `dataStatements`), as parsed on the host. */
  ast: StudyAst;
}

const DATA_KINDS = new Set(['plates', 'clinical', 'samples']);

/** The part of a study's AST the context needs: small and shallow whatever the rest holds (a 10,000-term `let`). */
export function dataStatements(ast: StudyAst): StudyAst {
  return { ...ast, statements: ast.statements.filter((s) => DATA_KINDS.has(s.kind)) };
}

/** What the worker is reading, reported before each file (a failure is then shown on that statement). */
export interface ContextReadEvent { what: 'plate' | 'clinical' | 'samples'; file: string; range: Range }

const MAX_PLATE_FILES = 500;

interface FileEntry<T> { mtime: number; size: number; value: T }
/** Per-file results, kept while the worker lives (it is reused between checks). */
const plateCache = new Map<string, FileEntry<PlateSummary>>();
const columnCache = new Map<string, FileEntry<ClinicalColumnInfo[]>>();

/** A plate's targets and samples, or why it gave no plate (the import's first error, shortened). */
interface PlateSummary { targets: string[]; samples: string[]; problem?: string }

/** The context, and the plates named by the study that gave no plate (a warning on their `plates` statement). */
export interface StudyContextResult { context: StudyContext; diagnostics: EngineDiagnostic[] }

export async function studyContextTask(args: StudyContextArgs, ctx: TaskContext): Promise<StudyContextResult> {
  const diagnostics: EngineDiagnostic[] = [];
  const io = taskFs(args, ctx);
  const inputs = studyInputs(args.ast);
  const dir = dirnameOf(args.studyPath);
  const ranges = dataRanges(args.ast);
  const targets = new Set<string>();
  const samples = new Set<string>();
  for (const [i, p] of inputs.plates.entries()) {
    const files = (/[*?[{]/.test(p.pattern) ? await io.glob(p.pattern, dir) : [resolvePath(dir, p.pattern)]).slice(0, MAX_PLATE_FILES);
    for (const file of files) {
      ctx.emit({ what: 'plate', file, range: ranges.plates[i] } satisfies ContextReadEvent);
      const summary = await cached(io, plateCache, file, (bytes) => plateSummary(bytes, file, p.format, p.target), { targets: [], samples: [] });
      for (const t of summary.targets) targets.add(t);
      for (const s of summary.samples) samples.add(s);
      if (summary.problem && ranges.plates[i]) {
        diagnostics.push({ code: 'study-plate-unreadable', severity: 'warning', message: `${baseName(file)} gave no plate: ${summary.problem}`, range: ranges.plates[i] });
      }
    }
  }
  let clinicalColumns: ClinicalColumnInfo[] | undefined;
  if (inputs.clinical) {
    const file = resolvePath(dir, inputs.clinical.path);
    const key = inputs.clinical.key;
    if (ranges.clinical) ctx.emit({ what: 'clinical', file, range: ranges.clinical } satisfies ContextReadEvent);
    clinicalColumns = await cached(io, columnCache, file, (bytes) => tableColumns(bytes, file, key), []);
  }
  const out: StudyContext = {};
  // Leave a part of the context out when its files gave nothing, so the checks do not report every name as unknown.
  if (targets.size) out.targets = [...targets];
  if (clinicalColumns?.length) out.clinicalColumns = clinicalColumns;
  if (ranges.samples) ctx.emit({ what: 'samples', file: args.studyPath, range: ranges.samples } satisfies ContextReadEvent);
  const levels = sampleLevels(inputs.samplePattern, samples, inputs.clinical?.key);
  if (levels) out.levels = levels;
  return { context: out, diagnostics };
}

function baseName(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}

/** Ranges of the data statements, in the order studyInputs lists them. */
function dataRanges(ast: StudyAst): { plates: Range[]; clinical?: Range; samples?: Range } {
  const out: { plates: Range[]; clinical?: Range; samples?: Range } = { plates: [] };
  for (const s of ast.statements) {
    if (s.kind === 'plates' && s.glob.value) out.plates.push(s.glob.range);
    else if (s.kind === 'clinical' && s.path.value && !out.clinical) out.clinical = s.path.range;
    else if (s.kind === 'samples' && s.source === 'pattern' && !out.samples) out.samples = s.value.range;
  }
  return out;
}

async function cached<T>(io: TaskFs, cache: Map<string, FileEntry<T>>, file: string, compute: (bytes: Uint8Array) => T, fallback: T): Promise<T> {
  if (io.isAllowed && !io.isAllowed(file)) return fallback;
  const stat = await io.stat(file).catch(() => undefined);
  if (!stat) {
    cache.delete(file);
    return fallback;
  }
  const hit = cache.get(file);
  if (hit && hit.mtime === stat.mtime && hit.size === stat.size) return hit.value;
  if (stat.size > LARGE_FILE_BYTES) return fallback; // completions do not read huge files
  let value: T;
  try {
    value = compute(await io.readFile(file));
  } catch {
    value = fallback;
  }
  cache.set(file, { mtime: stat.mtime, size: stat.size, value });
  return value;
}

function plateSummary(bytes: Uint8Array, file: string, format: CqFormat | undefined, target: string | undefined): PlateSummary {
  // importPlate decodes bytes itself (BOM, UTF-8 or Windows-1252, RDML zip).
  const r = importPlate(bytes, file, { ...(format ? { format } : {}), ...(target ? { target } : {}) });
  if (!r.plate) {
    const first = r.diagnostics.find((d) => d.severity === 'error')?.message ?? 'not recognised as a qPCR Cq export';
    return { targets: [], samples: [], problem: first.length > 200 ? `${first.slice(0, 200)}…` : first };
  }
  return { targets: [...new Set(r.plate.wells.map((w) => w.target))], samples: [...new Set(r.plate.wells.map((w) => w.sample))] };
}

function tableColumns(bytes: Uint8Array, file: string, key: string | undefined): ClinicalColumnInfo[] {
  const t = loadTable(new TextDecoder('utf-8').decode(bytes), file, key ? { key } : {});
  return t.columns.map((c) => ({ name: c.name, type: c.type, levels: c.levels, n: c.n, missing: c.missing }));
}

// ---------------------------------------------------------------------------------------------------------------
// Study runs

export interface RunTaskArgs extends FileAccess {
  text: string;
  studyPath: string;
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
    matched.push(...found);
    return found;
  };
  const outcome = await runStudy(args.text, args.studyPath, io, {
    onProgress: (fraction, message) => ctx.emit({ fraction, message } satisfies RunProgressEvent),
  });
  return { ...outcome, matched };
}

/** The tasks of dist/engineWorker.js, by name. */
export const ENGINE_TASKS = {
  plate: plateTask,
  studyContext: studyContextTask,
  run: runTask,
} satisfies Record<string, TaskHandler>;

export type EngineTaskName = keyof typeof ENGINE_TASKS;
