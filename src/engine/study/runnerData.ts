/**
 * Data side of the study runner: plates (glob, import, QC), Cq → expression, sample fields, pivot to subjects and
 * the join with the clinical table. Produces the subject table the expressions are evaluated on.
 */
import type { EngineDiagnostic, Range } from '../common/diagnostic';
import { lineRange } from '../common/diagnostic';
import { computeExpression, compileSamplePattern, loadTable, parseNumberCell, pivotSubjects, SamplePatternError } from '../expression';
import type { ExpressionOptions, ExpressionResult, LoadedTable, SubjectTable } from '../expression';
import { importPlate, type ImportOptions } from '../plate';
import { importPlateStream, LARGE_FILE_BYTES } from '../plate/stream';
import type { ImportResult } from '../plate/model';
import type { Plate, QcSettings } from '../plate/model';
import { DEFAULT_QC } from '../plate/model';
import { runQc } from '../qc';
import type { QcEntry } from '../../shared/report/types';
import { EvalError, Evaluator, naturalCompare, type EvalScope, type Value } from './eval';
import type { StudyPlan } from './runnerPlan';

export interface StudyIO {
  /** Reads a file (absolute path or URI string as produced by `glob` / `resolvePath`). */
  readFile(path: string): Promise<Uint8Array>;
  /** Files matching `pattern` (relative to `baseDir`, or absolute), sorted; an empty list when nothing matches. */
  glob(pattern: string, baseDir: string): Promise<string[]>;
  /** Optional guard (the extension restricts reads to the workspace). */
  isAllowed?(path: string): boolean;
  /**
   * Optional, for files over 50 MB: the file's size and its bytes as a stream of chunks. With both, such a plate is
   * imported as a stream (src/engine/plate/stream.ts) instead of being read into one string.
   */
  size?(path: string): Promise<number>;
  readStream?(path: string): AsyncIterable<Uint8Array>;
}

/** Plates larger than this are streamed when the StudyIO can (the size VS Code stops handing text to extensions). */
export { LARGE_FILE_BYTES as STREAM_PLATE_BYTES } from '../plate/stream';

/** Stops the run: the diagnostics say why. */
export class StopRun extends Error {
  constructor(readonly diagnostics: EngineDiagnostic[]) { super(diagnostics.map((d) => d.message).join('; ')); }
}

export function dirnameOf(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i < 0 ? '.' : i === 0 ? p.slice(0, 1) : p.slice(0, i);
}

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

function decodeUtf8(b: Uint8Array): string {
  return new TextDecoder('utf-8').decode(b).replace(/^\uFEFF/, '');
}

function checkAllowed(io: StudyIO, path: string, studyFile: string, range: Range): void {
  if (io.isAllowed && !io.isAllowed(path)) {
    throw new StopRun([{ code: 'study-file-not-allowed', severity: 'error', file: studyFile, range, message: `Reading "${path}" is not allowed (outside the workspace).` }]);
  }
}

/** The plate's import, streamed when the file is large and the IO can stream; `text` only for in-memory imports. */
async function importChecked(io: StudyIO, path: string, studyFile: string, range: Range, opts: ImportOptions): Promise<{ r: ImportResult; text?: string }> {
  if (io.size && io.readStream) {
    checkAllowed(io, path, studyFile, range); // before the size is asked for
    let size: number | undefined;
    try { size = await io.size(path); } catch { size = undefined; }
    if (size !== undefined && size > LARGE_FILE_BYTES) {
      try {
        return { r: await importPlateStream(io.readStream(path), path, opts) };
      } catch (e) {
        throw new StopRun([{ code: 'study-file-unreadable', severity: 'error', file: studyFile, range, message: `Cannot read "${path}": ${(e as Error).message}` }]);
      }
    }
  }
  const bytes = await readChecked(io, path, studyFile, range); // (checks the path itself)
  const r = importPlate(bytes, path, opts);
  return { r, text: r.plate && r.plate.format !== 'rdml' ? decodeUtf8(bytes) : undefined };
}

async function readChecked(io: StudyIO, path: string, studyFile: string, range: Range): Promise<Uint8Array> {
  checkAllowed(io, path, studyFile, range);
  try {
    return await io.readFile(path);
  } catch (e) {
    throw new StopRun([{ code: 'study-file-unreadable', severity: 'error', file: studyFile, range, message: `Cannot read "${path}": ${(e as Error).message}` }]);
  }
}

