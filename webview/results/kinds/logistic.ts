/** logistic: a forest plot of the odds ratios (the intercept left out). */
import type { LogisticResult } from '../../../src/shared/report/types';
import { forestChart, type ChartKind } from '../chartKit';

export const logisticCharts: ChartKind<LogisticResult> = {
  kind: 'logistic',
  layout: 'beside',
  charts: (r) => forestChart('forest', 'Odds ratios', 'OR', r.terms.filter((t) => t.term !== '(Intercept)').map((t) => ({ term: t.term, est: t.or, ci: t.ci }))),
};
