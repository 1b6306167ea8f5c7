/** cox: a forest plot of the hazard ratios (spline columns left out); each spline term's partial effect (rms::Predict). */
import type { CoxResult } from '../../../src/shared/report/types';
import { forestChart, type ChartKind } from '../chartKit';
import { isSplineColumn, partialEffectCharts } from '../partialEffect';

export const coxCharts: ChartKind<CoxResult> = {
  kind: 'cox',
  layout: 'beside',
  charts: (r) => [
    ...forestChart('forest', r.univariate ? 'Hazard ratios (univariate)' : 'Hazard ratios', 'HR', r.terms.filter((t) => !isSplineColumn(r, t.term)).map((t) => ({ term: t.term, est: t.hr, ci: t.ci }))),
    ...partialEffectCharts(r.partialEffects, 'log relative hazard'),
  ],
};
