/** compare-models: the two models' ROC curves overlaid per evaluated cohort (logistic); Cox comparisons are tables only. */
import type { CompareModelsResult } from '../../report/types';
import { fmtFixed, pStatement } from '../../report/format';
import type { ChartSpec, Series } from '../chartSpec';
import type { ChartKind } from '../chartKit';
import { rocPoints } from './roc';

export const compareModelsCharts: ChartKind<CompareModelsResult> = {
  kind: 'compare-models',
  layout: 'charts-first',
  charts: (r) => r.evaluations.flatMap((e): ChartSpec[] => {
    if (!e.curves) return [];
    const series: Series[] = [
      { type: 'segments', colour: 'muted', dash: [4, 4], segments: [[0, 0, 1, 1]] },
      { type: 'line', label: `${r.model1}: AUC ${fmtFixed(e.value1, 3)}`, colour: 0, points: rocPoints(e.curves[0]), width: 2, dash: [6, 3] },
      { type: 'line', label: `${r.model2}: AUC ${fmtFixed(e.value2, 3)}`, colour: 1, points: rocPoints(e.curves[1]), width: 2 },
    ];
    return [{
      id: `roc-${e.cohort}`, title: `ROC curves (${e.cohort})`, subtitle: `ΔAUC ${fmtFixed(e.difference, 3)}, ${e.test} ${pStatement(e.p)}`,
      width: 560, height: 500, x: { label: '1 − specificity', min: 0, max: 1 }, y: { label: 'Sensitivity', min: 0, max: 1 }, series,
    }];
  }),
};
