/**
 * Survival predictions of a fitted Cox model as rms's cph(..., surv = TRUE) stores them and rms::Survival / Quantile
 * use them:
 *  - cph centres every column on its mean (coxph.fit with nocenter = NULL): lp = Xβ − Σ mean_j β_j (`center`);
 *  - the baseline curve is survfit.cph at lp = 0 (survfitcoxph.fit, no weights): at each distinct time t (events and
 *    censorings) with d deaths, risk-set sum r = Σ_{time ≥ t} exp(lp) and deaths' sum e, the hazard increment is
 *    d / r (Breslow) or Σ_{k<d} 1 / (r − k e / d) (Efron); S0 = exp(−cumulative hazard). cph keeps
 *    time = c(0, times), surv = c(1, S0);
 *  - Survival(f)(t, lp) = S0[last time ≤ t + 1e-6]^exp(lp), NA (null) beyond the last time (type = "step");
 *  - Quantile(f)(q, lp) = the smallest time with S0^exp(lp) ≤ q, NA when the curve never gets there.
 */
import { StatsError } from './errors';

export interface CoxBaseline { time: number[]; surv: number[] }

/** cph's centring: column means, center = Σ mean_j β_j, and the centred linear predictors. */
export function cphCentring(X: number[][], coef: number[]): { means: number[]; center: number; lp: number[] } {
  const n = X.length;
  if (!n) throw new StatsError('Cox predictions: no observations');
  const means = coef.map((_, j) => X.reduce((s, r) => s + r[j], 0) / n);
  const center = means.reduce((s, m, j) => s + m * coef[j], 0);
  const lp = X.map((r) => r.reduce((s, x, j) => s + x * coef[j], 0) - center);
  return { means, center, lp };
}

/** The baseline survival curve at lp = 0 (see the file comment); lp = centred linear predictors of the fit. */
export function coxBaseline(time: number[], status: number[], lp: number[], ties: 'efron' | 'breslow'): CoxBaseline {
  const n = time.length;
  if (n !== status.length || n !== lp.length) throw new StatsError('Cox baseline: time, status and lp lengths differ');
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a] - time[b]);
  const risk = lp.map(Math.exp);
  // distinct times ascending with deaths d, their risk sum e and the risk-set sum r (accumulated from the end)
  const times: number[] = [], d: number[] = [], e: number[] = [], atTime: number[] = [];
  for (let i = 0; i < n;) {
    const t = time[idx[i]];
    let di = 0, ei = 0, all = 0;
    for (; i < n && time[idx[i]] === t; i++) { all += risk[idx[i]]; if (status[idx[i]] === 1) { di++; ei += risk[idx[i]]; } }
    times.push(t); d.push(di); e.push(ei); atTime.push(all);
  }
  const r = new Array<number>(times.length);
  for (let k = times.length - 1, acc = 0; k >= 0; k--) { acc += atTime[k]; r[k] = acc; }
  const surv = [1];
  let H = 0;
  for (let k = 0; k < times.length; k++) {
    if (d[k] > 0) {
      if (ties === 'breslow') H += d[k] / r[k];
      else for (let j = 0; j < d[k]; j++) H += 1 / (r[k] - (j / d[k]) * e[k]);
    }
    surv.push(Math.exp(-H));
  }
  return { time: [0, ...times], surv };
}

/** Survival(f)(t, lp) of rms (type = "step"); null beyond the last time. */
export function coxSurvivalAt(b: CoxBaseline, t: number, lp: number): number | null {
  const last = b.time[b.time.length - 1];
  if (t > last + 1e-6) return null;
  let k = 0;
  for (let j = 0; j < b.time.length && b.time[j] <= t + 1e-6; j++) k = j;
  return Math.pow(b.surv[k], Math.exp(lp));
}

/** Quantile(f)(q, lp) of rms (type = "step"): the smallest time with survival ≤ q; null if never. */
export function coxSurvivalQuantile(b: CoxBaseline, q: number, lp: number): number | null {
  const h = Math.exp(lp);
  for (let j = 0; j < b.time.length; j++) if (Math.pow(b.surv[j], h) <= q) return b.time[j];
  return null;
}
