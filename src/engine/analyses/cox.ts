/**
 * `cox OUTCOME ~ TERMS [in COHORT] [with univariate] [with ties efron|breslow] [with ci wald|profile]` (stats/cox.ts).
 * Multivariate: one model on the rows complete for every term. Univariate: each term alone on the rows complete for
 * that term (a factor term keeps its dummy columns together); per-term n and events. `strata(x)` terms stratify the
 * model (and every univariate fit): no coefficient, risk sets within strata; `ph-test` is cox.zph (stats/coxzph.ts).
 */
import { ADJUST_OPTION, adjustOf, adjustRows } from './adjust';
import type { Range } from '../common/diagnostic';
import { coxph, type CoxFit } from '../stats/cox';
import { StatsError } from '../stats/errors';
import type { AnalysisBase, Ident, Term } from '../study/ast';
import { EvalError, Evaluator, exprText, type EvalExpr } from '../study/eval';
import type { CoxResult, CoxTerm, Interval, Num } from '../../shared/report/types';
import { AnalysisError, completeIdx, fin, optNum, optStr, singleCohort, type RunContext } from './common';
import { checkTerms, completeTerms, designMatrix, designTerms, epvWarning, termColumns } from './design';
import { partialEffects, splineAnova, splineKnots } from './modelTerms';
import { coxZph, zphSmooth } from '../stats/coxzph';
import { outcomeOf, survivalColumns } from './survival';
import { CONF_OPTION, type AnalysisDefinition, type AnalysisPlanner, type PlanBase, type PlanBody } from './types';

export interface CoxAnalysis extends AnalysisBase { analysis: 'cox'; outcome: Ident; terms: Term[] }
/** `strata`: the variables of `strata(x)` terms (not in `terms`): a stratified model, as coxph's strata(). */
export type CoxPlan = PlanBase & { kind: 'cox'; outcome: string; outcomeRange?: Range; terms: EvalExpr[]; strata?: EvalExpr[] };

export const cox: AnalysisDefinition<CoxAnalysis, CoxPlan> = {
  kind: 'cox',
  signature: 'cox OUTCOME ~ TERMS',
  doc: '`cox OUTCOME ~ TERMS` — Cox regression (`with univariate`, `ci profile`, `ties breslow`, `ph-test`); a `strata(VAR)` term stratifies the model.',
  options: {
    univariate: { type: 'flag', doc: 'Fit each term alone as well.' },
    adjust: { ...ADJUST_OPTION, doc: `${ADJUST_OPTION.doc} With \`univariate\` only: the family is the univariate fits' coefficient tests; the table gains an adjusted p column.` },
    'ph-test': { type: 'flag', doc: 'Test proportional hazards per term and globally (survival 3.x cox.zph, KM transform); a term with p < 0.05 gets a warning.' },
    ci: { type: 'choice', values: ['wald', 'profile'], doc: 'Confidence intervals of the hazard ratios (default wald).' },
    ties: { type: 'choice', values: ['efron', 'breslow'], doc: 'Tie handling: `efron` (R default) or `breslow` (JMP).' },
    conf: CONF_OPTION,
  },
  role: { kind: 'model' },
  parse(p) {
    const outcome = p.ident('an outcome name');
    p.expectOp('~', '`~` and the model terms');
    return { outcome, terms: p.terms() };
  },
  exprs: (n) => n.terms.map((t) => t.expr),
  check(n, c) {
    c.outcome(n.outcome);
    for (const t of n.terms) if (t.strata) c.requireCategorical(t.strata, '`strata`');
    checkTerms(n.terms.filter((t) => !t.strata), c);
  },
  plan: planCox,
  run: runCox,
  complete(c) {
    if (c.tokens.length === 1) c.outcomes();
    else if (c.tokens.length === 2) c.item('~', 'model formula');
    else {
      completeTerms(c);
      if (c.lastIs('~') || c.lastIs('+')) c.item('strata', '`strata(VAR)`: a stratified Cox model (a baseline hazard per level)');
    }
  },
  example: 'm2: cox dss ~ miR-21 + age',
};

function planCox(n: CoxAnalysis, p: AnalysisPlanner): PlanBody<CoxPlan> {
  const terms = n.terms.filter((t) => !t.strata);
  const strata = n.terms.flatMap((t) => (t.strata ? [p.expr(t.strata)] : []));
  if (!terms.length) p.fail('A Cox model needs a term besides `strata(...)`.', n.terms[0].range);
  return { outcome: n.outcome.name, outcomeRange: n.outcome.range, terms: p.terms(terms), ...(strata.length ? { strata } : {}) };
}

