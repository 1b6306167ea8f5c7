/**
 * Reclassification of two risk predictions of the same subjects: net reclassification improvement (NRI) and
 * integrated discrimination improvement (IDI), as Hmisc::improveProb(x1 = old, x2 = new, y) (Hmisc 4.8) and its
 * print method (z = index / SE, two-sided normal p, CI index -/+ qnorm((1 + level)/2) * SE).
 *
 * Continuous (category-free) NRI: an event "moves up" when new > old, down when new < old (Hmisc).
 * Categorical NRI with cut-offs c1 < c2 < ...: a risk's category is the number of cut-offs it exceeds (intervals
 * (0, c1], (c1, c2], ..., (ck, 1]); up / down = a higher / lower category under the new model (Pencina et al.,
 * Stat Med 2008). Its SE is Hmisc's: v = (up + down) / N^2 - (up - down)^2 / N^3 per outcome group, i.e. exactly
 * improveProb applied to the category codes (which is how the golden checks it).
 */
import { mean, variance } from './basic';
import { pnorm, qnorm } from './dist';
import { StatsError } from './errors';

/** One index with its SE, z, two-sided p and CI. */
export interface ImproveIndex { index: number; se: number; z: number; p: number; ci: [number, number] }

export interface NriResult {
  /** Proportions of events / non-events whose risk (category) goes up or down. */
  upEvents: number; downEvents: number; upNonEvents: number; downNonEvents: number;
  nri: ImproveIndex; events: ImproveIndex; nonEvents: ImproveIndex;
}

export interface ImproveProbResult {
  n: number; events: number; nonEvents: number;
  continuous: NriResult;
  /** Only with cut-offs. */
  categorical?: NriResult & { cutoffs: number[] };
  idi: ImproveIndex;
  /** Hmisc's improveSens (mean change in risk of events) and improveSpec (minus the mean change of non-events). */
  improveSens: number; improveSpec: number;
  confLevel: number;
}

function indexOf(index: number, se: number, confLevel: number): ImproveIndex {
  const q = qnorm((1 + confLevel) / 2);
  const z = index / se;
  return { index, se, z, p: 2 * pnorm(-Math.abs(z)), ci: [index - q * se, index + q * se] };
}

/** NRI from the direction of change of each subject (+1 up, -1 down, 0 unchanged). */
function nriOf(change: number[], y: number[], confLevel: number): NriResult {
  let upE = 0, downE = 0, upN = 0, downN = 0, na = 0, nb = 0;
  change.forEach((d, i) => {
    if (y[i] === 1) { na++; if (d > 0) upE++; else if (d < 0) downE++; } else { nb++; if (d > 0) upN++; else if (d < 0) downN++; }
  });
  const vEv = (upE + downE) / na ** 2 - (upE - downE) ** 2 / na ** 3;
  const vNe = (downN + upN) / nb ** 2 - (downN - upN) ** 2 / nb ** 3;
  const nriEv = upE / na - downE / na, nriNe = downN / nb - upN / nb;
  return {
    upEvents: upE / na, downEvents: downE / na, upNonEvents: upN / nb, downNonEvents: downN / nb,
    nri: indexOf(nriEv + nriNe, Math.sqrt(vEv + vNe), confLevel),
    events: indexOf(nriEv, Math.sqrt(vEv), confLevel), nonEvents: indexOf(nriNe, Math.sqrt(vNe), confLevel),
  };
}

/** The category of a risk: how many of the (sorted) cut-offs it exceeds. */
export function riskCategory(p: number, cutoffs: readonly number[]): number {
  let k = 0;
  while (k < cutoffs.length && p > cutoffs[k]) k++;
  return k;
}

/** NRI (continuous and, with `cutoffs`, categorical) and IDI of `pNew` over `pOld` for the 0/1 outcome `y`. */
export function improveProb(pOld: number[], pNew: number[], y: number[], opts: { cutoffs?: number[]; confLevel?: number } = {}): ImproveProbResult {
  const n = y.length;
  if (pOld.length !== n || pNew.length !== n) throw new StatsError(`NRI/IDI: ${n} outcomes but ${pOld.length} and ${pNew.length} predictions`);
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new StatsError(`NRI/IDI: the outcome must be 0/1 (found ${y[i]} at row ${i + 1})`);
    for (const p of [pOld[i], pNew[i]]) if (!(p >= 0 && p <= 1)) throw new StatsError(`NRI/IDI: predicted risks must be in [0, 1] (found ${p} at row ${i + 1})`);
  }
  const dEv: number[] = [], dNe: number[] = [];
  y.forEach((v, i) => (v === 1 ? dEv : dNe).push(pNew[i] - pOld[i]));
  if (dEv.length < 2 || dNe.length < 2) throw new StatsError('NRI/IDI: needs at least 2 events and 2 non-events');
  const confLevel = opts.confLevel ?? 0.95;
  const res: ImproveProbResult = {
    n, events: dEv.length, nonEvents: dNe.length, confLevel,
    continuous: nriOf(pNew.map((p, i) => p - pOld[i]), y, confLevel),
    idi: indexOf(mean(dEv) - mean(dNe), Math.sqrt(variance(dEv) / dEv.length + variance(dNe) / dNe.length), confLevel),
    improveSens: mean(dEv), improveSpec: -mean(dNe),
  };
  if (opts.cutoffs) {
    const cutoffs = opts.cutoffs.slice().sort((a, b) => a - b);
    if (!cutoffs.length || cutoffs.some((c, k) => !(c > 0 && c < 1) || (k > 0 && c === cutoffs[k - 1]))) throw new StatsError('NRI: cut-offs must be distinct risks strictly between 0 and 1');
    const change = pNew.map((p, i) => riskCategory(p, cutoffs) - riskCategory(pOld[i], cutoffs));
    res.categorical = { ...nriOf(change, y, confLevel), cutoffs };
  }
  return res;
}
