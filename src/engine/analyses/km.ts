/**
 * `km OUTCOME [by GROUP | by cutpoint(MARKER)]`: Kaplan–Meier curves with log-rank (stats/km.ts, stats/logrank.ts), the
 * options of stats/survivalTests.ts, cumulative counts, and groups at a data-driven cut-point (stats/maxstat.ts).
 */
import { cumulativeCounts, kaplanMeier, numbersAtRisk } from '../stats/km';
import { maxstatLogrank } from '../stats/maxstat';
import { StatsError } from '../stats/errors';
import { logrank, type LogrankResult } from '../stats/logrank';
import { pairwiseLogrank, rmst, rmstDifference, trendOf } from '../stats/survivalTests';
import { P_ADJUST_LABEL } from '../stats/padjust';
import { ADJUST_OPTION, adjustOf } from './adjust';
import type { Range } from '../common/diagnostic';
import type { AnalysisBase, Expr, Ident } from '../study/ast';
import { Evaluator, exprText, type Column, type EvalExpr } from '../study/eval';
import type { KmGroup, KmResult } from '../../shared/report/types';
import { defaultAtRisk } from '../../shared/report/kinds/km';
import { AnalysisError, completeIdx, optList, optNum, singleCohort, type RunContext } from './common';
import { outcomeOf, survivalColumns, timeUnitOf } from './survival';
import { CONF_OPTION, type AnalysisDefinition, type PlanBase } from './types';

/** `by cutpoint(x)`: `by` is the call, `cutpoint` the marker x (groups at its data-driven cut-point). */
export interface KmAnalysis extends AnalysisBase { analysis: 'km'; outcome: Ident; by?: Expr; cutpoint?: Expr }
export type KmPlan = PlanBase & { kind: 'km'; outcome: string; outcomeRange?: Range; by?: EvalExpr; cutpoint?: EvalExpr };

export const km: AnalysisDefinition<KmAnalysis, KmPlan> = {
  kind: 'km',
  signature: 'km OUTCOME [by GROUP | by cutpoint(MARKER)]',
  doc: '`km OUTCOME by GROUP` — Kaplan–Meier curves, medians with CI, log-rank, numbers at risk (`with at 0, 12, 24`); `by cutpoint(MARKER)`: two groups at the data-driven cut-point of a continuous marker (maximally selected log-rank statistic).',
  options: {
    at: { type: 'numbers', min: 0, doc: 'Times at which to report numbers at risk and survival (e.g. `at 0, 12, 24, 36`).' },
    conf: CONF_OPTION,
    rho: { type: 'number', min: 0, max: 10, doc: 'Weight of the log-rank test as survdiff\'s rho: 0 (default) the log-rank test, 1 the Peto-Peto modification of the Gehan-Wilcoxon test (early differences weigh more).' },
    pairwise: { type: 'flag', doc: 'Log-rank tests of every pair of groups (survminer::pairwise_survdiff), adjusted by `adjust` (default bh, as survminer).' },
    adjust: ADJUST_OPTION,
    trend: { type: 'flag', doc: 'The log-rank test for trend over the groups in their order (scores 1, 2, ..., k).' },
    rmst: { type: 'number', min: 0, doc: 'Restricted mean survival time up to this time per group (survival\'s print(survfit, rmean = TAU)), and the difference of two groups with its 95% CI.' },
    cumulative: { type: 'flag', doc: 'Cumulative numbers of events and of censored subjects at the `at` times, under the plot beside the numbers at risk (survminer\'s cumevents / cumcensor).' },
  },
  role: { kind: 'plain' },
  parse(p) {
    const outcome = p.ident('an outcome name');
    if (!p.eatWord('by')) return { outcome };
    const by = p.expr();
    if (by.kind !== 'call' || by.callee.name !== 'cutpoint' || by.callee.backtick) return { outcome, by };
    if (by.args.length !== 1) p.fail('`cutpoint` takes one continuous marker, e.g. `by cutpoint(mir122_ratio)`.', by.range);
    return { outcome, by, cutpoint: by.args[0] };
  },
  exprs: (n) => (n.by ? [n.by] : []),
  check(n, c) {
    c.outcome(n.outcome);
    if (n.cutpoint) c.requireNumeric(n.cutpoint, '`cutpoint`');
    else if (n.by) c.expr(n.by);
  },
  plan: (n, p) => ({
    outcome: n.outcome.name, outcomeRange: n.outcome.range,
    ...(n.cutpoint ? { cutpoint: p.expr(n.cutpoint) } : n.by ? { by: p.expr(n.by) } : {}),
  }),
  run: runKm,
  complete(c) {
    if (c.tokens.length === 1) c.outcomes();
    else if (c.tokens.length === 2) { c.keyword('by', 'Grouping variable'); c.keyword('in', 'Cohort'); }
    else {
      c.body([['by', 'Grouping variable']]);
      if (c.lastIs('by')) c.item('cutpoint', '`cutpoint(MARKER)`: two groups at the data-driven cut-point of a continuous marker');
    }
  },
  example: 'km dss by miR-21 > 2',
};

