/** `describe VARS [by GROUP]`: Table 1 (stats/descriptive.ts). */
import { ADJUST_OPTION, adjustOf, adjustRows } from './adjust';
import { describeTable, OneSidedError, type Cell, type DescribeOptions, type DescribeVariable } from '../stats/descriptive';
import type { AnalysisBase, Expr } from '../study/ast';
import { Evaluator, exprText, type EvalExpr } from '../study/eval';
import type { DescribeResult, DescribeRow } from '../../shared/report/types';
import { AnalysisError, fin, optStr, singleCohort, type RunContext } from './common';
import { ALTERNATIVE_OPTION, alternativeLabel, alternativeOf } from './alternative';
import type { AnalysisDefinition, PlanBase } from './types';

export interface DescribeAnalysis extends AnalysisBase { analysis: 'describe'; vars: Expr[]; by?: Expr }
export type DescribePlan = PlanBase & { kind: 'describe'; variables: EvalExpr[]; by?: EvalExpr };

const CATEGORICAL = ['chisq', 'chisq-yates', 'fisher'];

export const describe: AnalysisDefinition<DescribeAnalysis, DescribePlan> = {
  kind: 'describe',
  signature: 'describe VARS [by GROUP]',
  doc: '`describe VARS [by GROUP]` — Table 1: mean ± SD / median [IQR] / n (%), with t or chi-square p.',
  options: {
    test: { type: 'choice', values: ['student', 'welch', 'mann-whitney', 'anova', 'kruskal', 'chisq', 'chisq-yates', 'fisher'], doc: 'Test for group differences (default: Student t / ANOVA for numbers, Pearson chi-square for categories). `welch`: Welch t / ANOVA; `mann-whitney` / `kruskal`: rank tests, numbers shown as median (IQR); `chisq-yates`, `fisher` (fisher.test: 2×2 and r×c): the test for categorical rows.' },
    categorical: { type: 'choice', values: CATEGORICAL, doc: 'Test for categorical rows when `test` names a numeric test (default chisq, no continuity correction, as SPSS).' },
    summary: { type: 'choice', values: ['mean', 'median'], doc: 'Numbers as mean ± SD (default) or median (IQR); median also selects the rank tests.' },
    digits: { type: 'number', min: 0, max: 10, integer: true, doc: 'Decimals in the summaries.' },
    adjust: { ...ADJUST_OPTION, doc: `${ADJUST_OPTION.doc} The family is the rows' tests (one p per variable); the table gains an adjusted p column.` },
    alternative: { ...ALTERNATIVE_OPTION, doc: 'Two-group tests only (t, Mann-Whitney, Fisher 2 × 2): `less` / `greater` = the first group below / above the second (Fisher: odds ratio of the first row level, first group vs second, below / above 1). Refused for rows with more groups, chi-square or Fisher r × c.' },
  },
  role: { kind: 'plain' },
  parse(p) {
    const vars = p.exprList();
    return { vars, ...(p.eatWord('by') ? { by: p.expr() } : {}) };
  },
  exprs: (n) => (n.by ? [...n.vars, n.by] : n.vars),
  check(n, c) { for (const e of describe.exprs(n)) c.expr(e); },
  plan: (n, p) => ({ variables: n.vars.map(p.expr), ...(n.by ? { by: p.expr(n.by) } : {}) }),
  run: runDescribe,
  complete: (c) => c.body([['by', 'Grouping variable']]),
  example: 'describe age, sex by response',
};

function runDescribe(a: DescribePlan, name: string, ctx: RunContext): DescribeResult {
  const { name: cohort, rows } = singleCohort(a, ctx);
  const ev = new Evaluator(ctx.scope, rows);
  // `test` names the numeric test (student / anova = Student t or classical ANOVA; welch; mann-whitney / kruskal =
  // rank tests, rows as median (IQR)) or the categorical one (chisq, chisq-yates, fisher); `categorical` sets the
  // latter when `test` names a numeric test; `summary median` shows medians (with rank tests).
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
  const opts: DescribeOptions = { numericTest, categoricalTest, alternative: alternativeOf(a) };
  // `digits N`: the decimals shown in the summaries (mean, SD, median, quartiles).
  if (digits !== undefined) opts.decimals = Number(digits);
  if (a.by) {
    const g = ev.eval(a.by);
    by = exprText(a.by);
    if (seen.has(by)) by = `${by} (group)`;
    g.values.forEach((x, i) => { table[i][by!] = x; });
    if (g.type === 'categorical') opts.groupLevels = (g.levels ?? []).filter((l) => g.values.includes(l));
  }
  const t = oneSided(a, () => describeTable(table, specs, by, opts));
  const oneSidedLabel = alternativeLabel(opts.alternative!);
  const out: DescribeRow[] = t.rows.map((r) => {
    const row: DescribeRow = { variable: r.variable, type: r.type, overall: r.overall, groups: r.groups, test: r.test && oneSidedLabel ? `${r.test}, ${oneSidedLabel}` : r.test, statistic: fin(r.statistic), p: fin(r.p) };
    if (r.levels) row.levels = r.levels;
    return row;
  });
  // Row warnings from describeTable already name their variable (e.g. "sex: 1 of 4 expected counts ...").
  const warnings = [...t.warnings, ...t.rows.flatMap((r) => r.warnings.map((w) => (w.startsWith(`${r.variable}: `) ? w : `${r.variable}: ${w}`)))];
  const res: DescribeResult = { name, kind: 'describe', cohort, n: t.n, dropped: t.dropped, by: a.by ? exprText(a.by) : null, groupLevels: t.groupLevels, rows: out };
  const adjust = adjustOf(a);
  if (adjust && !a.by) throw new AnalysisError('`adjust` needs a test per row: add `by GROUP`.', a.optionRanges?.['adjust'] ?? a.range);
  if (adjust) {
    res.adjust = adjustRows(out, adjust);
  }
  if (warnings.length) res.warnings = warnings;
  return res;
}

/** A one-sided alternative refused by a row's test: an error on the option. */
function oneSided<T>(a: DescribePlan, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof OneSidedError) throw new AnalysisError(`Option "alternative": ${e.message}.`, a.optionRanges?.['alternative'] ?? a.range);
    throw e;
  }
}
