/**
 * linear: with one numeric predictor, the scatter of the outcome against it with the fitted line; otherwise a
 * coefficient plot (estimates and CIs on the outcome's scale, the intercept left out, a line at 0).
 */
import type { LinearResult } from '../../report/types';
import { fmtFixed, fmtNum, niceTicks, pStatement } from '../../report/format';
import type { ChartSpec } from '../chartSpec';
import { finite, H, W, type ChartKind } from '../chartKit';
import { maxOf, minOf } from '../../extent';

function subtitle(r: LinearResult): string {
  return `R² = ${fmtFixed(r.r2, 3)}, adjusted R² = ${fmtFixed(r.adjR2, 3)}, F(${r.f.df1}, ${r.f.df2}) = ${fmtNum(r.f.statistic, 4)}, ${pStatement(r.f.p)}, n = ${r.n}`;
}

function scatter(r: LinearResult, predictor: string, pts: NonNullable<LinearResult['points']>): ChartSpec[] {
  const [b0, b1] = [r.terms[0]?.coef, r.terms[1]?.coef];
  const xs = pts.map((p) => p.x);
  const x0 = minOf(xs), x1 = maxOf(xs);
  return [{
    id: 'fit', title: `${r.outcome} vs ${predictor}`, subtitle: subtitle(r), width: W, height: H, x: { label: predictor }, y: { label: r.outcome },
    series: [
      { type: 'scatter', label: `subjects (n = ${pts.length})`, colour: 0, points: pts, opacity: 0.75 },
      ...(finite(b0) && finite(b1) && pts.length ? [{ type: 'line' as const, label: 'fitted line', colour: 1, points: [{ x: x0, y: b0 + b1 * x0 }, { x: x1, y: b0 + b1 * x1 }], width: 2 }] : []),
    ],
  }];
}

function coefficientPlot(r: LinearResult): ChartSpec[] {
  const rows = r.terms.filter((t) => t.term !== '(Intercept)' && finite(t.coef));
  if (!rows.length) return [];
  const k = rows.length;
  const y = (i: number) => k - 1 - i;
  const vals = rows.flatMap((t) => [t.coef as number, ...t.ci.filter(finite)]);
  const lo = Math.min(0, ...vals), hi = Math.max(0, ...vals), pad = (hi - lo) * 0.08 || 1;
  const ticks = niceTicks(lo - pad, hi + pad);
  return [{
    id: 'coefficients', title: 'Coefficients', subtitle: subtitle(r), width: W, height: Math.max(260, 130 + 40 * k), padLeft: 140,
    x: {
      label: `change in ${r.outcome} (${fmtNum(100 * r.conf, 3)}% CI)`, min: Math.min(lo - pad, ticks[0]), max: Math.max(hi + pad, ticks[ticks.length - 1]),
      ticks: ticks.map((v) => ({ value: v, label: fmtNum(v, 3) })),
    },
    y: { label: '', min: -0.7, max: k - 0.3, ticks: rows.map((t, i) => ({ value: y(i), label: t.term })), grid: false },
    series: [
      { type: 'segments', colour: 'muted', dash: [4, 4], segments: [[0, -0.7, 0, k - 0.3]] },
      { type: 'segments', label: `${fmtNum(100 * r.conf, 3)}% CI`, colour: 0, width: 2, segments: rows.flatMap((t, i) => (finite(t.ci[0]) && finite(t.ci[1]) ? [[t.ci[0], y(i), t.ci[1], y(i)] as [number, number, number, number]] : [])) },
      { type: 'scatter', label: 'estimate', colour: 0, points: rows.map((t, i) => ({ x: t.coef as number, y: y(i) })), marker: 'square', size: 6 },
    ],
  }];
}

export const linearCharts: ChartKind<LinearResult> = {
  kind: 'linear',
  layout: 'beside',
  charts: (r) => (r.predictor && r.points?.length ? scatter(r, r.predictor, r.points) : coefficientPlot(r)),
};