/** The stratum of each row (the strata variables' levels joined by `, `; null where one is missing). */
function strataKeys(a: CoxPlan, ev: Evaluator, n: number): (string | null)[] | null {
  const exprs = a.strata ?? [];
  if (!exprs.length) return null;
  for (const st of exprs) {
    if (a.terms.some((t) => exprText(t) === exprText(st))) throw new AnalysisError(`\`${exprText(st)}\` is both a term and a stratum: within a stratum it is constant, so it has no coefficient (keep one of them).`, st.range);
  }
  const cols = exprs.map((e) => {
    const c = ev.eval(e);
    if (c.type !== 'categorical') throw new EvalError(`\`strata(${exprText(e)})\` needs a categorical variable (e.g. \`strata(cut(${exprText(e)}, 60))\`).`, e.range);
    return c.values;
  });
  return Array.from({ length: n }, (_, i) => (cols.some((v) => v[i] === null) ? null : cols.map((v) => String(v[i])).join(', ')));
}

const expOr = (x: number | null | undefined): Num => (x === null || x === undefined ? null : fin(Math.exp(x)));

function termsOf(fit: CoxFit, ci: 'wald' | 'profile', n?: number): CoxTerm[] {
  return fit.names.map((term, j) => {
    const ciWald: Interval = [expOr(fit.ciWald[j][0]), expOr(fit.ciWald[j][1])]; // ciWald is on the β scale
    const pr = fit.ciProfile?.[j];
    const ciProfile: Interval | undefined = pr ? [expOr(pr[0]), expOr(pr[1])] : undefined;
    const t: CoxTerm = {
      term, coef: fin(fit.coef[j]), se: fin(fit.se[j]), hr: fin(fit.hr[j]), ci: ci === 'profile' && ciProfile ? ciProfile : ciWald,
      z: fin(fit.z[j]), p: fin(fit.p[j]), ciWald,
    };
    if (ciProfile) t.ciProfile = ciProfile;
    if (n !== undefined) { t.n = n; t.events = fit.events; }
    return t;
  });
}

/** What both kinds of Cox fit read: the cohort's survival and term columns, and the fit's options. */
interface CoxInputs {
  a: CoxPlan; name: string; cohort: string; rows: number[];
  time: (number | null)[]; event: (number | null)[]; cols: ReturnType<typeof termColumns>; surv: { values: unknown[] }[];
  strata: (string | null)[] | null; ties: 'efron' | 'breslow'; ci: 'wald' | 'profile'; stratified: { strata?: string[] };
}

function runCox(a: CoxPlan, name: string, ctx: RunContext): CoxResult {
  const { name: cohort, rows } = singleCohort(a, ctx);
  const o = outcomeOf(a, ctx);
  const ev = new Evaluator(ctx.scope, rows);
  const { time, event } = survivalColumns(o, ev);
  const ties = optStr(a, 'ties', ['efron', 'breslow'], 'efron') as 'efron' | 'breslow';
  const ci = optStr(a, 'ci', ['wald', 'profile'], 'wald') as 'wald' | 'profile';
  const univariate = a.options['univariate'] === true;
  const cols = termColumns(a.terms, ev);
  const strata = strataKeys(a, ev, rows.length);
  const surv = strata ? [{ values: time }, { values: event }, { values: strata }] : [{ values: time }, { values: event }];
  const stratified = a.strata?.length ? { strata: a.strata.map(exprText) } : {};
  const adjust = adjustOf(a);
  if (adjust && !univariate) throw new AnalysisError('`adjust` is for `univariate` fits (a family of separate tests); a multivariable model\'s terms are one model.', a.optionRanges?.['adjust'] ?? a.range);
  const inputs: CoxInputs = { a, name, cohort, rows, time, event, cols, surv, strata, ties, ci, stratified };
  return univariate ? univariateCox(inputs, adjust) : multivariableCox(inputs, o, ctx);
}

/** The stratum of each kept subject, as coxph's option (none without `strata(...)`). */
const strataOf = (strata: (string | null)[] | null, kept: number[]) => (strata ? { strata: kept.map((i) => strata[i] as string) } : {});

/** `with univariate`: a fit per term over its own complete cases; `adjust` takes the terms' tests as one family. */
function univariateCox({ a, name, cohort, rows, time, event, cols, surv, strata, ties, ci, stratified }: CoxInputs, adjust: ReturnType<typeof adjustOf>): CoxResult {
  const terms: CoxTerm[] = [];
  const warnings: string[] = [];
  let maxN = 0, maxEvents = 0;
  a.terms.forEach((t, k) => {
    const idx = completeIdx([...surv, cols[k]], rows.length);
    const [dt] = designTerms([t], [cols[k]], idx);
    const { X, kept } = designMatrix([dt], [cols[k]], idx);
    const fit = coxph(kept.map((i) => time[i] as number), kept.map((i) => event[i] as number), X, { ties, ci, names: dt.columns, ...strataOf(strata, kept) });
    warnings.push(...[...fit.warnings, epvWarning(fit.events, dt.columns.length, 'events')].filter((w) => w !== undefined).map((w) => `${dt.text}: ${w}`));
    terms.push(...termsOf(fit, ci, kept.length));
    maxN = Math.max(maxN, kept.length);
    maxEvents = Math.max(maxEvents, fit.events);
  });
  const res: CoxResult = {
    name, kind: 'cox', cohort, n: maxN, dropped: rows.length - maxN, events: maxEvents, ties, ci, univariate: true, ...stratified, terms,
    lrt: null, wald: null, score: null, concordance: null,
  };
  if (adjust) {
    res.adjust = adjustRows(terms, adjust);
  }
  if (warnings.length) res.warnings = warnings;
  return res;
}

