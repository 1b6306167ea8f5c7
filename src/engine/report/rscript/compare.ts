/**
 * R emitter of `compare`: the test the report names (Student / Welch / paired t, Mann-Whitney and Wilcoxon with
 * Hodges-Lehmann estimates, one-way ANOVA, Kruskal-Wallis, ANCOVA by drop1), Tukey's HSD, Dunn's test and Shapiro-Wilk.
 */
import type { CompareResult } from '../../../shared/report/kinds/compare';
import { bq, cohortData, column, columns, formula, NotReproduced, pAdjustMethod, put, rAlternative, rStr, rStrs, type Emitter } from './r';

/** R's call of a two-sample test on vectors `a` and `b` (the report's test name → the call). */
function twoSample(test: string, alt: string, conf: number): string | undefined {
  const common = `alternative = ${alt}, conf.level = ${conf}`;
  switch (test) {
    case 'Student t': return `t.test(a, b, var.equal = TRUE, ${common})`;
    case 'Welch t': return `t.test(a, b, ${common})`;
    case 'paired t': return `t.test(a, b, paired = TRUE, ${common})`;
    case 'Mann-Whitney': return `wilcox.test(a, b, conf.int = TRUE, ${common})`;
    case 'Wilcoxon signed-rank': return `wilcox.test(a, b, paired = TRUE, conf.int = TRUE, ${common})`;
    default: return undefined;
  }
}

export const emitCompare: Emitter = ({ result, table }) => {
  const r = result as CompareResult;
  const n = r.name;
  const conf = (r as { conf?: number }).conf ?? 0.95;
  const alt = rAlternative(r.alternative);
  const lines: string[] = [];
  const paired = 'a' in table.vars;
  const y = paired ? '' : column(table, 'y');
  const g = paired ? '' : column(table, 'by');
  if (paired) {
    const [a, b] = [column(table, 'a'), column(table, 'b')];
    lines.push(cohortData('dat', table.cohorts[0], [a, b]), `a <- dat[[${rStr(a)}]]; b <- dat[[${rStr(b)}]]`);
  } else {
    const adj = columns(table, 'adjusting');
    lines.push(cohortData('dat', table.cohorts[0], [y, g, ...adj]),
      `dat$g <- factor(as.character(dat[[${rStr(g)}]]), levels = ${rStrs((r.groups ?? []).map((x) => x.label))})`,
      `a <- dat[[${rStr(y)}]][dat$g == levels(dat$g)[1]]; b <- dat[[${rStr(y)}]][dat$g == levels(dat$g)[2]]`);
    if (r.ancova) {
      lines.push(`fit <- lm(${formula(bq(y), ['g', ...adj.map(bq)])}, data = dat)`, 'dr <- drop1(fit, test = "F")  # type II F of each term');
      r.ancova.terms.forEach((_, k) => lines.push(put(n, `ancova.terms.${k}.sumSq`, `dr[${k + 2}, "Sum of Sq"]`), put(n, `ancova.terms.${k}.f`, `dr[${k + 2}, "F value"]`), put(n, `ancova.terms.${k}.p`, `dr[${k + 2}, "Pr(>F)"]`)));
      lines.push(put(n, 'statistic', 'dr[2, "F value"]'), put(n, 'p', 'dr[2, "Pr(>F)"]'));
      if (r.groups?.length === 2) {
        lines.push('# adjusted difference in means: first group minus second', put(n, 'estimate', '-coef(fit)[2]'), put(n, 'ci', `-rev(confint(fit, level = ${conf})[2, ])`));
      }
      return lines.join('\n');
    }
  }
  const call = twoSample(r.test, alt, conf);
  if (call) {
    lines.push(`tt <- ${call}`, put(n, 'statistic', 'tt$statistic'), put(n, 'p', 'tt$p.value'));
    if (r.df !== null && r.df !== undefined) lines.push(put(n, 'df', 'tt$parameter'));
    if (r.estimate !== null && r.estimate !== undefined) {
      lines.push(put(n, 'estimate', r.test.endsWith(' t') && !paired ? 'tt$estimate[1] - tt$estimate[2]' : 'tt$estimate'), put(n, 'ci', 'tt$conf.int'));
    }
    return lines.join('\n');
  }
  if (paired) throw new NotReproduced(`the test "${r.test}" is not reproduced in this version`);
  const f = `dat[[${rStr(y)}]] ~ dat$g`;
  if (r.test === 'ANOVA' || r.test === 'Welch ANOVA') {
    lines.push(`ow <- oneway.test(${f}, var.equal = ${r.test === 'ANOVA' ? 'TRUE' : 'FALSE'})`, put(n, 'statistic', 'ow$statistic'), put(n, 'df', 'ow$parameter'), put(n, 'p', 'ow$p.value'));
  } else if (r.test === 'Kruskal-Wallis') {
    lines.push(`kw <- kruskal.test(${f})`, put(n, 'statistic', 'kw$statistic'), put(n, 'df', 'kw$parameter'), put(n, 'p', 'kw$p.value'));
  } else throw new NotReproduced(`the test "${r.test}" is not reproduced in this version`);
  if (r.posthoc) lines.push(...posthoc(r, f, conf));
  for (const [k, g] of (r.normality ?? []).entries()) {
    if (g.statistic === null) continue; // fewer than 3 or more than 5000 values: no test (shapiro.test stops)
    lines.push(`sw <- shapiro.test(dat[[${rStr(y)}]][dat$g == ${rStr(g.group)}])  # normality of ${g.group}`,
      put(n, `normality.${k}.statistic`, 'sw$statistic'), put(n, `normality.${k}.p`, 'sw$p.value'));
  }
  return lines.join('\n');
};

