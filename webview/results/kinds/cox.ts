/** cox: a forest plot of the hazard ratios; the partial effect of each spline term (log relative hazard, as rms::Predict). */
import type { CoxResult } from '../../../src/shared/report/types';
import { forestChart, type ChartKind } from '../chartKit';
import { partialEffectCharts } from '../partialEffect';

export const coxCharts: ChartKind<CoxResult> = {
  kind: 'cox',
  layout: 'beside',
  charts: (r) => [
    ...forestChart('forest', r.univariate ? 'Hazard ratios (univariate)' : 'Hazard ratios', 'HR', r.terms.map((t) => ({ term: t.term, est: t.hr, ci: t.ci }))),
    ...partialEffectCharts(r.partialEffects, 'log relative hazard'),
  ],
};