function runKm(a: KmPlan, name: string, ctx: RunContext): KmResult {
  const { name: cohort, rows } = singleCohort(a, ctx);
  const o = outcomeOf(a, ctx);
  const ev = new Evaluator(ctx.scope, rows);
  const { time, event } = survivalColumns(o, ev);
  const cp = a.cutpoint ? cutpointGroups(a.cutpoint, ev, time, event, rows.length) : null;
  const g = cp ? cp.column : a.by ? ev.eval(a.by) : null;
  const byText = a.cutpoint ? `cutpoint(${exprText(a.cutpoint)})` : a.by ? exprText(a.by) : '';
  const idx = completeIdx(g ? [{ values: time }, { values: event }, g] : [{ values: time }, { values: event }], rows.length);
  if (idx.length === 0) throw new AnalysisError(`No complete rows for outcome ${o.name}${byText ? ` by ${byText}` : ''} in cohort ${cohort}.`, a.range);
  const labels: string[] = g
    ? (g.type === 'categorical' ? (g.levels ?? []).filter((l) => idx.some((i) => g.values[i] === l)) : [...new Set(idx.map((i) => g.values[i] as number))].sort((x, y) => x - y).map(String))
    : ['all'];
  const labelOf = (i: number) => (g ? String(g.values[i]) : 'all');
  // a cut-point's levels are whole labels (`x ≤ 1.2`); other groups read `by=level`
  const groupLabel = (l: string) => (!g ? 'all' : cp ? l : `${byText}=${l}`);
  const cumulative = a.options['cumulative'] !== undefined;
  const fits = labels.map((l) => {
    const ix = idx.filter((i) => labelOf(i) === l);
    return { label: groupLabel(l), fit: kaplanMeier(ix.map((i) => time[i] as number), ix.map((i) => event[i] as number)) };
  });
  const groups: KmGroup[] = fits.map(({ label, fit }) => ({ label, n: fit.n, events: fit.events, median: fit.median, medianCi: fit.medianCi, curve: fit.curve }));
  const times = optList(a, 'at') ?? (cumulative ? defaultAtRisk({ groups })?.times : undefined);
  let lr: KmResult['logrank'] = null;
  const warnings: string[] = [];
  const rho = optNum(a, 'rho', 0);
  const res0: Partial<KmResult> = {};
  if (g && labels.length >= 2) {
    try {
      const [t, s, gl] = [idx.map((i) => time[i] as number), idx.map((i) => event[i] as number), idx.map((i) => labelOf(i))];
      const r = logrank(t, s, gl, rho);
      lr = { chisq: r.chisq, df: r.df, p: r.p, ...(rho !== 0 ? { rho } : {}) };
      Object.assign(res0, survivalExtras(a, t, s, gl, r, labels, rho, groupLabel));
    } catch (e) {
      // e.g. every subject censored: survdiff has nothing to test. The curves are still reported.
      warnings.push(`No log-rank test: ${(e as Error).message}`);
    }
  } else if (g) warnings.push(`Only one group of ${byText} in the rows used: no log-rank test.`);
  const res: KmResult = { name, kind: 'km', cohort, n: idx.length, dropped: rows.length - idx.length, groups, logrank: lr, ...res0 };
  if (cp) res.cutpoint = cp.report;
  const unit = timeUnitOf(o);
  if (unit) res.timeUnit = unit;
  const tau = a.options['rmst'] === undefined ? undefined : optNum(a, 'rmst', 0);
  if (tau !== undefined) res.rmst = rmstOf(labels, (l) => idx.filter((i) => labelOf(i) === l), time, event, tau, groupLabel);
  if (times) {
    res.atRisk = {
      times,
      rows: fits.map(({ label, fit }) => ({ label, n: numbersAtRisk(fit, times), ...(cumulative ? cumulativeCounts(fit, times) : {}) })),
    };
  }
  if (warnings.length) res.warnings = warnings;
  return res;
}

