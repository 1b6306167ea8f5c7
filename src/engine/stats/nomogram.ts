/**
 * Nomogram scaling for a logistic model with rms::nomogram conventions (nomogram.s, maxscale = 100, nint = 10,
 * fun = plogis):
 *  - continuous term: axis values pretty(c(min, max), n = nint) where min/max are the full data range (datadist
 *    type.range = "full"); discrete term: the given values; a factor spanning several dummy columns: the given levels;
 *  - per term, contribution X*beta at each axis value; R_k = its max - min; sc = maxscale / max_k R_k (points per unit of
 *    linear predictor), so the widest term spans 0..100;
 *  - points(value) = (X*beta(value) - min_k) * sc; total points T <-> LP = (b0 + sum_k min_k) + T / sc;
 *  - lp.at = pretty(range(model linear predictors), nint); total-points axis = pretty(c(0, sum.max), nint) with
 *    sum.max = max(maxscale, sc * max(lp.at - intercept)) (or maxscale for a single term);
 *  - probability axis: fun.at = pretty(plogis(range(lp.at)), nint) unless given, and, like rms, the linear predictor
 *    for each probability from approx() on a 1000-point grid of plogis over range(lp.at) (pointsExact uses qlogis).
 */
import { StatsError } from './errors';
import { pretty } from './pretty';
import { approxMany, seqDefault } from './calibrate';
import { splineAxis, splineCoefs, splineXbeta, type SplineAxisSpec } from './nomogramSpline';

export interface NomogramRange {
  term: string;            // model column name
  min?: number;
  max?: number;
  discrete?: number[];     // values to show instead of pretty(min, max)
  /**
   * a factor spanning several dummy columns: each level with its column values, e.g.
   * {label:'black', x:{raceblack:1, raceother:0}}
   */
  levels?: { label: string; x: Record<string, number> }[];
  /** a restricted cubic spline term (nomogramSpline.ts): its columns and knots, with min and max */
  spline?: SplineAxisSpec;
}

export interface NomogramOptions { maxscale?: number; nint?: number; funAt?: number[]; lpRange?: [number, number] }

export interface NomogramAxis { term: string; columns: string[]; ticks: { value: number | string; points: number; xbeta: number }[]; min: number; max: number; spline?: SplineAxisSpec }

export interface NomogramData {
  axes: NomogramAxis[];
  pointsPerUnit: number;
  /** b0 + sum of per-term minimum contributions: LP at 0 total points */
  intercept: number;
  lpAt: number[];
  totalPointsAxis: number[];
  total: { probability: number; points: number; pointsExact: number }[];
  terms: { term: string; coef: number; min: number }[];
  maxscale: number;
}

const plogis = (e: number): number => 1 / (1 + Math.exp(-e));

