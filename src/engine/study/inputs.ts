/**
 * The one resolver of a study's inputs: its plates (globs relative to the study file, imported), its clinical
 * table and its sample fields (a name pattern or a sample sheet). The runner (runnerData.ts), `qpcr-studio check`
 * and the editor's live checks (src/host/study/studyContext.ts) all call `resolveStudyInputs`, so they see the same
 * files, the same fields and the same `StudyContext` (targets, clinical columns, levels of every sample field but
 * the key, including sheet columns such as `group`). Plain async code over a `StudyIO`: no node, no vscode.
 *
 * Reads: every file goes through `io.isAllowed` (when the IO has it: Restricted Mode) and `io.readFile` with a size
 * cap; an IO must refuse what is not a regular file (devices, FIFOs) and stop reading at the cap (it does not trust
 * a file's stated size). Messages quote a file's content only as a short escaped excerpt (common/excerpt.ts).
 */
import type { EngineDiagnostic, Range } from '../common/diagnostic';
import { lineRange } from '../common/diagnostic';
import { excerpt } from '../common/excerpt';
import { splitGlob } from '../common/glob';
import { dirnameOf } from '../common/studyPaths';
import { columnCell, columnIndex, compileSamplePattern, loadTable, SamplePatternError } from '../expression';
import type { LoadedTable } from '../expression';
import { importPlate, type ImportOptions } from '../plate';
import { importPlateStream, LARGE_FILE_BYTES } from '../plate/stream';
import { relativeToStudy } from '../common/studyPaths';
import type { CqFormat, ImportResult, Plate, WellTask } from '../plate/model';
import { wellSource } from '../plate/wellSource';
import { append } from '../../shared/append';
import type { ClinicalColumnInfo, StudyContext } from './check';
import type { StudyAst } from './ast';
import { Evaluator, naturalCompare, type Column, type EvalExpr, type EvalScope } from './eval';
import { toEvalExpr } from './runnerAst';
import { firstOfStrings } from '../../shared/pairIndex';

export interface StudyIO {
  /**
   * Reads a file (absolute path or URI string as produced by `glob` / `resolvePath`). Must refuse anything but a
   * regular file (a device, FIFO or socket: `/dev/zero` must not be read) and throw `InputTooLargeError` as soon as
   * more than `maxBytes` bytes have been read.
   */
  readFile(path: string, opts?: { maxBytes?: number }): Promise<Uint8Array>;
  /** Files matching `pattern` (relative to `baseDir`, or absolute), sorted; an empty list when nothing matches. */
  glob(pattern: string, baseDir: string): Promise<string[]>;
  /** Optional guard (an untrusted workspace: reads confined to the workspace folders, symlinks resolved). */
  isAllowed?(path: string): boolean | Promise<boolean>;
  /**
   * Optional, for files over 50 MB: the file's size and its bytes as a stream of chunks. With both, such a plate is
   * imported as a stream (src/engine/plate/stream.ts) instead of being read into one string.
   */
  size?(path: string): Promise<number>;
  readStream?(path: string): AsyncIterable<Uint8Array>;
}

/** Thrown by a StudyIO when a file is larger than the cap it was read with. */
export class InputTooLargeError extends Error {
  constructor(readonly maxBytes: number) { super(`it is larger than ${formatBytes(maxBytes)}`); this.name = 'InputTooLargeError'; }
}

