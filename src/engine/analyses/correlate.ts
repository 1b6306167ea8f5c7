/** `correlate X with VARS [with method pearson | spearman | kendall]` (stats/correlation.ts, stats/kendall.ts). */
import { pearson, spearman } from '../stats/correlation';
import { kendall } from '../stats/kendall';
import type { AnalysisBase, Expr } from '../study/ast';
import { Evaluator, exprText, type EvalExpr } from '../study/eval';
import type { CorrelateMethod, CorrelateResult, CorrelateRow } from '../../shared/report/types';
import { completeIdx, fin, optStr, singleCohort, type RunContext } from './common';
import { CONF_OPTION, type AnalysisDefinition, type PlanBase } from './types';
import { ADJUST_OPTION, adjustOf, adjustRows } from './adjust';
import { ALTERNATIVE_OPTION, alternativeOf } from './alternative';
import type { Alternative } from '../stats/tests';

export interface CorrelateAnalysis extends AnalysisBase { analysis: 'correlate'; x: Expr; vars: Expr[] }
export type CorrelatePlan = PlanBase & { kind: 'correlate'; x: EvalExpr; ys: EvalExpr[] };

/** Each method's test, keyed by the contract's method list (a method without a test does not compile). */
const METHODS: Record<CorrelateMethod, (x: number[], y: number[], alternative: Alternative) => { r: number; n: number; ci: [number, number] | null; p: number; statistic: number; df: number | null; warnings: string[] }> = {
  pearson: (x, y, alternative) => pearson(x, y, { alternative }),
  spearman: (x, y, alternative) => spearman(x, y, { fisherCi: true, alternative }),
  kendall: (x, y, alternative) => kendall(x, y, { alternative }),
};
const METHOD_NAMES = Object.keys(METHODS) as CorrelateMethod[];

export const correlate: AnalysisDefinition<CorrelateAnalysis, CorrelatePlan> = {
  kind: 'correlate',
  signature: 'correlate X with VARS',
  doc: '`correlate X with VARS [with method pearson | spearman | kendall]` — r, CI (Fisher z), p.',
  options: {
    method: { type: 'choice', values: METHOD_NAMES, doc: 'Pearson (CI by Fisher z), Spearman (Fisher-z CI added) or Kendall tau-b (exact p for n < 50 without ties, else normal approximation, as R; no CI).' },
    conf: CONF_OPTION,
    adjust: ADJUST_OPTION,
    alternative: { ...ALTERNATIVE_OPTION, doc: 'Alternative hypothesis (default two-sided): `less` = negative association, `greater` = positive (cor.test\'s `alternative`; one-sided Fisher-z CI).' },
  },
  role: { kind: 'plain' },
  parse(p) {
    const x = p.expr();
    p.expectWord('with');
    return { x, vars: p.exprList() };
  },
  exprs: (n) => [n.x, ...n.vars],
  check(n, c) { c.requireNumeric(n.x, '`correlate`'); for (const v of n.vars) c.requireNumeric(v, '`correlate`'); },
  plan: (n, p) => ({ x: p.expr(n.x), ys: n.vars.map(p.expr) }),
  run: runCorrelate,
  bodyWith: true,
  example: 'correlate miR-21 with age, afp',
};

function runCorrelate(a: CorrelatePlan, name: string, ctx: RunContext): CorrelateResult {
  const { name: cohort, rows } = singleCohort(a, ctx);
  const ev = new Evaluator(ctx.scope, rows);
  const method = optStr(a, 'method', METHOD_NAMES, 'pearson') as CorrelateMethod;
  const alternative = alternativeOf(a);
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
      const r = METHODS[method](xs, ys, alternative);
      out.push({ variable, method, r: fin(r.r), n: r.n, ci: r.ci ? [fin(r.ci[0]), fin(r.ci[1])] : null, p: fin(r.p), statistic: fin(r.statistic), df: r.df });
      warnings.push(...r.warnings.map((w) => `${variable}: ${w}`));
    } catch (e) {
      out.push({ variable, method, r: null, n: idx.length, ci: null, p: null });
      warnings.push(`${variable}: ${(e as Error).message}`);
    }
  }
  const res: CorrelateResult = { name, kind: 'correlate', cohort, n: maxN, dropped: rows.length - maxN, x: exprText(a.x), rows: out, points };
  if (alternative !== 'two.sided') res.alternative = alternative;
  const adjust = adjustOf(a);
  if (adjust) {
    res.adjust = adjustRows(out, adjust);
  }
  if (warnings.length) res.warnings = warnings;
  return res;
}
