/**
 * `with alternative two-sided | less | greater`: the alternative hypothesis of a two-sample, paired or correlation
 * test, as R's `alternative` argument (stats/tests.ts, stats/correlation.ts, stats/kendall.ts). One option spec and
 * one reader for compare, correlate and describe.
 */
import type { Alternative } from '../stats/tests';
import { optStr, type PlannedAnalysis } from './common';
import type { OptionSpec } from './types';

export const ALTERNATIVE_OPTION: OptionSpec = {
  type: 'choice', values: ['two-sided', 'less', 'greater'],
  doc: 'Alternative hypothesis (default two-sided). `less` / `greater`: the first sample lies below / above the second (for `compare X by G`, the first group level minus the second; for `compare A vs B`, A minus B; for correlations, a negative / positive association). One-sided CIs, as R.',
};

/** The plan's alternative in R's spelling ('two.sided' when the option is absent). */
export function alternativeOf(a: PlannedAnalysis): Alternative {
  const v = optStr(a, 'alternative', ['two-sided', 'less', 'greater'], 'two-sided');
  return v === 'two-sided' ? 'two.sided' : v as Alternative;
}

/** Words for a report's methods line: null for two-sided. */
export function alternativeLabel(alt: Alternative): string | null {
  return alt === 'two.sided' ? null : `one-sided (${alt})`;
}
