/** nomogram: the points, total points and probability axes (nomogramCalc.ts lays them out), the calculator's patient marked. */
import type { NomogramResult } from '../../report/types';
import type { ChartSpec, Series } from '../chartSpec';
import { finite, type ChartKind } from '../chartKit';
import { nomogramLayout, type NomogramScore } from '../nomogramCalc';
import { maxOf, minOf } from '../../extent';

type Layout = NonNullable<ReturnType<typeof nomogramLayout>>;

/** Points in value order that never turn back (a linear term's axis; a spline's may not be). */
const monotone = (xs: number[]) => xs.every((x, i) => i === 0 || x >= xs[i - 1]) || xs.every((x, i) => i === 0 || x <= xs[i - 1]);

/** Axis lines, tick marks and labels (labels thinned where they would overlap). */
function axesSeries(L: Layout): Series[] {
  const segs: [number, number, number, number][] = [];
  const texts: Extract<Series, { type: 'text' }>['texts'] = [];
  L.rows.forEach((row, i) => {
    const y = -i;
    const xs = row.ticks.map((t) => t.x);
    segs.push([minOf(xs), y, maxOf(xs), y]);
    texts.push({ x: -3, y, text: row.label, align: 'right', baseline: 'middle', bold: row.kind !== 'predictor' });
    let last = -Infinity, lastBelow = -Infinity;
    const below = row.kind === 'predictor' && !monotone(row.ticks.map((t) => t.x)); // a spline axis: crowded labels go below
    for (const t of [...row.ticks].sort((a, b) => a.x - b.x)) {
      segs.push([t.x, y, t.x, y + 0.18]);
      if (t.x - last >= (row.kind === 'probability' ? 6 : 4.5) || row.kind === 'points' || row.kind === 'total') {
        texts.push({ x: t.x, y, text: t.label, align: 'center', baseline: 'bottom', dy: -10 });
        last = t.x;
      } else if (below && t.x - lastBelow >= 4.5) {
        texts.push({ x: t.x, y, text: t.label, align: 'center', baseline: 'top', dy: 4 });
        lastBelow = t.x;
      }
    }
  });
  return [{ type: 'segments', colour: 'fg', segments: segs, width: 1 }, { type: 'text', colour: 'fg', texts }];
}

/**
 * The patient's points on each predictor axis and the total on the total and probability axes (a Cox nomogram's
 * survival axes only where the total falls within the axis, e.g. not on a median axis the patient does not reach).
 */
function patientSeries(L: Layout, s: NomogramScore, cox: boolean): Series {
  const marks: { x: number; y: number }[] = [];
  const within = (row: Layout['rows'][number], x: number) => !cox || (x >= minOf(row.ticks.map((t) => t.x)) && x <= maxOf(row.ticks.map((t) => t.x)));
  L.rows.forEach((row, i) => {
    if (row.kind === 'predictor' && finite(s.points[row.label])) marks.push({ x: s.points[row.label], y: -i });
    if (row.kind === 'total' && finite(s.total)) marks.push({ x: s.total * L.totalScale, y: -i });
    if (row.kind === 'probability' && finite(s.total) && within(row, s.total * L.totalScale)) marks.push({ x: s.total * L.totalScale, y: -i });
  });
  return { type: 'scatter', label: 'this patient', colour: 1, points: marks, marker: 'diamond', size: 7 };
}

export const nomogramCharts: ChartKind<NomogramResult> = {
  kind: 'nomogram',
  layout: 'charts-first',
  charts(r, o): ChartSpec[] {
    const L = nomogramLayout(r);
    if (!L) return [];
    const s = o.score;
    const series = [...axesSeries(L), ...(s ? [patientSeries(L, s, !!r.survival)] : [])];
    const n = L.rows.length;
    return [{
      id: 'nomogram', title: `Nomogram (${r.model})`, subtitle: r.survival ? 'points per predictor; total points map to the predicted survival' : `points per predictor; total points map to the predicted probability`,
      width: 820, height: 60 + 52 * n,
      x: { label: '', min: -48, max: 104, hidden: true }, y: { label: '', min: -(n - 1) - 0.5, max: 0.9, hidden: true },
      series, legend: !!s,
    }];
  },
};