/** Tukey's HSD (TukeyHSD; q = |difference| / its standard error) and Dunn's test (rank means, tie-corrected, p.adjust). */
function posthoc(r: CompareResult, f: string, conf: number): string[] {
  const h = r.posthoc!;
  const n = r.name;
  const rows = (stat: (c: { level: string; reference: string }) => string[]) => h.comparisons.flatMap((c, k) => stat(c).map((line) => line.replace(/\$K/g, String(k))));
  if (h.method === 'Tukey HSD') {
    return [`a <- aov(${f}); tk <- TukeyHSD(a, conf.level = ${conf})[[1]]; mse <- sum(residuals(a)^2) / a$df.residual; ng <- table(dat$g)`,
      ...rows((c) => {
        const row = rStr(`${c.level}-${c.reference}`);
        return [put(n, 'posthoc.comparisons.$K.diff', `tk[${row}, "diff"]`), put(n, 'posthoc.comparisons.$K.ci', `tk[${row}, c("lwr", "upr")]`),
          put(n, 'posthoc.comparisons.$K.statistic', `abs(tk[${row}, "diff"]) / sqrt(mse / 2 * (1 / ng[[${rStr(c.level)}]] + 1 / ng[[${rStr(c.reference)}]]))`),
          put(n, 'posthoc.comparisons.$K.p', `tk[${row}, "p adj"]`)];
      })];
  }
  if (h.method === "Dunn's test") {
    return ['rk <- rank(dat[[1]][!is.na(dat$g)]);  # dat[[1]] is the compared variable\n' + ' gg <- dat$g[!is.na(dat$g)]; N <- length(rk); ties <- table(rk)',
      's2 <- N * (N + 1) / 12 - sum(ties^3 - ties) / (12 * (N - 1)); rmean <- tapply(rk, gg, mean); ng <- table(gg); z <- c()',
      ...rows((c) => [`z <- c(z, (rmean[[${rStr(c.level)}]] - rmean[[${rStr(c.reference)}]]) / sqrt(s2 * (1 / ng[[${rStr(c.level)}]] + 1 / ng[[${rStr(c.reference)}]])))`,
        put(n, 'posthoc.comparisons.$K.statistic', 'tail(z, 1)')]),
      `pd <- p.adjust(2 * pnorm(-abs(z)), method = ${rStr(pAdjustMethod(h.adjust ?? 'none'))})`,
      ...rows(() => [put(n, 'posthoc.comparisons.$K.p', 'pd[$K + 1]')])];
  }
  return [`# post-hoc ${h.method}: not reproduced (outside base R, survival, rms and pROC)`];
}
