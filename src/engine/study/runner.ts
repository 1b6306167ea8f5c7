/**
 * The study runner: `.qstudy` text → report.json (docs/study-language.md). Pure TypeScript; file access goes
 * through `StudyIO` so the CLI (node fs) and the extension (workspace.fs) share it.
 *
 * Steps: parse + check (errors stop) → plan → plates (globs relative to the study file, import, QC) → expression
 * → sample fields → pivot to subjects → join the clinical table → cohorts and splits → analyses in order. A failing
 * analysis becomes an ErrorResult with its line; the others still run.
 *
 * Conventions of the runner (beyond the spec): categorical model terms are dummy coded `var[level]` against the
 * first level in natural sort order among the rows used (levels of `cut()` keep their interval order); a model
 * evaluated in another cohort keeps the fitting cohort's aggregates (`median(x)` in a term is the fitting
 * cohort's median) and dummy levels.
 */
import type { EngineDiagnostic, Range } from '../common/diagnostic';
import { lineRange } from '../common/diagnostic';
import { append } from '../../shared/append';
import type { AnalysisResult, ErrorResult, MethodsSummary, QcEntry, Report } from '../../shared/report/types';
import type { ExpressionResult, StandardCurve } from '../expression/types';
import type { Plate } from '../plate/model';
import { cutpointText } from '../../shared/report/kinds/km';
import { expressionSteps } from '../expression/steps';
import { analysisDefinition, type PlanAnalysis, type RunContext } from '../analyses';
import { EvalError, Evaluator } from './eval';
import type { StudyAst } from './ast';
import { checkStudy, type StudyContext } from './check';
import { parseStudy } from './parser';
import { planFromAst } from './runnerAst';
import { loadStudyData, StopRun, type DataProgress, type StudyIO, type SubjectData } from './runnerData';
import { relativeToStudy, studyPrefix } from '../common/studyPaths';
import { cohortSizesOf } from './inputs';
import type { StudyPlan } from './runnerPlan';
import { miqeChecklist } from './miqe';
import { splitCohorts } from './runnerSplit';
import { methodsParagraph } from '../../shared/report/methodsText';
import { plateFormat } from '../plate/formats';
import { analysisTable, type AnalysisTable } from './analysisTable';

export type { StudyIO } from './runnerData';
export { resolvePath, dirnameOf } from './runnerData';

import { ENGINE_VERSION } from '../version';

export { ENGINE_VERSION };

export interface RunOptions {
  onProgress?: (fraction: number, message: string) => void;
  isCancelled?: () => boolean;
  /**
   * Stop after the checks that need the data (`qpcr-studio check`): the plates and the clinical table are loaded
   * and the study is checked against their targets, columns and levels, but no analysis runs; `report` is null.
   */
  checkOnly?: boolean;
  /**
   * Run only the analyses on these lines (0-based, the editor's "Run analysis" CodeLens), plus the labelled model
   * lines they refer to (`nomogram m1` needs `m1: logistic ...`). Unlabelled analyses keep their default names.
   */
  only?: readonly number[];
  /** Return the plates, exclusions and efficiencies with the report (`RunOutcome.data`; the CLI's RDML export). */
  keepData?: boolean;
}

/** The indices of `analyses` to run for `only`: those on the lines and the model lines they name. */
export function selectAnalyses(analyses: readonly PlanAnalysis[], only: readonly number[] | undefined): Set<number> {
  const all = analyses.map((_, k) => k);
  if (!only) return new Set(all);
  const lines = new Set(only);
  const picked = all.filter((k) => lines.has(analyses[k].range.start.line));
  const models = new Set(picked.flatMap((k) => referencedModels(analyses[k])));
  return new Set(all.filter((k) => picked.includes(k) || (analyses[k].label !== undefined && models.has(analyses[k].label as string))));
}

/** The model labels a planned analysis consumes (`model`, or `model1`/`model2` of compare-models). */
function referencedModels(a: PlanAnalysis): string[] {
  return Object.entries(a).filter(([k, v]) => /^model\d*$/.test(k) && typeof v === 'string').map(([, v]) => v as string);
}

export interface RunOutcome {
  report: Report | null;
  diagnostics: EngineDiagnostic[];
  /** With a report and `keepData`: what the report's documents need beyond report.json (RunData). */
  data?: RunData;
}

/**
 * The run's data beyond report.json (`keepData`): the plates read and the expression step's exclusions and
 * efficiencies (RDML export), and the per-subject table the analyses used (R-script export).
 */
export interface RunData {
  plates: Plate[];
  exclusions: ExpressionResult['exclusions'];
  efficiencies: ExpressionResult['efficiencies'];
  table: AnalysisTable;
}

