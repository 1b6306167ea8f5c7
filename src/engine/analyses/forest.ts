/**
 * Forest plots of a marker's effect, the marker being the FIRST term of a labelled `cox` (HR) or `logistic` (OR) model:
 * - `forest M by V1, V2` (subgroups): the model refitted (all its terms; a term that is the subgroup variable itself is
 *   left out) within each level of each categorical variable, on the rows of the model's cohort complete for the
 *   outcome, the terms and that variable; the p for interaction is the likelihood-ratio test of `terms + V` against
 *   `terms + V + marker:V` on the same rows (R: anova(fit0, fit1)). The first row is the model as fitted.
 * - `forest M1, M2, M3` (models): the marker's estimate in each model as fitted (e.g. unadjusted, adjusted, fully
 *   adjusted); every model must be of the same kind and have the same first term.
 */
import type { Range } from '../common/diagnostic';
import { coxph } from '../stats/cox';
import { pchisqUpper } from '../stats/dist';
import { StatsError } from '../stats/errors';
import { logisticRegression } from '../stats/logistic';
import type { AnalysisBase, Expr, Ident } from '../study/ast';
import { EvalError, Evaluator, exprText, type Column, type EvalExpr } from '../study/eval';
import type { ForestResult, ForestRow, Interval } from '../../shared/report/types';
import { AnalysisError, completeIdx, fin, type FittedModel, type RunContext } from './common';
import { designMatrix, designTerms, termColumns, type DesignTerm } from './design';
import { fittedModel, outcomeColumns } from './modelScores';
import type { AnalysisDefinition, PlanBase } from './types';

export interface ForestAnalysis extends AnalysisBase { analysis: 'forest'; models: Ident[]; by?: Expr[] }
export type ForestPlan = PlanBase & { kind: 'forest'; models: { name: string; range: Range }[]; by?: EvalExpr[] };

export const forest: AnalysisDefinition<ForestAnalysis, ForestPlan> = {
  kind: 'forest',
  signature: 'forest MODEL by VAR[, VAR...] | forest MODEL, MODEL[, MODEL...]',
  doc: '`forest M by sex, stage` — the HR (OR) of the model\'s first term (the marker) within each level of each variable, the model refitted per subgroup, with the likelihood-ratio p for interaction; `forest M1, M2, M3` — the marker\'s HR (OR) across several labelled models (e.g. unadjusted, adjusted).',
  options: {},
  role: { kind: 'consumer', accepts: ['logistic', 'cox'] },
  parse(p) {
    const models = p.identList('a model name (the label of a `logistic` or `cox` line)');
    if (!p.eatWord('by')) return { models };
    return { models, by: p.exprList() };
  },
  exprs: (n) => n.by ?? [],
  check(n, c) {
    for (const m of n.models) c.model(m);
    if (n.by) {
      if (n.models.length > 1) c.error('`forest M by VARS` takes one model (subgroups of its marker); `forest M1, M2` compares models.', n.models[1].range);
      for (const v of n.by) c.requireCategorical(v, '`forest ... by`');
      return;
    }
    if (n.models.length < 2) { c.error('`forest` needs `by VARS` (subgroups) or several models (`forest m1, m2`).', n.models[0].range); return; }
    const first = c.modelOf(n.models[0]);
    for (const m of n.models.slice(1)) {
      const o = c.modelOf(m);
      if (!first || !o) continue;
      if (o.kind !== first.kind) c.error(`\`forest\` shows models of one kind; \`${m.name}\` is ${o.kind}, \`${n.models[0].name}\` is ${first.kind}.`, m.range);
      else if (o.terms && first.terms?.[0] !== undefined && !o.terms.includes(first.terms[0])) c.error(`\`forest\` shows the marker (the first term of \`${n.models[0].name}\`, \`${first.terms[0]}\`) in each model; \`${m.name}\` has no such term.`, m.range);
    }
  },
  plan: (n, p) => ({ models: n.models.map((m) => ({ name: m.name, range: m.range })), ...(n.by ? { by: n.by.map((e) => p.expr(e)) } : {}) }),
  run: runForest,
  complete(c) {
    if (c.tokens.length === 1 || c.lastIs(',')) { c.models(); return; }
    if (c.has('by')) { c.body(); return; }
    c.keyword('by', 'Subgroup variables');
  },
  example: 'forest m1 by sex',
};

/** One fit's estimate of the marker (column 0 of X) and its log-likelihood. */
interface MarkerFit { est: number | null; ci: Interval; p: number | null; logLik: number; n: number; events: number; warnings: string[] }

