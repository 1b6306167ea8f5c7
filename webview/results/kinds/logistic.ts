/** logistic: a forest plot of the odds ratios (the intercept left out); the partial effect of each spline term (log odds). */
import type { LogisticResult } from '../../../src/shared/report/types';
import { forestChart, type ChartKind } from '../chartKit';
import { partialEffectCharts } from '../partialEffect';

export const logisticCharts: ChartKind<LogisticResult> = {
  kind: 'logistic',
  layout: 'beside',
  charts: (r) => [
    ...forestChart('forest', 'Odds ratios', 'OR', r.terms.filter((t) => t.term !== '(Intercept)').map((t) => ({ term: t.term, est: t.or, ci: t.ci }))),
    ...partialEffectCharts(r.partialEffects, 'log odds'),
  ],
};
