/** R emitter of `roc` (pROC: AUC, DeLong CI, Youden cut-off) for markers and for labelled logistic models. */
import type { RocResult } from '../../../shared/report/kinds/roc';
import { column, NotReproduced, put, rStr, rStrs, type EmitInput, type Emitter } from './r';
import { logisticFit } from './glm';
import { predictions } from './consumers';

/** R lines: `roc_of(response, predictor)` for one evaluation, and its numbers under `evaluations.K`. */
function evaluation(n: string, k: number, conf: number): string[] {
  const p = `evaluations.${k}`;
  return [
    `ro <- roc(resp, pred, levels = c(0, 1), direction = "auto", quiet = TRUE)`,
    `ci <- ci.auc(ro, conf.level = ${conf}, method = "delong")`,
    `best <- coords(ro, "best", best.method = "youden", ret = c("threshold", "sensitivity", "specificity"), transpose = TRUE)`,
    put(n, `${p}.auc`, 'auc(ro)'), put(n, `${p}.ci`, 'ci[c(1, 3)]'),
    `if (length(best) == 3) { ${put(n, `${p}.cutoff`, 'best[1]')}; ${put(n, `${p}.sensitivity`, 'best[2]')}; ${put(n, `${p}.specificity`, 'best[3]')} }`,
  ];
}

export const emitRoc: Emitter = ({ result, table, models }: EmitInput) => {
  const r = result as RocResult;
  const n = r.name;
  const conf = r.confLevel ?? 0.95;
  const lines = ['# the direction is chosen as pROC does ("auto": the cases\' median above or below the controls\')'];
  if (r.model) {
    const m = models.get(r.model);
    if (!m || m.result.kind !== 'logistic' || (r.predictors?.length ?? 1) > 1) throw new NotReproduced('ROC of several models, or of a model that is not a logistic model above, is not reproduced in this version');
    lines.push(...logisticFit(m.table));
    r.evaluations.forEach((e, k) => lines.push(...predictions(m.table, e.cohort), ...evaluation(n, k, conf)));
    return lines.join('\n');
  }
  const y = column(table, 'outcome');
  const markers = [column(table, 'marker'), ...Object.keys(table.vars).filter((p) => p.startsWith('more.')).map((p) => table.vars[p])];
  const texts = [r.predictor ?? '', ...(r.predictors ?? [])];
  lines.push('rocs <- list()');
  r.evaluations.forEach((e, k) => {
    const m = markers.find((c) => c === e.marker || c.startsWith(`${e.marker ?? '\u0000'} [`)) ?? (markers.length === 1 ? markers[0] : undefined);
    if (!m) throw new NotReproduced(`the marker of evaluation ${k + 1} (${e.marker ?? texts.join(', ')}) is not a column`);
    lines.push(`nd <- na.omit(rows_of(${rStr(e.cohort)})[, ${rStrs([y, m])}, drop = FALSE])`, `resp <- as01(nd[[${rStr(y)}]]); pred <- nd[[${rStr(m)}]]`, ...evaluation(n, k, conf), `rocs[[${k + 1}]] <- ro`);
  });
  // DeLong's paired test of each pair of markers, on the subjects with both markers (pROC::roc.test)
  (r.comparisons ?? []).forEach((c, k) => {
    const i = r.evaluations.findIndex((e) => e.cohort === c.cohort && e.marker === c.marker1);
    const j = r.evaluations.findIndex((e) => e.cohort === c.cohort && e.marker === c.marker2);
    if (i < 0 || j < 0) return;
    const [m1, m2] = [markers.find((x) => x === c.marker1), markers.find((x) => x === c.marker2)];
    if (!m1 || !m2) return;
    lines.push(`nd <- na.omit(rows_of(${rStr(c.cohort)})[, ${rStrs([y, m1, m2])}, drop = FALSE]); resp <- as01(nd[[${rStr(y)}]])`,
      `r1 <- roc(resp, nd[[${rStr(m1)}]], levels = c(0, 1), direction = rocs[[${i + 1}]]$direction, quiet = TRUE)`,
      `r2 <- roc(resp, nd[[${rStr(m2)}]], levels = c(0, 1), direction = rocs[[${j + 1}]]$direction, quiet = TRUE)`,
      `rt <- roc.test(r1, r2, method = "delong", paired = TRUE, conf.level = ${conf})`,
      put(n, `comparisons.${k}.difference`, 'auc(r1) - auc(r2)'), put(n, `comparisons.${k}.ci`, 'rt$conf.int'),
      put(n, `comparisons.${k}.z`, 'rt$statistic'), put(n, `comparisons.${k}.p`, 'rt$p.value'));
  });
  return lines.join('\n');
};
