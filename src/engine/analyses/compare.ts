/** `compare A vs B [paired]` (two variables of the same subjects) or `compare X by GROUP` (stats/tests.ts). */
import { kruskalWallis, mannWhitney, oneWayAnova, pairedT, tTest, wilcoxonSignedRank, type Alternative, type TestResult } from '../stats/tests';
import type { AnalysisBase, Expr } from '../study/ast';
import { Evaluator, exprText, type Column, type EvalExpr } from '../study/eval';
import type { CompareResult, NormalityRow, PosthocTable } from '../../shared/report/types';
import { dunnTest, gamesHowell, pairwiseT, pairwiseWilcoxon, type Group, type PairwiseResult } from '../stats/pairwise';
import { tukeyHsd } from '../stats/tukey';
import { dunnett } from '../stats/dunnett';
import { shapiroWilk } from '../stats/shapiro';
import { StatsError } from '../stats/errors';
import { ALTERNATIVE_OPTION, alternativeOf } from './alternative';
import { P_ADJUST_LABEL, type PAdjustMethod } from '../stats/padjust';
import { ADJUST_OPTION, adjustOf } from './adjust';
import { AnalysisError, completeIdx, fin, optStr, singleCohort, type RunContext } from './common';
import { CONF_OPTION, type AnalysisDefinition, type PlanBase } from './types';
import { runAncova } from './ancova';

/** `compare a vs b [paired]` (form 'vs') or `compare x by g` (form 'by'). */
export interface CompareAnalysis extends AnalysisBase {
  analysis: 'compare';
  form: 'vs' | 'by';
  /** form 'vs': a; form 'by': x. */
  left: Expr;
  /** form 'vs': b; form 'by': the grouping expression. */
  right: Expr;
  paired: boolean;
  /** form 'by': `adjusting COV, ...` (ANCOVA, ancova.ts). */
  adjusting?: Expr[];
}
export type ComparePlan = PlanBase & { kind: 'compare' } & (
  | { form: 'paired'; a: EvalExpr; b: EvalExpr; paired: boolean }
  | { form: 'by'; y: EvalExpr; by: EvalExpr; adjusting?: EvalExpr[] }
);

/** The `posthoc` methods (the option's values and the dispatch in posthocOf). */
const POSTHOC_METHODS = ['tukey', 'games-howell', 'dunnett', 'dunn', 'pairwise-t', 'pairwise-welch', 'pairwise-wilcoxon'] as const;
type PosthocMethod = (typeof POSTHOC_METHODS)[number];

export const compare: AnalysisDefinition<CompareAnalysis, ComparePlan> = {
  kind: 'compare',
  signature: 'compare A vs B [paired] | compare X by GROUP [adjusting COVARIATES]',
  doc: '`compare A vs B paired` (paired t; `with test wilcoxon`) or `compare X by GROUP` (t / ANOVA; `with test welch | mann-whitney | kruskal`); `compare X by GROUP adjusting AGE, SEX` is an ANCOVA (type II F, adjusted means).',
  options: {
    test: { type: 'choice', values: ['student', 'welch', 'mann-whitney', 'wilcoxon', 'anova', 'kruskal'], doc: 'Student t by default (paired t for `vs ... paired`); `welch`, `mann-whitney`, `wilcoxon` (paired), `kruskal` (>2 groups).' },
    conf: CONF_OPTION,
    posthoc: { type: 'choice', values: [...POSTHOC_METHODS], doc: 'Pairwise comparisons after a k-group test (`compare X by GROUP`): `tukey` (Tukey HSD, as TukeyHSD), `games-howell` (unequal variances), `dunnett` (each group against `control`, as multcomp\'s glht single-step), `dunn` (Dunn\'s test on the ranks, after Kruskal-Wallis), `pairwise-t` (pooled SD, as pairwise.t.test), `pairwise-welch`, `pairwise-wilcoxon` (as pairwise.wilcox.test). Dunn and the pairwise tests are adjusted by `adjust` (default holm, as R).' },
    adjust: ADJUST_OPTION,
    control: { type: 'text', doc: 'The control group of `posthoc dunnett` (a level of GROUP, e.g. `control "untreated"`; default: the first level).' },
    alternative: ALTERNATIVE_OPTION,
    normality: { type: 'flag', doc: 'Shapiro-Wilk test (shapiro.test) of each group (`by`) or of the differences (`vs ... paired`), in a table of its own, to judge t versus rank tests.' },
  },
  role: { kind: 'plain' },
  parse(p) {
    const left = p.expr();
    if (p.eatWord('vs')) {
      const right = p.expr();
      return { form: 'vs', left, right, paired: !!p.eatWord('paired') };
    }
    if (p.eatWord('by')) {
      const right = p.expr();
      return { form: 'by', left, right, paired: false, ...(p.eatWord('adjusting') ? { adjusting: p.exprList() } : {}) };
    }
    return p.expected('`vs` or `by`');
  },
  exprs: (n) => [n.left, n.right, ...(n.adjusting ?? [])],
  check(n, c) {
    if (n.form === 'vs') { c.requireNumeric(n.left, '`compare`'); c.requireNumeric(n.right, '`compare`'); }
    else { c.requireNumeric(n.left, '`compare ... by`'); c.expr(n.right); for (const e of n.adjusting ?? []) c.expr(e); }
  },
  plan: (n, p) => (n.form === 'vs'
    ? { form: 'paired', a: p.expr(n.left), b: p.expr(n.right), paired: n.paired }
    : { form: 'by', y: p.expr(n.left), by: p.expr(n.right), ...(n.adjusting ? { adjusting: n.adjusting.map((e) => p.expr(e)) } : {}) }),
  run: runCompare,
  complete(c) {
    const form = c.has('vs') || c.has('by');
    c.body([...(form ? [] : [['by', 'Grouping variable'], ['vs', 'Two variables of the same subjects']] as [string, string][]), ...(c.has('vs') ? [['paired', 'Paired comparison']] as [string, string][] : []), ...(c.has('by') && !c.has('adjusting') ? [['adjusting', 'Covariates (ANCOVA)']] as [string, string][] : [])]);
  },
  example: 'compare miR-21 by response',
};

