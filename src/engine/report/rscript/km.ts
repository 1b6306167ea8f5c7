/** R emitter of `km` (survival::survfit medians with log CIs, survdiff's G-rho test). */
import type { KmResult } from '../../../shared/report/kinds/km';
import { bq, cohortData, column, NotReproduced, put, rStr, type Emitter } from './r';

export const emitKm: Emitter = ({ result, table }) => {
  const r = result as KmResult;
  const n = r.name;
  if (r.cutpoint) throw new NotReproduced('the maximally selected log-rank cut-point (maxstat) is outside base R, survival, rms and pROC');
  const time = column(table, 'outcome.time');
  const event = column(table, 'outcome.event');
  const g = table.vars.by;
  const conf = (r as { conf?: number }).conf ?? 0.95;
  const surv = `Surv(${bq(time)}, ${bq(event)})`;
  const lines = [
    cohortData('dat', table.cohorts[0], [time, event, ...(g ? [g] : [])]),
    `fit <- survfit(${surv} ~ ${g ? bq(g) : '1'}, data = dat, conf.int = ${conf})  # log CI (R's default)`,
    `tb <- summary(fit)$table; if (is.null(dim(tb))) tb <- t(tb)`,
    `stopifnot(nrow(tb) == ${r.groups.length})`,
  ];
  const lo = `${Math.round(conf * 100) / 100}LCL`;
  r.groups.forEach((_, k) => {
    const i = k + 1;
    lines.push(put(n, `groups.${k}.n`, `tb[${i}, "records"]`), put(n, `groups.${k}.events`, `tb[${i}, "events"]`), put(n, `groups.${k}.median`, `tb[${i}, "median"]`),
      put(n, `groups.${k}.medianCi`, `tb[${i}, c(${rStr(lo)}, ${rStr(lo.replace('LCL', 'UCL'))})]`));
  });
  if (r.atRisk) {
    lines.push(`ar <- summary(fit, times = c(${r.atRisk.times.join(', ')}), extend = TRUE)  # numbers at risk`,
      `grp <- if (is.null(ar$strata)) rep(1, length(ar$time)) else as.integer(ar$strata)`);
    r.atRisk.rows.forEach((_, k) => lines.push(put(n, `atRisk.rows.${k}.n`, `ar$n.risk[grp == ${k + 1}]`)));
  }
  if (g && r.logrank) {
    lines.push(`sd <- survdiff(${surv} ~ ${bq(g)}, data = dat, rho = ${r.logrank.rho ?? 0})`,
      put(n, 'logrank.chisq', 'sd$chisq'), put(n, 'logrank.p', 'pchisq(sd$chisq, length(sd$n) - 1, lower.tail = FALSE)'));
  }
  return lines.join('\n');
};
