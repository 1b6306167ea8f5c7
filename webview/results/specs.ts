/** Chart specs of each result kind (PURE: no DOM; unit-tested in plain Node). */
import type {
  AnalysisResult, CalibrateResult, CompareResult, CorrelateResult, CoxResult, DcaResult, Interval, KmResult, LogisticResult,
  NomogramResult, RocResult, StabilityResult,
} from '../../src/shared/report/types';
import { defaultAtRisk, fmtCi, fmtFixed, fmtNum, fmtP } from '../../src/shared/report/format';
import type { ChartSpec, Series, Tick } from './chartSpec';
import { nomogramLayout, type NomogramScore } from './nomogramCalc';

/** View options that change charts (kept in the webview state). */
export interface ChartOptions {
  /** correlate: the row variable shown in the scatter plot. */
  selectedRow?: string;
  /** km: draw confidence bands. */
  showCi?: boolean;
  /** nomogram: the calculator's patient, marked on the axes. */
  score?: NomogramScore | null;
}

const W = 720;
const H = 420;
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Quantile type 7 (R default) of sorted values. */
export function quantile7(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

/** Least-squares line y = a + b x (null with fewer than two distinct x). */
export function linearFit(pts: { x: number; y: number }[]): { a: number; b: number } | null {
  const n = pts.length;
  if (n < 2) return null;
  const mx = pts.reduce((s, p) => s + p.x, 0) / n;
  const my = pts.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0, sxy = 0;
  for (const p of pts) { sxx += (p.x - mx) ** 2; sxy += (p.x - mx) * (p.y - my); }
  if (!(sxx > 0)) return null;
  const b = sxy / sxx;
  return { a: my - b * mx, b };
}

/** Deterministic jitter in [-w, w] for the i-th point (golden-ratio sequence; stable across renders). */
export function jitter(i: number, w: number): number {
  return (((i * 0.6180339887498949) % 1) - 0.5) * 2 * w;
}

/** Round ticks for a log axis covering [lo, hi] (1-2-5 sequence). */
export function logTicks(lo: number, hi: number): Tick[] {
  const out: Tick[] = [];
  for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)) + 1; e++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(6));
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push({ value: v, label: fmtNum(v, 3) });
    }
  }
  return out.length >= 2 ? out : [{ value: lo, label: fmtNum(lo, 2) }, { value: hi, label: fmtNum(hi, 2) }];
}

function correlateChart(r: CorrelateResult, o: ChartOptions): ChartSpec[] {
  const row = r.rows.find((x) => x.variable === o.selectedRow) ?? bestRow(r);
  if (!row) return [];
  const pts = (r.points?.[row.variable] ?? []).filter((p) => finite(p.x) && finite(p.y));
  const series: Series[] = [{ type: 'scatter', label: `subjects (n = ${pts.length})`, colour: 0, points: pts, opacity: 0.75 }];
  const fit = linearFit(pts);
  if (fit) {
    const xs = pts.map((p) => p.x);
    const x0 = Math.min(...xs), x1 = Math.max(...xs);
    series.push({ type: 'line', label: 'least-squares line', colour: 1, points: [{ x: x0, y: fit.a + fit.b * x0 }, { x: x1, y: fit.a + fit.b * x1 }], width: 2 });
  }
  return [{
    id: `scatter-${row.variable}`, title: `${row.variable} vs ${r.x}`,
    subtitle: `${row.method === 'spearman' ? 'Spearman ρ' : 'Pearson r'} = ${fmtFixed(row.r, 3)} (95% CI ${fmtCi(row.ci, 3)}), p = ${fmtP(row.p)}, n = ${row.n}`,
    width: W, height: H, x: { label: r.x }, y: { label: row.variable }, series,
  }];
}

/** The row shown by default: the smallest p. */
export function bestRow(r: CorrelateResult): CorrelateResult['rows'][number] | undefined {
  let best = r.rows[0];
  for (const x of r.rows) if (finite(x.p) && (!finite(best?.p) || x.p < (best.p as number))) best = x;
  return best;
}

