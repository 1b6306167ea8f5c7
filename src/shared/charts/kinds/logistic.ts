/** logistic: a forest plot of the odds ratios (no intercept, no spline columns); each spline term's partial effect. */
import type { LogisticResult } from '../../report/types';
import { forestChart, type ChartKind, type ForestRow } from '../chartKit';
import { isSplineColumn, partialEffectCharts } from '../partialEffect';

/** The forest plot's rows: each term's OR and CI (no intercept, no spline columns). */
export function logisticForestRows(r: LogisticResult): ForestRow[] {
  return r.terms.filter((t) => t.term !== '(Intercept)' && !isSplineColumn(r, t.term)).map((t) => ({ term: t.term, est: t.or, ci: t.ci }));
}

export const logisticCharts: ChartKind<LogisticResult> = {
  kind: 'logistic',
  layout: 'beside',
  charts: (r) => [
    ...forestChart('forest', 'Odds ratios', 'OR', logisticForestRows(r)),
    ...partialEffectCharts(r.partialEffects, 'log odds'),
  ],
};
