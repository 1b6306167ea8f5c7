/** R emitter of `correlate` (cor.test per variable; Fisher-z CI of Pearson's r; p.adjust over the rows). */
import type { CorrelateResult } from '../../../shared/report/kinds/correlate';
import { column, pAdjustMethod, put, rAlternative, rStr, rStrs, type Emitter } from './r';

export const emitCorrelate: Emitter = ({ result, table }) => {
  const r = result as CorrelateResult;
  const n = r.name;
  const x = column(table, 'x');
  const alt = rAlternative((r as { alternative?: string }).alternative);
  const lines = [`dat <- rows_of(${rStr(table.cohorts[0])}); p <- c()`];
  r.rows.forEach((row, k) => {
    const y = column(table, `ys.${k}`);
    lines.push(`ok <- complete.cases(dat[, ${rStrs([x, y])}])`,
      `ct <- cor.test(dat[[${rStr(x)}]][ok], dat[[${rStr(y)}]][ok], method = ${rStr(row.method)}, alternative = ${alt})`,
      put(n, `rows.${k}.r`, 'ct$estimate'), `p <- c(p, ct$p.value)`);
    // Pearson's test is exact in R; Spearman's and Kendall's p have exact and asymptotic variants (ties), not compared.
    if (row.method === 'pearson') lines.push(put(n, `rows.${k}.p`, 'ct$p.value'), put(n, `rows.${k}.statistic`, 'ct$statistic'), put(n, `rows.${k}.ci`, 'ct$conf.int'));
  });
  if (r.adjust && r.rows.every((row) => row.method === 'pearson')) {
    lines.push(`pa <- p.adjust(p, method = ${rStr(pAdjustMethod(r.adjust))})`);
    r.rows.forEach((_, k) => lines.push(put(n, `rows.${k}.pAdjusted`, `pa[${k + 1}]`)));
  }
  return lines.join('\n');
};
