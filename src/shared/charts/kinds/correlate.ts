/** correlate: a scatter plot of the selected row's variable against x (default: the smallest p) with a least-squares line. */
import type { CorrelateResult } from '../../report/types';
import { correlateMethodLabel } from '../../report/kinds/correlate';
import { fmtCi, fmtFixed, pStatement } from '../../report/format';
import type { Series } from '../chartSpec';
import { finite, H, linearFit, W, type ChartKind } from '../chartKit';
import { maxOf, minOf } from '../../extent';

/** The row shown by default: the smallest p. */
export function bestRow(r: CorrelateResult): CorrelateResult['rows'][number] | undefined {
  let best = r.rows[0];
  for (const x of r.rows) if (finite(x.p) && (!finite(best?.p) || x.p < (best.p as number))) best = x;
  return best;
}

export const correlateCharts: ChartKind<CorrelateResult> = {
  kind: 'correlate',
  layout: 'beside',
  charts(r, o) {
    const row = r.rows.find((x) => x.variable === o.selectedRow) ?? bestRow(r);
    if (!row) return [];
    const pts = (r.points?.[row.variable] ?? []).filter((p) => finite(p.x) && finite(p.y));
    const series: Series[] = [{ type: 'scatter', label: `subjects (n = ${pts.length})`, colour: 0, points: pts, opacity: 0.75 }];
    const fit = linearFit(pts);
    if (fit) {
      const xs = pts.map((p) => p.x);
      const x0 = minOf(xs), x1 = maxOf(xs);
      series.push({ type: 'line', label: 'least-squares line', colour: 1, points: [{ x: x0, y: fit.a + fit.b * x0 }, { x: x1, y: fit.a + fit.b * x1 }], width: 2 });
    }
    return [{
      id: `scatter-${row.variable}`, title: `${row.variable} vs ${r.x}`,
      subtitle: `${correlateMethodLabel(row.method)} = ${fmtFixed(row.r, 3)} (95% CI ${fmtCi(row.ci, 3)}), ${pStatement(row.p)}, n = ${row.n}`,
      width: W, height: H, x: { label: r.x }, y: { label: row.variable }, series,
    }];
  },
};
