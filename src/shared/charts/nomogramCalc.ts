/**
 * Nomogram calculator and layout (PURE). From the report's nomogram fields only:
 *  - a numeric predictor with a `terms` entry: points = (coef * value - min) * pointsPerUnit (exact, as rms);
 *    without one, points are interpolated linearly between the axis ticks (the axis is linear in the value);
 *  - a spline term's axis (non-monotone): points interpolated on its `curve` (201 values between its end ticks);
 *  - a predictor whose ticks are levels (strings, or a 0/1 indicator): the points of the chosen tick;
 *  - probability = plogis(intercept + total / pointsPerUnit); without those fields, interpolated on the logit scale
 *    between the `total` axis entries;
 *  - a Cox nomogram (`survival` axes and the `baseline` curve): lp = intercept + total / pointsPerUnit, survival at t =
 *    S0(last time ≤ t)^exp(lp), median = the first time with S0^exp(lp) ≤ 0.5 (rms Survival / Quantile).
 */
import type { NomogramResult } from '../report/types';
import { fmtNum, niceTicks } from '../report/format';
import { maxOf, minOf } from '../extent';

export type NomogramInput =
  | { term: string; kind: 'numeric'; min: number; max: number; default: number }
  | { term: string; kind: 'levels'; levels: { label: string; points: number }[]; default: string };

export interface NomogramScore {
  points: Record<string, number>; total: number; probability: number | null; outOfRange: string[];
  /** Cox nomograms: the value of each survival axis for this patient (null when not estimable). */
  survival?: { label: string; value: number | null }[];
}

const plogis = (x: number) => 1 / (1 + Math.exp(-x));
const qlogis = (p: number) => Math.log(p / (1 - p));

function isIndicator(ticks: { value: number | string }[]): boolean {
  return ticks.length === 2 && ticks.every((t) => t.value === 0 || t.value === 1);
}

/** One input per predictor axis. */
export function nomogramInputs(r: NomogramResult): NomogramInput[] {
  return r.axes.map((a): NomogramInput => {
    if (a.ticks.some((t) => typeof t.value === 'string') || isIndicator(a.ticks)) {
      const levels = a.ticks.map((t) => ({ label: typeof t.value === 'number' && isIndicator(a.ticks) ? (t.value === 1 ? 'yes (1)' : 'no (0)') : String(t.value), points: t.points }));
      return { term: a.term, kind: 'levels', levels, default: levels[0]?.label ?? '' };
    }
    const vals = a.ticks.map((t) => t.value as number);
    const min = minOf(vals), max = maxOf(vals);
    const sorted = [...vals].sort((x, y) => x - y);
    return { term: a.term, kind: 'numeric', min, max, default: sorted[Math.floor((sorted.length - 1) / 2)] ?? min };
  });
}

/** Linear interpolation (extrapolating at the ends) of y at x over points sorted by x. */
export function interp(xs: number[], ys: number[], x: number): number {
  if (xs.length === 1) return ys[0];
  let i = 1;
  while (i < xs.length - 1 && x > xs[i]) i++;
  const x0 = xs[i - 1], x1 = xs[i];
  return x1 === x0 ? ys[i] : ys[i - 1] + ((x - x0) / (x1 - x0)) * (ys[i] - ys[i - 1]);
}

/** Points of one predictor value. */
export function predictorPoints(r: NomogramResult, term: string, value: number | string): number | null {
  const axis = r.axes.find((a) => a.term === term);
  if (!axis) return null;
  if (typeof value === 'string') {
    const ind = isIndicator(axis.ticks);
    const t = axis.ticks.find((tk) => String(tk.value) === value || (ind && ((value === 'yes (1)' && tk.value === 1) || (value === 'no (0)' && tk.value === 0))));
    return t ? t.points : null;
  }
  if (!Number.isFinite(value)) return null;
  if (axis.curve?.length) return interp(axis.curve.map((c) => c.value), axis.curve.map((c) => c.points), value); // a spline axis
  const lp = r.terms?.find((t) => t.term === term);
  if (lp && typeof r.pointsPerUnit === 'number') return (lp.coef * value - lp.min) * r.pointsPerUnit;
  const ticks = axis.ticks.filter((t) => typeof t.value === 'number').sort((a, b) => (a.value as number) - (b.value as number));
  if (!ticks.length) return null;
  return interp(ticks.map((t) => t.value as number), ticks.map((t) => t.points), value);
}

/** Probability at a total number of points. */
export function probabilityAt(r: NomogramResult, total: number): number | null {
  if (typeof r.intercept === 'number' && typeof r.pointsPerUnit === 'number' && r.pointsPerUnit > 0) return plogis(r.intercept + total / r.pointsPerUnit);
  const t = r.total.filter((e) => e.probability > 0 && e.probability < 1).sort((a, b) => a.points - b.points);
  if (t.length < 2) return null;
  return plogis(interp(t.map((e) => e.points), t.map((e) => qlogis(e.probability)), total));
}

