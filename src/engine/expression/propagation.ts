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

/** m_g: the mean replicate-mean Cq of each gene (targets over their rows, references over the reference rows). */
function referencePoints(samples: SampleExpression[]): Map<string, number> {
  const acc = new Map<string, { sum: number; n: number }>();
  for (const s of samples) {
    if (s.cqMean === null) continue;
    const key = `${s.reference ? 'r' : 't'}\u0000${s.target}`;
    const a = acc.get(key) ?? { sum: 0, n: 0 };
    a.sum += s.cqMean; a.n++;
    acc.set(key, a);
  }
  return new Map([...acc].map(([k, a]) => [k, a.sum / a.n]));
}

/** Fills `propagation` (and `livak` when every E = 2) on the target rows that have a dCq. */
export function propagateErrors(samples: SampleExpression[], refs: string[], efficiencies: EfficiencyUsed[], isCalibrator?: (s: SampleExpression) => boolean): void {
  const eff = new Map(efficiencies.map((e) => [e.target, e] as const));
  const E = (t: string) => eff.get(t)?.value ?? 2, seE = (t: string) => eff.get(t)?.se ?? 0;
  const livak = efficiencies.every((e) => e.value === 2);
  const m = referencePoints(samples);
  const rq = (s: SampleExpression): Rel => {
    const dq = (m.get(`${s.reference ? 'r' : 't'}\u0000${s.target}`) as number) - (s.cqMean as number);
    return { value: E(s.target) ** dq, rel: powerRelSe(E(s.target), seE(s.target), dq, cqSe(s)) };
  };
  const refRows = new Map<string, Map<string, SampleExpression>>();
  for (const s of samples) if (s.reference && s.cqMean !== null) {
    if (!refRows.has(s.sample)) refRows.set(s.sample, new Map());
    refRows.get(s.sample)!.set(s.target, s);
  }
  const rows = samples.filter((s) => !s.reference && s.dcq !== null);
  const nrqOf = new Map<SampleExpression, Rel>();
  for (const s of rows) {
    const rr = refs.map((r) => refRows.get(s.sample)?.get(r) as SampleExpression);
    const refRq = rr.map(rq);
    const nf = geometricMeanRel(refRq.map((x) => x.value), refRq.map((x) => x.rel));
    const t = rq(s);
    const nrq = { value: t.value / nf.value, rel: quotientRel(t.rel, nf.rel) };
    nrqOf.set(s, nrq);
    const se = (x: Rel) => (x.rel === null ? null : x.rel * x.value);
    s.propagation = { cqSe: cqSe(s), rq: t.value, rqSe: se(t), nf: nf.value, nfSe: se(nf), nrq: nrq.value, nrqSe: se(nrq), ci: ratioCi(nrq.value, nrq.rel) };
    if (livak) {
      const l = livakRange(s.ddcq ?? s.dcq as number, s.cqSd, rr.map((r) => r.cqSd));
      s.livak = l ? { s: l.s, lower: l.lower, upper: l.upper } : { s: null, lower: null, upper: null };
    }
  }
  if (isCalibrator) calibrateErrors(rows, nrqOf, isCalibrator);
}

/** CNRQ and its SE per target against the geometric mean NRQ of that target's calibrator rows. */
function calibrateErrors(rows: SampleExpression[], nrqOf: Map<SampleExpression, Rel>, isCalibrator: (s: SampleExpression) => boolean): void {
  const targets = [...new Set(rows.map((s) => s.target))];
  for (const t of targets) {
    const mine = rows.filter((s) => s.target === t);
    const cal = mine.filter(isCalibrator).map((s) => nrqOf.get(s) as Rel);
    if (!cal.length) continue;
    const c = geometricMeanRel(cal.map((x) => x.value), cal.map((x) => x.rel));
    for (const s of mine) {
      const n = nrqOf.get(s) as Rel;
      const value = n.value / c.value, rel = quotientRel(n.rel, c.rel);
      const p = s.propagation!;
      p.calibratorNrq = c.value;
      p.calibratorNrqSe = c.rel === null ? null : c.rel * c.value;
      p.cnrq = value;
      p.cnrqSe = rel === null ? null : rel * value;
      p.ci = ratioCi(value, rel);
    }
  }
}
