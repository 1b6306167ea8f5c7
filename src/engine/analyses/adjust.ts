/**
 * `with adjust holm | hochberg | hommel | bonferroni | bh | by`: multiple-testing adjustment of an analysis's family
 * of p-values, exactly as R's p.adjust (stats/padjust.ts). One option spec and one reader for every kind that yields
 * a family (correlate rows, post-hoc comparisons).
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

/** The adjusted p-values of a family (nulls stay null) and the method's display name. */
export function adjusted(p: readonly (number | null)[], method: PAdjustMethod): { p: (number | null)[]; label: string } {
  return { p: pAdjust(p, method), label: P_ADJUST_LABEL[method] };
}