/**
 * `by cutpoint(x)`: the cut of x maximising the standardised log-rank statistic (maxstat.test, LogRank, minprop 0.1,
 * maxprop 0.9 as survminer::surv_cutpoint) over the rows complete for time, event and x, and the two groups it makes
 * (x ≤ cut, x > cut; "low" and "high" in survminer's surv_categorize).
 */
function cutpointGroups(marker: EvalExpr, ev: Evaluator, time: (number | null)[], event: (number | null)[], n: number): { column: Column; report: NonNullable<KmResult['cutpoint']> } {
  const x = ev.numeric(marker, `The marker of cutpoint(${exprText(marker)})`);
  const idx = completeIdx([{ values: time }, { values: event }, { values: x }], n);
  if (idx.length < 3) throw new AnalysisError(`cutpoint(${exprText(marker)}) needs at least 3 complete rows (found ${idx.length}).`, marker.range);
  if (!idx.some((i) => event[i] === 1)) throw new AnalysisError(`cutpoint(${exprText(marker)}): no events in the ${idx.length} complete rows, so no log-rank statistic.`, marker.range);
  const xs = idx.map((i) => x[i] as number);
  let m: ReturnType<typeof maxstatLogrank>;
  try {
    m = maxstatLogrank(idx.map((i) => time[i] as number), idx.map((i) => event[i] as number), xs);
  } catch (e) {
    if (!(e instanceof StatsError)) throw e;
    throw new AnalysisError(`cutpoint(${exprText(marker)}): no cut leaves between 10 % and 90 % of the ${idx.length} subjects below it (${new Set(xs).size} distinct value(s)).`, marker.range);
  }
  const cutText = Number(m.cutpoint.toPrecision(4)) === m.cutpoint ? String(m.cutpoint) : m.cutpoint.toPrecision(4);
  const levels = [`${exprText(marker)} ≤ ${cutText}`, `${exprText(marker)} > ${cutText}`];
  const values = x.map((v) => (v === null ? null : v <= m.cutpoint ? levels[0] : levels[1]));
  const below = idx.filter((i) => (x[i] as number) <= m.cutpoint).length;
  return {
    column: { type: 'categorical', values, levels },
    report: {
      variable: exprText(marker), cut: m.cutpoint, statistic: m.statistic, p: m.pLau94, pMethod: 'Lau94', minprop: m.minprop, maxprop: m.maxprop,
      n: m.n, below, above: m.n - below, curve: m.curve,
    },
  };
}

/** `pairwise` and `trend` of a grouped KM (stats/survivalTests.ts). */
function survivalExtras(a: KmPlan, t: number[], s: number[], gl: string[], lr: LogrankResult, order: string[], rho: number, label: (l: string) => string): Partial<KmResult> {
  const out: Partial<KmResult> = {};
  if (a.options['pairwise'] !== undefined) {
    const method = adjustOf(a, 'bh')!;
    out.pairwise = { adjust: P_ADJUST_LABEL[method], rows: pairwiseLogrank(t, s, gl, method, rho).map((r) => ({ ...r, level: label(r.level), reference: label(r.reference) })) };
  }
  if (a.options['trend'] !== undefined) {
    // from the log-rank already computed; scores follow the groups' own order (factor levels), whatever order the
    // log-rank lists them in
    const tr = trendOf(lr, lr.groups.map((g) => order.indexOf(g.label) + 1));
    out.trend = { chisq: tr.chisq, df: tr.df, p: tr.p };
  }
  return out;
}

/** `rmst TAU`: per group, and the difference of the first two groups when there are exactly two. */
function rmstOf(labels: string[], rowsOf: (l: string) => number[], time: (number | null)[], event: (number | null)[], tau: number, label: (l: string) => string): NonNullable<KmResult['rmst']> {
  const fits = labels.map((l) => { const ix = rowsOf(l); return { label: label(l), r: rmst(ix.map((i) => time[i] as number), ix.map((i) => event[i] as number), tau) }; });
  const out: NonNullable<KmResult['rmst']> = { tau, groups: fits.map((f) => ({ label: f.label, rmst: f.r.rmst, se: f.r.se, lower: f.r.lower, upper: f.r.upper })) };
  if (fits.length === 2) {
    const d = rmstDifference(fits[1].r, fits[0].r);
    out.difference = { label: `${fits[1].label} − ${fits[0].label}`, diff: d.diff, lower: d.lower, upper: d.upper, p: d.p };
  }
  return out;
}
