/**
 * Data side of the study runner: plates (glob, import, QC), Cq → expression, sample fields, pivot to subjects and
 * the join with the clinical table. Produces the subject table the expressions are evaluated on.
 */
import type { EngineDiagnostic, Range } from '../common/diagnostic';
import { lineRange } from '../common/diagnostic';
import { computeExpression, parseNumberCell, pivotSubjects } from '../expression';
import { matchStrings } from '../../shared/pairIndex';
import { own } from '../../shared/own';
import type { ExpressionOptions, ExpressionResult, LoadedTable, SubjectTable } from '../expression';
import type { Plate, QcSettings } from '../plate/model';
import { DEFAULT_QC, QC_THRESHOLDS } from '../plate/model';
import { wellSource, type WellSource } from '../plate/wellSource';
import { runQc } from '../qc';
import { runPreanalytical } from '../qc/preanalytical';
import type { PreanalyticalSection } from '../../shared/report/preanalytical';
import type { MethodsSummary, QcEntry } from '../../shared/report/types';
import { EvalError, Evaluator, naturalCompare, type Column, type EvalScope } from './eval';
import type { StudyContext } from './check';
import { clinicalColumn, clinicalSubjects, dirnameOf, lazyColumns, resolvePath, resolveStudyInputs, StopRun, type StudyIO, type StudyInputSpec } from './inputs';
import type { StudyPlan } from './runnerPlan';
import { analysisDefinition } from '../analyses';
import { applyCurveCq, curveAnalyses } from './runnerCurves';

export type { StudyIO } from './inputs';
export { StopRun, dirnameOf, isAbsolutePath, resolvePath, InputTooLargeError } from './inputs';

/** Plates larger than this are streamed when the StudyIO can (the size VS Code stops handing text to extensions). */
export { LARGE_FILE_BYTES as STREAM_PLATE_BYTES } from '../plate/stream';

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
  /** What the checks know about the data (the same context the editor's live checks get). */
  context: StudyContext;
  /** `cq from` / `efficiency from linregpcr`: report.json methods.curves and the methods notes. */
  curves?: { section: NonNullable<MethodsSummary['curves']>; notes: string[] };
  /** `qc hemolysis` / `qc spike-in` results, when the study states either. */
  preanalytical?: PreanalyticalSection;
}

export interface DataProgress { (fraction: number, message: string): void }

function qcEntry(d: EngineDiagnostic): QcEntry {
  return { code: d.code, message: d.message, file: d.file ?? '', line: d.range.start.line + 1, severity: d.severity };
}