export async function runStudy(studyText: string, studyPath: string, io: StudyIO, opts: RunOptions = {}): Promise<RunOutcome> {
  const diagnostics: EngineDiagnostic[] = [];
  const progress = opts.onProgress ?? (() => undefined);
  progress(0, 'Parsing the study');
  const parsed = parseStudy(studyText, studyPath);
  for (const d of parsed.diagnostics) { if (!d.file) d.file = studyPath; diagnostics.push(d); }
  for (const d of checkStudy(parsed.ast, {})) { if (!d.file) d.file = studyPath; diagnostics.push(d); }
  if (diagnostics.some((d) => d.severity === 'error')) return { report: null, diagnostics };
  const { plan, diagnostics: planDiags } = planFromAst(parsed.ast, studyText, studyPath);
  append(diagnostics, planDiags);
  if (planDiags.some((d) => d.severity === 'error')) return { report: null, diagnostics };
  return runPlan(plan, studyPath, io, opts, diagnostics, parsed.ast);
}

/** Runs an already built plan (tests and the extension may build plans directly). */
export async function runPlan(plan: StudyPlan, studyPath: string, io: StudyIO, opts: RunOptions = {}, diagnostics: EngineDiagnostic[] = [], ast?: StudyAst): Promise<RunOutcome> {
  const progress = opts.onProgress ?? (() => undefined);
  const cancelled = opts.isCancelled ?? (() => false);
  try {
    const data = await loadStudyData(plan, studyPath, io, diagnostics, progress, cancelled);
    if (ast && !checkWithData(ast, plan, data, studyPath, diagnostics)) return { report: null, diagnostics };
    if (opts.checkOnly) return { report: null, diagnostics };
    progress(0.45, 'Cohorts');
    const cohorts = studyCohorts(plan, data, studyPath); // before the context: a split adds its variable to data.scope
    const ctx: RunContext = {
      scope: data.scope, subjects: data.subjects, cohorts, outcomes: new Map(plan.outcomes.map((o) => [o.name, o])), models: new Map(),
      expression: data.expression, levelField: data.levelField, keyField: data.keyField, isCancelled: cancelled, studyFile: studyPath,
    };
    const { results, ranNames } = runAnalyses(plan, ctx, selectAnalyses(plan.analyses, opts.only), studyPath, diagnostics, progress, cancelled);
    progress(1, 'Done');
    const report = studyReport(plan, data, results, studyPath);
    const { exclusions, efficiencies } = data.expression;
    if (!opts.keepData) return { report, diagnostics };
    return { report, diagnostics, data: { plates: data.plates, exclusions, efficiencies, table: analysisTable(plan.analyses, ranNames, ctx) } };
  } catch (e) {
    if (e instanceof StopRun) {
      append(diagnostics, e.diagnostics);
      if (!diagnostics.some((d) => d.severity === 'error')) {
        diagnostics.push({ code: 'study-stopped', severity: 'error', file: studyPath, range: lineRange(0, 0, 1), message: e.message || 'The run stopped.' });
      }
      return { report: null, diagnostics };
    }
    throw e;
  }
}

/**
 * The second check, with the data known (the context the editor's live checks get from the same resolver): unknown
 * columns, targets and levels get their exact ranges. Adds its new findings; false when one is an error.
 */
function checkWithData(ast: StudyAst, plan: StudyPlan, data: SubjectData, studyPath: string, diagnostics: EngineDiagnostic[]): boolean {
  const sizes = cohortSizesOf(plan.cohorts, new Map(plan.lets.map((l) => [l.name, l.expr])), data.clinical, plan.clinical?.key);
  const sctx: StudyContext = sizes ? { ...data.context, cohortSizes: sizes } : data.context;
  const known = new Set(diagnostics.map((d) => `${d.code}|${d.range.start.line}|${d.range.start.character}`));
  const second = checkStudy(ast, sctx).filter((d) => !known.has(`${d.code}|${d.range.start.line}|${d.range.start.character}`));
  // The checker's located error (with its did-you-mean) replaces the expression step's line-wide warning.
  const unknownTargetLines = new Set(second.filter((d) => d.code === 'study-unknown-target').map((d) => d.range.start.line));
  for (let i = diagnostics.length - 1; i >= 0; i--) {
    const d = diagnostics[i];
    if (d.code === 'expr-unknown-target' && d.file === studyPath && unknownTargetLines.has(d.range.start.line)) diagnostics.splice(i, 1);
  }
  for (const d of second) { if (!d.file) d.file = studyPath; diagnostics.push(d); }
  return !second.some((d) => d.severity === 'error');
}

