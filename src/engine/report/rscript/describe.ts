/** R emitter of `describe` (Table 1): each row's test by the report's test name, between the `by` groups. */
import type { DescribeResult } from '../../../shared/report/kinds/describe';
import { column, pAdjustMethod, put, rStr, rStrs, type Emitter } from './r';

/** R's test of value `x` between groups `g` (a factor), by the report's name; undefined: not reproduced. */
const TESTS: Record<string, string> = {
  'Student t': 't.test(x ~ g, var.equal = TRUE)',
  'Welch t': 't.test(x ~ g)',
  'Mann-Whitney': 'wilcox.test(x ~ g)',
  ANOVA: 'oneway.test(x ~ g, var.equal = TRUE)',
  'Welch ANOVA': 'oneway.test(x ~ g)',
  'Kruskal-Wallis': 'kruskal.test(x ~ g)',
  'Pearson chi-square': 'chisq.test(table(x, g), correct = FALSE)',
  'Fisher exact': 'fisher.test(table(x, g))',
};

export const emitDescribe: Emitter = ({ result, table }) => {
  const r = result as DescribeResult;
  const n = r.name;
  if (!r.by) return '# no groups: nothing to test (the summaries are descriptive)';
  const g = column(table, 'by');
  const lines = [`dat <- rows_of(${rStr(table.cohorts[0])}); p <- c()`];
  r.rows.forEach((row, k) => {
    const test = row.test ? TESTS[row.test] : undefined;
    if (!test) { lines.push(`# ${row.variable}: ${row.test ?? 'no test'} not reproduced`, 'p <- c(p, NA)'); return; }
    const x = column(table, `variables.${k}`);
    lines.push(`sub <- droplevels(na.omit(dat[, ${rStrs([x, g])}, drop = FALSE])); x <- sub[[1]]; g <- factor(sub[[2]])`,
      `tt <- suppressWarnings(${test})  # ${row.variable}: ${row.test}`);
    if (row.statistic !== null && !row.test?.startsWith('Fisher')) lines.push(put(n, `rows.${k}.statistic`, 'tt$statistic'));
    lines.push(put(n, `rows.${k}.p`, 'tt$p.value'), 'p <- c(p, tt$p.value)');
  });
  if (r.adjust) {
    lines.push(`pa <- p.adjust(p, method = ${rStr(pAdjustMethod(r.adjust))})`);
    r.rows.forEach((row, k) => { if (row.pAdjusted !== undefined) lines.push(put(n, `rows.${k}.pAdjusted`, `pa[${k + 1}]`)); });
  }
  return lines.join('\n');
};
