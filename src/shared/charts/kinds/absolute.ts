/** absolute: per target, the standard curve over the standards' Cq range with the unknowns on it and their 95 % PI. */
import type { AbsoluteResult } from '../../report/types';
import type { ChartSpec } from '../chartSpec';
import type { ChartKind } from '../chartKit';
import { sampleItems } from '../thin';

function targetChart(r: AbsoluteResult, target: string, k: number, allPoints: boolean): ChartSpec | null {
  const all = r.samples.filter((s) => s.target === target && s.quantity !== null && s.ci !== null && s.cq !== null);
  // Bars and dots stay matched: a large set draws a sample of unknowns, stratified by Cq (thin.ts).
  const { items: rows, note: shown } = sampleItems(all, (s) => s.cq!, allPoints, 'unknowns', 'Cq');
  const curves = r.curves.filter((c) => c.target === target && c.slope !== null && c.intercept !== null && c.cqRange !== null);
  if (!rows.length || !curves.length) return null;
  const lines = curves.map((c) => {
    const [y1, y2] = c.cqRange!;
    return { type: 'line' as const, label: `curve ${c.file}`, colour: 'muted' as const, points: [y1, y2].map((y) => ({ x: (y - c.intercept!) / c.slope!, y })) };
  });
  return {
    id: `absolute-${k}`, title: `${target}: unknowns on the standard curve`, subtitle: `line: the curve over the standards' Cq range; bars: 95% prediction interval of log10 quantity${shown}`, width: 560, height: 360,
    x: { label: 'log10 quantity' }, y: { label: 'Cq' },
    series: [
      ...lines,
      { type: 'segments', colour: 0, segments: rows.map((s) => [Math.log10(s.ci![0]), s.cq!, Math.log10(s.ci![1]), s.cq!]) },
      { type: 'scatter', label: 'unknowns', colour: 0, points: rows.map((s) => ({ x: Math.log10(s.quantity!), y: s.cq!, id: s.sample })) },
    ],
    legend: false,
    ...(shown ? { thinned: true } : {}),
  };
}

export const absoluteCharts: ChartKind<AbsoluteResult> = {
  kind: 'absolute',
  layout: 'tables-first',
  charts(r, o) {
    return r.targets.map((t, k) => targetChart(r, t, k, o.allPoints === true)).filter((c): c is ChartSpec => c !== null);
  },
};