export async function loadStudyData(plan: StudyPlan, studyFile: string, io: StudyIO, diags: EngineDiagnostic[], progress: DataProgress, cancelled: () => boolean): Promise<SubjectData> {
  const qc: QcEntry[] = [];
  const stopIf = () => { if (cancelled()) throw new StopRun([{ code: 'study-cancelled', severity: 'error', file: studyFile, range: lineRange(0, 0, 1), message: 'The run was cancelled.' }]); };

  // 1-3. Plates (with QC as each is imported), clinical table, sample fields: the shared resolver (inputs.ts).
  if (plan.plates.length === 0) {
    // At the first statement that needs the data (as the checker's study-missing-data), else the first line.
    const range = plan.analyses[0]?.range ?? plan.clinical?.range ?? plan.titleRange ?? lineRange(0, 0, 1);
    throw new StopRun([{ code: 'study-no-plates', severity: 'error', file: studyFile, range, message: 'The study has no `plates` statement.' }]);
  }
  const qcSettings = qcSettingsOf(plan);
  const inputs = await readInputs(plan, qcSettings, studyFile, io, diags, qc, progress, cancelled);
  const { plates, wells, clinical, keyField, levelField, fieldNames, sampleFields } = inputs;
  const curveStep = curveAnalyses(plan, plates, studyFile, diags);
  const preanalytical = preanalyticalQc(plan, plates, diags, qc);

  // 4. Expression.
  stopIf();
  progress(0.35, 'Computing expression');
  const expression = computeExpression(plates, expressionOptions(plan, qcSettings, sampleFields, fieldNames, curveStep, studyFile));
  takeExpressionDiagnostics(expression, plan, plates, studyFile, diags, qc);

  // 5. Pivot to subjects and join with the clinical table.
  const pivot = pivotSubjects(expression.table, keyField, levelField); // the columns: no row object is made
  for (const d of pivot.diagnostics) { if (!d.file) d.file = plates[0]?.file; diags.push(d); qc.push(qcEntry(d)); }
  if (pivot.diagnostics.some((d) => d.severity === 'error')) throw new StopRun([]);
  const joined = clinical ? joinClinical(plan, clinical, pivot, studyFile, diags) : { subjects: pivot.subjects, pivotOf: Int32Array.from(pivot.subjects, (_, i) => i), clinRows: new Int32Array(0) };
  const scope = analysisScope(plan, pivot, clinical, joined, keyField, studyFile, diags);
  return {
    plates, wells, expression, pivot, clinical, subjects: joined.subjects, scope, qc, samples: expression.sampleCount, keyField, ...(levelField ? { levelField } : {}),
    context: inputs.context, ...(preanalytical ? { preanalytical } : {}), ...(curveStep.section ? { curves: { section: curveStep.section, notes: curveStep.notes } } : {}),
  };
}

/** QC thresholds: the defaults with the study's `qc` and `reference` statements over them. */
function qcSettingsOf(plan: StudyPlan): QcSettings {
  const qcSettings: QcSettings = { ...DEFAULT_QC };
  for (const k of QC_THRESHOLDS) { const v = plan.qc[k]; if (v !== undefined) qcSettings[k] = v; }
  if (plan.references.length) qcSettings.referenceTargets = [...plan.references];
  return qcSettings;
}

/** The plates (QC'd as each is imported: findings into `diags` and `qc`), clinical table and sample fields. */
function readInputs(plan: StudyPlan, qcSettings: QcSettings, studyFile: string, io: StudyIO, diags: EngineDiagnostic[], qc: QcEntry[], progress: DataProgress, cancelled: () => boolean) {
  const spec: StudyInputSpec = {
    plates: plan.plates, references: plan.references, ...(plan.clinical ? { clinical: plan.clinical } : {}), ...(plan.samples ? { samples: plan.samples } : {}),
    ...(plan.targets ? { targets: plan.targets } : {}), ...(plan.qc.minCq !== undefined ? { minCq: plan.qc.minCq } : {}),
  };
  return resolveStudyInputs(spec, studyFile, io, diags, {
    progress, cancelled,
    onPlate: ({ path, result: r, text }) => {
      for (const d of r.diagnostics) {
        if (plan.cq && d.code === 'rdml-no-cq') continue; // moot: `cq from …` calls every Cq from the curves
        diags.push(d); qc.push(qcEntry(d));
      }
      if (!r.plate || r.diagnostics.some((d) => d.severity === 'error')) return;
      applyCurveCq(plan, r.plate, studyFile); // `cq from ...`: the Cqs QC and expression see
      // Singleplex runs keep the reference on another plate: per-plate "no reference" only where the plate has one.
      const hasRef = hasTarget(wellSource(r.plate), plan.references);
      const plateQc: QcSettings = hasRef ? qcSettings : { ...qcSettings, referenceTargets: [] };
      for (const d of runQc(r.plate, plateQc, text)) { if (!d.file) d.file = path; diags.push(d); qc.push(qcEntry(d)); }
    },
  });
}

