/**
 * Reference-gene stability on relative quantities.
 *
 * geNorm (Vandesompele et al. 2002, Genome Biology 3:research0034): for genes j, k the pairwise variation V_jk is the
 * SD (n - 1) over samples of log2(a_j / a_k); M_j is the mean of V_jk over the other genes. The gene with the highest M
 * is removed and M recomputed until two genes remain (NormqPCR::selectHKs' convention): a gene removed while k genes
 * remained has rank k, the last two (one M for both: the SD of their log ratio) share rank 1. The rank is therefore not
 * the order of M over all genes: a gene's M depends on the genes it is compared with. Pairwise variation V_n/n+1 is
 * the SD of log2(NF_n / NF_n+1), NF_n being the geometric mean of the n best-ranked genes.
 *
 * NormFinder (Andersen et al. 2004, Cancer Research 64:5245), restated from the authors' R code (version 2015-01-05)
 * on log2 quantities: with groups, stability = mean over groups of |shrunken inter-group difference| + sqrt(shrunken
 * variance); best pair from the authors' two-gene formula (MakeComb2), evaluated over all pairs (the authors restrict
 * it to candidate genes for speed). Without groups, the one-group variant: stability = sqrt of the intra-group variance
 * estimate, best pair = the pair whose mean, treated as one gene together with the others, has the lowest SD (the
 * intended computation: the published code evaluates this on the original matrix by a slip of `dat` for `da`).
 */
import type { StabilityResult } from '../../shared/report/types';
import type { SampleExpression } from './types';

export interface QuantityMatrix {
  samples: string[];
  genes: string[];
  /** q[sample][gene], linear relative quantities (> 0). */
  q: number[][];
}

type Genorm = NonNullable<StabilityResult['genorm']>;
type Normfinder = NonNullable<StabilityResult['normfinder']>;

function sdOf(x: number[]): number {
  const n = x.length;
  const m = x.reduce((s, v) => s + v, 0) / n;
  return Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1));
}
function varOf(x: number[]): number { const s = sdOf(x); return s * s; }
function meanOf(x: number[]): number { return x.reduce((s, v) => s + v, 0) / x.length; }

/** geNorm M of each gene in `cols` (column indices into log2 data l[sample][gene]). */
export function genormM(l: number[][], cols: number[]): number[] {
  const k = cols.length;
  const v: number[][] = cols.map(() => new Array(k).fill(0));
  for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) {
    const s = sdOf(l.map((row) => row[cols[a]] - row[cols[b]]));
    v[a][b] = s; v[b][a] = s;
  }
  return v.map((row) => row.reduce((s, x) => s + x, 0) / (k - 1));
}

export function genorm(m: QuantityMatrix): Genorm {
  if (m.genes.length < 2 || m.samples.length < 2) throw new Error('geNorm needs at least 2 genes and 2 samples.');
  const l = m.q.map((row) => row.map((x) => Math.log2(x)));
  let cols = m.genes.map((_, j) => j);
  const initial = genormM(l, cols);
  const steps: Genorm['steps'] = [];
  const removed: number[] = [];
  while (cols.length > 2) {
    const mm = genormM(l, cols);
    let worst = 0;
    mm.forEach((v, i) => { if (v > mm[worst]) worst = i; });
    const rec: Record<string, number> = {};
    cols.forEach((c, i) => { rec[m.genes[c]] = mm[i]; });
    steps.push({ excluded: m.genes[cols[worst]], m: rec });
    removed.push(cols[worst]);
    cols = cols.filter((_, i) => i !== worst);
  }
  const pair = cols.map((c) => m.genes[c]).sort() as [string, string];
  const ranks: Genorm['ranks'] = [...pair.map((target) => ({ target, rank: 1 })), ...[...removed].reverse().map((c, i) => ({ target: m.genes[c], rank: i + 3 }))];
  const lastPair = { targets: pair, m: sdOf(l.map((row) => row[cols[0]] - row[cols[1]])) };
  const ranking = ranks.map((r) => r.target);
  // Pairwise variation V_n/n+1 along the ranking.
  const colOf = new Map(m.genes.map((g, j) => [g, j] as const));
  const nfLog = (n: number) => l.map((row) => meanOf(ranking.slice(0, n).map((g) => row[colOf.get(g)!])));
  const v: Genorm['v'] = [];
  for (let n = 2; n < ranking.length; n++) {
    const a = nfLog(n), b = nfLog(n + 1);
    v.push({ label: `V${n}/${n + 1}`, v: sdOf(a.map((x, i) => x - b[i])) });
  }
  const mList = m.genes.map((g, j) => ({ target: g, m: initial[j] })).sort((a, b) => a.m - b.m);
  return { m: mList, steps, lastPair, v, ranking, ranks };
}

