/**
 * `with adjust holm | hochberg | hommel | bonferroni | bh | by`: multiple-testing adjustment of an analysis's family
 * of p-values, exactly as R's p.adjust (stats/padjust.ts). One option spec, one reader and one way of adjusting the rows
 * for every kind that yields a family (correlate and describe rows, univariate Cox terms, ROC comparisons).
 */
import { P_ADJUST_LABEL, P_ADJUST_METHODS, pAdjust, type PAdjustMethod } from '../stats/padjust';
import { optStr, type PlannedAnalysis } from './common';
import type { OptionSpec } from './types';

export const ADJUST_OPTION: OptionSpec = {
  type: 'choice', values: [...P_ADJUST_METHODS],
  doc: 'Adjust the p-values of the family for multiple testing, as R\'s p.adjust: `holm`, `hochberg`, `hommel`, `bonferroni`, `bh` (Benjamini-Hochberg FDR), `by` (Benjamini-Yekutieli).',
};

/** The `adjust` option of a plan, or `def` (undefined: no adjustment). */
export function adjustOf(a: PlannedAnalysis, def?: PAdjustMethod): PAdjustMethod | undefined {
  const v = a.options['adjust'];
  if (v === undefined) return def;
  return optStr(a, 'adjust', [...P_ADJUST_METHODS], def ?? 'holm') as PAdjustMethod;
}

/**
 * Adjusts a family in place: each row's `pAdjusted` is p.adjust of the rows' `p` (nulls stay null). Returns the
 * method's display name (R's spelling, e.g. BH), which the result records as `adjust`.
 */
export function adjustRows(rows: { p: number | null; pAdjusted?: number | null }[], method: PAdjustMethod): string {
  const adjusted = pAdjust(rows.map((r) => r.p), method);
  rows.forEach((r, i) => { r.pAdjusted = adjusted[i]; });
  return P_ADJUST_LABEL[method];
}