export interface SubjectData {
  plates: Plate[];
  wells: number;
  expression: ExpressionResult;
  pivot: SubjectTable;
  clinical: LoadedTable | null;
  /** Subject ids (row order of the analysis table). */
  subjects: string[];
  scope: EvalScope;
  qc: QcEntry[];
  /** Number of distinct samples with expression. */
  samples: number;
  keyField: string;
  levelField?: string;
}

export interface DataProgress { (fraction: number, message: string): void }

function qcEntry(d: EngineDiagnostic): QcEntry {
  return { code: d.code, message: d.message, file: d.file ?? '', line: d.range.start.line + 1, severity: d.severity };
}

export async function loadStudyData(plan: StudyPlan, studyFile: string, io: StudyIO, diags: EngineDiagnostic[], progress: DataProgress, cancelled: () => boolean): Promise<SubjectData> {
  const base = dirnameOf(studyFile);
  const qc: QcEntry[] = [];
  const stopIf = () => { if (cancelled()) throw new StopRun([{ code: 'study-cancelled', severity: 'error', file: studyFile, range: lineRange(0, 0, 1), message: 'The run was cancelled.' }]); };

  // 1. Plates.
  if (plan.plates.length === 0) {
    // At the first statement that needs the data (as the checker's study-missing-data), else the first line.
    const range = plan.analyses[0]?.range ?? plan.clinical?.range ?? plan.titleRange ?? lineRange(0, 0, 1);
    throw new StopRun([{ code: 'study-no-plates', severity: 'error', file: studyFile, range, message: 'The study has no `plates` statement.' }]);
  }
  const files: { path: string; st: StudyPlan['plates'][number] }[] = [];
  for (const st of plan.plates) {
    let matched: string[];
    try {
      matched = await io.glob(st.glob, base);
    } catch (e) {
      if (e instanceof StopRun) throw e;
      throw new StopRun([{ code: 'study-file-unreadable', severity: 'error', file: studyFile, range: st.range, message: `Cannot list the files matching "${st.glob}": ${(e as Error).message}` }]);
    }
    if (matched.length === 0) {
      throw new StopRun([{ code: 'study-glob-empty', severity: 'error', file: studyFile, range: st.range, message: `No file matches "${st.glob}" (relative to ${base}).` }]);
    }
    for (const m of matched) if (!files.some((f) => f.path === m)) files.push({ path: m, st });
  }
  const qcSettings: QcSettings = { ...DEFAULT_QC };
  if (plan.qc.maxCq !== undefined) qcSettings.maxCq = plan.qc.maxCq;
  if (plan.qc.replicateSd !== undefined) qcSettings.replicateSd = plan.qc.replicateSd;
  if (plan.qc.ntcMinCq !== undefined) qcSettings.ntcMinCq = plan.qc.ntcMinCq;
  if (plan.qc.minReplicates !== undefined) qcSettings.minReplicates = plan.qc.minReplicates;
  if (plan.references.length) qcSettings.referenceTargets = [...plan.references];

  const plates: Plate[] = [];
  const importErrors: EngineDiagnostic[] = [];
  let wells = 0;
  for (let k = 0; k < files.length; k++) {
    stopIf();
    const { path, st } = files[k];
    progress(0.05 + 0.25 * (k / files.length), `Importing ${path}`);
    const opts: ImportOptions = {};
    if (st.format) opts.format = st.format;
    if (st.target) opts.target = st.target;
    if (plan.qc.minCq !== undefined) opts.minCq = plan.qc.minCq;
    const { r, text } = await importChecked(io, path, studyFile, st.range, opts);
    for (const d of r.diagnostics) { if (!d.file) d.file = path; diags.push(d); qc.push(qcEntry(d)); }
    const errs = r.diagnostics.filter((d) => d.severity === 'error');
    if (!r.plate || errs.length) { importErrors.push(...errs); continue; }
    plates.push(r.plate);
    wells += r.plate.wells.length;
    // Singleplex runs keep the reference on another plate: per-plate "no reference" only where the plate has one.
    const hasRef = r.plate.wells.some((w) => plan.references.includes(w.target));
    const plateQc: QcSettings = hasRef ? qcSettings : { ...qcSettings, referenceTargets: [] };
    for (const d of runQc(r.plate, plateQc, text)) { if (!d.file) d.file = path; diags.push(d); qc.push(qcEntry(d)); }
  }
  if (importErrors.length) {
    // The import diagnostics are already in `diags`; add one pointer at the study line.
    throw new StopRun([{ code: 'study-plate-errors', severity: 'error', file: studyFile, range: files.find((f) => f.path === importErrors[0].file)?.st.range ?? lineRange(0, 0, 1),
      message: `${importErrors.length} import error(s) in ${new Set(importErrors.map((d) => d.file)).size} plate file(s); first: ${importErrors[0].file}:${importErrors[0].range.start.line + 1}:${importErrors[0].range.start.character + 1}: ${importErrors[0].message}` }]);
  }

  // 2. Clinical table.
  stopIf();
  let clinical: LoadedTable | null = null;
  if (plan.clinical) {
    progress(0.32, 'Reading the clinical table');
    const p = resolvePath(base, plan.clinical.path);
    clinical = loadTable(await readChecked(io, p, studyFile, plan.clinical.range), p, { key: plan.clinical.key });
    for (const d of clinical.diagnostics) { if (!d.file) d.file = p; diags.push(d); }
    const errs = clinical.diagnostics.filter((d) => d.severity === 'error');
    if (errs.length) throw new StopRun([{ code: 'study-clinical-errors', severity: 'error', file: studyFile, range: plan.clinical.range, message: `The clinical table has ${errs.length} error(s); first: ${p}:${errs[0].range.start.line + 1}:${errs[0].range.start.character + 1}: ${errs[0].message}` }]);
  }
  const keyField = plan.clinical?.key ?? (plan.samples && 'pattern' in plan.samples ? firstPatternField(plan.samples.pattern) : undefined) ?? 'subject';

  // 3. Sample fields.
  let sampleFields: ((s: string) => Record<string, string> | null) | undefined;
  let fieldNames: string[] = [];
  if (plan.samples && 'pattern' in plan.samples) {
    try {
      const pat = compileSamplePattern(plan.samples.pattern);
      fieldNames = pat.fields;
      sampleFields = (s) => pat.match(s);
    } catch (e) {
      if (e instanceof SamplePatternError) {
        throw new StopRun([{ code: 'study-sample-pattern', severity: 'error', file: studyFile, range: patternColumnRange(plan.samples.range, plan.samples.pattern, e.column), message: e.message }]);
      }
      throw e;
    }
  } else if (plan.samples && 'sheet' in plan.samples) {
    const sheetKey = plan.samples.key;
    const p = resolvePath(base, plan.samples.sheet);
    const sheet = loadTable(await readChecked(io, p, studyFile, plan.samples.range), p, { key: plan.samples.key });
    for (const d of sheet.diagnostics) { if (!d.file) d.file = p; diags.push(d); }
    const errs = sheet.diagnostics.filter((d) => d.severity === 'error');
    if (errs.length) throw new StopRun([{ code: 'study-sheet-errors', severity: 'error', file: studyFile, range: plan.samples.range, message: `The sample sheet has ${errs.length} error(s); first: ${p}:${errs[0].range.start.line + 1}: ${errs[0].message}` }]);
    fieldNames = sheet.columns.map((c) => c.name).filter((n) => n !== sheetKey || n === keyField);
    const byName = new Map<string, Record<string, string>>();
    for (const row of sheet.rows) {
      const k = row[plan.samples.key];
      if (k === null || k === undefined) continue;
      const f: Record<string, string> = Object.create(null) as Record<string, string>; // column names as keys
      for (const [c, v] of Object.entries(row)) if (v !== null && (c !== plan.samples.key || c === keyField)) f[c] = String(v);
      byName.set(String(k), f);
    }
    sampleFields = (s) => byName.get(s.trim()) ?? null;
  } else {
    fieldNames = [keyField];
    sampleFields = (s) => ({ [keyField]: s.trim() });
  }
  // A level field varies within a subject (`{patient}-{timepoint}`: pre/post). Fields constant within every subject
  // (a sample sheet's `group` column, say) describe the subject or the sample, not a level, and stay usable in
  // `calibrator`; they do not multiply the variables into `T@level`.
  const withinSubject = new Map<string, Map<string, Set<string>>>();
  for (const p of plates) for (const w of p.wells) {
    const f = sampleFields(w.sample);
    const key = f?.[keyField];
    if (!f || key === undefined) continue;
    for (const [name, v] of Object.entries(f)) {
      if (name === keyField) continue;
      let byKey = withinSubject.get(name);
      if (!byKey) withinSubject.set(name, (byKey = new Map()));
      let vals = byKey.get(key);
      if (!vals) byKey.set(key, (vals = new Set()));
      vals.add(v);
    }
  }
  const varies = (f: string) => [...(withinSubject.get(f)?.values() ?? [])].some((vals) => vals.size > 1);
  const levelCandidates = fieldNames.filter((f) => f !== keyField && (plan.samples !== undefined && 'pattern' in plan.samples ? true : varies(f)));
  if (plan.samples && !fieldNames.includes(keyField)) {
    throw new StopRun([{ code: 'study-sample-key', severity: 'error', file: studyFile, range: plan.samples.range,
      message: `The samples statement gives the fields ${fieldNames.map((f) => `"${f}"`).join(', ') || '(none)'} but none is the clinical key "${keyField}"; name one field {${keyField}}.` }]);
  }
  const levelField = levelCandidates[0];
  if (levelCandidates.length > 1) {
    diags.push({ code: 'study-level-fields', severity: 'warning', file: studyFile, range: plan.samples!.range,
      message: `Several sample fields besides "${keyField}" (${levelCandidates.join(', ')}); "${levelField}" is used as the level (T@level).` });
  }

  // 4. Expression.
  stopIf();
  progress(0.35, 'Computing expression');
  const eo: ExpressionOptions = {
    references: plan.references,
    qc: qcSettings,
    nondetect: plan.nondetect ? (plan.nondetect.value !== undefined ? { policy: plan.nondetect.policy, value: plan.nondetect.value } : { policy: plan.nondetect.policy }) : { policy: 'exclude' },
    outliers: plan.outliers ? { method: plan.outliers.method, ...(plan.outliers.alpha !== undefined ? { alpha: plan.outliers.alpha } : {}), ...(plan.outliers.distance !== undefined ? { distance: plan.outliers.distance } : {}) } : { method: 'none' },
    sampleFields,
  };
  if (plan.targets) eo.targets = plan.targets;
  if (plan.efficiency) eo.efficiency = plan.efficiency.standards ? 'standards' : plan.efficiency.values;
  if (plan.interrun) eo.interRunCalibrator = plan.interrun.glob;
  if (plan.calibrator) {
    const cal = plan.calibrator;
    // Validate once on an empty row set so an unknown field is an error at the statement, not per sample.
    eo.calibrator = (fields) => {
      const ev = new Evaluator(fieldScope(fields, fieldNames), [0]);
      try {
        const v = ev.numeric(cal.expr, 'The calibrator');
        return v[0] !== null && v[0] !== 0;
      } catch (e) {
        if (e instanceof EvalError) throw new StopRun([{ code: 'study-calibrator', severity: 'error', file: studyFile, range: e.range ?? cal.range, message: `calibrator: ${e.message}` }]);
        throw e;
      }
    };
  }
  const expression = computeExpression(plates, eo);
  for (const d of expression.diagnostics) {
    const moved = studyRangeFor(d.code, plan);
    if (moved) { d.file = studyFile; d.range = moved; }
    if (!d.file) d.file = plates[0]?.file;
    diags.push(d);
    if (d.file !== studyFile) qc.push(qcEntry(d));
  }
  const exprErrors = expression.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'pivot-duplicate');
  if (exprErrors.length) throw new StopRun([]);

  // 5. Pivot to subjects and join with the clinical table.
  const pivot = pivotSubjects(expression.samples, keyField, levelField);
  for (const d of pivot.diagnostics) { if (!d.file) d.file = plates[0]?.file; diags.push(d); qc.push(qcEntry(d)); }
  if (pivot.diagnostics.some((d) => d.severity === 'error')) throw new StopRun([]);
  const samples = new Set(expression.samples.map((s) => s.sample)).size;

  const exprBySubject = new Map(pivot.rows.map((r) => [r.subject, r]));
  let subjects: string[];
  const clinByKey = new Map<string, Record<string, unknown>>();
  if (clinical) {
    const key = plan.clinical!.key;
    subjects = [];
    clinical.rows.forEach((row, i) => {
      const k = row[key];
      if (k === null || k === undefined) return;
      const ks = String(k);
      subjects.push(ks);
      clinByKey.set(ks, row);
      if (!exprBySubject.has(ks)) {
        diags.push({ code: 'study-subject-no-expression', severity: 'warning', file: clinical!.lines.length ? resolvePath(base, plan.clinical!.path) : studyFile, range: lineRange(clinical!.lines[i], 0, 1),
          message: `Subject ${key} = ${ks} has a clinical row but no qPCR samples; its expression variables are missing.` });
      }
    });
    const orphans = pivot.rows.filter((r) => !clinByKey.has(r.subject)).map((r) => r.subject);
    if (orphans.length) {
      diags.push({ code: 'study-subject-no-clinical', severity: 'warning', file: studyFile, range: plan.clinical!.range,
        message: `${orphans.length} subject(s) with qPCR samples have no row in the clinical table and are left out: ${orphans.slice(0, 10).join(', ')}${orphans.length > 10 ? ', ...' : ''}.` });
    }
  } else {
    subjects = pivot.rows.map((r) => r.subject);
  }

  // Columns of the analysis table.
  const cols = new Map<string, { values: Value[]; type: 'numeric' | 'categorical'; levels?: string[] }>();
  for (const v of pivot.variables) cols.set(v, { type: 'numeric', values: subjects.map((s) => exprBySubject.get(s)?.values[v] ?? null) });
  if (clinical) {
    for (const c of clinical.columns) {
      if (cols.has(c.name)) {
        diags.push({ code: 'study-name-clash', severity: 'warning', file: studyFile, range: plan.clinical!.range, message: `Clinical column "${c.name}" has the name of a qPCR variable; the clinical column is used.` });
      }
      const values = subjects.map((s) => (clinByKey.get(s)?.[c.name] ?? null) as Value);
      cols.set(c.name, c.type === "numeric" ? { type: "numeric", values } : { type: "categorical", values, levels: [...(c.levels ?? [])].sort(naturalCompare) });
    }
  } else {
    cols.set(keyField, { type: 'categorical', values: subjects, levels: [...subjects].sort(naturalCompare) });
  }
  const lets = new Map(plan.lets.map((l) => [l.name, l.expr]));
  const scope: EvalScope = {
    column: (n) => cols.get(n),
    lets,
    names: () => [...cols.keys(), ...lets.keys()],
  };
  return { plates, wells, expression, pivot, clinical, subjects, scope, qc, samples, keyField, ...(levelField ? { levelField } : {}) };
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