function groupLevels(c: Column, idx: number[]): string[] {
  const present = new Set(idx.map((i) => String(c.values[i])));
  if (c.type === 'categorical') return (c.levels ?? []).filter((l) => present.has(l));
  return [...present].sort((x, y) => Number(x) - Number(y));
}

function runCompare(a: ComparePlan, name: string, ctx: RunContext): CompareResult {
  if (a.form === 'by' && a.adjusting) return runAncova({ ...a, adjusting: a.adjusting }, name, ctx);
  const { name: cohort, rows } = singleCohort(a, ctx);
  const ev = new Evaluator(ctx.scope, rows);
  const n0 = rows.length;
  const alt = alternativeOf(a);
  const fill = (t: TestResult) => ({
    test: t.test, statistic: fin(t.statistic), df: Array.isArray(t.df) ? [fin(t.df[0]), fin(t.df[1])] as [number | null, number | null] : fin(t.df),
    p: fin(t.p), estimate: fin(t.estimate), ci: t.ci ? [fin(t.ci[0]), fin(t.ci[1])] as [number | null, number | null] : null,
    ...(t.estimateName ? { estimateName: t.estimateName } : {}),
  });
  if (a.form === 'paired') {
    if (a.options['posthoc'] !== undefined) throw new AnalysisError('`posthoc` compares the groups of `compare X by GROUP`; `compare A vs B` has no groups to compare pairwise.', a.optionRanges?.['posthoc'] ?? a.range);
    const xa = ev.numeric(a.a), xb = ev.numeric(a.b);
    if (a.paired) {
      const idx = completeIdx([{ values: xa }, { values: xb }], n0);
      const va = idx.map((i) => xa[i] as number), vb = idx.map((i) => xb[i] as number);
      const test = optStr(a, 'test', ['t', 'paired-t', 'wilcoxon'], 't');
      const t = test === 'wilcoxon' ? wilcoxonSignedRank(va, vb, { confInt: true, alternative: alt }) : pairedT(va, vb, { alternative: alt });
      const res: CompareResult = {
        name, kind: 'compare', cohort, n: idx.length, dropped: n0 - idx.length, ...fill(t), variable: `${exprText(a.a)} vs ${exprText(a.b)}`,
        groups: [{ label: exprText(a.a), values: va }, { label: exprText(a.b), values: vb }],
        pairs: idx.map((i, k) => ({ id: ctx.subjects[rows[i]], a: va[k], b: vb[k] })),
      };
      return finish(res, a, t, [{ label: `${exprText(a.a)} − ${exprText(a.b)}`, values: va.map((v, k) => v - vb[k]) }]);
    }
    const va = xa.filter((x): x is number => x !== null), vb = xb.filter((x): x is number => x !== null);
    const test = optStr(a, 'test', ['t', 'student', 'welch', 'mann-whitney'], 't');
    const t = test === 'mann-whitney' ? mannWhitney(va, vb, { confInt: true, alternative: alt }) : tTest(va, vb, { welch: test === 'welch', alternative: alt });
    const res: CompareResult = {
      name, kind: 'compare', cohort, n: va.length + vb.length, dropped: 2 * n0 - va.length - vb.length, ...fill(t), variable: `${exprText(a.a)} vs ${exprText(a.b)}`,
      groups: [{ label: exprText(a.a), values: va }, { label: exprText(a.b), values: vb }],
    };
    return finish(res, a, t, res.groups!);
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
    t = test === 'mann-whitney' ? mannWhitney(groups[0].values, groups[1].values, { confInt: true, alternative: alt }) : tTest(groups[0].values, groups[1].values, { welch: test === 'welch', alternative: alt });
  } else {
    if (alt !== 'two.sided') throw new AnalysisError(`\`alternative ${alt}\` needs two groups; "${exprText(a.by)}" has ${levels.length} (ANOVA and Kruskal-Wallis are not one-sided).`, a.optionRanges?.['alternative'] ?? a.range);
    const test = optStr(a, 'test', ['anova', 'welch', 'kruskal'], 'anova');
    t = test === 'kruskal' ? kruskalWallis(groups.map((x) => x.values)) : oneWayAnova(groups.map((x) => x.values), { varEqual: test !== 'welch' });
  }
  const res: CompareResult = { name, kind: 'compare', cohort, n: idx.length, dropped: n0 - idx.length, ...fill(t), variable: exprText(a.y), groups };
  const posthoc = posthocOf(a, groups.map((x) => ({ level: x.label, values: x.values })));
  if (posthoc) res.posthoc = posthoc;
  return finish(res, a, t, groups);
}

