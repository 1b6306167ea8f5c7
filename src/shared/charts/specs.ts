/**
 * Chart specs of a result (PURE: no DOM; unit-tested in plain Node): dispatched through the kinds registry
 * (kinds/index.ts; each kind's charts in kinds/<kind>.ts), plus the data behind a chart for CSV export.
 */
import type { AnalysisResult } from '../report/types';
import type { ChartSpec } from './chartSpec';
import type { ChartOptions } from './chartKit';
import { chartKind } from './kinds';
import { thinSpec } from './thin';

export { jitter, linearFit, logTicks, type ChartOptions } from './chartKit';
export { bestRow } from './kinds/correlate';

/**
 * The charts of a result as drawn (empty for results shown as tables only; large series thinned: thin.ts, unless
 * `o.allPoints`); an unknown kind is an error naming it.
 */
export function chartsFor(r: AnalysisResult, o: ChartOptions = {}): ChartSpec[] {
  const charts = chartKind(r.kind).charts(r, o);
  return o.allPoints ? charts : charts.map(thinSpec);
}

/** The data behind a chart as a table (CSV export of the plotted points). */
export function chartDataRows(spec: ChartSpec): string[][] {
  const rows: string[][] = [['series', 'x', 'y', 'y2', 'label']];
  spec.series.forEach((s, i) => {
    const name = ('label' in s && s.label) || `${s.type} ${i + 1}`;
    switch (s.type) {
      case 'line': case 'scatter': s.points.forEach((p) => rows.push([name, String(p.x), String(p.y), '', 'id' in p && p.id ? String(p.id) : ''])); break;
      case 'band': s.points.forEach((p) => rows.push([name, String(p.x), String(p.lo), String(p.hi), ''])); break;
      case 'segments': s.segments.forEach((g) => rows.push([name, `${g[0]}`, `${g[1]}`, '', `to ${g[2]}, ${g[3]}`])); break;
      case 'rects': s.rects.forEach((g) => rows.push([name, `${g[0]}`, `${g[1]}`, '', `to ${g[2]}, ${g[3]}`])); break;
      case 'text': break;
    }
  });
  return rows;
}