function fitMarker(m: FittedModel, y: number[], time: number[], X: number[][], names: string[]): MarkerFit {
  if (m.kind === 'cox') {
    const profile = m.fit.ciProfile !== undefined;
    const f = coxph(time, y, X, { ties: m.ties, names, ci: profile ? 'profile' : 'wald', confLevel: m.fit.confLevel });
    const b = profile ? f.ciProfile![0] : f.ciWald[0];
    const e = (x: number | null) => (x === null ? null : fin(Math.exp(x)));
    return { est: fin(f.hr[0]), ci: [e(b[0]), e(b[1])], p: fin(f.p[0]), logLik: f.loglik[1], n: f.n, events: f.events, warnings: f.warnings };
  }
  const f = logisticRegression(y, X, names, { ci: m.ci, confLevel: m.model.confLevel });
  const t = f.terms[1];
  return { est: fin(t.or), ci: [fin(t.ci[0]), fin(t.ci[1])], p: fin(t.p), logLik: f.logLik, n: f.n, events: f.events, warnings: f.converged ? [] : ['did not converge'] };
}

const markerOf = (m: FittedModel): DesignTerm => {
  const t = m.terms[0];
  if (t.columns.length !== 1) throw new AnalysisError(`The marker (the first term of ${m.name}, "${t.text}") must be one numeric or 0/1 column, not a factor or a spline.`);
  return t;
};

/** The marker's row of a model as fitted (the marker: the term written `marker`, one design column). */
function modelRow(m: FittedModel, label: string, marker: string, range?: Range): ForestRow {
  const j = m.terms.flatMap((t) => t.columns).indexOf(marker);
  if (j < 0 || !m.terms.some((t) => t.text === marker && t.columns.length === 1)) throw new AnalysisError(`${m.name} has no term "${marker}" (the first term of the first model).`, range);
  if (m.kind === 'cox') {
    const b = m.fit.ciProfile?.[j] ?? m.fit.ciWald[j];
    const e = (x: number | null) => (x === null ? null : fin(Math.exp(x)));
    return { label, n: m.fit.n, events: m.fit.events, estimate: fin(m.fit.hr[j]), ci: [e(b[0]), e(b[1])], p: fin(m.fit.p[j]) };
  }
  const t = m.model.terms[j + 1];
  return { label, n: m.model.n, events: m.model.events, estimate: fin(t.or), ci: [fin(t.ci[0]), fin(t.ci[1])], p: fin(t.p) };
}

/**
 * Columns of X (with an intercept) that are linear combinations of the intercept and the columns before them, as
 * R's coxph / glm leave them out with an NA coefficient: Gram–Schmidt on the centred columns, in order.
 */
function aliased(X: number[][]): boolean[] {
  const p = X[0]?.length ?? 0, n = X.length;
  const basis: number[][] = [];
  return Array.from({ length: p }, (_, j) => {
    const mean = X.reduce((s, r) => s + r[j], 0) / n;
    const v = X.map((r) => r[j] - mean);
    const norm0 = Math.hypot(...v);
    for (const b of basis) { const d = v.reduce((s, x, i) => s + x * b[i], 0); for (let i = 0; i < n; i++) v[i] -= d * b[i]; }
    const norm = Math.hypot(...v);
    if (!(norm0 > 0) || norm <= 1e-7 * norm0) return true;
    basis.push(v.map((x) => x / norm));
    return false;
  });
}

/** A fit on the non-aliased columns of X (the marker, column 0, must not be aliased); the columns left out. */
function fitKept(m: FittedModel, y: number[], time: number[], X: number[][], names: string[]): MarkerFit & { left: string[]; columns: number } {
  const drop = aliased(X);
  if (drop[0]) throw new StatsError(`${names[0]} is constant in these rows`);
  const f = fitMarker(m, y, time, X.map((r) => r.filter((_, j) => !drop[j])), names.filter((_, j) => !drop[j]));
  return { ...f, left: names.filter((_, j) => drop[j]), columns: drop.filter((d) => !d).length };
}

/** The model's terms refitted on one subgroup's rows; a covariate column aliased there (e.g. constant) is left out. */
function fitSubgroup(m: FittedModel, exprs: EvalExpr[], cols: Column[], rows: number[], y: number[], time: number[], what: string, notes: string[]): MarkerFit {
  const dts = designTerms(exprs, cols, rows);
  const { X } = designMatrix(dts, cols, rows);
  const f = fitKept(m, y, time, X, dts.flatMap((d) => d.columns));
  if (f.left.length) notes.push(`${what}: ${f.left.join(', ')} constant (or collinear) in the subgroup, left out of its fit.`);
  for (const w of f.warnings) notes.push(`${what}: ${w}.`);
  return f;
}