function firstPatternField(pattern: string): string | undefined {
  try { return compileSamplePattern(pattern).fields[0]; } catch { return undefined; }
}

/** A one-row scope over a sample's fields (numbers where the text is a number). */
function fieldScope(fields: Record<string, string>, names: string[]): EvalScope {
  const all = [...new Set([...names, ...Object.keys(fields)])];
  return {
    column: (n) => {
      if (!Object.hasOwn(fields, n)) return all.includes(n) ? { type: 'categorical', values: [null], levels: [] } : undefined;
      const v = fields[n];
      return v.trim() === v && parseNumberCell(v, '.') !== null ? { type: 'numeric', values: [Number(v)] } : { type: 'categorical', values: [v], levels: [] };
    },
    lets: new Map(),
    names: () => all,
  };
}

/** Pipeline diagnostics that are about a study statement rather than a plate line. */
function studyRangeFor(code: string, plan: StudyPlan): Range | undefined {
  switch (code) {
    case 'expr-unknown-reference': return plan.referenceRange;
    case 'expr-unknown-target': return plan.targetsRange;
    case 'efficiency-invalid': return plan.efficiency?.range;
    case 'nondetect-no-value': return plan.nondetect?.range;
    case 'expr-no-calibrator': return plan.calibrator?.range;
    default: return undefined;
  }
}
