/**
 * Analyses of a study → report.json results (src/engine/report/types.ts). Each builder evaluates its expressions
 * over the cohort's subject rows, drops incomplete rows (counted in `dropped`) and calls src/engine/stats.
 * Errors are thrown (StatsError, EvalError, AnalysisError); the runner turns them into ErrorResults.
 */
import type { Range } from '../common/diagnostic';
import { stabilityAnalysis } from '../expression';
import type { ExpressionResult } from '../expression';
import { calibrateExternal, calibrateLogistic, toCalibrateEvaluation } from '../stats/calibrate';
import { pearson, spearman } from '../stats/correlation';
import { decisionCurve, defaultDcaThresholds, toDcaEvaluation } from '../stats/dca';
import { describeTable, type Cell, type DescribeOptions, type DescribeVariable } from '../stats/descriptive';
import { hosmerLemeshow, toHosmerLemeshowEvaluation } from '../stats/hosmer';
import { logisticRegression, predictLogistic, toLogisticTerms, type LogisticModel } from '../stats/logistic';
import { nomogram, toNomogramFields, type NomogramRange } from '../stats/nomogram';
import { cIndexBinary, roc, toRocEvaluation } from '../stats/roc';
import { kruskalWallis, mannWhitney, oneWayAnova, pairedT, tTest, wilcoxonSignedRank, type TestResult } from '../stats/tests';
import { EvalError, Evaluator, exprText, type Column, type EvalExpr, type EvalScope } from '../study/eval';
import type { OptionValue, PlanAnalysis, PlanOutcome } from '../study/runnerPlan';
import { buildCox, buildKm } from './buildSurvival';
import type {
  AnalysisResult, CompareResult, CorrelateResult, CorrelateRow, DescribeResult, DescribeRow, LogisticResult, NomogramResult,
  RocEvaluation, RocResult, CalibrateResult, HosmerLemeshowResult, DcaResult, StabilityResult,
} from '../../shared/report/types';

export class AnalysisError extends Error {
  constructor(message: string, readonly range?: Range) { super(message); this.name = 'AnalysisError'; }
}

/** A fitted model other analyses refer to by label. */
export interface FittedLogistic {
  kind: 'logistic';
  name: string;
  cohort: string;
  /** All rows of the fitting cohort (aggregates are taken over them when the model is evaluated elsewhere). */
  cohortRows: number[];
  outcome: EvalExpr;
  terms: DesignTerm[];
  model: LogisticModel;
  /** Design of the complete rows (no intercept column), their outcome and subject rows. */
  X: number[][];
  y: number[];
  rows: number[];
  ci: 'wald' | 'profile';
}
export interface FittedCox { kind: 'cox'; name: string; cohort: string }
export type FittedModel = FittedLogistic | FittedCox;

