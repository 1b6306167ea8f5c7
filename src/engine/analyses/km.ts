/** `km OUTCOME [by GROUP]`: Kaplan–Meier curves with log-rank (stats/km.ts, stats/logrank.ts). */
import { kaplanMeier, numbersAtRisk } from '../stats/km';
import { logrank } from '../stats/logrank';
import type { Range } from '../common/diagnostic';
import type { AnalysisBase, Expr, Ident } from '../study/ast';
import { Evaluator, exprText, type EvalExpr } from '../study/eval';
import type { KmGroup, KmResult } from '../../shared/report/types';
import { AnalysisError, completeIdx, optList, singleCohort, type RunContext } from './common';
import { outcomeOf, survivalColumns } from './survival';
import { CONF_OPTION, type AnalysisDefinition, type PlanBase } from './types';

export interface KmAnalysis extends AnalysisBase { analysis: 'km'; outcome: Ident; by?: Expr }
export type KmPlan = PlanBase & { kind: 'km'; outcome: string; outcomeRange?: Range; by?: EvalExpr };

export const km: AnalysisDefinition<KmAnalysis, KmPlan> = {
  kind: 'km',
  signature: 'km OUTCOME [by GROUP]',
  doc: '`km OUTCOME by GROUP` — Kaplan–Meier curves, medians with CI, log-rank, numbers at risk (`with at 0, 12, 24`).',
  options: {
    at: { type: 'numbers', min: 0, doc: 'Times at which to report numbers at risk and survival (e.g. `at 0, 12, 24, 36`).' },
    conf: CONF_OPTION,
  },
  role: { kind: 'plain' },
  parse(p) {
    const outcome = p.ident('an outcome name');
    return { outcome, ...(p.eatWord('by') ? { by: p.expr() } : {}) };
  },
  exprs: (n) => (n.by ? [n.by] : []),
  check(n, c) { c.outcome(n.outcome); if (n.by) c.expr(n.by); },
  plan: (n, p) => ({ outcome: n.outcome.name, outcomeRange: n.outcome.range, ...(n.by ? { by: p.expr(n.by) } : {}) }),
  run: runKm,
  complete(c) {
    if (c.tokens.length === 1) c.outcomes();
    else if (c.tokens.length === 2) { c.keyword('by', 'Grouping variable'); c.keyword('in', 'Cohort'); }
    else c.body([['by', 'Grouping variable']]);
  },
  example: 'km dss by miR-21 > 2',
};

function runKm(a: KmPlan, name: string, ctx: RunContext): KmResult {
  const { name: cohort, rows } = singleCohort(a, ctx);
  const o = outcomeOf(a, ctx);
  const ev = new Evaluator(ctx.scope, rows);
  const { time, event } = survivalColumns(o, ev);
  const g = a.by ? ev.eval(a.by) : null;
  const idx = completeIdx(g ? [{ values: time }, { values: event }, g] : [{ values: time }, { values: event }], rows.length);
  if (idx.length === 0) throw new AnalysisError(`No complete rows for outcome ${o.name}${a.by ? ` by ${exprText(a.by)}` : ''} in cohort ${cohort}.`, a.range);
  const labels: string[] = g
    ? (g.type === 'categorical' ? (g.levels ?? []).filter((l) => idx.some((i) => g.values[i] === l)) : [...new Set(idx.map((i) => g.values[i] as number))].sort((x, y) => x - y).map(String))
    : ['all'];
  const labelOf = (i: number) => (g ? String(g.values[i]) : 'all');
  const times = optList(a, 'at');
  const groups: KmGroup[] = [];
  const atRiskRows: { label: string; n: number[] }[] = [];
  for (const l of labels) {
    const ix = idx.filter((i) => labelOf(i) === l);
    const fit = kaplanMeier(ix.map((i) => time[i] as number), ix.map((i) => event[i] as number));
    groups.push({ label: g ? `${exprText(a.by!)}=${l}` : 'all', n: fit.n, events: fit.events, median: fit.median, medianCi: fit.medianCi, curve: fit.curve });
    if (times) atRiskRows.push({ label: groups[groups.length - 1].label, n: numbersAtRisk(fit, times) });
  }
  let lr: KmResult['logrank'] = null;
  const warnings: string[] = [];
  if (g && labels.length >= 2) {
    try {
      const r = logrank(idx.map((i) => time[i] as number), idx.map((i) => event[i] as number), idx.map((i) => labelOf(i)));
      lr = { chisq: r.chisq, df: r.df, p: r.p };
    } catch (e) {
      // e.g. every subject censored: survdiff has nothing to test. The curves are still reported.
      warnings.push(`No log-rank test: ${(e as Error).message}`);
    }
  } else if (g) warnings.push(`Only one group of ${exprText(a.by!)} in the rows used: no log-rank test.`);
  const res: KmResult = { name, kind: 'km', cohort, n: idx.length, dropped: rows.length - idx.length, groups, logrank: lr };
  if (times) res.atRisk = { times, rows: atRiskRows };
  if (warnings.length) res.warnings = warnings;
  return res;
}
