/** R emitters of `logistic` (glm binomial: OR with Wald or profile CI) and `linear` (lm, drop1 F tests). */
import type { LinearResult } from '../../../shared/report/kinds/linear';
import type { LogisticResult } from '../../../shared/report/kinds/logistic';
import type { TableAnalysis } from '../../study/analysisTable';
import { bq, cohortData, column, columns, formula, modelTerms, put, type Emitter } from './r';

/** The fitted glm of a logistic model's table entry (R lines defining `dat` and `fit`); also used by roc. */
export function logisticFit(t: TableAnalysis): string[] {
  const y = column(t, 'outcome');
  const { setup, terms } = modelTerms(t, 'terms', 'dat');
  return [cohortData('dat', t.cohorts[0], [y, ...columns(t, 'terms')]), ...setup, `fit <- glm(${formula(bq(y), terms)}, family = binomial, data = dat)`];
}

export const emitLogistic: Emitter = ({ result, table }) => {
  const r = result as LogisticResult;
  const n = r.name;
  const conf = (r as { conf?: number }).conf ?? 0.95;
  const lines = [
    ...logisticFit(table),
    `s <- summary(fit)$coefficients`,
    `stopifnot(nrow(s) == ${r.terms.length})`,
    r.ci === 'profile' ? `ci <- exp(suppressMessages(confint(fit, level = ${conf})))  # profile likelihood` : `ci <- exp(confint.default(fit, level = ${conf}))  # Wald`,
  ];
  r.terms.forEach((_, k) => {
    const i = k + 1;
    lines.push(put(n, `terms.${k}.coef`, `s[${i}, 1]`), put(n, `terms.${k}.se`, `s[${i}, 2]`), put(n, `terms.${k}.wald`, `s[${i}, 3]^2`),
      put(n, `terms.${k}.p`, `s[${i}, 4]`), put(n, `terms.${k}.or`, `exp(s[${i}, 1])`), put(n, `terms.${k}.ci`, `ci[${i}, ]`));
  });
  lines.push(put(n, 'aic', 'AIC(fit)'), put(n, 'deviance', 'deviance(fit)'), put(n, 'nullDeviance', 'fit$null.deviance'),
    put(n, 'cIndex', 'auc(roc(fit$y, fitted(fit), levels = c(0, 1), direction = "<", quiet = TRUE))'),
    put(n, 'r2Nagelkerke', '(1 - exp((fit$deviance - fit$null.deviance) / nrow(dat))) / (1 - exp(-fit$null.deviance / nrow(dat)))'));
  return lines.join('\n');
};

export const emitLinear: Emitter = ({ result, table }) => {
  const r = result as LinearResult;
  const n = r.name;
  const y = column(table, 'outcome');
  const { setup, terms } = modelTerms(table, 'terms', 'dat');
  const lines = [
    cohortData('dat', table.cohorts[0], [y, ...columns(table, 'terms')]), ...setup,
    `fit <- lm(${formula(bq(y), terms)}, data = dat)`,
    `s <- summary(fit); cf <- s$coefficients; ci <- confint(fit, level = ${r.conf ?? 0.95})`,
    `stopifnot(nrow(cf) == ${r.terms.length})`,
  ];
  r.terms.forEach((_, k) => {
    const i = k + 1;
    lines.push(put(n, `terms.${k}.coef`, `cf[${i}, 1]`), put(n, `terms.${k}.se`, `cf[${i}, 2]`), put(n, `terms.${k}.t`, `cf[${i}, 3]`),
      put(n, `terms.${k}.p`, `cf[${i}, 4]`), put(n, `terms.${k}.ci`, `ci[${i}, ]`));
  });
  lines.push('dr <- drop1(fit, test = "F")  # F test of each term (type II for main effects)');
  (r.termTests ?? []).forEach((_, k) => {
    lines.push(put(n, `termTests.${k}.sumSq`, `dr[${k + 2}, "Sum of Sq"]`), put(n, `termTests.${k}.f`, `dr[${k + 2}, "F value"]`), put(n, `termTests.${k}.p`, `dr[${k + 2}, "Pr(>F)"]`));
  });
  lines.push(put(n, 'r2', 's$r.squared'), put(n, 'adjR2', 's$adj.r.squared'), put(n, 'sigma', 's$sigma'),
    put(n, 'f.statistic', 's$fstatistic[1]'), put(n, 'f.p', 'pf(s$fstatistic[1], s$fstatistic[2], s$fstatistic[3], lower.tail = FALSE)'));
  return lines.join('\n');
};