export function nomogram(model: { coef: number[]; names: string[]; linearPredictor?: number[] }, ranges: NomogramRange[], opts: NomogramOptions = {}): NomogramData {
  const maxscale = opts.maxscale ?? 100;
  const nint = opts.nint ?? 10;
  if (model.names[0] !== '(Intercept)' || model.coef.length !== model.names.length) throw new StatsError('nomogram: the model must have an intercept first and one coefficient per name');
  const colIndex = new Map(model.names.map((n, i) => [n, i]));
  const used = new Set<string>();
  const axes: NomogramAxis[] = ranges.map((r) => {
    if (r.spline) {
      for (const c of r.spline.columns) { if (used.has(c)) throw new StatsError(`nomogram: column '${c}' appears in two axes`); used.add(c); }
      return splineAxis({ ...r, spline: r.spline }, model.coef, colIndex, nint);
    }
    if (r.levels) {
      if (r.levels.length < 2) throw new StatsError(`nomogram: factor '${r.term}' needs at least two levels`);
      const cols = Array.from(new Set(r.levels.flatMap((l) => Object.keys(l.x))));
      for (const c of cols) {
        if (!colIndex.has(c)) throw new StatsError(`nomogram: column '${c}' of factor '${r.term}' is not in the model (${model.names.slice(1).join(', ')})`);
        if (used.has(c)) throw new StatsError(`nomogram: column '${c}' appears in two axes`);
        used.add(c);
      }
      const ticks = r.levels.map((l) => ({ value: l.label, xbeta: cols.reduce((s, c) => s + model.coef[colIndex.get(c)!] * (l.x[c] ?? 0), 0), points: 0 }));
      return { term: r.term, columns: cols, ticks, min: 0, max: 0 };
    }
    const j = colIndex.get(r.term);
    if (j === undefined || j === 0) throw new StatsError(`nomogram: term '${r.term}' is not in the model (${model.names.slice(1).join(', ')})`);
    if (used.has(r.term)) throw new StatsError(`nomogram: term '${r.term}' appears in two axes`);
    used.add(r.term);
    let values: number[];
    if (r.discrete && r.discrete.length) values = r.discrete.slice();
    else {
      if (!(Number.isFinite(r.min) && Number.isFinite(r.max))) throw new StatsError(`nomogram: term '${r.term}' needs finite min and max (or discrete values)`);
      values = pretty(r.min as number, r.max as number, nint);
    }
    const ticks = values.map((v) => ({ value: v, xbeta: model.coef[j] * v, points: 0 }));
    return { term: r.term, columns: [r.term], ticks, min: 0, max: 0 };
  });
  const missing = model.names.slice(1).filter((n) => !used.has(n));
  if (missing.length) throw new StatsError(`nomogram: no axis given for ${missing.map((m) => `'${m}'`).join(', ')}`);
  if (!axes.length) throw new StatsError('nomogram: the model has no terms');
  let widest = 0;
  for (const a of axes) {
    a.min = Math.min(...a.ticks.map((t) => t.xbeta));
    a.max = Math.max(...a.ticks.map((t) => t.xbeta));
    widest = Math.max(widest, a.max - a.min);
  }
  if (!(widest > 0)) throw new StatsError('nomogram: every term has zero contribution range (all coefficients 0?)');
  const sc = maxscale / widest;
  const intercept = model.coef[0] + axes.reduce((s, a) => s + a.min, 0);
  for (const a of axes) for (const t of a.ticks) t.points = (t.xbeta - a.min) * sc;

  let lpRange = opts.lpRange;
  if (!lpRange) {
    const lp = model.linearPredictor;
    if (!lp || !lp.length) throw new StatsError('nomogram: needs the model linear predictors (or opts.lpRange) to place the probability axis');
    lpRange = [Math.min(...lp), Math.max(...lp)];
  }
  const lpAt = pretty(lpRange[0], lpRange[1], nint);
  const sumMax = axes.length === 1 ? maxscale : Math.max(maxscale, sc * Math.max(...lpAt.map((v) => v - intercept)));
  const totalPointsAxis = pretty(0, sumMax, nint);
  const lo = Math.min(...lpAt), hi = Math.max(...lpAt);
  const fat = opts.funAt ?? pretty(plogis(lo), plogis(hi), nint);
  const xseq = seqDefault(lo, hi, 1000);
  const w = approxMany(xseq.map(plogis), xseq, fat, 'mean');
  const total: NomogramData['total'] = [];
  fat.forEach((pr, i) => {
    if (w[i] === null || !(pr > 0 && pr < 1)) return;
    total.push({ probability: pr, points: ((w[i] as number) - intercept) * sc, pointsExact: (Math.log(pr / (1 - pr)) - intercept) * sc });
  });
  const terms = axes.flatMap((a) => a.columns.map((c) => ({ term: c, coef: model.coef[colIndex.get(c)!], min: a.min })));
  return { axes, pointsPerUnit: sc, intercept, lpAt, totalPointsAxis, total, terms, maxscale };
}

/** A patient's points per axis, total points, linear predictor and probability. values: by axis term (factor: level label). */
export function nomogramScore(nom: NomogramData, model: { coef: number[]; names: string[] }, values: Record<string, number | string>): { points: Record<string, number>; total: number; lp: number; probability: number } {
  const colIndex = new Map(model.names.map((n, i) => [n, i]));
  const points: Record<string, number> = {};
  let total = 0;
  for (const a of nom.axes) {
    const v = values[a.term];
    if (v === undefined || v === null) throw new StatsError(`nomogram score: no value for '${a.term}'`);
    let xb: number;
    if (typeof v === 'string') {
      const t = a.ticks.find((tk) => tk.value === v);
      if (!t) throw new StatsError(`nomogram score: '${v}' is not a level of '${a.term}'`);
      xb = t.xbeta;
    } else if (a.spline) {
      if (!Number.isFinite(v)) throw new StatsError(`nomogram score: invalid value ${v} for '${a.term}'`);
      xb = splineXbeta(v, a.spline.knots, splineCoefs(a.term, a.spline, model.coef, colIndex));
    } else {
      if (!Number.isFinite(v) || a.columns.length !== 1) throw new StatsError(`nomogram score: invalid value ${v} for '${a.term}'`);
      xb = model.coef[colIndex.get(a.columns[0])!] * v;
    }
    const pt = (xb - a.min) * nom.pointsPerUnit;
    points[a.term] = pt;
    total += pt;
  }
  const lp = nom.intercept + total / nom.pointsPerUnit;
  return { points, total, lp, probability: plogis(lp) };
}
