/**
 * What the chart builders of the kinds (kinds/<kind>.ts) share (PURE: no DOM): the view options, the shape of a
 * kind's chart entry, default sizes and small helpers (least-squares line, jitter, log ticks, forest plot).
 */
import type { AnalysisResult, Interval } from '../report/types';
import { finite, fmtNum } from '../report/format';
import type { ChartSpec, Tick } from './chartSpec';
import type { NomogramScore } from './nomogramCalc';
import { maxOf } from '../extent';

/** View options that change charts (kept in the webview state). */
export interface ChartOptions {
  /** correlate: the row variable shown in the scatter plot. */
  selectedRow?: string;
  /** km: draw confidence bands. */
  showCi?: boolean;
  /** nomogram: the calculator's patient, marked on the axes. */
  score?: NomogramScore | null;
  /** Every point, as the kind made it (the chart's data export); drawn charts are thinned (thin.ts). */
  allPoints?: boolean;
}

/**
 * How the panel arranges a result of the kind (webview/results/main.ts): charts above the tables, tables above
 * the charts, or the charts beside the first table. Interactive kinds (row selection, confidence bands,
 * calculator) have their own body in main.ts and use the layout for nothing else.
 */
export type ResultLayout = 'charts-first' | 'tables-first' | 'beside';

/** The webview side of one analysis kind: its charts (none for a table-only kind) and its layout. */
export interface ChartKind<R extends AnalysisResult> {
  kind: R['kind'];
  charts(r: R, o: ChartOptions): ChartSpec[];
  layout: ResultLayout;
}

export const W = 720;
export const H = 420;
export { finite };

/** Least-squares line y = a + b x (null with fewer than two distinct x). */
export function linearFit(pts: { x: number; y: number }[]): { a: number; b: number } | null {
  const n = pts.length;
  if (n < 2) return null;
  const mx = pts.reduce((s, p) => s + p.x, 0) / n;
  const my = pts.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0, sxy = 0;
  for (const p of pts) { sxx += (p.x - mx) ** 2; sxy += (p.x - mx) * (p.y - my); }
  if (!(sxx > 0)) return null;
  const b = sxy / sxx;
  return { a: my - b * mx, b };
}

/** Deterministic jitter in [-w, w] for the i-th point (golden-ratio sequence; stable across renders). */
export function jitter(i: number, w: number): number {
  return (((i * 0.6180339887498949) % 1) - 0.5) * 2 * w;
}

/** Round ticks for a log axis covering [lo, hi] (1-2-5 sequence). */
export function logTicks(lo: number, hi: number): Tick[] {
  const out: Tick[] = [];
  for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)) + 1; e++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(6));
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push({ value: v, label: fmtNum(v, 3) });
    }
  }
  return out.length >= 2 ? out : [{ value: lo, label: fmtNum(lo, 2) }, { value: hi, label: fmtNum(hi, 2) }];
}

export interface ForestRow { term: string; est: number | null; ci: Interval }

/** A forest plot of ratios (HR, OR) with their CIs on a log axis, one row per term, a dashed line at 1. */
export function forestChart(id: string, title: string, what: string, rows: ForestRow[]): ChartSpec[] {
  const ok = rows.filter((r) => finite(r.est) && (r.est as number) > 0);
  if (!ok.length) return [];
  const vals = ok.flatMap((r) => [r.est as number, ...r.ci.filter((v): v is number => finite(v) && v > 0)]).filter((v) => v > 1e-6 && v < 1e6);
  let lo = Math.min(1, ...vals) / 1.3, hi = Math.max(1, ...vals) * 1.3;
  lo = Math.max(lo, 1e-4); hi = Math.min(hi, 1e4);
  const k = rows.length;
  const y = (i: number) => k - 1 - i;
  const segs: [number, number, number, number][] = [];
  const marks: { x: number; y: number }[] = [];
  rows.forEach((r, i) => {
    if (!finite(r.est) || r.est <= 0) return;
    const a = finite(r.ci[0]) && r.ci[0] > 0 ? Math.max(lo, r.ci[0]) : r.est;
    const b = finite(r.ci[1]) ? Math.min(hi, r.ci[1]) : hi;
    segs.push([a, y(i), b, y(i)]);
    marks.push({ x: r.est, y: y(i) });
  });
  return [{
    id, title, width: W, height: Math.max(200, 70 + 38 * k),
    x: { label: `${what} (log scale)`, type: 'log', min: lo, max: hi, ticks: logTicks(lo, hi) },
    y: { label: '', min: -0.7, max: k - 0.3, ticks: rows.map((r, i) => ({ value: y(i), label: r.term })), grid: false },
    series: [
      { type: 'segments', colour: 'muted', dash: [4, 4], segments: [[1, -0.7, 1, k - 0.3]] },
      { type: 'segments', label: '95% CI', colour: 0, width: 2, segments: segs },
      { type: 'scatter', label: what, colour: 0, points: marks, marker: 'square', size: 6 },
    ],
    legend: false,
    padLeft: Math.min(260, 30 + 7 * maxOf(rows.map((r) => r.term.length))),
  }];
}
