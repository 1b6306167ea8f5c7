/**
 * R emitters of the analyses of a labelled logistic model in one or more cohorts: hosmer-lemeshow (as
 * ResourceSelection::hoslem.test, in base R), dca (net benefit, test positive = risk >= threshold, as dcurves) and
 * compare-models (likelihood-ratio test of nested fits, DeLong's paired test of the AUCs with pROC::roc.test).
 */
import type { AnalysisResult } from '../../../shared/report/types';
import type { TableAnalysis } from '../../study/analysisTable';
import { column, NotReproduced, put, rStr, rStrs, type EmitInput, type Emitter } from './r';
import { logisticFit } from './glm';

type Models = EmitInput['models'];

/** The labelled logistic model a consumer names (NotReproduced for a Cox model or an unknown name). */
function logisticModel(models: Models, name: string | undefined): { table: TableAnalysis; result: AnalysisResult } {
  const m = name === undefined ? undefined : models.get(name);
  if (!m || m.result.kind !== 'logistic') throw new NotReproduced('only analyses of a logistic model above are reproduced in this version');
  return m;
}

/** The columns a logistic model's rows need (outcome and terms). */
function modelColumns(t: TableAnalysis): string[] {
  return [column(t, 'outcome'), ...Object.entries(t.vars).filter(([p]) => p.startsWith('terms.')).map(([, c]) => c)];
}

/** R: `fit` of the model (fitted in its cohort), then `resp`/`pred` in `cohort` (rows complete for `cols`). */
export function predictions(t: TableAnalysis, cohort: string, cols: readonly string[] = modelColumns(t), fit = 'fit'): string[] {
  return [`nd <- na.omit(rows_of(${rStr(cohort)})[, ${rStrs(cols)}, drop = FALSE])`,
    `resp <- as01(nd[[${rStr(column(t, 'outcome'))}]]); pred <- predict(${fit}, newdata = nd, type = "response")`];
}

export const emitHosmerLemeshow: Emitter = ({ result, models }) => {
  const r = result as AnalysisResult & { model?: string; evaluations: { cohort: string; groups: number }[] };
  const m = logisticModel(models, r.model);
  const lines = [...logisticFit(m.table), 'hl <- function(y, p, g) {  # hoslem.test: type-7 quantile breaks, both columns summed',
    '  br <- unique(quantile(p, seq(0, 1, 1 / g))); grp <- cut(p, br, include.lowest = TRUE)',
    '  n <- tapply(y, grp, length); o <- tapply(y, grp, sum); e <- tapply(p, grp, sum); ok <- !is.na(n)',
    '  chisq <- sum((o - e)[ok]^2 / e[ok] + (o - e)[ok]^2 / (n - e)[ok]); df <- sum(ok) - 2',
    '  c(chisq, df, pchisq(chisq, df, lower.tail = FALSE))', '}'];
  r.evaluations.forEach((e, k) => {
    lines.push(...predictions(m.table, e.cohort), `h <- hl(resp, pred, ${e.groups})`,
      put(r.name, `evaluations.${k}.chisq`, 'h[1]'), put(r.name, `evaluations.${k}.df`, 'h[2]'), put(r.name, `evaluations.${k}.p`, 'h[3]'));
  });
  return lines.join('\n');
};

export const emitDca: Emitter = ({ result, models }) => {
  const r = result as AnalysisResult & { model?: string; evaluations: { cohort: string; thresholds: number[] }[] };
  const m = logisticModel(models, r.model);
  const lines = [...logisticFit(m.table),
    'nb <- function(y, p, t) sapply(t, function(pt) (sum(p >= pt & y == 1) - sum(p >= pt & y == 0) * pt / (1 - pt)) / length(y))',
    'nb_all <- function(y, t) mean(y) - (1 - mean(y)) * t / (1 - t)'];
  r.evaluations.forEach((e, k) => {
    lines.push(...predictions(m.table, e.cohort), `th <- c(${e.thresholds.filter((t) => t < 1).join(', ')})`,
      put(r.name, `evaluations.${k}.model`, 'nb(resp, pred, th)'), put(r.name, `evaluations.${k}.all`, 'nb_all(resp, th)'));
    if (e.thresholds.some((t) => t >= 1)) throw new NotReproduced('a threshold of 1 (no net benefit defined) is not reproduced');
  });
  return lines.join('\n');
};

export const emitCompareModels: Emitter = ({ result, models }) => {
  const r = result as AnalysisResult & { model1: string; model2: string; confLevel?: number;
    lrt?: { cohort: string } | null; evaluations: { cohort: string; measure: string; paired?: boolean }[]; };
  const [a, b] = [logisticModel(models, r.model1), logisticModel(models, r.model2)];
  const n = r.name;
  const lines = [...logisticFit(a.table), 'fit1 <- fit', ...logisticFit(b.table), 'fit2 <- fit'];
  const cols = [...new Set([...modelColumns(a.table), ...modelColumns(b.table)])];
  if (r.lrt) {
    lines.push('# likelihood-ratio test of the nested models, on the rows complete for both',
      ...predictions(a.table, r.lrt.cohort, cols, 'fit1'),
      `f1 <- update(fit1, data = nd); f2 <- update(fit2, data = nd); lr <- anova(f1, f2, test = "Chisq")`,
      put(n, 'lrt.chisq', 'lr$Deviance[2]'), put(n, 'lrt.df', 'lr$Df[2]'), put(n, 'lrt.p', 'lr[2, ncol(lr)]'),
      put(n, 'lrt.models.0.logLik', 'logLik(f1)'), put(n, 'lrt.models.1.logLik', 'logLik(f2)'),
      put(n, 'lrt.models.0.deviance', 'deviance(f1)'), put(n, 'lrt.models.1.deviance', 'deviance(f2)'));
  }
  r.evaluations.forEach((e, k) => {
    if (e.measure !== 'AUC' || e.paired === false) return;
    const p = `evaluations.${k}`;
    lines.push(...predictions(a.table, e.cohort, cols, 'fit1'), 'p1 <- pred', `p2 <- predict(fit2, newdata = nd, type = "response")`,
      'r1 <- roc(resp, p1, levels = c(0, 1), direction = "<", quiet = TRUE); r2 <- roc(resp, p2, levels = c(0, 1), direction = "<", quiet = TRUE)',
      `rt <- roc.test(r2, r1, method = "delong", paired = TRUE, conf.level = ${r.confLevel ?? 0.95})  # second model minus first`,
      put(n, `${p}.value1`, 'auc(r1)'), put(n, `${p}.value2`, 'auc(r2)'), put(n, `${p}.difference`, 'auc(r2) - auc(r1)'),
      put(n, `${p}.ci`, 'rt$conf.int'), put(n, `${p}.statistic`, 'rt$statistic'), put(n, `${p}.p`, 'rt$p.value'));
  });
  return lines.join('\n');
};