function compareChart(r: CompareResult): ChartSpec[] {
  const sub = `${r.test}: p = ${fmtP(r.p)}${finite(r.estimate) ? `, estimate ${fmtNum(r.estimate, 3)} (95% CI ${fmtCi(r.ci, 3)})` : ''}`;
  if (r.pairs?.length) {
    const [la, lb] = r.groups?.length === 2 ? [r.groups[0].label, r.groups[1].label] : (r.variable ?? 'a vs b').split(' vs ');
    const pairs = r.pairs.filter((p) => finite(p.a) && finite(p.b));
    const n = pairs.length || 1;
    const ma = pairs.reduce((s, p) => s + p.a, 0) / n, mb = pairs.reduce((s, p) => s + p.b, 0) / n;
    return [{
      id: 'paired', title: r.variable ?? r.name, subtitle: sub, width: 560, height: H,
      x: { label: '', min: -0.35, max: 1.35, ticks: [{ value: 0, label: la ?? 'a' }, { value: 1, label: lb ?? 'b' }], grid: false },
      y: { label: r.variable ?? 'value' },
      series: [
        { type: 'segments', colour: 'muted', segments: pairs.map((p) => [0, p.a, 1, p.b]), width: 1, opacity: 0.45 },
        { type: 'scatter', label: la, colour: 0, points: pairs.map((p) => ({ x: 0, y: p.a, id: p.id })), size: 3 },
        { type: 'scatter', label: lb, colour: 1, points: pairs.map((p) => ({ x: 1, y: p.b, id: p.id })), size: 3 },
        { type: 'line', label: 'mean', colour: 'fg', points: [{ x: 0, y: ma }, { x: 1, y: mb }], width: 3 },
      ],
    }];
  }
  const groups = (r.groups ?? []).filter((g) => g.values.some(finite));
  if (!groups.length) return [];
  const series: Series[] = [];
  groups.forEach((g, i) => {
    const v = g.values.filter(finite).sort((a, b) => a - b);
    const q1 = quantile7(v, 0.25), med = quantile7(v, 0.5), q3 = quantile7(v, 0.75), iqr = q3 - q1;
    const lo = v.find((x) => x >= q1 - 1.5 * iqr) ?? v[0], hi = [...v].reverse().find((x) => x <= q3 + 1.5 * iqr) ?? v[v.length - 1];
    series.push({ type: 'rects', colour: i, rects: [[i - 0.28, q1, i + 0.28, q3]], fillOpacity: 0.18 });
    series.push({ type: 'segments', colour: i, width: 2, segments: [[i - 0.28, med, i + 0.28, med], [i, q3, i, hi], [i, q1, i, lo], [i - 0.1, hi, i + 0.1, hi], [i - 0.1, lo, i + 0.1, lo]] });
    series.push({ type: 'scatter', label: `${g.label} (n = ${v.length})`, colour: i, points: g.values.filter(finite).map((y, k) => ({ x: i + jitter(k + 1, 0.2), y })), size: 3, opacity: 0.7 });
  });
  return [{
    id: 'groups', title: r.variable ?? r.name, subtitle: sub, width: Math.max(420, 160 * groups.length + 160), height: H,
    x: { label: '', min: -0.6, max: groups.length - 0.4, ticks: groups.map((g, i) => ({ value: i, label: g.label })), grid: false },
    y: { label: r.variable ?? 'value' }, series,
  }];
}

function kmChart(r: KmResult, o: ChartOptions): ChartSpec[] {
  if (!r.groups.length) return [];
  const series: Series[] = [];
  const tmax = Math.max(...r.groups.flatMap((g) => g.curve.map((p) => p.t)));
  r.groups.forEach((g, i) => {
    const pts = g.curve.filter((p) => finite(p.t) && finite(p.s));
    if (o.showCi) {
      series.push({ type: 'band', colour: i, step: true, opacity: 0.15, points: pts.map((p) => ({ x: p.t, lo: finite(p.lo) ? p.lo : p.s, hi: finite(p.hi) ? p.hi : p.s })) });
    }
    const line = pts.map((p) => ({ x: p.t, y: p.s }));
    if (line.length && line[0].x > 0) line.unshift({ x: 0, y: 1 });
    series.push({ type: 'line', label: `${g.label} (n = ${g.n}, ${g.events} events)`, colour: i, points: line, step: true, width: 2 });
    const cens = pts.filter((p) => (p.censored ?? 0) > 0).map((p) => ({ x: p.t, y: p.s }));
    if (cens.length) series.push({ type: 'scatter', colour: i, points: cens, marker: 'tick', size: 5 });
    if (finite(g.median)) series.push({ type: 'segments', colour: i, dash: [4, 4], width: 1, segments: [[0, 0.5, g.median, 0.5], [g.median, 0.5, g.median, 0]] });
  });
  const ar = r.atRisk ?? defaultAtRisk(r);
  let ticks = ar ? ar.times.map((t) => ({ value: t, label: fmtNum(t, 4) })) : undefined;
  if (ar && ticks && ar.times.length >= 2) {
    // continue the at-risk times' step to the end of follow-up (labels only)
    const step = ar.times[ar.times.length - 1] - ar.times[ar.times.length - 2];
    for (let t = ar.times[ar.times.length - 1] + step; step > 0 && t <= tmax + 1e-9; t += step) ticks = [...ticks, { value: t, label: fmtNum(t, 4) }];
  }
  return [{
    id: 'km', title: 'Kaplan–Meier survival', subtitle: r.logrank ? `Log-rank χ² = ${fmtNum(r.logrank.chisq, 4)}, df = ${r.logrank.df}, p = ${fmtP(r.logrank.p)}` : undefined,
    width: W, height: H + 40 + 18 * r.groups.length,
    x: { label: 'Time', min: 0, max: Math.max(tmax, ...(ar?.times ?? [0])), ticks }, y: { label: 'Survival probability', min: 0, max: 1 },
    series,
    footer: ar ? { title: 'Number at risk', rows: ar.rows.map((row) => ({ label: row.label, colour: r.groups.findIndex((g) => g.label === row.label), cells: row.n.map((n, k) => ({ x: ar.times[k], text: String(n) })) })) } : undefined,
    padLeft: Math.min(240, 60 + 7 * Math.max(0, ...r.groups.map((g) => g.label.length))),
  }];
}