/**
 * The cohorts by name (`all`, the `cohort` statements', the splits' parts), as subject indexes. A split is also the
 * categorical variable `split` (unless the clinical table has such a column): `data.scope` gains it.
 */
function studyCohorts(plan: StudyPlan, data: SubjectData, studyPath: string): Map<string, number[]> {
  const all = data.subjects.map((_, i) => i);
  const cohorts = new Map<string, number[]>([['all', all]]);
  const cohortErr = (e: unknown, range: Range): never => {
    if (e instanceof EvalError) throw new StopRun([{ code: 'study-eval', severity: 'error', file: studyPath, range: e.range ?? range, message: e.message }]);
    throw e;
  };
  for (const c of plan.cohorts) {
    try {
      const v = new Evaluator(data.scope, all).numeric(c.expr, `cohort ${c.name}`);
      cohorts.set(c.name, all.filter((i) => v[i] !== null && v[i] !== 0));
    } catch (e) { cohortErr(e, c.range); }
  }
  for (const s of plan.splits) {
    try {
      const parts = splitCohorts(s, data.scope, all, data.subjects);
      s.names.forEach((nm, k) => cohorts.set(nm, parts[k]));
      if (!data.scope.column('split')) {
        const values: (string | null)[] = all.map(() => null);
        parts.forEach((p, k) => { for (const i of p) values[i] = s.names[k]; });
        const splitCol = { type: 'categorical' as const, values, levels: [...s.names] };
        const base = data.scope;
        data.scope = { ...base, column: (n) => (n === 'split' ? splitCol : base.column(n)), names: () => [...base.names(), 'split'] };
      }
    } catch (e) { cohortErr(e, s.range); }
  }
  return cohorts;
}

/**
 * Runs the selected analyses in order, each named by its label or `kind N` (counted over all, selected or not). A
 * failed analysis is an ErrorResult and a located error; a result's warnings also reach the diagnostics.
 */
function runAnalyses(plan: StudyPlan, ctx: RunContext, selected: Set<number>, studyPath: string, diagnostics: EngineDiagnostic[], progress: DataProgress, cancelled: () => boolean) {
  const results: (AnalysisResult | ErrorResult)[] = [];
  const counters = new Map<string, number>();
  const ranNames: (string | undefined)[] = [];
  for (let k = 0; k < plan.analyses.length; k++) {
    if (cancelled()) throw new StopRun([{ code: 'study-cancelled', severity: 'error', file: studyPath, range: lineRange(0, 0, 1), message: 'The run was cancelled.' }]);
    const a = plan.analyses[k];
    const c = (counters.get(a.kind) ?? 0) + 1;
    counters.set(a.kind, c);
    if (!selected.has(k)) continue;
    const name = a.label ?? `${a.kind} ${c}`;
    ranNames[k] = name;
    progress(0.5 + 0.5 * (k / Math.max(1, plan.analyses.length)), `${name}: ${a.title}`);
    const line = a.range.start.line + 1;
    try {
      const r = analysisDefinition(a.kind).run(a, name, ctx);
      r.line = line;
      r.title = a.title;
      results.push(r);
      // The result's warnings (a constant column, small expected counts, non-convergence ...) also reach the
      // Problems panel and the CLI's stderr, at the analysis line; the numbers stay in the report with them.
      for (const w of r.warnings ?? []) {
        diagnostics.push({ code: 'study-analysis-warning', severity: 'warning', file: studyPath, range: a.range, message: `${name}: ${w}` });
      }
    } catch (e) {
      if (e instanceof StopRun) throw e;
      const msg = e instanceof Error ? e.message : String(e);
      const range = e instanceof EvalError && e.range ? e.range : a.range;
      diagnostics.push({ code: e instanceof EvalError ? 'study-eval' : 'study-analysis-failed', severity: 'error', file: studyPath, range, message: `${name}: ${msg}` });
      results.push({ name, kind: a.kind, cohort: a.cohorts.join(', ') || 'all', n: 0, dropped: 0, error: msg, line });
      if (!(e instanceof Error) || !isExpectedError(e)) diagnostics[diagnostics.length - 1].message += ' (internal error; please report it)';
    }
  }
  return { results, ranNames };
}

