/**
 * Standard curves: ordinary least squares of Cq on log10(quantity), every amplified replicate well a point.
 *
 * - Points: wells with task `standard`, a quantity > 0, a Cq, not omitted by the instrument (late Cqs are kept in the
 *   fit: the instrument reported amplification; they do count against the limit of detection below).
 * - slope, intercept, R², slope SE and 95 % CI (t with n - 2 df); E = 10^(-1/slope) (amplification factor),
 *   efficiency % = (E - 1) · 100, and the CI of E from the slope's CI endpoints (E is monotone in the slope).
 * - Limit of detection: the lowest quantity whose replicate wells all amplified (Cq present, ≤ qc max-cq, not omitted).
 * - Diagnostics: `std-efficiency` when E% is outside 90–110 %, `std-r2` when R² < 0.98, `std-too-few` with fewer than
 *   3 points or 2 levels.
 */
import type { EngineDiagnostic, Range } from '../common/diagnostic';
import { lineRange } from '../common/diagnostic';
import type { Plate, Well } from '../plate/model';
import { qt } from '../stats/dist';
import type { StandardCurve } from './types';
import { STD_EFFICIENCY_PERCENT, STD_EFFICIENCY_TEXT, STD_MIN_R2 } from '../../shared/qcThresholds';
import { wellSource } from '../plate/wellSource';

export function wellRange(w: Well): Range {
  return w.ranges.row ?? w.ranges.cq ?? w.ranges.sample ?? lineRange(w.line, 0, 1);
}

function isStandardWell(w: Well): boolean {
  return w.task === 'standard' && typeof w.quantity === 'number' && Number.isFinite(w.quantity) && w.quantity > 0;
}

export interface StandardCurveOptions { file: string; target: string; maxCq?: number }

/** Fits one curve from the standard wells of one target on one plate (other wells are ignored). */
export function standardCurve(wells: Well[], opts: StandardCurveOptions): StandardCurve {
  const std = wells.filter((w) => isStandardWell(w) && w.target === opts.target);
  const maxCq = opts.maxCq ?? Infinity;
  const diagnostics: EngineDiagnostic[] = [];
  const used = std.filter((w) => !w.omitted && w.cq !== null && Number.isFinite(w.cq));
  const points = used.map((w) => ({ log10q: Math.log10(w.quantity as number), cq: w.cq as number, well: { file: opts.file, index: w.index } }));
  const n = points.length;
  const levelSet = new Set(points.map((p) => p.log10q));
  const curve: StandardCurve = {
    file: opts.file, target: opts.target, points, n, levels: levelSet.size,
    slope: null, intercept: null, r2: null, efficiency: null, efficiencyPercent: null, slopeSe: null,
    slopeCi: null, efficiencyCi: null, lod: null, diagnostics,
  };

  // Limit of detection.
  const byQ = new Map<number, Well[]>();
  for (const w of std) { const q = w.quantity as number; if (!byQ.has(q)) byQ.set(q, []); byQ.get(q)!.push(w); }
  const qs = [...byQ.keys()].sort((a, b) => a - b);
  for (const q of qs) {
    const ws = byQ.get(q)!;
    if (ws.every((w) => !w.omitted && w.cq !== null && w.cq <= maxCq)) { curve.lod = q; break; }
  }

  const first = std[0];
  const range = first ? wellRange(first) : lineRange(0, 0, 1);
  if (n < 3 || levelSet.size < 2) {
    diagnostics.push({ code: 'std-too-few', severity: 'warning', message: `Standard curve of ${opts.target}: ${n} amplified standard wells at ${levelSet.size} levels; at least 3 wells at 2 levels are needed.`, file: opts.file, range });
    return curve;
  }
  const mx = points.reduce((s, p) => s + p.log10q, 0) / n;
  const my = points.reduce((s, p) => s + p.cq, 0) / n;
  let sxx = 0, sxy = 0, syy = 0;
  for (const p of points) { sxx += (p.log10q - mx) ** 2; sxy += (p.log10q - mx) * (p.cq - my); syy += (p.cq - my) ** 2; }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (const p of points) sse += (p.cq - intercept - slope * p.log10q) ** 2;
  curve.slope = slope;
  curve.intercept = intercept;
  curve.r2 = syy > 0 ? 1 - sse / syy : null;
  if (n > 2) {
    const se = Math.sqrt(sse / (n - 2) / sxx);
    curve.slopeSe = se;
    const t = qt(0.975, n - 2);
    curve.slopeCi = [slope - t * se, slope + t * se];
    const [lo, hi] = curve.slopeCi;
    if (hi < 0) {
      const e1 = Math.pow(10, -1 / lo), e2 = Math.pow(10, -1 / hi);
      curve.efficiencyCi = [Math.min(e1, e2), Math.max(e1, e2)];
    }
  }
  if (slope < 0) {
    curve.efficiency = Math.pow(10, -1 / slope);
    curve.efficiencyPercent = (curve.efficiency - 1) * 100;
  }
  const pct = curve.efficiencyPercent;
  if (pct === null || pct < STD_EFFICIENCY_PERCENT[0] || pct > STD_EFFICIENCY_PERCENT[1]) {
    diagnostics.push({ code: 'std-efficiency', severity: 'warning', message: `Standard curve of ${opts.target}: slope ${slope.toFixed(3)}, efficiency ${pct === null ? 'undefined' : pct.toFixed(1) + ' %'} (outside ${STD_EFFICIENCY_TEXT}).`, file: opts.file, range });
  }
  if (curve.r2 !== null && curve.r2 < STD_MIN_R2) {
    diagnostics.push({ code: 'std-r2', severity: 'warning', message: `Standard curve of ${opts.target}: R² = ${curve.r2.toFixed(4)} (< ${STD_MIN_R2}).`, file: opts.file, range });
  }
  return curve;
}

/** One curve per target that has standard wells with quantities on the plate. */
export function plateStandardCurves(plate: Plate, maxCq?: number): StandardCurve[] {
  const targets: string[] = [];
  const wells = wellSource(plate); // the plate's wells as an array only when it has standards
  for (let i = 0; i < wells.length; i++) { const w = wells.at(i); if (isStandardWell(w) && !targets.includes(w.target)) targets.push(w.target); }
  return targets.map((t) => standardCurve(plate.wells, { file: plate.file, target: t, maxCq }));
}
