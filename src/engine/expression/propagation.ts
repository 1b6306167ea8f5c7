/**
 * Step 9 of the pipeline (expression.ts): standard errors and 95 % intervals of the relative quantities.
 *
 * qbase+ model (Hellemans et al. 2007, Genome Biology 8:R19), per gene g with amplification factor E_g (SE_E from its
 * standard curves; 0 when stated or assumed):
 * - SE of a replicate mean Cq = SD / sqrt(n) (unknown with fewer than two replicates);
 * - RQ = E_g^(m_g - Cq), m_g the arithmetic mean of gene g's replicate-mean Cqs over every sample that has one (a
 *   constant: it cancels in CNRQ and only sets the efficiency term of the error); SE by `powerRelSe`;
 * - NF = geometric mean of the references' RQ in the sample, NRQ = RQ_target / NF;
 * - with calibrator samples: CNRQ = NRQ / geometric mean of the calibrators' NRQ (every calibrator row of the target
 *   with an NRQ), its error propagated the same way (a calibrator's own error enters its CNRQ twice, as in qbase+);
 * - the 95 % CI of the final quantity (CNRQ, else NRQ) on the log scale (`ratioCi`).
 * Livak & Schmittgen (2001) range 2^-(ddCq ± s) (2^-(dCq ± s) without a calibrator) when every efficiency is 2.
 */
import { geometricMeanRel, livakRange, powerRelSe, quotientRel, ratioCi } from '../stats/propagation';
import type { EfficiencyUsed, SampleExpression } from './types';

interface Rel { value: number; rel: number | null }

const cqSe = (s: SampleExpression): number | null => (s.cqSd !== null && s.nUsed >= 2 ? s.cqSd / Math.sqrt(s.nUsed) : null);
const seOf = (x: Rel): number | null => (x.rel === null ? null : x.rel * x.value);

/** m_g: the mean replicate-mean Cq of each gene (targets over their rows, references over the reference rows). */
function referencePoints(samples: SampleExpression[]): { target: Map<string, number>; reference: Map<string, number> } {
  const acc = { target: new Map<string, number[]>(), reference: new Map<string, number[]>() };
  for (const s of samples) {
    if (s.cqMean === null) continue;
    const m = s.reference ? acc.reference : acc.target;
    const a = m.get(s.target);
    if (a) { a[0] += s.cqMean; a[1]++; } else m.set(s.target, [s.cqMean, 1]);
  }
  const mean = (m: Map<string, number[]>) => new Map([...m].map(([k, a]) => [k, a[0] / a[1]] as const));
  return { target: mean(acc.target), reference: mean(acc.reference) };
}

/** Fills `propagation` (and `livak` when every E = 2) on the target rows that have a dCq. */
export function propagateErrors(samples: SampleExpression[], refs: string[], efficiencies: EfficiencyUsed[], isCalibrator?: (s: SampleExpression) => boolean): void {
  const eff = new Map(efficiencies.map((e) => [e.target, e] as const));
  const E = (t: string) => eff.get(t)?.value ?? 2, seE = (t: string) => eff.get(t)?.se ?? 0;
  const livak = efficiencies.every((e) => e.value === 2);
  const points = referencePoints(samples);
  const rq = (s: SampleExpression): Rel => {
    const e = E(s.target);
    const dq = ((s.reference ? points.reference : points.target).get(s.target) as number) - (s.cqMean as number);
    return { value: e ** dq, rel: powerRelSe(e, seE(s.target), dq, cqSe(s)) };
  };
  // A sample's rows are consecutive (its targets, then its references): its reference rows by reference index.
  const refIndex = new Map(refs.map((r, j) => [r, j] as const));
  const refRowsOf = new Map<string, SampleExpression[]>();
  for (const s of samples) if (s.reference && s.cqMean !== null) {
    let a = refRowsOf.get(s.sample);
    if (!a) { a = new Array(refs.length); refRowsOf.set(s.sample, a); }
    a[refIndex.get(s.target) as number] = s;
  }
  // The targets whose CNRQ step 9 computes (some calibrator row with a dCq): their rows' propagation gets the
  // calibrator fields in its literal (same key order as added later) and the CI only once, from the CNRQ.
  const calibrated = new Set<string>();
  if (isCalibrator) for (const s of samples) if (!s.reference && s.dcq !== null && isCalibrator(s)) calibrated.add(s.target);
  const rows: SampleExpression[] = [];
  const relNrq: (number | null)[] = []; // rows[i]'s relative SE of NRQ
  let lastSample: string | undefined, nf: Rel = { value: NaN, rel: null }, rr: SampleExpression[] = [], refSd: (number | null)[] = [];
  for (const s of samples) {
    if (s.reference || s.dcq === null) continue;
    rows.push(s);
    if (s.sample !== lastSample) { // the normalisation factor once per sample
      lastSample = s.sample;
      rr = refRowsOf.get(s.sample) as SampleExpression[];
      const refRq = rr.map(rq);
      nf = geometricMeanRel(refRq.map((x) => x.value), refRq.map((x) => x.rel));
      refSd = rr.map((r) => r.cqSd);
    }
    const t = rq(s);
    const nrq = { value: t.value / nf.value, rel: quotientRel(t.rel, nf.rel) };
    relNrq.push(nrq.rel);
    const cq = cqSe(s), rqSe = seOf(t), nfSe = seOf(nf), nrqSe = seOf(nrq);
    s.propagation = calibrated.has(s.target)
      ? { cqSe: cq, rq: t.value, rqSe, nf: nf.value, nfSe, nrq: nrq.value, nrqSe, ci: null, calibratorNrq: NaN, calibratorNrqSe: null, cnrq: NaN, cnrqSe: null }
      : { cqSe: cq, rq: t.value, rqSe, nf: nf.value, nfSe, nrq: nrq.value, nrqSe, ci: ratioCi(nrq.value, nrq.rel) };
    if (livak) {
      const l = livakRange(s.ddcq ?? s.dcq as number, s.cqSd, refSd);
      s.livak = l ? { s: l.s, lower: l.lower, upper: l.upper } : { s: null, lower: null, upper: null };
    }
  }
  if (isCalibrator) calibrateErrors(rows, relNrq, isCalibrator);
}

/** CNRQ and its SE per target against the geometric mean NRQ of that target's calibrator rows. */
function calibrateErrors(rows: SampleExpression[], relNrq: (number | null)[], isCalibrator: (s: SampleExpression) => boolean): void {
  const byTarget = new Map<string, number[]>();
  rows.forEach((s, i) => { const a = byTarget.get(s.target); if (a) a.push(i); else byTarget.set(s.target, [i]); });
  for (const idx of byTarget.values()) {
    const cal = idx.filter((i) => isCalibrator(rows[i]));
    if (!cal.length) continue;
    const c = geometricMeanRel(cal.map((i) => rows[i].propagation!.nrq), cal.map((i) => relNrq[i]));
    for (const i of idx) {
      const p = rows[i].propagation!;
      const value = p.nrq / c.value, rel = quotientRel(relNrq[i], c.rel);
      p.calibratorNrq = c.value;
      p.calibratorNrqSe = c.rel === null ? null : c.rel * c.value;
      p.cnrq = value;
      p.cnrqSe = rel === null ? null : rel * value;
      p.ci = ratioCi(value, rel);
    }
  }
}