export interface RunContext {
  scope: EvalScope;
  subjects: string[];
  cohorts: Map<string, number[]>;
  outcomes: Map<string, PlanOutcome>;
  models: Map<string, FittedModel>;
  expression: ExpressionResult;
  levelField?: string;
  keyField?: string;
  isCancelled: () => boolean;
  studyFile: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

export function cohortRows(a: PlanAnalysis, ctx: RunContext): { name: string; rows: number[] }[] {
  if (a.cohorts.length === 0) return [{ name: 'all', rows: ctx.cohorts.get('all')! }];
  return a.cohorts.map((c, k) => {
    const rows = ctx.cohorts.get(c);
    if (!rows) throw new EvalError(`Unknown cohort "${c}" (cohorts: ${[...ctx.cohorts.keys()].join(', ')}).`, a.cohortRanges?.[k] ?? a.range);
    return { name: c, rows };
  });
}

/** The single cohort of an analysis that takes one. */
export function singleCohort(a: PlanAnalysis, ctx: RunContext): { name: string; rows: number[] } {
  const cs = cohortRows(a, ctx);
  if (cs.length > 1) throw new AnalysisError(`${a.kind} takes one cohort (got ${cs.map((c) => c.name).join(', ')}).`, a.range);
  return cs[0];
}

export function optNum(a: PlanAnalysis, name: string, def: number): number {
  const v = a.options[name];
  if (v === undefined) return def;
  if (typeof v !== 'number') throw new AnalysisError(`Option "${name}" needs a number.`, a.optionRanges?.[name] ?? a.range);
  return v;
}

export function optStr(a: PlanAnalysis, name: string, allowed: string[], def: string): string {
  const v = a.options[name];
  if (v === undefined) return def;
  const s = String(v).toLowerCase();
  if (!allowed.includes(s)) throw new AnalysisError(`Option "${name}": "${String(v)}" is not one of ${allowed.join(', ')}.`, a.optionRanges?.[name] ?? a.range);
  return s;
}

export function optList(a: PlanAnalysis, name: string): number[] | undefined {
  const v: OptionValue | undefined = a.options[name];
  if (v === undefined) return undefined;
  const arr = Array.isArray(v) ? v : [v];
  return arr.map((x) => {
    if (typeof x !== 'number') throw new AnalysisError(`Option "${name}" needs numbers.`, a.optionRanges?.[name] ?? a.range);
    return x;
  });
}

/** Indices (into `rows`) where every column is present. */
export function completeIdx(cols: { values: unknown[] }[], n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (cols.every((c) => c.values[i] !== null && c.values[i] !== undefined)) out.push(i);
  return out;
}

/** A 0/1 outcome from a numeric expression; a two-level text outcome is an error that says how to write it. */
export function binaryValues(c: Column, e: EvalExpr): (number | null)[] {
  if (c.type !== 'numeric') {
    const lv = c.levels ?? [];
    throw new EvalError(`The outcome "${exprText(e)}" is categorical (${lv.map((l) => JSON.stringify(l)).join(', ')}); write it as a comparison, e.g. ${exprText(e)} == ${JSON.stringify(lv[lv.length - 1] ?? 'yes')}.`, e.range);
  }
  for (const v of c.values) if (v !== null && v !== 0 && v !== 1) throw new EvalError(`The outcome "${exprText(e)}" must be 0/1 (found ${String(v)}).`, e.range);
  return c.values as (number | null)[];
}

/** One model term: a numeric column, or a factor expanded to dummy columns `text[level]`. */
export interface DesignTerm {
  text: string;
  expr: EvalExpr;
  type: 'numeric' | 'factor';
  /** Factor levels present in the fit (first = reference). */
  levels?: string[];
  columns: string[];
  /** 0/1 numeric term (shown as 0/1 on a nomogram). */
  binary?: boolean;
}

export function termColumns(terms: EvalExpr[], ev: Evaluator): Column[] {
  return terms.map((t) => ev.eval(t));
}

/** Fixes the design (levels, column names) from the complete rows of a fit. */
export function designTerms(terms: EvalExpr[], cols: Column[], idx: number[]): DesignTerm[] {
  const seen = new Set<string>();
  return terms.map((t, k) => {
    const c = cols[k];
    const text = exprText(t);
    if (seen.has(text)) throw new EvalError(`The term "${text}" appears twice.`, t.range);
    seen.add(text);
    if (c.type === 'numeric') {
      const binary = idx.every((i) => c.values[i] === 0 || c.values[i] === 1);
      return { text, expr: t, type: 'numeric', columns: [text], binary };
    }
    const present = new Set(idx.map((i) => c.values[i] as string));
    const levels = (c.levels ?? []).filter((l) => present.has(l));
    for (const l of present) if (!levels.includes(l)) levels.push(l);
    if (levels.length < 2) throw new EvalError(`The term "${text}" has a single level (${levels.map((l) => JSON.stringify(l)).join('')}) in the rows used.`, t.range);
    return { text, expr: t, type: 'factor', levels, columns: levels.slice(1).map((l) => `${text}[${l}]`) };
  });
}

/** Design rows (no intercept) for the complete rows `idx`; rows with a factor level unknown to the design are skipped. */
export function designMatrix(terms: DesignTerm[], cols: Column[], idx: number[]): { X: number[][]; kept: number[]; unknownLevel: number } {
  const X: number[][] = [];
  const kept: number[] = [];
  let unknownLevel = 0;
  outer: for (const i of idx) {
    const row: number[] = [];
    for (let k = 0; k < terms.length; k++) {
      const t = terms[k];
      const v = cols[k].values[i];
      if (t.type === 'numeric') row.push(v as number);
      else {
        if (!t.levels!.includes(v as string)) { unknownLevel++; continue outer; }
        for (const l of t.levels!.slice(1)) row.push(v === l ? 1 : 0);
      }
    }
    X.push(row);
    kept.push(i);
  }
  return { X, kept, unknownLevel };
}

function fin(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : x;
}

// ---------------------------------------------------------------------------------------------------------------
// Dispatch

export function buildAnalysis(a: PlanAnalysis, name: string, ctx: RunContext): AnalysisResult {
  switch (a.kind) {
    case 'describe': return buildDescribe(a, name, ctx);
    case 'compare': return buildCompare(a, name, ctx);
    case 'correlate': return buildCorrelate(a, name, ctx);
    case 'km': return buildKm(a, name, ctx);
    case 'cox': return buildCox(a, name, ctx);
    case 'logistic': return buildLogistic(a, name, ctx);
    case 'nomogram': return buildNomogram(a, name, ctx);
    case 'roc': return buildRoc(a, name, ctx);
    case 'calibrate': case 'hosmer-lemeshow': case 'dca': return buildModelCheck(a, name, ctx);
    case 'stability': return buildStability(a, name, ctx);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// describe

function groupLevels(c: Column, idx: number[]): string[] {
  const present = new Set(idx.map((i) => String(c.values[i])));
  if (c.type === 'categorical') return (c.levels ?? []).filter((l) => present.has(l));
  return [...present].sort((x, y) => Number(x) - Number(y));
}

function buildDescribe(a: Extract<PlanAnalysis, { kind: 'describe' }>, name: string, ctx: RunContext): DescribeResult {
  const { name: cohort, rows } = singleCohort(a, ctx);
  const ev = new Evaluator(ctx.scope, rows);
  // `test` names the numeric test (student / anova = Student t or classical ANOVA; welch; mann-whitney / kruskal =
  // rank tests, rows as median (IQR)) or the categorical one (chisq, chisq-yates, fisher); `categorical` sets the
  // latter when `test` names a numeric test; `summary median` shows medians (with rank tests).
  const CATEGORICAL = ['chisq', 'chisq-yates', 'fisher'];
  const test = optStr(a, 'test', ['student', 'anova', 'welch', 'mann-whitney', 'kruskal', ...CATEGORICAL], 'student');
  const numericTest: 'student' | 'welch' | 'rank' = test === 'welch' ? 'welch' : test === 'mann-whitney' || test === 'kruskal' ? 'rank' : 'student';
  const categoricalTest = (CATEGORICAL.includes(test) ? test : optStr(a, 'categorical', CATEGORICAL, 'chisq')) as 'chisq' | 'chisq-yates' | 'fisher';
  const summary = optStr(a, 'summary', ['mean', 'median'], numericTest === 'rank' ? 'median' : 'mean') as 'mean' | 'median';
  const digits = a.options['digits'];
  const table: Record<string, Cell>[] = rows.map(() => Object.create(null) as Record<string, Cell>); // names as keys: no prototype
  const specs: DescribeVariable[] = [];
  const seen = new Set<string>();
  for (const v of a.variables) {
    const c = ev.eval(v);
    const key = exprText(v);
    if (seen.has(key)) continue;
    seen.add(key);
    c.values.forEach((x, i) => { table[i][key] = x; });
    const spec: DescribeVariable = { name: key, summary };
    if (c.type === 'categorical') { spec.type = 'categorical'; spec.levels = c.levels ?? []; }
    else if (c.logical) spec.type = 'categorical';
    specs.push(spec);
  }
  let by: string | null = null;
  const opts: DescribeOptions = { numericTest, categoricalTest };
  // `digits N`: the decimals shown in the summaries (mean, SD, median, quartiles).
  if (digits !== undefined) opts.decimals = Number(digits);
  if (a.by) {
    const g = ev.eval(a.by);
    by = exprText(a.by);
    if (seen.has(by)) by = `${by} (group)`;
    g.values.forEach((x, i) => { table[i][by!] = x; });
    if (g.type === 'categorical') opts.groupLevels = (g.levels ?? []).filter((l) => g.values.includes(l));
  }
  const t = describeTable(table, specs, by, opts);
  const out: DescribeRow[] = t.rows.map((r) => {
    const row: DescribeRow = { variable: r.variable, type: r.type, overall: r.overall, groups: r.groups, test: r.test, statistic: fin(r.statistic), p: fin(r.p) };
    if (r.levels) row.levels = r.levels;
    return row;
  });
  // Row warnings from describeTable already name their variable (e.g. "sex: 1 of 4 expected counts ...").
  const warnings = [...t.warnings, ...t.rows.flatMap((r) => r.warnings.map((w) => (w.startsWith(`${r.variable}: `) ? w : `${r.variable}: ${w}`)))];
  const res: DescribeResult = { name, kind: 'describe', cohort, n: t.n, dropped: t.dropped, by: a.by ? exprText(a.by) : null, groupLevels: t.groupLevels, rows: out };
  if (warnings.length) res.warnings = warnings;
  return res;
}

// ---------------------------------------------------------------------------------------------------------------
// compare

function buildCompare(a: Extract<PlanAnalysis, { kind: 'compare' }>, name: string, ctx: RunContext): CompareResult {
  const { name: cohort, rows } = singleCohort(a, ctx);
  const ev = new Evaluator(ctx.scope, rows);
  const n0 = rows.length;
  const fill = (t: TestResult) => ({ test: t.test, statistic: fin(t.statistic), df: Array.isArray(t.df) ? [fin(t.df[0]), fin(t.df[1])] as [number | null, number | null] : fin(t.df), p: fin(t.p), estimate: fin(t.estimate), ci: t.ci ? [fin(t.ci[0]), fin(t.ci[1])] as [number | null, number | null] : null });
  if (a.form === 'paired') {
    const xa = ev.numeric(a.a), xb = ev.numeric(a.b);
    if (a.paired) {
      const idx = completeIdx([{ values: xa }, { values: xb }], n0);
      const va = idx.map((i) => xa[i] as number), vb = idx.map((i) => xb[i] as number);
      const test = optStr(a, 'test', ['t', 'paired-t', 'wilcoxon'], 't');
      const t = test === 'wilcoxon' ? wilcoxonSignedRank(va, vb) : pairedT(va, vb);
      const res: CompareResult = {
        name, kind: 'compare', cohort, n: idx.length, dropped: n0 - idx.length, ...fill(t), variable: `${exprText(a.a)} vs ${exprText(a.b)}`,
        groups: [{ label: exprText(a.a), values: va }, { label: exprText(a.b), values: vb }],
        pairs: idx.map((i, k) => ({ id: ctx.subjects[rows[i]], a: va[k], b: vb[k] })),
      };
      if (t.warnings.length) res.warnings = t.warnings;
      return res;
    }
    const va = xa.filter((x): x is number => x !== null), vb = xb.filter((x): x is number => x !== null);
    const test = optStr(a, 'test', ['t', 'student', 'welch', 'mann-whitney'], 't');
    const t = test === 'mann-whitney' ? mannWhitney(va, vb) : tTest(va, vb, { welch: test === 'welch' });
    const res: CompareResult = {
      name, kind: 'compare', cohort, n: va.length + vb.length, dropped: 2 * n0 - va.length - vb.length, ...fill(t), variable: `${exprText(a.a)} vs ${exprText(a.b)}`,
      groups: [{ label: exprText(a.a), values: va }, { label: exprText(a.b), values: vb }],
    };
    if (t.warnings.length) res.warnings = t.warnings;
    return res;
  }
  const y = ev.numeric(a.y);
  const g = ev.eval(a.by);
  const idx = completeIdx([{ values: y }, g], n0);
  const levels = groupLevels(g, idx);
  if (levels.length < 2) throw new AnalysisError(`"${exprText(a.by)}" has ${levels.length} group(s) among the ${idx.length} complete rows; at least 2 are needed.`, a.by.range);
  const groups = levels.map((l) => ({ label: l, values: idx.filter((i) => String(g.values[i]) === l).map((i) => y[i] as number) }));
  let t: TestResult;
  if (levels.length === 2) {
    const test = optStr(a, 'test', ['t', 'student', 'welch', 'mann-whitney'], 't');
    t = test === 'mann-whitney' ? mannWhitney(groups[0].values, groups[1].values) : tTest(groups[0].values, groups[1].values, { welch: test === 'welch' });
  } else {
    const test = optStr(a, 'test', ['anova', 'welch', 'kruskal'], 'anova');
    t = test === 'kruskal' ? kruskalWallis(groups.map((x) => x.values)) : oneWayAnova(groups.map((x) => x.values), { varEqual: test !== 'welch' });
  }
  const res: CompareResult = { name, kind: 'compare', cohort, n: idx.length, dropped: n0 - idx.length, ...fill(t), variable: exprText(a.y), groups };
  if (t.warnings.length) res.warnings = t.warnings;
  return res;
}

// ---------------------------------------------------------------------------------------------------------------
// correlate

function buildCorrelate(a: Extract<PlanAnalysis, { kind: 'correlate' }>, name: string, ctx: RunContext): CorrelateResult {
  const { name: cohort, rows } = singleCohort(a, ctx);
  const ev = new Evaluator(ctx.scope, rows);
  const method = optStr(a, 'method', ['pearson', 'spearman'], 'pearson') as 'pearson' | 'spearman';
  const x = ev.numeric(a.x);
  const out: CorrelateRow[] = [];
  const points: Record<string, { x: number; y: number; id?: string }[]> = {};
  const warnings: string[] = [];
  let maxN = 0;
  for (const ye of a.ys) {
    const y = ev.numeric(ye);
    const idx = completeIdx([{ values: x }, { values: y }], rows.length);
    const xs = idx.map((i) => x[i] as number), ys = idx.map((i) => y[i] as number);
    const variable = exprText(ye);
    maxN = Math.max(maxN, idx.length);
    points[variable] = idx.map((i, k) => ({ x: xs[k], y: ys[k], id: ctx.subjects[rows[i]] }));
    try {
      const r = method === 'pearson' ? pearson(xs, ys) : spearman(xs, ys, { fisherCi: true });
      out.push({ variable, method, r: fin(r.r), n: r.n, ci: r.ci ? [fin(r.ci[0]), fin(r.ci[1])] : null, p: fin(r.p), statistic: fin(r.statistic), df: r.df });
      warnings.push(...r.warnings.map((w) => `${variable}: ${w}`));
    } catch (e) {
      out.push({ variable, method, r: null, n: idx.length, ci: null, p: null });
      warnings.push(`${variable}: ${(e as Error).message}`);
    }
  }
  const res: CorrelateResult = { name, kind: 'correlate', cohort, n: maxN, dropped: rows.length - maxN, x: exprText(a.x), rows: out, points };
  if (warnings.length) res.warnings = warnings;
  return res;
}

// ---------------------------------------------------------------------------------------------------------------
// logistic and the analyses of a fitted model

function buildLogistic(a: Extract<PlanAnalysis, { kind: 'logistic' }>, name: string, ctx: RunContext): LogisticResult {
  const { name: cohort, rows } = singleCohort(a, ctx);
  const ev = new Evaluator(ctx.scope, rows);
  const ci = optStr(a, 'ci', ['wald', 'profile'], 'wald') as 'wald' | 'profile';
  const yCol = binaryValues(ev.eval(a.outcome), a.outcome);
  const cols = termColumns(a.terms, ev);
  const idx = completeIdx([{ values: yCol }, ...cols], rows.length);
  const terms = designTerms(a.terms, cols, idx);
  const { X, kept } = designMatrix(terms, cols, idx);
  const y = kept.map((i) => yCol[i] as number);
  const names = terms.flatMap((t) => t.columns);
  const model = logisticRegression(y, X, names, { ci });
  ctx.models.set(name, { kind: 'logistic', name, cohort, cohortRows: rows, outcome: a.outcome, terms, model, X, y, rows: kept.map((i) => rows[i]), ci });
  const res: LogisticResult = {
    name, kind: 'logistic', cohort, n: model.n, dropped: rows.length - kept.length, events: model.events, terms: toLogisticTerms(model),
    aic: fin(model.aic), r2Nagelkerke: fin(model.r2Nagelkerke), ci, outcome: exprText(a.outcome), deviance: fin(model.deviance),
    nullDeviance: fin(model.nullDeviance), cIndex: fin(cIndexBinary(y, model.fitted)),
  };
  return res;
}

export function logisticModel(a: PlanAnalysis & { model: string; modelRange?: Range }, ctx: RunContext): FittedLogistic {
  const m = ctx.models.get(a.model);
  if (!m) {
    const known = [...ctx.models.keys()];
    throw new EvalError(`No fitted model "${a.model}" before this line (label a logistic model, e.g. "${a.model}: logistic y ~ x"${known.length ? `; models: ${known.join(', ')}` : ''}).`, a.modelRange ?? a.range);
  }
  if (m.kind !== 'logistic') throw new EvalError(`"${a.model}" is a ${m.kind} model; ${a.kind} needs a logistic model.`, a.modelRange ?? a.range);
  return m;
}

/** Outcome and predicted risk of a fitted logistic model in a cohort (the fit's own rows when it is the fit cohort). */
export function evaluateModel(m: FittedLogistic, cohort: string, rows: number[], ctx: RunContext): { y: number[]; p: number[]; n: number; dropped: number; warnings: string[] } {
  if (cohort === m.cohort) return { y: m.y, p: m.model.fitted, n: m.y.length, dropped: rows.length - m.y.length, warnings: [] };
  const ev = new Evaluator(ctx.scope, rows, m.cohortRows);
  const yCol = binaryValues(ev.eval(m.outcome), m.outcome);
  const cols = m.terms.map((t) => ev.eval(t.expr));
  const warnings: string[] = [];
  cols.forEach((c, k) => {
    const t = m.terms[k];
    if ((c.type === 'numeric') !== (t.type === 'numeric')) throw new EvalError(`The term "${t.text}" is ${c.type} in cohort ${cohort} but was ${t.type} in the fit.`, t.expr.range);
  });
  const idx = completeIdx([{ values: yCol }, ...cols], rows.length);
  const { X, kept, unknownLevel } = designMatrix(m.terms, cols, idx);
  if (unknownLevel) warnings.push(`${unknownLevel} row(s) of cohort ${cohort} have a factor level not seen when fitting ${m.name} and were dropped.`);
  const y = kept.map((i) => yCol[i] as number);
  const p = predictLogistic(m.model, X);
  return { y, p, n: y.length, dropped: rows.length - y.length, warnings };
}

function buildNomogram(a: Extract<PlanAnalysis, { kind: 'nomogram' }>, name: string, ctx: RunContext): NomogramResult {
  const m = logisticModel(a, ctx);
  const ranges: NomogramRange[] = m.terms.map((t) => {
    if (t.type === 'factor') {
      return { term: t.text, levels: t.levels!.map((l) => ({ label: l, x: Object.fromEntries(t.levels!.slice(1).map((l2, j) => [t.columns[j], l === l2 ? 1 : 0])) })) };
    }
    const j = m.model.names.indexOf(t.columns[0]) - 1;
    if (t.binary) return { term: t.text, discrete: [0, 1] };
    let lo = Infinity, hi = -Infinity;
    for (const r of m.X) { lo = Math.min(lo, r[j]); hi = Math.max(hi, r[j]); }
    return { term: t.text, min: lo, max: hi };
  });
  const nom = nomogram({ coef: m.model.coef, names: m.model.names, linearPredictor: m.model.linearPredictor }, ranges);
  return { name, kind: 'nomogram', cohort: m.cohort, n: m.y.length, dropped: m.cohortRows.length - m.y.length, model: m.name, ...toNomogramFields(nom) };
}

function buildRoc(a: Extract<PlanAnalysis, { kind: 'roc' }>, name: string, ctx: RunContext): RocResult {
  const evaluations: RocEvaluation[] = [];
  const warnings: string[] = [];
  let n = 0, dropped = 0;
  if ('model' in a) {
    const m = logisticModel(a, ctx);
    const cohorts = a.cohorts.length ? cohortRows(a, ctx) : [{ name: m.cohort, rows: m.cohortRows }];
    for (const c of cohorts) {
      const e = evaluateModel(m, c.name, c.rows, ctx);
      warnings.push(...e.warnings);
      evaluations.push(toRocEvaluation(roc(e.y, e.p, { direction: '<' }), c.name));
      n += e.n; dropped += e.dropped;
    }
    const res: RocResult = { name, kind: 'roc', cohort: cohorts.map((c) => c.name).join(', '), n, dropped, model: m.name, outcome: exprText(m.outcome), evaluations };
    if (warnings.length) res.warnings = warnings;
    return res;
  }
  const cohorts = cohortRows(a, ctx);
  for (const c of cohorts) {
    const ev = new Evaluator(ctx.scope, c.rows);
    const x = ev.numeric(a.marker, 'The marker');
    const yCol = binaryValues(ev.eval(a.outcome), a.outcome);
    const idx = completeIdx([{ values: x }, { values: yCol }], c.rows.length);
    const r = roc(idx.map((i) => yCol[i] as number), idx.map((i) => x[i] as number), { direction: 'auto' });
    evaluations.push(toRocEvaluation(r, c.name));
    n += idx.length; dropped += c.rows.length - idx.length;
  }
  return { name, kind: 'roc', cohort: cohorts.map((c) => c.name).join(', '), n, dropped, predictor: exprText(a.marker), outcome: exprText(a.outcome), evaluations };
}

function buildModelCheck(a: Extract<PlanAnalysis, { kind: 'calibrate' | 'hosmer-lemeshow' | 'dca' }>, name: string, ctx: RunContext): CalibrateResult | HosmerLemeshowResult | DcaResult {
  const m = logisticModel(a, ctx);
  const cohorts = a.cohorts.length ? cohortRows(a, ctx) : [{ name: m.cohort, rows: m.cohortRows }];
  const warnings: string[] = [];
  let n = 0, dropped = 0;
  const base = { name, cohort: cohorts.map((c) => c.name).join(', '), model: m.name };
  if (a.kind === 'calibrate') {
    const B = optNum(a, 'bootstrap', 40);
    const seed = optNum(a, 'seed', 1);
    if (!(Number.isInteger(B) && B >= 0)) throw new AnalysisError(`bootstrap must be a whole number >= 0 (got ${B}).`, a.optionRanges?.['bootstrap'] ?? a.range);
    const evaluations = cohorts.map((c) => {
      if (ctx.isCancelled()) throw new AnalysisError('cancelled');
      const e = evaluateModel(m, c.name, c.rows, ctx);
      warnings.push(...e.warnings);
      n += e.n; dropped += e.dropped;
      if (c.name === m.cohort) {
        const r = calibrateLogistic(m.y, m.X, m.model.names.slice(1), { B, seed });
        if (r.failedResamples) warnings.push(`${c.name}: ${r.failedResamples} of ${B} bootstrap refits failed and were skipped.`);
        return toCalibrateEvaluation(r, c.name);
      }
      return toCalibrateEvaluation(calibrateExternal(e.y, e.p), c.name);
    });
    const res: CalibrateResult = { ...base, kind: 'calibrate', n, dropped, evaluations };
    if (warnings.length) res.warnings = warnings;
    return res;
  }
  if (a.kind === 'hosmer-lemeshow') {
    const g = optNum(a, 'groups', 10);
    const evaluations = cohorts.map((c) => {
      const e = evaluateModel(m, c.name, c.rows, ctx);
      warnings.push(...e.warnings);
      n += e.n; dropped += e.dropped;
      const h = hosmerLemeshow(e.y, e.p, g);
      if (h.warning) warnings.push(`${c.name}: ${h.warning}`);
      return toHosmerLemeshowEvaluation(h, c.name);
    });
    const res: HosmerLemeshowResult = { ...base, kind: 'hosmer-lemeshow', n, dropped, evaluations };
    if (warnings.length) res.warnings = warnings;
    return res;
  }
  const thresholds = optList(a, 'thresholds') ?? defaultDcaThresholds();
  const evaluations = cohorts.map((c) => {
    const e = evaluateModel(m, c.name, c.rows, ctx);
    warnings.push(...e.warnings);
    n += e.n; dropped += e.dropped;
    return toDcaEvaluation(decisionCurve(e.y, e.p, thresholds), c.name);
  });
  const res: DcaResult = { ...base, kind: 'dca', n, dropped, evaluations };
  if (warnings.length) res.warnings = warnings;
  return res;
}

// ---------------------------------------------------------------------------------------------------------------
// stability

function buildStability(a: Extract<PlanAnalysis, { kind: 'stability' }>, name: string, ctx: RunContext): StabilityResult {
  const { name: cohort, rows } = singleCohort(a, ctx);
  let samples = ctx.expression.samples;
  if (cohort !== 'all' && ctx.keyField) {
    const keep = new Set(rows.map((i) => ctx.subjects[i]));
    samples = samples.filter((s) => keep.has(s.fields[ctx.keyField!]));
  }
  const known = new Set(ctx.expression.samples.map((s) => s.target));
  for (const t of a.targets) if (!known.has(t)) throw new AnalysisError(`"${t}" is not a target on the plates (targets: ${[...known].join(', ')}).`, a.range);
  const eff: Record<string, number> = {};
  for (const e of ctx.expression.efficiencies) eff[e.target] = e.value;
  return stabilityAnalysis(samples, a.targets, { name, cohort, efficiency: eff, ...(a.by ? { groupField: a.by } : {}) });
}
