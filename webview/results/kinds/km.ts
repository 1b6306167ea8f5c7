/** km: step survival curves (optional confidence bands), censoring ticks, median lines, numbers at risk below. */
import type { KmResult } from '../../../src/shared/report/types';
import { defaultAtRisk, logrankText } from '../../../src/shared/report/kinds/km';
import { fmtNum } from '../../../src/shared/report/format';
import type { Series, Tick } from '../chartSpec';
import { finite, H, W, type ChartKind } from '../chartKit';

function groupSeries(g: KmResult['groups'][number], i: number, showCi: boolean): Series[] {
  const series: Series[] = [];
  const pts = g.curve.filter((p) => finite(p.t) && finite(p.s));
  if (showCi) {
    series.push({ type: 'band', colour: i, step: true, opacity: 0.15, points: pts.map((p) => ({ x: p.t, lo: finite(p.lo) ? p.lo : p.s, hi: finite(p.hi) ? p.hi : p.s })) });
  }
  const line = pts.map((p) => ({ x: p.t, y: p.s }));
  if (line.length && line[0].x > 0) line.unshift({ x: 0, y: 1 });
  series.push({ type: 'line', label: `${g.label} (n = ${g.n}, ${g.events} events)`, colour: i, points: line, step: true, width: 2 });
  const cens = pts.filter((p) => (p.censored ?? 0) > 0).map((p) => ({ x: p.t, y: p.s }));
  if (cens.length) series.push({ type: 'scatter', colour: i, points: cens, marker: 'tick', size: 5 });
  if (finite(g.median)) series.push({ type: 'segments', colour: i, dash: [4, 4], width: 1, segments: [[0, 0.5, g.median, 0.5], [g.median, 0.5, g.median, 0]] });
  return series;
}

/** x ticks at the at-risk times, continued by the same step to the end of follow-up (labels only). */
function timeTicks(times: number[] | undefined, tmax: number): Tick[] | undefined {
  if (!times) return undefined;
  let ticks = times.map((t) => ({ value: t, label: fmtNum(t, 4) }));
  if (times.length >= 2) {
    const step = times[times.length - 1] - times[times.length - 2];
    for (let t = times[times.length - 1] + step; step > 0 && t <= tmax + 1e-9; t += step) ticks = [...ticks, { value: t, label: fmtNum(t, 4) }];
  }
  return ticks;
}

export const kmCharts: ChartKind<KmResult> = {
  kind: 'km',
  layout: 'charts-first',
  charts(r, o) {
    if (!r.groups.length) return [];
    const tmax = Math.max(...r.groups.flatMap((g) => g.curve.map((p) => p.t)));
    const series = r.groups.flatMap((g, i) => groupSeries(g, i, !!o.showCi));
    const ar = r.atRisk ?? defaultAtRisk(r);
    return [{
      id: 'km', title: 'Kaplan–Meier survival', subtitle: r.logrank ? logrankText(r.logrank) : undefined,
      width: W, height: H + 40 + 18 * r.groups.length,
      x: { label: 'Time', min: 0, max: Math.max(tmax, ...(ar?.times ?? [0])), ticks: timeTicks(ar?.times, tmax) }, y: { label: 'Survival probability', min: 0, max: 1 },
      series,
      footer: ar ? { title: 'Number at risk', rows: ar.rows.map((row) => ({ label: row.label, colour: r.groups.findIndex((g) => g.label === row.label), cells: row.n.map((n, k) => ({ x: ar.times[k], text: String(n) })) })) } : undefined,
      padLeft: Math.min(240, 60 + 7 * Math.max(0, ...r.groups.map((g) => g.label.length))),
    }];
  },
};