/** NormFinder MakeStab on d[gene][sample] (log scale) with group ids; returns the per-gene pieces. */
function makeStab(d: number[][], grp: number[], ngr: number) {
  const k = d.length;
  const nsamp = d[0].length;
  const nsamples = new Array(ngr).fill(0);
  grp.forEach((g) => nsamples[g]++);
  const sampleavg = Array.from({ length: nsamp }, (_, j) => meanOf(d.map((r) => r[j])));
  const inG = (g: number) => grp.map((x, j) => (x === g ? j : -1)).filter((j) => j >= 0);
  const genegroupavg = d.map((r) => Array.from({ length: ngr }, (_, g) => meanOf(inG(g).map((j) => r[j]))));
  const groupavg = Array.from({ length: ngr }, (_, g) => meanOf(d.map((r) => meanOf(inG(g).map((j) => r[j])))));
  const ggvar: number[][] = d.map(() => new Array(ngr).fill(0));
  for (let g = 0; g < ngr; g++) {
    const js = inG(g);
    const a = d.map((r, i) => js.reduce((s, j) => s + (r[j] - genegroupavg[i][g] - sampleavg[j] + groupavg[g]) ** 2, 0) / (nsamples[g] - 1));
    const sa = a.reduce((s, x) => s + x, 0);
    a.forEach((x, i) => { ggvar[i][g] = (x - sa / (k * k - k)) / (1 - 2 / k); });
    for (let i = 0; i < k; i++) {
      if (ggvar[i][g] < 0) {
        let mn = Infinity;
        for (let i1 = 0; i1 < k; i1++) if (i1 !== i) mn = Math.min(mn, varOf(js.map((j) => d[i][j] - d[i1][j])));
        ggvar[i][g] = mn / 4;
      }
    }
  }
  const difgeneavg = genegroupavg.map(meanOf);
  const difgroupavg = Array.from({ length: ngr }, (_, g) => meanOf(genegroupavg.map((r) => r[g])));
  const difavg = meanOf(difgeneavg);
  const dif = genegroupavg.map((r, i) => r.map((x, g) => x - difgeneavg[i] - difgroupavg[g] + difavg));
  const vardif = ggvar.map((r) => r.map((x, g) => x / nsamples[g]));
  let gamma = dif.flat().reduce((s, x) => s + x * x, 0) / ((ngr - 1) * (k - 1)) - vardif.flat().reduce((s, x) => s + x, 0) / (k * ngr);
  if (gamma < 0) gamma = 0;
  const ostab = dif.map((r, i) => meanOf(r.map((x, g) => {
    const vd = vardif[i][g];
    const difnew = gamma + vd > 0 ? (x * gamma) / (gamma + vd) : 0;
    const varnew = vd + (gamma + vd > 0 ? (gamma * vd) / (gamma + vd) : 0);
    return Math.abs(difnew) + Math.sqrt(varnew);
  })));
  return { ostab, gamma, ggvar, dif, nsamples };
}

/** NormFinder MakeStabOne: intra-group variance estimates of each gene (one group). */
function makeStabOne(d: number[][]): number[] {
  const k = d.length;
  const n = d[0].length;
  const sampleavg = Array.from({ length: n }, (_, j) => meanOf(d.map((r) => r[j])));
  const geneavg = d.map(meanOf);
  const total = meanOf(geneavg);
  const v0 = d.map((r, i) => r.reduce((s, x, j) => s + (x - geneavg[i] - sampleavg[j] + total) ** 2, 0) / ((n - 1) * (1 - 2 / k)));
  const s0 = v0.reduce((s, x) => s + x, 0);
  return v0.map((x, i) => {
    const v = x - s0 / (k * k - k);
    if (v >= 0) return v;
    let mn = Infinity;
    for (let i1 = 0; i1 < k; i1++) if (i1 !== i) mn = Math.min(mn, varOf(d[i].map((y, j) => y - d[i1][j])));
    return mn / 4;
  });
}

/**
 * NormFinder on linear quantities; `groups[s]` is the group of sample s (omit, or one level, for the one-group
 * variant). Needs at least 3 genes; each group at least 2 samples.
 */
