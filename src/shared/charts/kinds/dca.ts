/** dca: net benefit of the model, treat all and treat none over the threshold probabilities, per cohort. */
import type { DcaResult } from '../../report/types';
import type { ChartSpec } from '../chartSpec';
import { finite, H, W, type ChartKind } from '../chartKit';
import { maxOf, minOf } from '../../extent';

export const dcaCharts: ChartKind<DcaResult> = {
  kind: 'dca',
  layout: 'charts-first',
  charts: (r) => r.evaluations.map((e) => {
    const pts = (ys: (number | null)[]) => e.thresholds.map((x, i) => ({ x, y: ys[i] })).filter((p): p is { x: number; y: number } => finite(p.x) && finite(p.y));
    const top = Math.max(0.05, ...e.model.filter(finite), ...e.all.filter(finite));
    return {
      id: `dca-${e.cohort}`, title: `Decision curve (${e.cohort})`, width: W, height: H,
      x: { label: 'Threshold probability', min: minOf(e.thresholds), max: maxOf(e.thresholds) },
      y: { label: 'Net benefit', min: -0.05, max: top * 1.08 },
      series: [
        { type: 'line', label: r.model, colour: 0, points: pts(e.model), width: 2 },
        { type: 'line', label: 'treat all', colour: 1, points: pts(e.all), width: 1.5, dash: [6, 3] },
        { type: 'line', label: 'treat none', colour: 'fg', points: pts(e.none), width: 1.5 },
      ],
    } satisfies ChartSpec;
  }),
};