interface ForestRow { term: string; est: number | null; ci: Interval }

function forestChart(id: string, title: string, what: string, rows: ForestRow[]): ChartSpec[] {
  const ok = rows.filter((r) => finite(r.est) && (r.est as number) > 0);
  if (!ok.length) return [];
  const vals = ok.flatMap((r) => [r.est as number, ...r.ci.filter((v): v is number => finite(v) && v > 0)]).filter((v) => v > 1e-6 && v < 1e6);
  let lo = Math.min(1, ...vals) / 1.3, hi = Math.max(1, ...vals) * 1.3;
  lo = Math.max(lo, 1e-4); hi = Math.min(hi, 1e4);
  const k = rows.length;
  const y = (i: number) => k - 1 - i;
  const segs: [number, number, number, number][] = [];
  const marks: { x: number; y: number }[] = [];
  rows.forEach((r, i) => {
    if (!finite(r.est) || r.est <= 0) return;
    const a = finite(r.ci[0]) && r.ci[0] > 0 ? Math.max(lo, r.ci[0]) : r.est;
    const b = finite(r.ci[1]) ? Math.min(hi, r.ci[1]) : hi;
    segs.push([a, y(i), b, y(i)]);
    marks.push({ x: r.est, y: y(i) });
  });
  return [{
    id, title, width: W, height: Math.max(200, 70 + 38 * k),
    x: { label: `${what} (log scale)`, type: 'log', min: lo, max: hi, ticks: logTicks(lo, hi) },
    y: { label: '', min: -0.7, max: k - 0.3, ticks: rows.map((r, i) => ({ value: y(i), label: r.term })), grid: false },
    series: [
      { type: 'segments', colour: 'muted', dash: [4, 4], segments: [[1, -0.7, 1, k - 0.3]] },
      { type: 'segments', label: '95% CI', colour: 0, width: 2, segments: segs },
      { type: 'scatter', label: what, colour: 0, points: marks, marker: 'square', size: 6 },
    ],
    legend: false,
    padLeft: Math.min(260, 30 + 7 * Math.max(...rows.map((r) => r.term.length))),
  }];
}

function rocChart(r: RocResult): ChartSpec[] {
  const series: Series[] = [{ type: 'segments', colour: 'muted', dash: [4, 4], segments: [[0, 0, 1, 1]] }];
  r.evaluations.forEach((e, i) => {
    const pts = e.curve.filter((p) => finite(p.sensitivity) && finite(p.specificity)).map((p) => ({ x: 1 - p.specificity, y: p.sensitivity }))
      .sort((a, b) => a.x - b.x || a.y - b.y);
    series.push({ type: 'line', label: `${e.cohort}: AUC ${fmtFixed(e.auc, 3)} (${fmtCi(e.ci, 3)})`, colour: i, points: pts, width: 2 });
    if (finite(e.sensitivity) && finite(e.specificity)) {
      series.push({ type: 'scatter', colour: i, marker: 'diamond', size: 7, points: [{ x: 1 - e.specificity, y: e.sensitivity }] });
      series.push({ type: 'text', colour: i, texts: [{ x: 1 - e.specificity, y: e.sensitivity, text: `cutoff ${fmtNum(e.cutoff, 3)} (${fmtFixed(e.specificity, 2)}, ${fmtFixed(e.sensitivity, 2)})`, align: 'left', baseline: 'top', dx: 8, dy: 4 + 14 * i }] });
    }
  });
  return [{ id: 'roc', title: 'ROC curve', subtitle: 'diamond: Youden-optimal cutoff (specificity, sensitivity)', width: 560, height: 500, x: { label: '1 − specificity', min: 0, max: 1 }, y: { label: 'Sensitivity', min: 0, max: 1 }, series }];
}