/** The subgroup rows of one variable and its interaction test. */
function subgroupRows(m: FittedModel, v: EvalExpr, ev: Evaluator, out: (number | null)[][], cols: Column[], notes: string[]): ForestRow[] {
  const vText = exprText(v);
  const vc = ev.eval(v);
  if (vc.type !== 'categorical') throw new EvalError(`\`forest ... by ${vText}\` needs a categorical variable (e.g. \`cut(${vText}, 60)\`).`, v.range);
  const keep = m.terms.map((t) => t.text !== vText);
  const exprs = m.terms.filter((_, k) => keep[k]).map((t) => t.expr), kcols = cols.filter((_, k) => keep[k]);
  const idx = completeIdx([...out.map((values) => ({ values })), ...cols, vc], vc.values.length);
  const yOf = (rows: number[]) => rows.map((i) => out[0][i] as number), tOf = (rows: number[]) => (out[1] ? rows.map((i) => out[1][i] as number) : []);
  const levels = (vc.levels ?? []).filter((l) => idx.some((i) => vc.values[i] === l));
  const rows: ForestRow[] = levels.map((level) => {
    const sub = idx.filter((i) => vc.values[i] === level);
    const base: ForestRow = { label: level, variable: vText, n: sub.length, events: yOf(sub).filter((y) => y === 1).length, estimate: null, ci: [null, null], p: null };
    try {
      const f = fitSubgroup(m, exprs, kcols, sub, yOf(sub), tOf(sub), `${vText} = ${level}`, notes);
      return { ...base, estimate: f.est, ci: f.ci, p: f.p };
    } catch (e) {
      if (!(e instanceof StatsError || e instanceof EvalError)) throw e;
      notes.push(`${vText} = ${level}: no estimate (${e.message})`);
      return base;
    }
  });
  if (rows.length < 2) { notes.push(`${vText}: a single level in the rows used; no interaction test.`); return rows; }
  try {
    const dts = designTerms([...exprs, v], [...kcols, vc], idx);
    const { X } = designMatrix(dts, [...kcols, vc], idx);
    const names = dts.flatMap((d) => d.columns), vCols = dts[dts.length - 1].columns.map((_, j) => names.length - dts[dts.length - 1].columns.length + j);
    const Xi = X.map((r) => [...r, ...vCols.map((j) => r[0] * r[j])]);
    const y = yOf(idx), t = tOf(idx);
    const f0 = fitKept(m, y, t, X, names), f1 = fitKept(m, y, t, Xi, [...names, ...vCols.map((j) => `${names[0]}:${names[j]}`)]);
    const chisq = 2 * (f1.logLik - f0.logLik), df = f1.columns - f0.columns;
    if (df < 1) throw new StatsError('the interaction columns are collinear with the model\'s');
    rows[0].interaction = { chisq: fin(chisq), df, p: fin(pchisqUpper(chisq, df)), n: idx.length };
  } catch (e) {
    if (!(e instanceof StatsError || e instanceof EvalError)) throw e;
    notes.push(`${vText}: no interaction test (${e.message})`);
  }
  return rows;
}

function runForest(a: ForestPlan, name: string, ctx: RunContext): ForestResult {
  if (a.cohorts.length) throw new AnalysisError('`forest` uses the cohort each model was fitted in; fit the model `in` the cohort instead.', a.cohortRanges?.[0] ?? a.range);
  const models = a.models.map((r) => fittedModel(a, r.name, r.range, ctx));
  const m = models[0];
  const marker = markerOf(m);
  const what = m.kind === 'cox' ? 'HR' : 'OR';
  const notes: string[] = [];
  const base = { name, kind: 'forest' as const, cohort: m.cohort, modelKind: m.kind, measure: what as 'HR' | 'OR', marker: marker.text, confLevel: m.kind === 'cox' ? m.fit.confLevel : m.model.confLevel, models: models.map((x) => x.name), notes };
  if (!a.by) {
    models.forEach((x, k) => { if (x.kind !== m.kind) throw new AnalysisError(`${x.name} is a ${x.kind} model, ${m.name} a ${m.kind} model.`, a.models[k].range); });
    const rows = models.map((x, k) => modelRow(x, x.name, marker.text, a.models[k].range));
    return { ...base, mode: 'models', n: Math.max(...rows.map((r) => r.n)), dropped: 0, rows, notes };
  }
  const ev = new Evaluator(ctx.scope, m.cohortRows);
  const out = outcomeColumns(m, ev);
  const cols = termColumns(m.terms.map((t) => t.expr), ev);
  const rows: ForestRow[] = [modelRow(m, 'All patients', marker.text)];
  for (const v of a.by) rows.push(...subgroupRows(m, v, ev, out, cols, notes));
  return { ...base, mode: 'subgroups', n: rows[0].n, dropped: m.cohortRows.length - rows[0].n, rows, notes };
}
