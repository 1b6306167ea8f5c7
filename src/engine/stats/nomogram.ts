/**
 * Nomogram scaling for a logistic or Cox model with rms::nomogram conventions (nomogram.s, maxscale = 100, nint = 10,
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
 * A Cox model (coxNomogram, rms::nomogram(cph, fun = ...)): b0 = −center (cph centres every column on its mean), lp.at
 * from the centred linear predictors, and one fun axis per survival time (Survival(f)) and for the median
 * (Quantile(f)), each placed as rms places a fun axis (nomogramFunAxis).
 */
import { StatsError } from './errors';
import { pretty } from './pretty';
import { approxMany, seqDefault } from './calibrate';
import { splineAxis, splineCoefs, splineXbeta, type SplineAxisSpec } from './nomogramSpline';
import { coxSurvivalAt, coxSurvivalQuantile, type CoxBaseline } from './coxSurvival';
import { maxOf, minOf } from '../../shared/extent';

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

export interface NomogramData extends NomogramScale {
  total: { probability: number; points: number; pointsExact: number }[];
}

const plogis = (e: number): number => 1 / (1 + Math.exp(-e));

/** The points scaling shared by every model: axes, points per unit of LP, LP at 0 points, lp.at, total-points axis. */
export interface NomogramScale {
  axes: NomogramAxis[];
  pointsPerUnit: number;
  intercept: number;
  lpAt: number[];
  totalPointsAxis: number[];
  terms: { term: string; coef: number; min: number }[];
  maxscale: number;
}

function buildAxes(model: { coef: number[]; names: string[] }, ranges: NomogramRange[], first: number, nint: number): NomogramAxis[] {
  const colIndex = new Map(model.names.map((n, i) => [n, i]));
  const terms = model.names.slice(first);
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
        if (!colIndex.has(c)) throw new StatsError(`nomogram: column '${c}' of factor '${r.term}' is not in the model (${terms.join(', ')})`);
        if (used.has(c)) throw new StatsError(`nomogram: column '${c}' appears in two axes`);
        used.add(c);
      }
      const ticks = r.levels.map((l) => ({ value: l.label, xbeta: cols.reduce((s, c) => s + model.coef[colIndex.get(c)!] * (l.x[c] ?? 0), 0), points: 0 }));
      return { term: r.term, columns: cols, ticks, min: 0, max: 0 };
    }
    const j = colIndex.get(r.term);
    if (j === undefined || j < first) throw new StatsError(`nomogram: term '${r.term}' is not in the model (${terms.join(', ')})`);
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
  const missing = terms.filter((n) => !used.has(n));
  if (missing.length) throw new StatsError(`nomogram: no axis given for ${missing.map((m) => `'${m}'`).join(', ')}`);
  if (!axes.length) throw new StatsError('nomogram: the model has no terms');
  return axes;
}

/**
 * rms::nomogram's scaling: `b0` is the linear predictor with every term at 0 (logistic: the intercept; cph:
 * −center), `first` the index of the first term column in names/coef.
 */
export function nomogramScale(model: { coef: number[]; names: string[]; linearPredictor?: number[] }, b0: number, first: number, ranges: NomogramRange[], opts: NomogramOptions = {}): NomogramScale {
  const maxscale = opts.maxscale ?? 100;
  const nint = opts.nint ?? 10;
  const axes = buildAxes(model, ranges, first, nint);
  let widest = 0;
  for (const a of axes) {
    a.min = minOf(a.ticks.map((t) => t.xbeta));
    a.max = maxOf(a.ticks.map((t) => t.xbeta));
    widest = Math.max(widest, a.max - a.min);
  }
  if (!(widest > 0)) throw new StatsError('nomogram: every term has zero contribution range (all coefficients 0?)');
  const sc = maxscale / widest;
  const intercept = b0 + axes.reduce((s, a) => s + a.min, 0);
  for (const a of axes) for (const t of a.ticks) t.points = (t.xbeta - a.min) * sc;

  let lpRange = opts.lpRange;
  if (!lpRange) {
    const lp = model.linearPredictor;
    if (!lp || !lp.length) throw new StatsError('nomogram: needs the model linear predictors (or opts.lpRange) to place the probability axis');
    lpRange = [minOf(lp), maxOf(lp)];
  }
  const lpAt = pretty(lpRange[0], lpRange[1], nint);
  const sumMax = axes.length === 1 ? maxscale : Math.max(maxscale, sc * maxOf(lpAt.map((v) => v - intercept)));
  const totalPointsAxis = pretty(0, sumMax, nint);
  const colIndex = new Map(model.names.map((n, i) => [n, i]));
  const terms = axes.flatMap((a) => a.columns.map((c) => ({ term: c, coef: model.coef[colIndex.get(c)!], min: a.min })));
  return { axes, pointsPerUnit: sc, intercept, lpAt, totalPointsAxis, terms, maxscale };
}

