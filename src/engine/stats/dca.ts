/**
 * Decision curve analysis for a binary outcome as dcurves::dca: test positive = risk >= threshold,
 * NB(model) = TP/n - FP/n * pt / (1 - pt); treat all: prevalence - (1 - prevalence) * pt / (1 - pt); treat none: 0.
 * At pt = 1 the odds pt/(1 - pt) is infinite: NB is null there.
 */
import { StatsError } from './errors';

export interface DecisionCurve { thresholds: number[]; model: (number | null)[]; all: (number | null)[]; none: number[]; prevalence: number; n: number }

/** dcurves' default grid seq(0, 0.99, by = 0.01). */
export function defaultDcaThresholds(): number[] {
  return Array.from({ length: 100 }, (_, i) => i / 100);
}

export function decisionCurve(y: number[], p: number[], thresholds: number[] = defaultDcaThresholds()): DecisionCurve {
  if (y.length !== p.length) throw new StatsError(`decision curve: ${y.length} outcomes but ${p.length} predictions`);
  const n = y.length;
  if (n === 0) throw new StatsError('decision curve: no observations');
  let events = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new StatsError(`decision curve: outcome must be 0/1, got ${y[i]} at row ${i + 1}`);
    if (!(p[i] >= 0 && p[i] <= 1)) throw new StatsError(`decision curve: risk must be in [0, 1], got ${p[i]} at row ${i + 1}`);
    events += y[i];
  }
  for (const t of thresholds) if (!(t >= 0 && t <= 1)) throw new StatsError(`decision curve: threshold must be in [0, 1], got ${t}`);
  const prev = events / n;
  const model: (number | null)[] = [];
  const all: (number | null)[] = [];
  for (const pt of thresholds) {
    if (pt >= 1) { model.push(null); all.push(null); continue; }
    const w = pt / (1 - pt);
    let tp = 0, fp = 0;
    for (let i = 0; i < n; i++) if (p[i] >= pt) { if (y[i] === 1) tp++; else fp++; }
    model.push(tp / n - (fp / n) * w);
    all.push(prev - (1 - prev) * w);
  }
  return { thresholds: thresholds.slice(), model, all, none: thresholds.map(() => 0), prevalence: prev, n };
}
