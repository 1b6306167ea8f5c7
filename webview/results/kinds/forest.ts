/** forest: the marker's HR (OR) per subgroup (rows labelled "variable: level") or per model, on a log axis. */
import type { ForestResult } from '../../../src/shared/report/types';
import { forestChart, type ChartKind } from '../chartKit';

export const forestCharts: ChartKind<ForestResult> = {
  kind: 'forest',
  layout: 'beside',
  charts: (r) => forestChart('forest', `${r.measure} of ${r.marker}`, r.measure, r.rows.map((x) => ({ term: x.variable !== undefined ? `${x.variable}: ${x.label}` : x.label, est: x.estimate, ci: x.ci }))),
};