/**
 * One `fun` axis of rms::nomogram: tick values fat (default pretty(fun(range(lp.at)), nint), NA values dropped as
 * pretty's range(finite = TRUE) does), the linear predictor of each from approx(fun(xseq), xseq, fat, ties = mean) on
 * a 1000-point grid over range(lp.at), NA (null) ticks dropped; points = (w − intercept) · pointsPerUnit.
 */
export function nomogramFunAxis(s: NomogramScale, fun: (lp: number) => number | null, nint = 10, funAt?: number[]): { value: number; points: number }[] {
  const lo = minOf(s.lpAt), hi = maxOf(s.lpAt);
  const ends = [fun(lo), fun(hi)].filter((v): v is number => v !== null && Number.isFinite(v));
  const fat = funAt ?? (ends.length ? pretty(minOf(ends), maxOf(ends), nint) : []);
  const xseq = seqDefault(lo, hi, 1000);
  const fu = xseq.map(fun);
  const keep = fu.map((v, i) => (v === null || !Number.isFinite(v) ? -1 : i)).filter((i) => i >= 0);
  const w = approxMany(keep.map((i) => fu[i] as number), keep.map((i) => xseq[i]), fat, 'mean');
  const out: { value: number; points: number }[] = [];
  fat.forEach((v, i) => { if (w[i] !== null) out.push({ value: v, points: ((w[i] as number) - s.intercept) * s.pointsPerUnit }); });
  return out;
}

export function nomogram(model: { coef: number[]; names: string[]; linearPredictor?: number[] }, ranges: NomogramRange[], opts: NomogramOptions = {}): NomogramData {
  const nint = opts.nint ?? 10;
  if (model.names[0] !== '(Intercept)' || model.coef.length !== model.names.length) throw new StatsError('nomogram: the model must have an intercept first and one coefficient per name');
  const s = nomogramScale(model, model.coef[0], 1, ranges, opts);
  const { intercept, pointsPerUnit: sc, lpAt } = s;
  const lo = minOf(lpAt), hi = maxOf(lpAt);
  const fat = opts.funAt ?? pretty(plogis(lo), plogis(hi), nint);
  const xseq = seqDefault(lo, hi, 1000);
  const w = approxMany(xseq.map(plogis), xseq, fat, 'mean');
  const total: NomogramData['total'] = [];
  fat.forEach((pr, i) => {
    if (w[i] === null || !(pr > 0 && pr < 1)) return;
    total.push({ probability: pr, points: ((w[i] as number) - intercept) * sc, pointsExact: (Math.log(pr / (1 - pr)) - intercept) * sc });
  });
  return { ...s, total };
}

/** A survival-function axis of a Cox nomogram: survival at `time`, or the median (quantile 0.5) survival time. */
export interface NomogramSurvivalAxis { label: string; time?: number; quantile?: number; ticks: { value: number; points: number }[] }

/**
 * rms::nomogram(cph(..., surv = TRUE), fun = list(Survival at each time, Quantile(0.5) when `median`)): b0 = −center
 * (cph centres on the column means), lp.at from the centred linear predictors, one fun axis per time (and the median).
 */
export function coxNomogram(
  model: { coef: number[]; names: string[]; center: number; linearPredictor: number[] }, ranges: NomogramRange[], baseline: CoxBaseline,
  opts: NomogramOptions & { times: number[]; median?: boolean },
): NomogramScale & { survival: NomogramSurvivalAxis[] } {
  if (model.coef.length !== model.names.length) throw new StatsError('nomogram: one coefficient per name');
  const nint = opts.nint ?? 10;
  const s = nomogramScale(model, -model.center, 0, ranges, opts);
  const survival: NomogramSurvivalAxis[] = opts.times.map((t) => ({ label: `Survival at ${t}`, time: t, ticks: nomogramFunAxis(s, (lp) => coxSurvivalAt(baseline, t, lp), nint) }));
  if (opts.median) survival.push({ label: 'Median survival time', quantile: 0.5, ticks: nomogramFunAxis(s, (lp) => coxSurvivalQuantile(baseline, 0.5, lp), nint) });
  return { ...s, survival };
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