/** The alternative, the normality table (`with normality`) and the warnings of a result. */
function finish(res: CompareResult, a: ComparePlan, t: TestResult, samples: { label: string; values: number[] }[]): CompareResult {
  const alt: Alternative = alternativeOf(a);
  if (alt !== 'two.sided') res.alternative = alt;
  const warnings = [...t.warnings];
  if (a.options['normality'] !== undefined) res.normality = samples.map((s): NormalityRow => {
    try {
      const w = shapiroWilk(s.values);
      return { group: s.label, n: s.values.length, statistic: fin(w.statistic), p: fin(w.p) };
    } catch (e) {
      if (!(e instanceof StatsError)) throw e;
      warnings.push(`normality of ${s.label}: ${e.message}`);
      return { group: s.label, n: s.values.length, statistic: null, p: null };
    }
  });
  if (warnings.length) res.warnings = warnings;
  return res;
}

/** `with posthoc M [, adjust A]`: the pairwise comparisons of the groups (stats/tukey.ts, stats/pairwise.ts). */
function posthocOf(a: ComparePlan, groups: Group[]): PosthocTable | undefined {
  const method = a.options['posthoc'] === undefined ? undefined : optStr(a, 'posthoc', [...POSTHOC_METHODS], 'tukey') as PosthocMethod;
  if (a.options['control'] !== undefined && method !== 'dunnett') throw new AnalysisError('`control` names the control group of `posthoc dunnett`.', a.optionRanges?.['control'] ?? a.range);
  if (!method) return undefined;
  const adjust: PAdjustMethod = adjustOf(a, 'holm')!;
  const conf = typeof a.options['conf'] === 'number' ? a.options['conf'] : 0.95;
  const table = (r: PairwiseResult | ReturnType<typeof tukeyHsd>, statisticName: string, adj: string | null): PosthocTable => ({
    method: r.method, adjust: adj, statisticName,
    comparisons: r.comparisons.map((c) => ({ level: c.level, reference: c.reference, diff: fin(c.diff), ci: c.ci ? [fin(c.ci[0]), fin(c.ci[1])] : null, statistic: fin(c.statistic), p: fin(c.p) })),
  });
  switch (method) {
    case 'tukey': return table(tukeyHsd(groups, conf), 'q', 'Tukey');
    case 'games-howell': return table(gamesHowell(groups, conf), 't', 'Games-Howell');
    case 'dunnett': return dunnettTable(a, groups, conf);
    case 'dunn': return table(dunnTest(groups, adjust), 'z', P_ADJUST_LABEL[adjust]);
    case 'pairwise-t': return table(pairwiseT(groups, adjust), 't', P_ADJUST_LABEL[adjust]);
    case 'pairwise-welch': return table(pairwiseT(groups, adjust, false), 't', P_ADJUST_LABEL[adjust]);
    case 'pairwise-wilcoxon': return table(pairwiseWilcoxon(groups, adjust), 'W', P_ADJUST_LABEL[adjust]);
  }
}

/** `posthoc dunnett [, control LEVEL]`: each group against the control (stats/dunnett.ts), single-step. */
function dunnettTable(a: ComparePlan, groups: Group[], conf: number): PosthocTable {
  const c = a.options['control'];
  const control = c === undefined ? groups[0].level : String(c);
  if (!groups.some((g) => g.level === control)) throw new AnalysisError(`\`control\`: "${control}" is not a group here (groups: ${groups.map((g) => g.level).join(', ')}).`, a.optionRanges?.['control'] ?? a.range);
  const r = dunnett(groups, control, conf);
  return {
    method: r.method, adjust: 'single-step', statisticName: 't', control,
    comparisons: r.comparisons.map((x) => ({ level: x.level, reference: x.reference, diff: fin(x.diff), se: fin(x.se), ci: x.ci ? [fin(x.ci[0]), fin(x.ci[1])] : null, statistic: fin(x.statistic), p: fin(x.p) })),
  };
}
