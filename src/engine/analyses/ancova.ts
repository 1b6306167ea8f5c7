/**
 * `compare X by GROUP adjusting COV1, COV2`: ANCOVA as the linear model X ~ GROUP + COV1 + COV2 (analyses/linear.ts).
 * The group's test is the F test of dropping it from the model (drop1(lm, test = "F"), which for this main-effects
 * model is car::Anova type II); with two groups the estimate is the adjusted difference of the first group minus the
 * second (as t.test's estimate). Adjusted means: predictions at the covariates' means (emmeans).
 */
import { linearCombination } from '../stats/linear';
import { Evaluator, exprText, naturalCompare, type Column, type EvalExpr } from '../study/eval';
import type { AncovaTable, CompareResult } from '../../shared/report/types';
import { AnalysisError, fin, optNum, optStr, singleCohort, type PlanBase, type RunContext } from './common';
import type { DesignTerm } from './design';
import { fitLinear, termTestsOf, type LinearFit } from './linear';

export interface AncovaPlan extends PlanBase { kind: 'compare'; y: EvalExpr; by: EvalExpr; adjusting: EvalExpr[] }

/** The grouping column as a factor (a numeric group's values become levels in numeric order). */
function groupFactor(c: Column): Column {
  if (c.type === 'categorical') return c;
  const values = c.values.map((v) => (v === null ? null : String(v)));
  const levels = [...new Set(values.filter((v): v is string => v !== null))].sort(naturalCompare);
  return { type: 'categorical', values, levels };
}

/** The design row (intercept first) of the adjusted mean of `level`: covariates at their means (factors: equal weights). */
function meanRow(fit: LinearFit, level: string): number[] {
  const row = [1];
  let col = 0;
  fit.terms.forEach((t: DesignTerm, k) => {
    for (let j = 0; j < t.columns.length; j++, col++) {
      if (k === 0) row.push(t.levels![j + 1] === level ? 1 : 0);
      else if (t.type === 'factor') row.push(1 / t.levels!.length);
      else row.push(fit.X.reduce((s, r) => s + r[col], 0) / fit.X.length);
    }
  });
  return row;
}

export function runAncova(a: AncovaPlan, name: string, ctx: RunContext): CompareResult {
  if (a.options['posthoc'] !== undefined) throw new AnalysisError('`posthoc` is not available with `adjusting` (the ANCOVA reports the adjusted means instead).', a.optionRanges?.['posthoc'] ?? a.range);
  optStr(a, 'test', ['anova'], 'anova');
  const { name: cohort, rows } = singleCohort(a, ctx);
  const ev = new Evaluator(ctx.scope, rows);
  const y = ev.numeric(a.y);
  const terms = [a.by, ...a.adjusting];
  const cols = [groupFactor(ev.eval(a.by)), ...a.adjusting.map((e) => ev.eval(e))];
  const fit = fitLinear(y, terms, cols, rows.length, optNum(a, 'conf', 0.95));
  const m = fit.model, g = fit.terms[0], levels = g.levels!;
  const groupOf = fit.kept.map((i) => String(cols[0].values[i]));
  const gt = fit.tests[0];
  const ancova: AncovaTable = {
    adjusting: a.adjusting.map(exprText), terms: termTestsOf(fit.tests), dfResidual: m.dfResidual, r2: fin(m.r2), conf: m.confLevel,
    means: levels.map((level) => {
      const c = linearCombination(m, meanRow(fit, level));
      return { level, n: groupOf.filter((x) => x === level).length, mean: fin(c.estimate), se: fin(c.se), ci: [fin(c.ci[0]), fin(c.ci[1])] };
    }),
  };
  // two groups: first minus second = −(coefficient of the second level), CI mirrored
  const b = levels.length === 2 ? m.coefficients[1] : undefined;
  const res: CompareResult = {
    name, kind: 'compare', cohort, n: m.n, dropped: rows.length - fit.kept.length, test: 'ANCOVA (type II F)',
    statistic: fin(gt.f), df: [gt.df, m.dfResidual], p: fin(gt.p), estimate: b ? fin(-b.coef) : null, ci: b ? [fin(-b.ci[1]), fin(-b.ci[0])] : null,
    estimateName: b ? 'adjusted difference in means' : null, variable: exprText(a.y),
    groups: levels.map((label) => ({ label, values: fit.y.filter((_, k) => groupOf[k] === label) })), ancova,
  };
  if (m.warnings.length) res.warnings = [...m.warnings];
  return res;
}
