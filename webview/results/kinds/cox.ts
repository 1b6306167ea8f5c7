/** cox: a forest plot of the hazard ratios. */
import type { CoxResult } from '../../../src/shared/report/types';
import { forestChart, type ChartKind } from '../chartKit';

export const coxCharts: ChartKind<CoxResult> = {
  kind: 'cox',
  layout: 'beside',
  charts: (r) => forestChart('forest', r.univariate ? 'Hazard ratios (univariate)' : 'Hazard ratios', 'HR', r.terms.map((t) => ({ term: t.term, est: t.hr, ci: t.ci }))),
};