function calibrateCharts(r: CalibrateResult): ChartSpec[] {
  return r.evaluations.map((e) => {
    const line = (pts: { predicted: number; observed: number | null }[]) => pts.filter((p) => finite(p.predicted) && finite(p.observed)).map((p) => ({ x: p.predicted, y: p.observed as number }));
    return {
      id: `calibration-${e.cohort}`, title: `Calibration (${e.cohort})`, subtitle: `B = ${e.B}; mean absolute error ${fmtNum(e.meanAbsoluteError, 3)}`,
      width: 560, height: 500, x: { label: 'Predicted probability', min: 0, max: 1 }, y: { label: 'Observed probability', min: 0, max: 1 },
      series: [
        { type: 'segments', label: 'ideal', colour: 'muted', dash: [4, 4], segments: [[0, 0, 1, 1]] },
        { type: 'line', label: 'apparent', colour: 0, points: line(e.apparent), width: 2, dash: [6, 3] },
        { type: 'line', label: 'bias-corrected', colour: 1, points: line(e.biasCorrected), width: 2 },
      ],
    } satisfies ChartSpec;
  });
}

function dcaCharts(r: DcaResult): ChartSpec[] {
  return r.evaluations.map((e) => {
    const pts = (ys: (number | null)[]) => e.thresholds.map((x, i) => ({ x, y: ys[i] })).filter((p): p is { x: number; y: number } => finite(p.x) && finite(p.y));
    const top = Math.max(0.05, ...e.model.filter(finite), ...e.all.filter(finite));
    return {
      id: `dca-${e.cohort}`, title: `Decision curve (${e.cohort})`, width: W, height: H,
      x: { label: 'Threshold probability', min: Math.min(...e.thresholds), max: Math.max(...e.thresholds) },
      y: { label: 'Net benefit', min: -0.05, max: top * 1.08 },
      series: [
        { type: 'line', label: r.model, colour: 0, points: pts(e.model), width: 2 },
        { type: 'line', label: 'treat all', colour: 1, points: pts(e.all), width: 1.5, dash: [6, 3] },
        { type: 'line', label: 'treat none', colour: 'fg', points: pts(e.none), width: 1.5 },
      ],
    } satisfies ChartSpec;
  });
}

function stabilityCharts(r: StabilityResult): ChartSpec[] {
  const out: ChartSpec[] = [];
  if (r.genorm?.m.length) {
    const m = [...r.genorm.m].sort((a, b) => b.m - a.m);
    out.push({
      id: 'genorm-m', title: 'geNorm average expression stability M', subtitle: 'least stable left, most stable right', width: 560, height: 360,
      x: { label: '', min: -0.6, max: m.length - 0.4, ticks: m.map((g, i) => ({ value: i, label: g.target })), grid: false },
      y: { label: 'M', min: 0 },
      series: [{ type: 'rects', label: 'M', colour: 0, rects: m.map((g, i) => [i - 0.3, 0, i + 0.3, g.m]), fillOpacity: 0.7 }],
      legend: false,
    });
  }
  if (r.genorm?.v.length) {
    const v = r.genorm.v;
    out.push({
      id: 'genorm-v', title: 'geNorm pairwise variation V', subtitle: 'dashed: 0.15 cut-off (Vandesompele 2002)', width: 560, height: 320,
      x: { label: '', min: -0.6, max: v.length - 0.4, ticks: v.map((g, i) => ({ value: i, label: g.label })), grid: false },
      y: { label: 'V', min: 0, max: Math.max(0.2, ...v.map((g) => g.v)) * 1.1 },
      series: [
        { type: 'rects', colour: 2, rects: v.map((g, i) => [i - 0.3, 0, i + 0.3, g.v]), fillOpacity: 0.7 },
        { type: 'segments', colour: 'muted', dash: [4, 4], segments: [[-0.6, 0.15, v.length - 0.4, 0.15]] },
      ],
      legend: false,
    });
  }
  return out;
}