export function normfinder(m: QuantityMatrix, groups?: string[]): Normfinder {
  const k = m.genes.length;
  if (k < 3) throw new Error('NormFinder needs at least 3 genes.');
  const d = m.genes.map((_, i) => m.q.map((row) => Math.log2(row[i])));
  const levels = groups ? [...new Set(groups)].sort() : ['all'];
  const grp = groups ? groups.map((g) => levels.indexOf(g)) : m.samples.map(() => 0);
  const ngr = levels.length;
  if (ngr > 1) for (const lv of levels) if (grp.filter((x) => x === levels.indexOf(lv)).length < 2) throw new Error(`NormFinder: group "${lv}" has fewer than 2 samples.`);
  if (m.samples.length < 3) throw new Error('NormFinder needs at least 3 samples.');
  let values: number[];
  let bestPair: [string, string] | undefined;
  let bestPairValue: number | undefined;
  if (ngr > 1) {
    const r = makeStab(d, grp, ngr);
    values = r.ostab;
    const { gamma, ggvar, dif, nsamples } = r;
    for (let a = 0; a < k - 1; a++) for (let b = a + 1; b < k; b++) {
      const rho = Array.from({ length: ngr }, (_, g) => {
        const s1 = ggvar[a][g], s2 = ggvar[b][g], n = nsamples[g];
        const t1 = gamma + s1 / n > 0 ? (gamma * dif[a][g]) / (gamma + s1 / n) : 0;
        const t2 = gamma + s2 / n > 0 ? (gamma * dif[b][g]) / (gamma + s2 / n) : 0;
        let rr = (Math.abs(t1 + t2) * Math.sqrt(k / (k - 2))) / 2;
        const v1 = n * gamma + s1 > 0 ? (gamma * s1) / (n * gamma + s1) : 0;
        const v2 = n * gamma + s2 > 0 ? (gamma * s2) / (n * gamma + s2) : 0;
        rr += Math.sqrt(s1 / n + v1 + s2 / n + v2) / 2;
        return rr;
      });
      const q = meanOf(rho);
      if (bestPairValue === undefined || q < bestPairValue) { bestPairValue = q; bestPair = [m.genes[a], m.genes[b]]; }
    }
  } else {
    values = makeStabOne(d).map(Math.sqrt);
    if (k > 3) {
      for (let a = 0; a < k - 1; a++) for (let b = a + 1; b < k; b++) {
        const rest = d.filter((_, i) => i !== a && i !== b);
        const avg = d[a].map((x, j) => (x + d[b][j]) / 2);
        const q = Math.sqrt(makeStabOne([...rest, avg])[k - 2]);
        if (bestPairValue === undefined || q < bestPairValue) { bestPairValue = q; bestPair = [m.genes[a], m.genes[b]]; }
      }
    }
  }
  const stability = m.genes.map((g, i) => ({ target: g, value: values[i] })).sort((a, b) => a.value - b.value);
  const out: Normfinder = { stability, best: stability[0].target };
  if (bestPair) { out.bestPair = bestPair; out.bestPairValue = bestPairValue; }
  return out;
}

/**
 * Builds the quantity matrix from pipeline output: samples in which every gene has a mean Cq; quantity = E^-Cq
 * (E from `efficiency`, default 2). Returns the samples dropped for a missing Cq.
 */
export function quantityMatrix(samples: SampleExpression[], genes: string[], efficiency: Record<string, number> = {}): { matrix: QuantityMatrix; dropped: string[]; fields: Record<string, string>[] } {
  const bySample = new Map<string, { fields: Record<string, string>; cq: Map<string, number | null> }>();
  for (const s of samples) {
    if (!genes.includes(s.target)) continue;
    if (!bySample.has(s.sample)) bySample.set(s.sample, { fields: s.fields, cq: new Map() });
    bySample.get(s.sample)!.cq.set(s.target, s.cqMean);
  }
  const matrix: QuantityMatrix = { samples: [], genes: [...genes], q: [] };
  const dropped: string[] = [];
  const fields: Record<string, string>[] = [];
  for (const [name, rec] of bySample) {
    const cqs = genes.map((g) => rec.cq.get(g));
    if (cqs.some((c) => c === null || c === undefined)) { dropped.push(name); continue; }
    matrix.samples.push(name);
    matrix.q.push(cqs.map((c, j) => Math.pow(efficiency[genes[j]] ?? 2, -(c as number))));
    fields.push(rec.fields);
  }
  return { matrix, dropped, fields };
}

export interface StabilityOptions {
  name?: string;
  cohort?: string;
  efficiency?: Record<string, number>;
  /** Sample field holding the NormFinder group (e.g. "group"); absent: one-group NormFinder. */
  groupField?: string;
  methods?: ('genorm' | 'normfinder')[];
}

/** geNorm and/or NormFinder of the candidate genes on the pipeline's samples, in report.json's StabilityResult shape. */
export function stabilityAnalysis(samples: SampleExpression[], genes: string[], opts: StabilityOptions = {}): StabilityResult {
  const { matrix, dropped, fields } = quantityMatrix(samples, genes, opts.efficiency);
  const methods = opts.methods ?? ['genorm', 'normfinder'];
  const res: StabilityResult = { name: opts.name ?? 'stability', kind: 'stability', cohort: opts.cohort ?? 'all', n: matrix.samples.length, dropped: dropped.length };
  const warnings: string[] = [];
  if (methods.includes('genorm')) {
    try { res.genorm = genorm(matrix); } catch (e) { warnings.push((e as Error).message); }
  }
  if (methods.includes('normfinder')) {
    try {
      const groups = opts.groupField ? fields.map((f) => f[opts.groupField!] ?? '') : undefined;
      res.normfinder = normfinder(matrix, groups);
    } catch (e) { warnings.push((e as Error).message); }
  }
  if (dropped.length) warnings.push(`${dropped.length} sample(s) without a Cq for every candidate gene were left out: ${dropped.slice(0, 10).join(', ')}${dropped.length > 10 ? ', ...' : ''}`);
  if (warnings.length) res.warnings = warnings;
  return res;
}
