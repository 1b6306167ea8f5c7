/**
 * Pure helpers of the plate editor's curve view (amplification and melt derivative plots): which wells to draw,
 * the plot frame (linear or log10 y), and which curve is under the mouse. No DOM: unit-tested in test/unit/host.
 */
import type { CurveSeriesView, PlateWellView } from '../../src/shared/plateProtocol';

/** Which curves are drawn: every shown well (the target filter), the selected well's replicate group, or the well. */
export type CurveScope = 'shown' | 'group' | 'well';

/** The wells whose curves are drawn, in the order of `shown`. */
export function curveWells(scope: CurveScope, shown: readonly PlateWellView[], all: readonly PlateWellView[], selected: number | undefined): Set<number> {
  const sel = selected !== undefined ? all[selected] : undefined;
  if (scope === 'well') return new Set(sel ? [sel.index] : []);
  if (scope === 'group') {
    if (!sel) return new Set();
    return new Set(all.filter((w) => w.sample === sel.sample && w.target === sel.target).map((w) => w.index));
  }
  return new Set(shown.map((w) => w.index));
}

export interface PlotBox { width: number; height: number; left: number; right: number; top: number; bottom: number }

export interface PlotFrame {
  x0: number; x1: number; y0: number; y1: number;
  /** True: y is drawn on a log10 axis (y0/y1 are log10 values). */
  log: boolean;
  px: (x: number) => number;
  /** Pixel row of a data value, or null when it cannot be drawn (non-finite, or ≤ 0 on a log axis). */
  py: (y: number) => number | null;
}

/**
 * The frame that holds every finite point of `series` (y > 0 on a log axis), with 4 % head room; null when there is
 * nothing to draw.
 */
export function plotFrame(series: readonly CurveSeriesView[], box: PlotBox, log: boolean): PlotFrame | null {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i], y = s.y[i];
      if (!Number.isFinite(x) || !Number.isFinite(y) || (log && y <= 0)) continue;
      const v = log ? Math.log10(y) : y;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (v < y0) y0 = v;
      if (v > y1) y1 = v;
    }
  }
  if (!Number.isFinite(x0) || !Number.isFinite(y0)) return null;
  if (x1 === x0) { x0 -= 1; x1 += 1; }
  if (y1 === y0) { y0 -= 1; y1 += 1; }
  const pad = (y1 - y0) * 0.04;
  y0 -= pad; y1 += pad;
  const w = box.width - box.left - box.right, hh = box.height - box.top - box.bottom;
  return {
    x0, x1, y0, y1, log,
    px: (x) => box.left + ((x - x0) / (x1 - x0)) * w,
    py: (y) => {
      if (!Number.isFinite(y) || (log && y <= 0)) return null;
      const v = log ? Math.log10(y) : y;
      return box.top + (1 - (v - y0) / (y1 - y0)) * hh;
    },
  };
}

/** Distance from (px, py) to the segment (ax, ay)–(bx, by). */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const len = dx * dx + dy * dy;
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** The well of the curve nearest to the pixel (mx, my), within `maxPx` pixels, or null. */
export function nearestCurve(series: readonly CurveSeriesView[], f: PlotFrame, mx: number, my: number, maxPx = 6): number | null {
  let best: number | null = null, bestD = maxPx;
  for (const s of series) {
    let prev: [number, number] | null = null;
    for (let i = 0; i < s.x.length; i++) {
      const y = f.py(s.y[i]);
      if (y === null || !Number.isFinite(s.x[i])) { prev = null; continue; }
      const cur: [number, number] = [f.px(s.x[i]), y];
      const d = prev ? segmentDistance(mx, my, prev[0], prev[1], cur[0], cur[1]) : Math.hypot(mx - cur[0], my - cur[1]);
      if (d <= bestD) { bestD = d; best = s.well; }
      prev = cur;
    }
  }
  return best;
}

/** Log-axis ticks: the powers of ten within [lo, hi] (log10 values), at least the two ends. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) out.push(e === 0 ? 0 : e); // never -0
  return out.length >= 2 ? out : [lo, hi];
}