/** computeExpression's options from the study: references, QC, non-detects, outliers, efficiencies, calibrators. */
function expressionOptions(plan: StudyPlan, qcSettings: QcSettings, sampleFields: ExpressionOptions['sampleFields'], fieldNames: string[], curveStep: ReturnType<typeof curveAnalyses>, studyFile: string): ExpressionOptions {
  const eo: ExpressionOptions = {
    references: plan.references,
    qc: qcSettings,
    nondetect: plan.nondetect ? (plan.nondetect.value !== undefined ? { policy: plan.nondetect.policy, value: plan.nondetect.value } : { policy: plan.nondetect.policy }) : { policy: 'exclude' },
    outliers: plan.outliers ? { method: plan.outliers.method, ...(plan.outliers.alpha !== undefined ? { alpha: plan.outliers.alpha } : {}), ...(plan.outliers.distance !== undefined ? { distance: plan.outliers.distance } : {}) } : { method: 'none' },
    sampleFields,
    steps: true, // the report's step table (report.json `steps`, steps.csv)
    // standard errors and CIs of the relative quantities, for the kinds that read them (foldchange)
    propagate: plan.analyses.some((a) => analysisDefinition(a.kind).needsPropagation === true),
  };
  if (plan.targets) eo.targets = plan.targets;
  if (plan.efficiency) eo.efficiency = plan.efficiency.standards ? 'standards' : plan.efficiency.values;
  if (curveStep.efficiency && !plan.efficiency?.standards) {
    // stated values win over LinRegPCR's for the same target
    eo.efficiency = Object.assign(Object.create(null) as Record<string, number>, curveStep.efficiency.values, plan.efficiency?.values);
    eo.efficiencySources = curveStep.efficiency.sources;
  }
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
  return eo;
}

/**
 * The expression step's findings into `diags` (and the plate ones into `qc`), those about a study statement moved
 * to it; stops the run on an error. An unknown reference is one error: the per-sample "no Cq for reference" warnings
 * that follow from it fold into it.
 */
function takeExpressionDiagnostics(expression: ExpressionResult, plan: StudyPlan, plates: readonly Plate[], studyFile: string, diags: EngineDiagnostic[], qc: QcEntry[]): void {
  const unknownRef = expression.diagnostics.find((d) => d.code === 'expr-unknown-reference');
  const noRef = unknownRef ? expression.diagnostics.filter((d) => d.code === 'expr-no-reference').length : 0;
  if (unknownRef && noRef) unknownRef.message += ` ${noRef} sample/target pair(s) cannot be normalised without it.`;
  for (const d of expression.diagnostics) {
    if (unknownRef && d.code === 'expr-no-reference') continue;
    const moved = studyRangeFor(d.code, plan);
    if (moved) { d.file = studyFile; d.range = moved; }
    if (!d.file) d.file = plates[0]?.file;
    diags.push(d);
    if (d.file !== studyFile) qc.push(qcEntry(d));
  }
  const exprErrors = expression.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'pivot-duplicate');
  if (exprErrors.length) throw new StopRun([]);
}

/** The subjects (the clinical table's, in its order), each one's subject in the pivot (-1: none) and clinical row. */
interface Joined { subjects: string[]; pivotOf: Int32Array; clinRows: Int32Array }

/** The clinical subjects matched with the pivot's; warns of subjects on one side only. */
function joinClinical(plan: StudyPlan, clinical: LoadedTable, pivot: SubjectTable, studyFile: string, diags: EngineDiagnostic[]): Joined {
  const key = plan.clinical!.key;
  const cs = clinicalSubjects(clinical, key);
  const subjects = cs.subjects;
  // The clinical subjects and the pivot's matched once, by one grouping of both (no map of a million subjects).
  const { inA: clinOf, inB: pivotOf } = matchStrings(subjects, pivot.subjects);
  const file = clinical.lines.length ? resolvePath(dirnameOf(studyFile), plan.clinical!.path) : studyFile;
  subjects.forEach((ks, j) => {
    if (pivotOf[j] < 0) {
      diags.push({ code: 'study-subject-no-expression', severity: 'warning', file, range: lineRange(clinical.lines[cs.rowOf[j]], 0, 1),
        message: `Subject ${key} = ${ks} has a clinical row but no qPCR samples; its expression variables are missing.` });
    }
  });
  const orphans = pivot.subjects.filter((_, i) => clinOf[i] < 0);
  if (orphans.length) {
    diags.push({ code: 'study-subject-no-clinical', severity: 'warning', file: studyFile, range: plan.clinical!.range,
      message: `${orphans.length} subject(s) with qPCR samples have no row in the clinical table and are left out: ${orphans.slice(0, 10).join(', ')}${orphans.length > 10 ? ', ...' : ''}.` });
  }
  return { subjects, pivotOf, clinRows: cs.rows };
}

