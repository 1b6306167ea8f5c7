/**
 * k-sample log-rank test (Harrington–Fleming G^rho family) exactly as survival::survdiff (survdiff2.c):
 * weights = pooled left-continuous KM^rho, hypergeometric variance, chi-square = (O − E)' V⁻ (O − E) on the
 * groups with E > 0 after dropping the first of them, df = (number of groups with E > 0) − 1.
 */
import { pchisqUpper } from './dist';
import { StatsError } from './errors';
import { checkSurvivalInput, timefix } from './km';
import { solveSpd, SingularMatrixError } from './linalg';

export interface LogrankGroup { label: string; n: number; observed: number; expected: number }
export interface LogrankResult {
  chisq: number;
  df: number;
  p: number;
  rho: number;
  groups: LogrankGroup[];
  /** k × k variance matrix of O − E (survdiff's `var`). */
  variance: number[][];
}

/** Sorted distinct group values: numbers numerically, otherwise by string (as R's factor levels for plain ASCII labels). */
export function groupLevels(group: (string | number)[]): (string | number)[] {
  const uniq = Array.from(new Set(group));
  if (uniq.every((g) => typeof g === 'number')) return (uniq as number[]).sort((a, b) => a - b);
  return uniq.map(String).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function logrank(time: number[], status: number[], group: (string | number)[], rho = 0): LogrankResult {
  checkSurvivalInput(time, status);
  time = timefix(time);
  const { levels, gi } = groupIndexes(group, time.length);
  if (!Number.isFinite(rho)) throw new StatsError(`rho must be finite, got ${rho}`);
  const k = levels.length;
  if (k < 2) throw new StatsError('log-rank test needs at least two groups');
  const n = time.length;
  const ord = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a] - time[b]);
  const { obs, exp, v } = survdiffSums(time, status, gi, k, ord, rho === 0 ? null : pooledKaplan(time, status, ord), rho);
  const nGroup = new Array<number>(k).fill(0);
  for (const g of gi) nGroup[g]++;
  const { chisq, df } = survdiffChisq(obs, exp, v);
  return {
    chisq, df, p: pchisqUpper(chisq, df), rho,
    groups: levels.map((g, i) => ({ label: String(g), n: nGroup[i], observed: obs[i], expected: exp[i] })),
    variance: v,
  };
}

/** The sorted group levels and each subject's level index (a missing or non-finite group is an error). */
function groupIndexes(group: (string | number)[], n: number): { levels: (string | number)[]; gi: number[] } {
  if (group.length !== n) throw new StatsError(`group and time differ in length (${group.length} vs ${n})`);
  for (let i = 0; i < group.length; i++) {
    const g = group[i];
    if (g === null || g === undefined || (typeof g === 'number' && !Number.isFinite(g))) throw new StatsError(`group[${i}] is missing`);
  }
  const levels = groupLevels(group);
  const allNum = levels.every((g) => typeof g === 'number');
  const levelIndex = new Map<string | number, number>(levels.map((g, i) => [g, i]));
  return { levels, gi: group.map((g) => levelIndex.get(allNum ? g : String(g)) as number) };
}

/** The pooled left-continuous Kaplan-Meier estimate at each position of `ord` (the G^rho weights for rho != 0). */
function pooledKaplan(time: number[], status: number[], ord: number[]): number[] {
  const n = time.length;
  const kaplan = new Array<number>(n).fill(1);
  let km = 1;
  for (let i = 0; i < n;) {
    const nrisk = n - i;
    let deaths = 0;
    let j = i;
    for (; j < n && time[ord[j]] === time[ord[i]]; j++) { kaplan[j] = km; deaths += status[ord[j]]; }
    km *= (nrisk - deaths) / nrisk;
    i = j;
  }
  return kaplan;
}

/** Observed and expected (weighted) events per group and the variance of O − E, from the last time back (survdiff2.c). */
function survdiffSums(time: number[], status: number[], gi: number[], k: number, ord: number[], kaplan: number[] | null, rho: number): { obs: number[]; exp: number[]; v: number[][] } {
  const n = time.length;
  const obs = new Array<number>(k).fill(0);
  const exp = new Array<number>(k).fill(0);
  const risk = new Array<number>(k).fill(0);
  const v: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = n - 1; i >= 0;) {
    const wt = kaplan === null ? 1 : Math.pow(kaplan[i], rho);
    let deaths = 0;
    let j = i;
    for (; j >= 0 && time[ord[j]] === time[ord[i]]; j--) {
      const g = gi[ord[j]];
      deaths += status[ord[j]];
      risk[g] += 1;
      obs[g] += status[ord[j]] * wt;
    }
    i = j;
    const nrisk = n - (j + 1);
    if (deaths > 0) {
      for (let g = 0; g < k; g++) exp[g] += (wt * deaths * risk[g]) / nrisk;
      if (nrisk === 1) continue;
      const w2 = wt * wt;
      for (let a = 0; a < k; a++) {
        const tmp = (w2 * deaths * risk[a] * (nrisk - deaths)) / (nrisk * (nrisk - 1));
        v[a][a] += tmp;
        for (let b = 0; b < k; b++) v[a][b] -= (tmp * risk[b]) / nrisk;
      }
    }
  }
  return { obs, exp, v };
}

/** (O − E)' V⁻ (O − E) over the groups with E > 0, the first of them dropped, and its degrees of freedom. */
function survdiffChisq(obs: number[], exp: number[], v: number[][]): { chisq: number; df: number } {
  const keep: number[] = [];
  for (let g = 0; g < obs.length; g++) if (exp[g] > 0) keep.push(g);
  let chisq = 0;
  if (keep.length >= 2) {
    const sub = keep.slice(1);
    const diff = sub.map((g) => obs[g] - exp[g]);
    const vv = sub.map((a) => sub.map((b) => v[a][b]));
    try {
      const sol = solveSpd(vv, diff, 1e-12);
      chisq = diff.reduce((acc, d, i) => acc + d * sol[i], 0);
    } catch (e) {
      if (e instanceof SingularMatrixError) throw new StatsError('log-rank variance matrix is singular (groups without comparable risk sets)');
      throw e;
    }
  }
  const df = keep.length - 1;
  if (df < 1) throw new StatsError('log-rank test not possible: fewer than two groups have expected events');
  return { chisq, df };
}