/** Largest clinical table or sample sheet read (checked while reading). */
export const MAX_TABLE_BYTES = 50 * 1024 * 1024;
/** Largest plate read into memory when the IO cannot stream (with streaming, larger plates are streamed). */
export const MAX_PLATE_BYTES = 512 * 1024 * 1024;

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`;
}

/** Stops the run: the diagnostics say why. */
export class StopRun extends Error {
  constructor(readonly diagnostics: EngineDiagnostic[]) { super(diagnostics.map((d) => d.message).join('; ')); }
}

export { dirnameOf };

export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(p) || /^[a-z][a-z0-9+.-]+:\/\//i.test(p);
}

/** `rel` resolved against the folder `base` ("./" and "../" segments folded). */
export function resolvePath(base: string, rel: string): string {
  if (isAbsolutePath(rel)) return rel;
  const sep = base.includes('\\') && !base.includes('/') ? '\\' : '/';
  const parts = `${base}${sep}${rel}`.split(/[\\/]/);
  const out: string[] = [];
  for (const s of parts) {
    if (s === '.' || (s === '' && out.length > 0 && !(out.length === 1 && out[0] === ''))) continue;
    if (s === '..' && out.length && out[out.length - 1] !== '..' && out[out.length - 1] !== '') { out.pop(); continue; }
    out.push(s);
  }
  return out.join(sep);
}

/** What a study says about its inputs (from the plan or, for live checks, from a possibly incomplete AST). */
export interface StudyInputSpec {
  plates: { glob: string; format?: CqFormat; target?: string; range: Range }[];
  clinical?: { path: string; key?: string; range: Range };
  samples?: { pattern: string; range: Range } | { sheet: string; key: string; range: Range };
  references: string[];
  /** The `targets` statement (absent: every target that is not a reference). */
  targets?: string[];
  /** `qc min-cq N`: Cq values below this are import errors (default: the importer's DEFAULT_MIN_CQ). */
  minCq?: number;
}

/** The inputs of a parsed study, as `planFromAst` reads them, but tolerant of statements still being typed. */
export function inputSpecFromAst(ast: StudyAst): StudyInputSpec {
  const spec: StudyInputSpec = { plates: [], references: [] };
  for (const s of ast.statements) {
    if (s.kind === 'plates' && s.glob.value) {
      spec.plates.push({ glob: s.glob.value, range: s.glob.range, ...(s.format ? { format: s.format.name.toLowerCase() as CqFormat } : {}), ...(s.target ? { target: s.target.name } : {}) });
    } else if (s.kind === 'clinical' && s.path.value) {
      spec.clinical = { path: s.path.value, range: s.path.range, ...(s.key ? { key: s.key.name } : {}) };
    } else if (s.kind === 'samples') {
      if (s.source === 'sheet') { if (s.key) spec.samples = { sheet: s.value.value, key: s.key.name, range: s.value.range }; }
      else spec.samples = { pattern: s.value.value, range: s.value.range };
    } else if (s.kind === 'reference') spec.references.push(...s.names.map((n) => n.name));
    else if (s.kind === 'targets') spec.targets = [...(spec.targets ?? []), ...s.names.map((n) => n.name)];
    else if (s.kind === 'qc') {
      const o = s.options.find((x) => x.name === 'min-cq');
      if (o && o.value.kind === 'number') spec.minCq = o.value.value;
    }
  }
  return spec;
}

/** One imported plate file, as the resolver hands it to `onPlate` (the runner runs QC on it). */
export interface PlateImport { path: string; range: Range; result: ImportResult; text?: string }

export interface ResolveOptions {
  progress?: (fraction: number, message: string) => void;
  cancelled?: () => boolean;
  /** Called after each plate's import (in file order), before the next is read. */
  onPlate?: (imp: PlateImport) => void;
  /** Plates larger than this are not read (live checks); the context then has no `targets`. */
  maxPlateBytes?: number;
}

export interface ResolvedInputs {
  plates: Plate[];
  /** Every plate file the globs matched, with the range of its `plates` statement. */
  files: { path: string; range: Range }[];
  wells: number;
  clinical: LoadedTable | null;
  clinicalPath?: string;
  /** Sample name → its fields (null: the name does not match the pattern / is not in the sheet). */
  sampleFields: (sample: string) => Record<string, string> | null;
  fieldNames: string[];
  keyField: string;
  levelField?: string;
  /** What the checks know about the data. */
  context: StudyContext;
}

const SAMPLE_TASKS: ReadonlySet<WellTask> = new Set(['unknown', 'reference']);

function decodeUtf8(b: Uint8Array): string {
  return new TextDecoder('utf-8').decode(b).replace(/^\uFEFF/, '');
}

function stop(code: string, file: string, range: Range, message: string): StopRun {
  return new StopRun([{ code, severity: 'error', file, range, message }]);
}

/** A diagnostic's message quoted in another (a study-line summary): short and escaped. */
function quoted(d: EngineDiagnostic): string {
  return excerpt(d.message, 160);
}

async function checkAllowed(io: StudyIO, path: string, studyFile: string, range: Range): Promise<void> {
  if (io.isAllowed && !(await io.isAllowed(path))) {
    throw stop('study-file-not-allowed', studyFile, range, `Reading "${path}" is not allowed (outside the workspace).`);
  }
}

async function readChecked(io: StudyIO, path: string, studyFile: string, range: Range, maxBytes: number): Promise<Uint8Array> {
  await checkAllowed(io, path, studyFile, range);
  try {
    return await io.readFile(path, { maxBytes });
  } catch (e) {
    throw stop('study-file-unreadable', studyFile, range, `Cannot read "${path}": ${(e as Error).message}`);
  }
}

async function fileSize(io: StudyIO, path: string): Promise<number | undefined> {
  if (!io.size) return undefined;
  try { return await io.size(path); } catch { return undefined; }
}

/** The plate's import, streamed when the file is large and the IO can stream; `text` only for in-memory imports. */
async function importChecked(io: StudyIO, path: string, studyFile: string, range: Range, opts: ImportOptions): Promise<{ r: ImportResult; text?: string }> {
  let measured = false;
  if (io.size && io.readStream) {
    await checkAllowed(io, path, studyFile, range); // before the size is asked for
    const size = await fileSize(io, path);
    if (size !== undefined && size > LARGE_FILE_BYTES) {
      try {
        return { r: await importPlateStream(io.readStream(path), path, opts) };
      } catch (e) {
        throw stop('study-file-unreadable', studyFile, range, `Cannot read "${path}": ${(e as Error).message}`);
      }
    }
    measured = size !== undefined && size > 0;
  }
  // A plate measured small enough to read whole is refused if it grows past 50 MB while read; one that could not be
  // measured (an IO without streaming, a remote file system) is read whole up to MAX_PLATE_BYTES.
  const bytes = await readChecked(io, path, studyFile, range, measured ? LARGE_FILE_BYTES : MAX_PLATE_BYTES);
  const r = importPlate(bytes, path, opts);
  return { r, text: r.plate && r.plate.format !== 'rdml' && !r.plate.source ? decodeUtf8(bytes) : undefined };
}

/** The files every `plates` glob matches (each file once, in statement then name order). */
async function matchPlates(spec: StudyInputSpec, base: string, studyFile: string, io: StudyIO): Promise<{ path: string; range: Range; st: StudyInputSpec['plates'][number] }[]> {
  const files: { path: string; range: Range; st: StudyInputSpec['plates'][number] }[] = [];
  for (const st of spec.plates) {
    // The folder the glob walks must be readable too (Restricted Mode: no listing outside the workspace).
    const full = resolvePath(base, st.glob).replace(/\\/g, '/');
    await checkAllowed(io, splitGlob(full).fixed.join('/') || '/', studyFile, st.range);
    let matched: string[];
    try {
      matched = await io.glob(st.glob, base);
    } catch (e) {
      if (e instanceof StopRun) throw e;
      throw stop('study-file-unreadable', studyFile, st.range, `Cannot list the files matching "${st.glob}": ${(e as Error).message}`);
    }
    if (matched.length === 0) throw stop('study-glob-empty', studyFile, st.range, `No file matches "${st.glob}" (relative to ${base}).`);
    for (const m of matched) if (!files.some((f) => f.path === m)) files.push({ path: m, range: st.range, st });
  }
  return files;
}

interface PlatesPart {
  plates: Plate[]; files: { path: string; range: Range }[]; wells: number;
  /** Files over `maxPlateBytes`, not read (live checks): none when every plate was read. */
  unread: { path: string; range: Range; size: number }[];
}

async function resolvePlates(spec: StudyInputSpec, base: string, studyFile: string, io: StudyIO, opts: ResolveOptions): Promise<PlatesPart> {
  const files = await matchPlates(spec, base, studyFile, io);
  const plates: Plate[] = [];
  const importErrors: EngineDiagnostic[] = [];
  let wells = 0;
  const unread: PlatesPart['unread'] = [];
  for (let k = 0; k < files.length; k++) {
    if (opts.cancelled?.()) throw stop('study-cancelled', studyFile, lineRange(0, 0, 1), 'The run was cancelled.');
    const { path, range, st } = files[k];
    opts.progress?.(0.05 + 0.25 * (k / files.length), `Importing ${path}`);
    if (opts.maxPlateBytes !== undefined) {
      await checkAllowed(io, path, studyFile, range);
      const size = await fileSize(io, path);
      if (size !== undefined && size > opts.maxPlateBytes) { unread.push({ path, range, size }); continue; }
    }
    const iopts: ImportOptions = {};
    if (st.format) iopts.format = st.format;
    if (st.target) iopts.target = st.target;
    if (spec.minCq !== undefined) iopts.minCq = spec.minCq;
    const { r, text } = await importChecked(io, path, studyFile, range, iopts);
    for (const d of r.diagnostics) if (!d.file) d.file = path;
    opts.onPlate?.({ path, range, result: r, ...(text !== undefined ? { text } : {}) });
    const errs = r.diagnostics.filter((d) => d.severity === 'error');
    if (!r.plate || errs.length) { append(importErrors, errs); continue; }
    plates.push(r.plate);
    wells += wellSource(r.plate).length;
  }
  if (importErrors.length) {
    const first = importErrors[0];
    throw stop('study-plate-errors', studyFile, files.find((f) => f.path === first.file)?.range ?? lineRange(0, 0, 1),
      `${importErrors.length} import error(s) in ${new Set(importErrors.map((d) => d.file)).size} plate file(s); first: ${first.file}:${first.range.start.line + 1}:${first.range.start.character + 1}: ${quoted(first)}`);
  }
  return { plates, files: files.map(({ path, range }) => ({ path, range })), wells, unread };
}

/** A table (clinical or sample sheet): read, parsed, its diagnostics in `diags`; errors stop (after `keep`). */
async function resolveTable(io: StudyIO, base: string, rel: string, key: string | undefined, studyFile: string, range: Range, diags: EngineDiagnostic[], what: { code: string; name: string }, keep: (t: LoadedTable, p: string) => void): Promise<void> {
  const p = resolvePath(base, rel);
  // bytes: loadTable decodes them as plates are (UTF-8, Windows-1252, UTF-16) and says which
  const table = loadTable(await readChecked(io, p, studyFile, range, MAX_TABLE_BYTES), p, key !== undefined ? { key } : {});
  for (const d of table.diagnostics) { if (!d.file) d.file = p; diags.push(d); }
  keep(table, p);
  const errs = table.diagnostics.filter((d) => d.severity === 'error');
  if (errs.length) {
    const e = errs[0];
    throw stop(what.code, studyFile, range, `The ${what.name} has ${errs.length} error(s); first: ${p}:${e.range.start.line + 1}${what.code === 'study-clinical-errors' ? `:${e.range.start.character + 1}` : ''}: ${quoted(e)}`);
  }
}

/**
 * The character at `column` of a pattern whose string literal is at `range`: exact when the literal is on one line
 * and has no escapes (its text is the pattern between the quotes), else the whole literal.
 */
function patternColumnRange(range: Range, pattern: string, column: number): Range {
  const { start, end } = range;
  if (start.line !== end.line || end.character - start.character !== pattern.length + 2 || !(column >= 0 && column < pattern.length)) return range;
  const c = start.character + 1 + column;
  return { start: { line: start.line, character: c }, end: { line: start.line, character: c + 1 } };
}

interface FieldsPart { sampleFields: ResolvedInputs['sampleFields']; fieldNames: string[] }

/** The sample fields: a name pattern, a sample sheet, or the whole name as the key. */
async function resolveFields(spec: StudyInputSpec, keyField: string, base: string, studyFile: string, io: StudyIO, diags: EngineDiagnostic[]): Promise<FieldsPart> {
  const smp = spec.samples;
  if (smp && 'pattern' in smp) {
    try {
      const pat = compileSamplePattern(smp.pattern);
      // Frozen: none may write to a sample's fields. A pattern with a regex field matches each name once (a cache by
      // name); an unconstrained one is cheaper to match again than a cache of a million names is to fill.
      const memo = pat.cheap ? null : new Map<string, Record<string, string> | null>();
      return {
        fieldNames: pat.fields,
        sampleFields: (s) => {
          if (memo === null) { const f = pat.match(s); return f === null ? null : Object.freeze(f); }
          let f = memo.get(s);
          if (f === undefined) { f = pat.match(s); memo.set(s, f === null ? null : Object.freeze(f)); }
          return f;
        },
      };
    } catch (e) {
      if (e instanceof SamplePatternError) throw stop('study-sample-pattern', studyFile, patternColumnRange(smp.range, smp.pattern, e.column), e.message);
      throw e;
    }
  }
  if (smp && 'sheet' in smp) {
    let sheet: LoadedTable | undefined;
    await resolveTable(io, base, smp.sheet, smp.key, studyFile, smp.range, diags, { code: 'study-sheet-errors', name: 'sample sheet' }, (t) => { sheet = t; });
    const fieldNames = sheet!.columns.map((c) => c.name).filter((n) => n !== smp.key || n === keyField);
    const byName = sheetFields(sheet!, smp.key, fieldNames);
    return { fieldNames, sampleFields: (s) => byName.get(s.trim()) ?? null };
  }
  return { fieldNames: [keyField], sampleFields: (s) => ({ [keyField]: s.trim() }) };
}

/**
 * The prototype of a sample sheet's fields: empty, frozen, its own prototype null, so nothing is inherited (a column
 * named constructor is an ordinary key; an absent one reads undefined).
 */
const INHERIT_NOTHING: object = Object.freeze(Object.create(null) as object);

/**
 * A sample sheet's fields by sample name (the `key` column): each row's cells of the `names` columns that are not
 * missing, as text, frozen. Made on `INHERIT_NOTHING` rather than with a null prototype: V8 keeps these objects in
 * one hidden class per set of columns (56 bytes for three fields), where Object.create(null) gave a dictionary and a
 * frozen object whose prototype was set to null a hidden class of its own (256 and 216 bytes; a biobank's sheet has
 * a million rows).
 */
export function sheetFields(sheet: LoadedTable, key: string, names: readonly string[]): Map<string, Record<string, string>> {
  const byName = new Map<string, Record<string, string>>();
  const kj = columnIndex(sheet, key), js = names.map((n) => columnIndex(sheet, n)); // read by column: no row objects
  for (let i = 0; kj >= 0 && i < sheet.lines.length; i++) {
    const k = columnCell(sheet.cells[kj], i);
    if (k === null) continue;
    const f = Object.create(INHERIT_NOTHING) as Record<string, string>;
    names.forEach((n, q) => { const v = js[q] < 0 ? null : columnCell(sheet.cells[js[q]], i); if (v !== null) f[n] = String(v); });
    byName.set(String(k), Object.freeze(f));
  }
  return byName;
}

/**
 * The distinct sample names of the wells, in order of first appearance (`all`), and of the wells of a sample task
 * (`sampleWells`: unknown or reference, in order of their first such well), and the targets of all wells but '' (a
 * target only in control wells, an IPC, is still on the plates), from one pass over the wells: a sample's fields
 * depend on its name only, so the checks below read them once per sample, not once per well.
 */
interface DistinctNames { all: string[]; sampleWells: string[]; targets: Set<string> }

export function distinctNames(plates: readonly Plate[]): DistinctNames {
  // One entry per run of wells with the same sample (replicates come together): its name and whether it holds a
  // sample-task well. The names are then grouped by hash (./pairIndex.ts), not looked up in a map of every name (a
  // biobank plate has a million: each lookup a cache miss, the map's growth copies).
  const runName: string[] = [], runSample: boolean[] = [];
  const targets = new Set<string>();
  for (const p of plates) {
    let last: string | undefined, lastTarget: string | undefined;
    const wells = wellSource(p);
    for (let i = 0; i < wells.length; i++) { // an index loop: see plate/index.ts inferGeometry
      const w = wells.at(i), s = w.sample, t = w.target;
      if (t !== lastTarget) { lastTarget = t; if (t !== '') targets.add(t); }
      if (s !== last) { last = s; runName.push(s); runSample.push(false); }
      if (!runSample[runSample.length - 1] && SAMPLE_TASKS.has(w.task)) runSample[runSample.length - 1] = true;
    }
  }
  const n = runName.length, first = firstOfStrings(n, (r) => runName[r]);
  // In run order: a name's first run gives its place in `all`; its first run with a sample-task well (runs do not
  // overlap, so in the order of the first such wells) its place in `sampleWells`.
  const all: string[] = [], sampleWells: string[] = [], listed = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const g = first[r];
    if (g === r) all.push(runName[r]);
    if (runSample[r] && !listed[g]) { listed[g] = 1; sampleWells.push(runName[r]); }
  }
  return { all, sampleWells, targets };
}

/**
 * The level field. A level field varies within a subject (`{patient}-{timepoint}`: pre/post). Fields constant
 * within every subject (a sample sheet's `group` column, say) describe the subject or the sample, not a level, and
 * stay usable in `calibrator`; they do not multiply the variables into `T@level`.
 */
function levelFieldOf(spec: StudyInputSpec, samples: DistinctNames, f: FieldsPart, keyField: string, studyFile: string, diags: EngineDiagnostic[]): string | undefined {
  const bySheet = spec.samples !== undefined && 'sheet' in spec.samples;
  const withinSubject = new Map<string, Map<string, Set<string>>>();
  // A sample sheet's fields are candidates where they vary within a subject; a pattern's are all candidates (and
  // without a samples statement the key is the only field).
  if (bySheet) for (const sample of samples.all) {
    const fields = f.sampleFields(sample);
    const key = fields?.[keyField];
    if (!fields || key === undefined) continue;
    for (const [name, v] of Object.entries(fields)) {
      if (name === keyField) continue;
      let byKey = withinSubject.get(name);
      if (!byKey) withinSubject.set(name, (byKey = new Map()));
      let vals = byKey.get(key);
      if (!vals) byKey.set(key, (vals = new Set()));
      vals.add(v);
    }
  }
  const varies = (name: string) => [...(withinSubject.get(name)?.values() ?? [])].some((vals) => vals.size > 1);
  const candidates = f.fieldNames.filter((n) => n !== keyField && (!bySheet || varies(n)));
  if (spec.samples && !f.fieldNames.includes(keyField)) {
    throw stop('study-sample-key', studyFile, spec.samples.range,
      `The samples statement gives the fields ${f.fieldNames.map((n) => `"${n}"`).join(', ') || '(none)'} but none is the clinical key "${keyField}"; name one field {${keyField}}.`);
  }
  if (candidates.length > 1) {
    diags.push({ code: 'study-level-fields', severity: 'warning', file: studyFile, range: spec.samples!.range,
      message: `Several sample fields besides "${keyField}" (${candidates.join(', ')}); "${candidates[0]}" is used as the level (T@level).` });
  }
  return candidates[0];
}

/**
 * What the checks know: every target on the plates, control wells included (not only those `targets` keeps, so a
 * typo on `targets` is told apart from the name it was meant to be and the did-you-mean ranks them all), clinical
 * columns, levels of every sample field but the key (from the sample wells).
 */
function contextOf(plates: PlatesPart | undefined, names: DistinctNames, clinical: LoadedTable | null, fields: FieldsPart, keyField: string, declared: Pick<StudyInputSpec, 'targets' | 'references'>): StudyContext {
  const ctx: StudyContext = {};
  const { targets } = names;
  const levels = new Map<string, Set<string>>();
  for (const sample of names.sampleWells) {
    const f = fields.sampleFields(sample);
    if (f) for (const [name, v] of Object.entries(f)) if (name !== keyField) {
      let set = levels.get(name);
      if (!set) levels.set(name, (set = new Set()));
      set.add(v);
    }
  }
  if (plates?.unread.length === 0 && targets.size) ctx.targets = [...targets];
  if (plates?.unread.length) {
    ctx.platesUnread = true;
    ctx.declaredTargets = [...new Set([...(declared.targets ?? []), ...declared.references])];
  }
  if (clinical?.columns.length) {
    ctx.clinicalColumns = clinical.columns.map((c): ClinicalColumnInfo => ({ name: c.name, type: c.type, ...(c.levels ? { levels: c.levels } : {}), n: c.n, missing: c.missing }));
  }
  if (levels.size) ctx.levels = Object.fromEntries([...levels].map(([f, v]) => [f, [...v]]));
  return ctx;
}

/**
 * Resolves a study's inputs. Diagnostics about the input files (plate QC is the caller's, in `onPlate`) go to
 * `diags`; the first failure throws `StopRun`. The order is the runner's: plates, clinical table, sample fields.
 */
export async function resolveStudyInputs(spec: StudyInputSpec, studyFile: string, io: StudyIO, diags: EngineDiagnostic[], opts: ResolveOptions = {}): Promise<ResolvedInputs> {
  const base = dirnameOf(studyFile);
  const plates = spec.plates.length ? await resolvePlates(spec, base, studyFile, io, opts) : undefined;
  if (plates?.unread.length) diags.push(...unreadNotes(plates.unread, studyFile, opts.maxPlateBytes ?? 0));

  if (opts.cancelled?.()) throw stop('study-cancelled', studyFile, lineRange(0, 0, 1), 'The run was cancelled.');
  let clinical: LoadedTable | null = null;
  let clinicalPath: string | undefined;
  const cl = spec.clinical;
  if (cl) {
    opts.progress?.(0.32, 'Reading the clinical table');
    await resolveTable(io, base, cl.path, cl.key, studyFile, cl.range, diags, { code: 'study-clinical-errors', name: 'clinical table' }, (t, p) => { clinical = t; clinicalPath = p; });
  }
  const keyField = cl?.key ?? (spec.samples && 'pattern' in spec.samples ? firstPatternField(spec.samples.pattern) : undefined) ?? 'subject';
  const fields = await resolveFields(spec, keyField, base, studyFile, io, diags);
  const names = distinctNames(plates?.plates ?? []);
  const levelField = levelFieldOf(spec, names, fields, keyField, studyFile, diags);
  const context = contextOf(plates, names, clinical, fields, keyField, spec);
  return {
    plates: plates?.plates ?? [], files: plates?.files ?? [], wells: plates?.wells ?? 0, clinical, ...(clinicalPath !== undefined ? { clinicalPath } : {}),
    sampleFields: fields.sampleFields, fieldNames: fields.fieldNames, keyField, ...(levelField !== undefined ? { levelField } : {}), context,
  };
}

/** One note per `plates` statement whose files were too large to read for the live checks. */
function unreadNotes(unread: PlatesPart['unread'], studyFile: string, max: number): EngineDiagnostic[] {
  const byStatement = new Map<string, PlatesPart['unread']>();
  for (const u of unread) {
    const k = JSON.stringify(u.range);
    byStatement.set(k, [...(byStatement.get(k) ?? []), u]);
  }
  return [...byStatement.values()].map((files) => {
    const largest = files.reduce((a, b) => (b.size > a.size ? b : a)), name = relativeToStudy(studyFile)(largest.path);
    const what = files.length === 1 ? `"${name}" (${formatBytes(largest.size)}) is` : `${files.length} plate files (largest "${name}", ${formatBytes(largest.size)}) are`;
    return {
      code: 'study-plates-not-read', severity: 'info' as const, file: studyFile, range: files[0].range,
      message: `${what} over ${formatBytes(max)} and not read while editing: targets and sample levels are checked when the study runs (qPCR: Run Study, or qpcr-studio check).`,
    };
  });
}

function firstPatternField(pattern: string): string | undefined {
  try { return compileSamplePattern(pattern).fields[0]; } catch { return undefined; }
}

/**
 * The subjects of a clinical table (rows with a key, in row order), the row of each (`rowOf`) and the row each one's
 * values come from (`rows`: a repeated key's last row).
 */
export function clinicalSubjects(clinical: LoadedTable, key: string): { subjects: string[]; rowOf: number[]; rows: Int32Array } {
  const subjects: string[] = [];
  const rowOf: number[] = [];
  const kj = columnIndex(clinical, key);
  for (let i = 0; kj >= 0 && i < clinical.lines.length; i++) {
    const k = columnCell(clinical.cells[kj], i);
    if (k === null) continue;
    subjects.push(String(k));
    rowOf.push(i);
  }
  // Each subject's row, found once for all columns: that of its key's last row when a key repeats. Grouped by hash
  // (shared/pairIndex.ts): a map of a million subjects took more than a second.
  const first = firstOfStrings(subjects.length, (j) => subjects[j]);
  const last = new Int32Array(subjects.length); // by a key's first index: its last
  for (let j = 0; j < subjects.length; j++) last[first[j]] = j;
  const rows = new Int32Array(subjects.length);
  for (let j = 0; j < subjects.length; j++) rows[j] = rowOf[last[first[j]]];
  return { subjects, rowOf, rows };
}

/**
 * Clinical column j over the subjects (`rows`: each one's clinical row), as the analysis table has it (categorical
 * levels in natural order).
 */
export function clinicalColumn(clinical: LoadedTable, j: number, rows: Int32Array): Column {
  const c = clinical.columns[j], cells = clinical.cells[j];
  const values = Array.from(rows, (i) => columnCell(cells, i));
  return c.type === 'numeric' ? { type: 'numeric', values: values as (number | null)[] } : { type: 'categorical', values: values as (string | null)[], levels: [...(c.levels ?? [])].sort(naturalCompare) };
}

/**
 * An evaluation scope's columns by name, each made by its maker when an expression first reads it, then kept: a
 * biobank table has many more columns than a study uses.
 */
export function lazyColumns(makers: ReadonlyMap<string, () => Column>): (name: string) => Column | undefined {
  const made = new Map<string, Column>();
  return (name) => {
    let col = made.get(name);
    if (col) return col;
    const make = makers.get(name);
    if (make) made.set(name, (col = make()));
    return col;
  };
}

/**
 * Subjects per cohort, for the cohorts whose definition needs only the clinical table (`cohort lc = cirrhosis ==
 * "yes"`): evaluated over the table's subjects as the runner evaluates them. Cohorts that use qPCR variables, the
 * split or anything unknown are left out (their size is known only in a run).
 */
export function cohortSizesOf(cohorts: readonly { name: string; expr: EvalExpr }[], lets: ReadonlyMap<string, EvalExpr>, clinical: LoadedTable | null, key: string | undefined): Record<string, number> | undefined {
  if (!clinical || key === undefined || cohorts.length === 0) return undefined;
  const { subjects, rows } = clinicalSubjects(clinical, key);
  const makers = new Map(clinical.columns.map((c, j) => [c.name, () => clinicalColumn(clinical, j, rows)] as const));
  const scope: EvalScope = {
    column: lazyColumns(makers),
    lets: new Map(lets),
    names: () => [...makers.keys(), ...lets.keys()],
  };
  const all = subjects.map((_, i) => i);
  const out: Record<string, number> = {};
  for (const c of cohorts) {
    try {
      const v = new Evaluator(scope, all).numeric(c.expr, `cohort ${c.name}`);
      if (!(c.name in out)) out[c.name] = all.filter((i) => v[i] !== null && v[i] !== 0).length;
    } catch { /* needs more than the clinical table */ }
  }
  return Object.keys(out).length ? out : undefined;
}

/** What the editor's live checks keep of a study's inputs (the context, and the clinical table for cohort sizes). */
export interface LiveInputs {
  context: StudyContext;
  /** The resolver's diagnostics, as `check` reports them (the study line that stopped it; the tables' own). */
  diagnostics: EngineDiagnostic[];
  clinical: LoadedTable | null;
  key?: string;
}

/**
 * Resolves a parsed study's inputs for the editor's live checks: the entry point the host calls
 * (src/host/study/studyInputs.ts, and a worker that runs live checks), reading the inputs exactly as `check` and
 * runs do. Never throws for a problem with the inputs: as `check` stops there (without its second, data-aware
 * pass), the context is then empty and the diagnostics say why.
 */
export async function resolveLiveInputs(ast: StudyAst, studyFile: string, io: StudyIO, opts: Pick<ResolveOptions, 'cancelled' | 'maxPlateBytes'> = {}): Promise<LiveInputs> {
  const diagnostics: EngineDiagnostic[] = [];
  const spec = inputSpecFromAst(ast);
  try {
    const r = await resolveStudyInputs(spec, studyFile, io, diagnostics, opts);
    return { context: r.context, diagnostics, clinical: r.clinical, ...(spec.clinical?.key !== undefined ? { key: spec.clinical.key } : {}) };
  } catch (e) {
    if (e instanceof StopRun) return { context: {}, diagnostics: [...diagnostics, ...e.diagnostics], clinical: null };
    throw e;
  }
}

/** The live checks' context: the resolved inputs' context and the sizes of the current AST's clinical-only cohorts. */
export function liveContext(ast: StudyAst, live: LiveInputs): StudyContext {
  const lets = new Map<string, EvalExpr>();
  const cohorts: { name: string; expr: EvalExpr }[] = [];
  for (const s of ast.statements) {
    try {
      if (s.kind === 'let' && !lets.has(s.name.name)) lets.set(s.name.name, toEvalExpr(s.expr));
      else if (s.kind === 'cohort') cohorts.push({ name: s.name.name, expr: toEvalExpr(s.expr) });
    } catch { /* an expression still being typed */ }
  }
  const sizes = cohortSizesOf(cohorts, lets, live.clinical, live.key);
  return sizes ? { ...live.context, cohortSizes: sizes } : live.context;
}