/** report.json: methods (with their notes and paragraph), data counts, results, the step table, MIQE. */
function studyReport(plan: StudyPlan, data: SubjectData, results: (AnalysisResult | ErrorResult)[], studyPath: string): Report {
  const methods = tidyMethods(data.expression.methods, data.expression.standardCurves, studyPath);
  const notes = [...(methods.notes ?? []), ...(data.curves?.notes ?? [])];
  if (data.curves) methods.curves = data.curves.section;
  for (const s of plan.splits) notes.push(`split ${s.names.join(' / ')} = ${s.proportions.join(' / ')} with seed ${s.seed}${s.stratify ? ` stratified by ${s.stratify.text ?? ''}` : ''} (PRNG xoshiro128** seeded by splitmix32)`);
  // data-driven cut-points (`km ... by cutpoint(x)`) are named as such in the methods
  for (const r of results) if (r.kind === 'km' && 'cutpoint' in r && r.cutpoint) notes.push(`${r.name}: ${cutpointText(r.cutpoint)}`);
  if (notes.length) methods.notes = notes;
  methods.instruments = plateInstruments(data.plates);
  const report: Report = {
    study: plan.title || studyPath,
    version: 1,
    engine: `qpcr-studio ${ENGINE_VERSION}`,
    generated: new Date().toISOString(),
    methods,
    data: { plates: data.plates.length, wells: data.wells, samples: data.samples, subjects: data.subjects.length, qc: tidyQc(data.qc, studyPath) },
    results,
  };
  methods.paragraph = methodsParagraph(report);
  const steps = expressionSteps(data.expression);
  const rel = relativeToStudy(studyPath);
  for (const r of steps.rows) for (const w of r.replicates) w.file = rel(w.file);
  report.steps = steps;
  if (data.preanalytical) {
    for (const c of data.preanalytical.spikeIns) for (const r of c.rows) r.files = r.files.map(rel);
    report.preanalytical = data.preanalytical;
  }
  report.miqe = miqeChecklist({ report, plates: data.plates, outliers: outlierText(plan.outliers) });
  return report;
}

/** The plate files per format and stated instrument, in order of first appearance (report.json methods.instruments). */
function plateInstruments(plates: readonly Plate[]): NonNullable<MethodsSummary['instruments']> {
  const out: NonNullable<MethodsSummary['instruments']> = [];
  for (const p of plates) {
    const e = out.find((x) => x.format === p.format && x.instrument === p.instrument);
    if (e) e.plates++;
    else out.push({ format: p.format, display: plateFormat(p.format).display, ...(p.instrument ? { instrument: p.instrument } : {}), plates: 1 });
  }
  return out;
}

/** The `outliers` statement in words (MIQE "outlier identification and disposition"). */
function outlierText(o: StudyPlan['outliers']): string {
  if (!o || o.method === 'none') return 'no statistical replicate-outlier test (`outliers none`); wells omitted by the instrument and Cqs above max-cq handled as stated under QC and non-detects';
  return o.method === 'grubbs' ? `two-sided Grubbs test per replicate group, alpha ${o.alpha ?? 0.05}; outliers excluded` : `replicates farther than ${o.distance ?? 0.5} cycles from the others excluded`;
}

function isExpectedError(e: Error): boolean {
  return e.name === 'StatsError' || e.name === 'EvalError' || e.name === 'AnalysisError' || e.name === 'SingularMatrixError';
}

/**
 * The methods summary for report.json: file paths relative to the study's folder (as in the QC list; a report must
 * not carry the machine's absolute paths), and the standard curves' fits when the plates have standards.
 */
export function tidyMethods(m: MethodsSummary, curves: readonly StandardCurve[], studyPath: string): MethodsSummary {
  const prefix = studyPrefix(studyPath);
  const rel = relativeToStudy(studyPath);
  const out: MethodsSummary = {
    ...m,
    efficiencies: m.efficiencies.map((e) => ({ ...e, source: prefix ? e.source.split(prefix).join('') : e.source })),
    exclusions: m.exclusions.map((x) => ({ ...x, file: rel(x.file) })),
  };
  if (curves.length) {
    out.standardCurves = curves.map((c) => ({
      file: rel(c.file), target: c.target, n: c.n, levels: c.levels, slope: c.slope, intercept: c.intercept, r2: c.r2,
      efficiency: c.efficiency, efficiencyPercent: c.efficiencyPercent, efficiencyCi: c.efficiencyCi, lod: c.lod,
    }));
  }
  return out;
}

/**
 * QC entries for report.json: paths relative to the study's folder (a report travels with its study), and one entry
 * per finding (a replicate-group finding is reported on every well of the group in the editor, once in the report).
 */
export function tidyQc(qc: QcEntry[], studyPath: string): QcEntry[] {
  const rel = relativeToStudy(studyPath);
  const seen = new Set<string>();
  const out: QcEntry[] = [];
  for (const q of qc) {
    const file = rel(q.file);
    const key = `${q.code}\u0000${q.message}\u0000${file}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...q, file });
  }
  return out;
}
