/**
 * A multi-model forest plot (PURE): the ratios of several Cox models (HR) or several logistic models (OR) side by
 * side, one row per term (in order of first appearance), each model a marker shape and colour offset within the row,
 * with its CI and a legend naming the models (e.g. a marker unadjusted, then adjusted).
 */
import type { AnalysisResult, CoxResult, Interval, LogisticResult } from '../report/types';
import { finite, logTicks, W } from './chartKit';
import type { ChartSpec, Marker, Series } from './chartSpec';
import { coxForestRows } from './kinds/cox';
import { logisticForestRows } from './kinds/logistic';
import { maxOf } from '../extent';

const MARKERS: Marker[] = ['square', 'circle', 'triangle', 'diamond', 'cross'];

/** The models' rows, or a message naming the first result that is not a Cox or logistic model of the same kind. */
export function multiModelForest(results: AnalysisResult[], id = 'models'): ChartSpec | { error: string } {
  if (results.length < 2) return { error: 'a multi-model forest plot needs at least two models' };
  const kind = results[0].kind;
  const bad = results.find((r) => r.kind !== kind || (r.kind !== 'cox' && r.kind !== 'logistic'));
  if (bad) return { error: `a multi-model forest plot needs Cox models or logistic models, all of one kind ("${bad.name}" is ${bad.kind}, "${results[0].name}" is ${kind})` };
  const what = kind === 'cox' ? 'HR' : 'OR';
  const models = results.map((r) => ({ name: r.name, rows: kind === 'cox' ? coxForestRows(r as CoxResult) : logisticForestRows(r as LogisticResult) }));
  const terms = [...new Set(models.flatMap((m) => m.rows.map((r) => r.term)))];
  const k = terms.length, M = models.length;
  const vals = models.flatMap((m) => m.rows.flatMap((r) => [r.est, ...r.ci])).filter((v): v is number => finite(v) && v > 1e-6 && v < 1e6);
  const lo = Math.max(1e-4, Math.min(1, ...vals) / 1.3), hi = Math.min(1e4, Math.max(1, ...vals) * 1.3);
  const step = Math.min(0.25, 0.8 / M);
  const yOf = (term: string, m: number) => k - 1 - terms.indexOf(term) + ((M - 1) / 2 - m) * step;
  const clamp = (ci: Interval, est: number): [number, number] => [finite(ci[0]) && ci[0] > 0 ? Math.max(lo, ci[0]) : est, finite(ci[1]) ? Math.min(hi, ci[1]) : hi];
  const series: Series[] = [{ type: 'segments', colour: 'muted', dash: [4, 4], segments: [[1, -0.7, 1, k - 0.3]] }];
  models.forEach((m, i) => {
    const ok = m.rows.filter((r) => finite(r.est) && r.est > 0);
    series.push({ type: 'segments', colour: i, width: 1.5, segments: ok.map((r) => { const [a, b] = clamp(r.ci, r.est as number); return [a, yOf(r.term, i), b, yOf(r.term, i)]; }) });
    series.push({ type: 'scatter', label: m.name, colour: i, marker: MARKERS[i % MARKERS.length], size: 4.5, points: ok.map((r) => ({ x: r.est as number, y: yOf(r.term, i) })) });
  });
  return {
    id, title: `${what === 'HR' ? 'Hazard' : 'Odds'} ratios by model`, width: W, height: Math.max(220, 110 + 38 * k),
    x: { label: `${what} (log scale)`, type: 'log', min: lo, max: hi, ticks: logTicks(lo, hi) },
    y: { label: '', min: -0.7, max: k - 0.3, ticks: terms.map((t) => ({ value: k - 1 - terms.indexOf(t), label: t })), grid: false },
    series, legend: true,
    padLeft: Math.min(260, 30 + 7 * maxOf(terms.map((t) => t.length))),
  };
}
