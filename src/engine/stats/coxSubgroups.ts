/**
 * Subgroup analysis of a Cox model's marker (PURE): the hazard ratio of the marker fitted alone within each level
 * of a categorical variable (coxph(Surv ~ marker, subset = level)), and the likelihood-ratio test of the
 * marker × variable interaction on all rows (anova(coxph(~ marker + V), coxph(~ marker * V))), df = levels - 1.
 * Checked against R survival (test/golden/cox-subgroups.R).
 */
import { coxph, type CoxTies } from './cox';
import { pchisqUpper } from './dist';
import { StatsError } from './errors';

export interface SubgroupLevel {
  level: string; n: number; events: number;
  /** null when the level cannot be fitted (no events, a constant marker): `note` says why. */
  coef: number | null; se: number | null; hr: number | null; ci: [number | null, number | null]; p: number | null;
  note?: string;
}

export interface SubgroupAnalysis { levels: SubgroupLevel[]; interaction: { chisq: number; df: number; p: number } | null; note?: string }

/** Rows of `level` only. */
const pick = <T>(xs: readonly T[], idx: number[]) => idx.map((i) => xs[i]);

export function coxSubgroups(time: number[], status: number[], x: number[], group: string[], levels: string[], o: { ties: CoxTies; confLevel?: number }): SubgroupAnalysis {
  const rows = levels.map((level): SubgroupLevel => {
    const idx = group.flatMap((g, i) => (g === level ? [i] : []));
    const events = idx.reduce((s, i) => s + (status[i] ? 1 : 0), 0);
    const empty = { level, n: idx.length, events, coef: null, se: null, hr: null, ci: [null, null] as [null, null], p: null };
    if (!events) return { ...empty, note: 'no events' };
    try {
      const fit = coxph(pick(time, idx), pick(status, idx), idx.map((i) => [x[i]]), { ties: o.ties, confLevel: o.confLevel, names: ['marker'] });
      return { level, n: idx.length, events, coef: fit.coef[0], se: fit.se[0], hr: fit.hr[0], ci: [Math.exp(fit.ciWald[0][0]), Math.exp(fit.ciWald[0][1])], p: fit.p[0] };
    } catch (e) {
      if (!(e instanceof StatsError)) throw e;
      return { ...empty, note: e.message };
    }
  });
  const present = levels.filter((l) => group.includes(l));
  if (present.length < 2) return { levels: rows, interaction: null, note: 'one level only: no interaction test' };
  const dummies = (i: number) => present.slice(1).map((l) => (group[i] === l ? 1 : 0));
  const X0 = x.map((v, i) => [v, ...dummies(i)]);
  const X1 = x.map((v, i) => [v, ...dummies(i), ...dummies(i).map((d) => d * v)]);
  try {
    const f0 = coxph(time, status, X0, { ties: o.ties });
    const f1 = coxph(time, status, X1, { ties: o.ties });
    const chisq = 2 * (f1.loglik[1] - f0.loglik[1]), df = present.length - 1;
    return { levels: rows, interaction: { chisq, df, p: pchisqUpper(Math.max(0, chisq), df) } };
  } catch (e) {
    if (!(e instanceof StatsError)) throw e;
    return { levels: rows, interaction: null, note: `no interaction test: ${e.message}` };
  }
}
