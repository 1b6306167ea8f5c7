/** R emitter of `cox` (survival::coxph with the report's ties; Wald and profile-likelihood CIs; cox.zph). */
import type { CoxResult } from '../../../shared/report/kinds/cox';
import { bq, cohortData, column, columns, formula, modelTerms, NotReproduced, put, type Emitter } from './r';

export const emitCox: Emitter = ({ result, table }) => {
  const r = result as CoxResult;
  const n = r.name;
  if (Object.keys(table.vars).some((p) => p.startsWith('strata'))) throw new NotReproduced('stratified Cox models are not reproduced in this version of the export');
  const time = column(table, 'outcome.time');
  const event = column(table, 'outcome.event');
  const xs = columns(table, 'terms');
  const conf = (r as { conf?: number }).conf ?? 0.95;
  const surv = `Surv(${bq(time)}, ${bq(event)})`;
  const lines: string[] = [];
  const termLines = (k: number, i: number): void => {
    lines.push(put(n, `terms.${k}.coef`, `coef(fit)[${i}]`), put(n, `terms.${k}.se`, `se[${i}]`), put(n, `terms.${k}.hr`, `exp(coef(fit)[${i}])`),
      put(n, `terms.${k}.z`, `coef(fit)[${i}] / se[${i}]`), put(n, `terms.${k}.p`, `2 * pnorm(-abs(coef(fit)[${i}] / se[${i}]))`),
      put(n, `terms.${k}.ciWald`, `exp(coef(fit)[${i}] + c(-1, 1) * qnorm(${(1 + conf) / 2}) * se[${i}])`));
    if (r.ci === 'profile') lines.push(put(n, `terms.${k}.ciProfile`, `exp(pci[${i}, ])`));
  };
  const fit = (cols: string[], terms: { setup: string[]; terms: string[] } = { setup: [], terms: cols.map(bq) }) => [
    cohortData('dat', table.cohorts[0], [time, event, ...cols]), ...terms.setup,
    `fit <- coxph(${formula(surv, terms.terms)}, data = dat, ties = ${JSON.stringify(r.ties ?? 'efron')}, x = TRUE)`,
    'se <- sqrt(diag(fit$var))',
    ...(r.ci === 'profile' ? [`pci <- profile_ci_cox(fit, ${conf})`] : []),
  ];
  if (r.univariate) {
    if (r.terms.length !== xs.length || table.splines) throw new NotReproduced('a univariate table with categorical terms of several levels is not reproduced in this version');
    xs.forEach((x, k) => {
      lines.push(`# ${x} alone`, ...fit([x]), put(n, `terms.${k}.n`, 'fit$n'), put(n, `terms.${k}.events`, 'fit$nevent'));
      termLines(k, 1);
    });
    return lines.join('\n');
  }
  lines.push(...fit(xs, modelTerms(table, 'terms', 'dat')), `stopifnot(length(coef(fit)) == ${r.terms.length})`, 's <- summary(fit)');
  r.terms.forEach((_, k) => termLines(k, k + 1));
  lines.push(put(n, 'lrt.chisq', 's$logtest["test"]'), put(n, 'lrt.p', 's$logtest["pvalue"]'),
    put(n, 'wald.chisq', 'fit$wald.test'), put(n, 'wald.p', 's$waldtest["pvalue"]'),
    put(n, 'score.chisq', 's$sctest["test"]'), put(n, 'score.p', 's$sctest["pvalue"]'),
    put(n, 'concordance', 'fit$concordance["concordance"]'), put(n, 'loglik', 'fit$loglik'));
  if (r.ph) {
    lines.push('zph <- cox.zph(fit, transform = "km")$table  # Grambsch-Therneau test, KM transform');
    r.ph.rows.forEach((_, k) => lines.push(put(n, `ph.rows.${k}.chisq`, `zph[${k + 1}, "chisq"]`), put(n, `ph.rows.${k}.p`, `zph[${k + 1}, "p"]`)));
  }
  return lines.join('\n');
};