/** Survival axes of a Cox nomogram at a total number of points. */
export function survivalAt(r: NomogramResult, total: number): { label: string; value: number | null }[] | undefined {
  const b = r.baseline;
  if (!r.survival || !b || typeof r.intercept !== 'number' || typeof r.pointsPerUnit !== 'number' || !(r.pointsPerUnit > 0)) return undefined;
  const h = Math.exp(r.intercept + total / r.pointsPerUnit);
  return r.survival.map((s) => {
    if (s.time !== undefined) {
      const t = s.time;
      if (t > b.time[b.time.length - 1] + 1e-6) return { label: s.label, value: null };
      let k = 0;
      for (let j = 0; j < b.time.length && b.time[j] <= t + 1e-6; j++) k = j;
      return { label: s.label, value: Math.pow(b.surv[k], h) };
    }
    const q = s.quantile ?? 0.5;
    const j = b.surv.findIndex((v) => Math.pow(v, h) <= q);
    return { label: s.label, value: j < 0 ? null : b.time[j] };
  });
}

/** Total points and probability of a patient (values by axis term; levels by label). */
export function nomogramScore(r: NomogramResult, values: Record<string, number | string>): NomogramScore {
  const points: Record<string, number> = {};
  const outOfRange: string[] = [];
  let total = 0;
  let complete = true;
  for (const inp of nomogramInputs(r)) {
    const v = values[inp.term] ?? inp.default;
    const p = predictorPoints(r, inp.term, v);
    if (p === null) { complete = false; continue; }
    if (inp.kind === 'numeric' && typeof v === 'number' && (v < inp.min || v > inp.max)) outOfRange.push(inp.term);
    points[inp.term] = p;
    total += p;
  }
  if (r.survival) return { points, total, probability: null, outOfRange, survival: complete ? survivalAt(r, total) : r.survival.map((a) => ({ label: a.label, value: null })) };
  return { points, total, probability: complete ? probabilityAt(r, total) : null, outOfRange };
}

export interface NomogramRow { label: string; kind: 'points' | 'predictor' | 'total' | 'probability'; ticks: { x: number; label: string }[] }

/**
 * The rows of the drawn nomogram in rms order: Points (0..100), one axis per predictor (x = its points), Total
 * points (rescaled onto the same 0..100 width by `totalScale`) and the probability axis at its total points.
 */
export function nomogramLayout(r: NomogramResult): { rows: NomogramRow[]; totalMax: number; totalScale: number } | null {
  if (!r.axes.length) return null;
  const maxPts = Math.max(100, ...r.axes.flatMap((a) => a.ticks.map((t) => t.points)));
  const pointTicks = niceTicks(0, maxPts, 10);
  const sumMax = r.axes.reduce((s, a) => s + Math.max(0, ...a.ticks.map((t) => t.points)), 0);
  const top = Math.max(sumMax, ...r.total.map((t) => t.points), ...(r.survival ?? []).flatMap((a) => a.ticks.map((t) => t.points)));
  const t0 = niceTicks(0, top, 10);
  const step = t0.length > 1 ? t0[1] - t0[0] : top || 1;
  // a Cox nomogram carries rms's own total-points axis (pretty(c(0, sum.max))), which covers every survival tick
  const rmsTotals = r.totalPoints && r.totalPoints.length > 1 && maxOf(r.totalPoints) >= top ? r.totalPoints : undefined;
  const totalMax = rmsTotals ? maxOf(rmsTotals) : Math.ceil(top / step - 1e-9) * step;
  const totals = rmsTotals ?? Array.from({ length: Math.round(totalMax / step) + 1 }, (_, i) => Number((i * step).toPrecision(12)));
  const totalScale = maxPts / (totalMax || 1);
  const rows: NomogramRow[] = [{ label: 'Points', kind: 'points', ticks: pointTicks.map((v) => ({ x: v, label: fmtNum(v, 3) })) }];
  for (const a of r.axes) {
    rows.push({ label: a.term, kind: 'predictor', ticks: a.ticks.map((t) => ({ x: t.points, label: typeof t.value === 'number' ? fmtNum(t.value, 4) : t.value })) });
  }
  rows.push({ label: 'Total points', kind: 'total', ticks: totals.map((v) => ({ x: v * totalScale, label: fmtNum(v, 4) })) });
  for (const a of r.survival ?? []) {
    const ticks = a.ticks.filter((t) => t.points >= 0 && t.points <= totalMax);
    if (ticks.length) rows.push({ label: a.label, kind: 'probability', ticks: ticks.map((t) => ({ x: t.points * totalScale, label: fmtNum(t.value, a.time !== undefined ? 2 : 3) })) });
  }
  const probs = r.total.filter((t) => t.points >= 0 && t.points <= totalMax);
  if (probs.length) rows.push({ label: 'Probability', kind: 'probability', ticks: probs.map((t) => ({ x: t.points * totalScale, label: fmtNum(t.probability, 2) })) });
  return { rows, totalMax, totalScale };
}
