/**
 * cox: a forest plot of the hazard ratios (spline columns left out); each spline term's partial effect (rms::Predict);
 * with `ph-test`, the scaled Schoenfeld residuals of each term over time.
 */
import type { CoxResult } from '../../report/types';
import { fmtNum, pStatement } from '../../report/format';
import type { ChartSpec, Series, Tick } from '../chartSpec';
import { finite, forestChart, H, W, type ChartKind, type ForestRow } from '../chartKit';
import { isSplineColumn, partialEffectCharts } from '../partialEffect';
import { maxOf, minOf } from '../../extent';

/** Linear interpolation of y over ascending x (R's approx, rule 1: NaN outside). */
function approx(xs: number[], ys: number[], v: number): number {
  for (let i = 1; i < xs.length; i++) if (v <= xs[i]) return ys[i - 1] + ((ys[i] - ys[i - 1]) * (v - xs[i - 1])) / (xs[i] - xs[i - 1] || 1);
  return NaN;
}

/** plot.cox.zph's time axis: 8 times at 2 significant digits, placed at their g(t). */
function zphTicks(x: number[], time: number[]): Tick[] {
  const seen = new Set<number>();
  const keep = x.map((_, i) => i).filter((i) => !seen.has(x[i]) && !!seen.add(x[i]));
  const xs = keep.map((i) => x[i]), ts = keep.map((i) => time[i]);
  const lo = minOf(xs), hi = maxOf(xs);
  const ticks: Tick[] = [];
  for (let k = 1; k <= 8; k++) {
    const t = Number(approx(xs, ts, lo + ((hi - lo) * 2 * k) / 16).toPrecision(2));
    const at = approx(ts, xs, t);
    if (finite(at) && !ticks.some((tk) => tk.value === at)) ticks.push({ value: at, label: fmtNum(t, 4) });
  }
  return ticks;
}

/**
 * One chart per term of `with ph-test` (as survival's plot.cox.zph): residuals against g(t) = 1 - KM(t-), the natural-
 * spline smooth with its ± 2 SE band, and a dashed line at the model's coefficient (a flat smooth there = proportional hazards).
 */
function phCharts(r: CoxResult): ChartSpec[] {
  const res = r.ph?.residuals;
  if (!res || !res.x.length) return [];
  const ticks = zphTicks(res.x, res.time);
  const terms = r.ph!.rows.filter((row) => row.term !== 'GLOBAL');
  return terms.map((row, j) => {
    const pts = res.x.flatMap((x, i) => { const y = res.scaled[i][j]; return finite(y) ? [{ x, y }] : []; });
    const sm = res.smooth?.[j];
    const coef = r.terms.find((t) => t.term === row.term)?.coef;
    const ref = finite(coef) ? coef : 1; // a factor's residuals are collapsed by its coefficients and centred at 1
    const series: Series[] = [{ type: 'scatter', colour: 'muted', points: pts, size: 2.5, opacity: 0.8 }];
    if (sm) {
      series.push({ type: 'band', colour: 0, opacity: 0.12, points: sm.x.map((x, i) => ({ x, lo: sm.lower[i], hi: sm.upper[i] })) });
      series.push({ type: 'line', colour: 0, points: sm.x.map((x, i) => ({ x, y: sm.fit[i] })), width: 2, label: 'smooth (natural spline, 4 df)' });
      for (const ys of [sm.lower, sm.upper]) series.push({ type: 'line', colour: 0, dash: [5, 4], width: 1, points: sm.x.map((x, i) => ({ x, y: ys[i] })) });
    }
    series.push({ type: 'segments', colour: 1, dash: [2, 3], width: 1, segments: [[minOf(res.x), ref, maxOf(res.x), ref]], label: `coefficient ${fmtNum(ref, 3)}` });
    return {
      id: `ph-${j}`, title: `Scaled Schoenfeld residuals: ${row.term}`, subtitle: `PH test χ² = ${fmtNum(row.chisq, 4)}, df = ${row.df}, ${pStatement(row.p)}`,
      width: W, height: H, x: { label: 'Time (KM-transformed scale)', ticks }, y: { label: `Beta(t) for ${row.term}` }, series,
    };
  });
}

/** The forest plot's rows: each term's HR and CI (spline columns left out). */
export function coxForestRows(r: CoxResult): ForestRow[] {
  return r.terms.filter((t) => !isSplineColumn(r, t.term)).map((t) => ({ term: t.term, est: t.hr, ci: t.ci }));
}

export const coxCharts: ChartKind<CoxResult> = {
  kind: 'cox',
  layout: 'beside',
  charts: (r) => [
    ...forestChart('forest', r.univariate ? 'Hazard ratios (univariate)' : 'Hazard ratios', 'HR', coxForestRows(r)),
    ...partialEffectCharts(r.partialEffects, 'log relative hazard'),
    ...phCharts(r),
  ],
};
