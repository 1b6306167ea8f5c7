/** roc: one ROC curve per evaluated cohort with its Youden-optimal cutoff marked. */
import type { RocCurvePoint, RocResult } from '../../report/types';
import { fmtCi, fmtFixed, fmtNum, pStatement } from '../../report/format';
import type { Series } from '../chartSpec';
import { finite, type ChartKind } from '../chartKit';

/** The points of a ROC curve in the chart's (1 − specificity, sensitivity) space, left to right. */
export function rocPoints(curve: RocCurvePoint[]): { x: number; y: number }[] {
  return curve.filter((p) => finite(p.sensitivity) && finite(p.specificity)).map((p) => ({ x: 1 - p.specificity, y: p.sensitivity }))
    .sort((a, b) => a.x - b.x || a.y - b.y);
}

export const rocCharts: ChartKind<RocResult> = {
  kind: 'roc',
  layout: 'charts-first',
  charts(r) {
    const series: Series[] = [{ type: 'segments', colour: 'muted', dash: [4, 4], segments: [[0, 0, 1, 1]] }];
    r.evaluations.forEach((e, i) => {
      const pts = rocPoints(e.curve);
      series.push({ type: 'line', label: `${e.marker !== undefined ? `${e.marker} (${e.cohort})` : e.cohort}: AUC ${fmtFixed(e.auc, 3)} (${fmtCi(e.ci, 3)})`, colour: i, points: pts, width: 2 });
      if (finite(e.sensitivity) && finite(e.specificity)) {
        series.push({ type: 'scatter', colour: i, marker: 'diamond', size: 7, points: [{ x: 1 - e.specificity, y: e.sensitivity }] });
        series.push({ type: 'text', colour: i, texts: [{ x: 1 - e.specificity, y: e.sensitivity, text: `cutoff ${fmtNum(e.cutoff, 3)} (${fmtFixed(e.specificity, 2)}, ${fmtFixed(e.sensitivity, 2)})`, align: 'left', baseline: 'top', dx: 8, dy: 4 + 14 * i }] });
      }
    });
    const c = r.comparisons;
    const tests = !c ? '' : c.length === 1 ? `; ΔAUC ${fmtFixed(c[0].difference, 3)}, DeLong paired ${pStatement(c[0].pAdjusted ?? c[0].p)}` : '; pairwise DeLong tests in the table';
    return [{ id: 'roc', title: c ? 'ROC curves' : 'ROC curve', subtitle: `diamond: Youden-optimal cutoff (specificity, sensitivity)${tests}`, width: 560, height: 500, x: { label: '1 − specificity', min: 0, max: 1 }, y: { label: 'Sensitivity', min: 0, max: 1 }, series }];
  },
};