function nomogramChart(r: NomogramResult, o: ChartOptions): ChartSpec[] {
  const L = nomogramLayout(r);
  if (!L) return [];
  const series: Series[] = [];
  const segs: [number, number, number, number][] = [];
  const texts: Extract<Series, { type: 'text' }>['texts'] = [];
  L.rows.forEach((row, i) => {
    const y = -i;
    const xs = row.ticks.map((t) => t.x);
    segs.push([Math.min(...xs), y, Math.max(...xs), y]);
    texts.push({ x: -3, y, text: row.label, align: 'right', baseline: 'middle', bold: row.kind !== 'predictor' });
    let last = -Infinity;
    for (const t of [...row.ticks].sort((a, b) => a.x - b.x)) {
      segs.push([t.x, y, t.x, y + 0.18]);
      if (t.x - last >= (row.kind === 'probability' ? 6 : 4.5) || row.kind === 'points' || row.kind === 'total') {
        texts.push({ x: t.x, y, text: t.label, align: 'center', baseline: 'bottom', dy: -10 });
        last = t.x;
      }
    }
  });
  series.push({ type: 'segments', colour: 'fg', segments: segs, width: 1 });
  series.push({ type: 'text', colour: 'fg', texts });
  const s = o.score;
  if (s) {
    const marks: { x: number; y: number }[] = [];
    L.rows.forEach((row, i) => {
      if (row.kind === 'predictor' && finite(s.points[row.label])) marks.push({ x: s.points[row.label], y: -i });
      if (row.kind === 'total' && finite(s.total)) marks.push({ x: s.total * L.totalScale, y: -i });
      if (row.kind === 'probability' && finite(s.total)) marks.push({ x: s.total * L.totalScale, y: -i });
    });
    series.push({ type: 'scatter', label: 'this patient', colour: 1, points: marks, marker: 'diamond', size: 7 });
  }
  const n = L.rows.length;
  return [{
    id: 'nomogram', title: `Nomogram (${r.model})`, subtitle: `points per predictor; total points map to the predicted probability`,
    width: 820, height: 60 + 52 * n,
    x: { label: '', min: -48, max: 104, hidden: true }, y: { label: '', min: -(n - 1) - 0.5, max: 0.9, hidden: true },
    series, legend: !!s,
  }];
}

/** The charts of a result (empty for results shown as tables only). */
export function chartsFor(r: AnalysisResult, o: ChartOptions = {}): ChartSpec[] {
  switch (r.kind) {
    case 'correlate': return correlateChart(r, o);
    case 'compare': return compareChart(r);
    case 'km': return kmChart(r, o);
    case 'cox': return forestChart('forest', r.univariate ? 'Hazard ratios (univariate)' : 'Hazard ratios', 'HR', (r as CoxResult).terms.map((t) => ({ term: t.term, est: t.hr, ci: t.ci })));
    case 'logistic': return forestChart('forest', 'Odds ratios', 'OR', (r as LogisticResult).terms.filter((t) => t.term !== '(Intercept)').map((t) => ({ term: t.term, est: t.or, ci: t.ci })));
    case 'nomogram': return nomogramChart(r, o);
    case 'roc': return rocChart(r);
    case 'calibrate': return calibrateCharts(r);
    case 'dca': return dcaCharts(r);
    case 'stability': return stabilityCharts(r);
    case 'describe': case 'hosmer-lemeshow': return [];
  }
}

/** The data behind a chart as a table (CSV export of the plotted points). */
export function chartDataRows(spec: ChartSpec): string[][] {
  const rows: string[][] = [['series', 'x', 'y', 'y2', 'label']];
  spec.series.forEach((s, i) => {
    const name = ('label' in s && s.label) || `${s.type} ${i + 1}`;
    switch (s.type) {
      case 'line': case 'scatter': s.points.forEach((p) => rows.push([name, String(p.x), String(p.y), '', 'id' in p && p.id ? String(p.id) : ''])); break;
      case 'band': s.points.forEach((p) => rows.push([name, String(p.x), String(p.lo), String(p.hi), ''])); break;
      case 'segments': s.segments.forEach((g) => rows.push([name, `${g[0]}`, `${g[1]}`, '', `to ${g[2]}, ${g[3]}`])); break;
      case 'rects': s.rects.forEach((g) => rows.push([name, `${g[0]}`, `${g[1]}`, '', `to ${g[2]}, ${g[3]}`])); break;
      case 'text': break;
    }
  });
  return rows;
}