/**
 * The analysis table's columns (expression variables, then the clinical columns over them) and the `let`s. A column is
 * made over the subjects when an expression first reads it: a biobank table has many more columns than a study uses.
 */
function analysisScope(plan: StudyPlan, pivot: SubjectTable, clinical: LoadedTable | null, joined: Joined, keyField: string, studyFile: string, diags: EngineDiagnostic[]): EvalScope {
  const { subjects, pivotOf, clinRows } = joined;
  const makers = new Map<string, () => Column>(); // each column over the subjects, made on first read (lazyColumns)
  pivot.variables.forEach((v, j) => {
    const x = pivot.columns[j];
    makers.set(v, () => ({ type: 'numeric', values: Array.from(pivotOf, (p) => (p < 0 || Number.isNaN(x[p]) ? null : x[p])) }));
  });
  if (clinical) {
    clinical.columns.forEach((c, j) => {
      if (makers.has(c.name)) {
        diags.push({ code: 'study-name-clash', severity: 'warning', file: studyFile, range: plan.clinical!.range, message: `Clinical column "${c.name}" has the name of a qPCR variable; the clinical column is used.` });
      }
      makers.set(c.name, () => clinicalColumn(clinical, j, clinRows));
    });
  } else {
    makers.set(keyField, () => ({ type: 'categorical', values: subjects, levels: [...subjects].sort(naturalCompare) }));
  }
  const lets = new Map(plan.lets.map((l) => [l.name, l.expr]));
  return {
    column: lazyColumns(makers),
    lets,
    names: () => [...makers.keys(), ...lets.keys()],
  };
}

/** `qc hemolysis` / `qc spike-in` over all plates (src/engine/qc/preanalytical); findings join the plates' QC. */
function preanalyticalQc(plan: StudyPlan, plates: readonly Plate[], diags: EngineDiagnostic[], qc: QcEntry[]): PreanalyticalSection | undefined {
  const hemolysis = (plan.qc.hemolysis ?? []).map((h) => ({ high: h.high, low: h.low, op: h.op, threshold: h.threshold, line: h.range.start.line + 1 }));
  const spikeIns = (plan.qc.spikeIns ?? []).map((s) => ({ target: s.target, limit: s.z, line: s.range.start.line + 1 }));
  if (!hemolysis.length && !spikeIns.length) return undefined;
  const r = runPreanalytical(plates, { hemolysis, spikeIns });
  for (const d of r.diagnostics) { diags.push(d); qc.push(qcEntry(d)); }
  return r.section;
}

/** A one-row scope over a sample's fields (numbers where the text is a number). */
function fieldScope(fields: Record<string, string>, names: string[]): EvalScope {
  const all = [...new Set([...names, ...Object.keys(fields)])];
  return {
    column: (n) => {
      const v = own(fields, n);
      if (v === undefined) return all.includes(n) ? { type: 'categorical', values: [null], levels: [] } : undefined;
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

/** Whether a well has one of `targets` (targets come in runs of wells: one list search per run). */
function hasTarget(wells: WellSource, targets: readonly string[]): boolean {
  let last: string | undefined;
  for (let i = 0; i < wells.length; i++) {
    const t = wells.at(i).target;
    if (t !== last && targets.includes(t)) return true;
    last = t;
  }
  return false;
}