/** One model of all the terms over the complete cases (kept as a model other lines refer to), with its splines and PH test. */
function multivariableCox({ a, name, cohort, rows, time, event, cols, surv, strata, ties, ci, stratified }: CoxInputs, o: ReturnType<typeof outcomeOf>, ctx: RunContext): CoxResult {
  const warnings: string[] = [];
  const idx = completeIdx([...surv, ...cols], rows.length);
  const dts = designTerms(a.terms, cols, idx);
  const { X, kept } = designMatrix(dts, cols, idx);
  const times = kept.map((i) => time[i] as number), statuses = kept.map((i) => event[i] as number);
  const fit = coxph(times, statuses, X, { ties, ci, names: dts.flatMap((d) => d.columns), ...strataOf(strata, kept) });
  ctx.models.set(name, {
    kind: 'cox', name, cohort, fit, X, time: times, status: statuses, rows: kept.map((i) => rows[i]), ties,
    cohortRows: rows, outcome: o, terms: dts, coef: fit.coef, names: fit.names, dropped: rows.length - kept.length,
  });
  warnings.push(...fit.warnings);
  const epv = epvWarning(fit.events, X[0]?.length ?? 0, 'events');
  if (epv) warnings.push(epv);
  const test = (t: { chisq: number; df: number; p: number }) => ({ chisq: fin(t.chisq), df: t.df, p: fin(t.p) });
  const res: CoxResult = {
    name, kind: 'cox', cohort, n: fit.n, dropped: rows.length - kept.length, events: fit.events, ties, ci, univariate: false, ...stratified,
    terms: termsOf(fit, ci), lrt: test(fit.lrt), wald: test(fit.wald), score: test(fit.score), concordance: fin(fit.concordance.concordance),
    loglik: [fin(fit.loglik[0]), fin(fit.loglik[1])],
  };
  const splines = splineKnots(dts);
  if (splines) {
    // rms::cph: coxph's covariance; Predict's log relative hazard is centred on the design means (cph's `center`)
    const center = X[0].map((_, j) => X.reduce((s, r) => s + r[j], 0) / X.length);
    res.splines = splines;
    res.anova = splineAnova(dts, fit.coef, fit.var, 0);
    res.partialEffects = partialEffects(dts, cols, kept, { coef: fit.coef, vcov: fit.var, intercept: false, center }, optNum(a, 'conf', 0.95));
  }
  if (a.options['ph-test'] !== undefined) {
    const ph = phTestOrWarning(kept.map((i) => time[i] as number), kept.map((i) => event[i] as number), X, fit.coef, ties, dts, strata ? kept.map((i) => strata[i] as string) : undefined, warnings);
    if (ph) res.ph = ph;
  }
  if (warnings.length) res.warnings = warnings;
  return res;
}

/** `with ph-test`: the test, a warning per term with p < 0.05, or a warning saying why there is no test. */
function phTestOrWarning(time: number[], status: number[], X: number[][], coef: number[], ties: 'efron' | 'breslow', dts: { text: string; columns: string[] }[], strata: string[] | undefined, warnings: string[]): CoxResult['ph'] {
  let ph: CoxResult['ph'];
  try {
    ph = phTest(time, status, X, coef, ties, dts, strata);
  } catch (e) {
    if (!(e instanceof StatsError)) throw e;
    warnings.push(`No proportional-hazards test: ${e.message}`);
    return undefined;
  }
  for (const r of ph.rows) if (r.term !== 'GLOBAL' && r.p !== null && r.p < 0.05) warnings.push(`${r.term}: proportional-hazards test p = ${r.p.toPrecision(2)} (< 0.05): its hazard ratio may change over time`);
  return ph;
}

/** cox.zph of the fit, terms grouped as the design has them (a factor's dummy columns together). */
function phTest(time: number[], status: number[], X: number[][], coef: number[], ties: 'efron' | 'breslow', dts: { text: string; columns: string[] }[], strata?: string[]): NonNullable<CoxResult['ph']> {
  let at = 0;
  const terms = dts.map((d) => { const columns = d.columns.map((_, k) => at + k); at += d.columns.length; return { name: d.text, columns }; });
  const z = coxZph(time, status, X, coef, { ties, terms, ...(strata ? { strata } : {}) });
  const scaled = z.residuals.scaled;
  return {
    rows: [...z.terms, z.global].map((r) => ({ term: r.term, chisq: fin(r.chisq), df: r.df, p: fin(r.p) })),
    residuals: {
      time: z.residuals.time, x: z.residuals.x, scaled: scaled.map((row) => row.map(fin)),
      // plot.cox.zph's smooth per term (natural spline, df 4) with its ± 2 SE band
      smooth: terms.map((_, j) => zphSmooth(z.residuals.x, scaled.map((row) => row[j]), z.residuals.variance[j][j])),
    },
  };
}
