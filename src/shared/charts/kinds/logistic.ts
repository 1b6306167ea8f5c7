/** logistic: a forest plot of the odds ratios (no intercept, no spline columns); each spline term's partial effect. */
import type { LogisticResult } from '../../report/types';
import { forestChart, type ChartKind } from '../chartKit';
import { isSplineColumn, partialEffectCharts } from '../partialEffect';

export const logisticCharts: ChartKind<LogisticResult> = {
  kind: 'logistic',
  layout: 'beside',
  charts: (r) => [
    ...forestChart('forest', 'Odds ratios', 'OR', r.terms.filter((t) => t.term !== '(Intercept)' && !isSplineColumn(r, t.term)).map((t) => ({ term: t.term, est: t.or, ci: t.ci }))),
    ...partialEffectCharts(r.partialEffects, 'log odds'),
  ],
};
