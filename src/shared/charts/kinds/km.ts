/** km: step survival curves (optional confidence bands), censoring ticks, median lines, numbers at risk below. */
import type { KmResult } from '../../report/types';
import { CUMULATIVE, defaultAtRisk, fmtMedian, logrankText, timeAxisLabel } from '../../report/kinds/km';
import { fmtNum, pStatement } from '../../report/format';
import type { ChartSpec, FooterSpec, Series, Tick } from '../chartSpec';
import { finite, H, W, type ChartKind } from '../chartKit';
import { maxOf } from '../../extent';

function groupSeries(g: KmResult['groups'][number], i: number, showCi: boolean): Series[] {
  const series: Series[] = [];
  const pts = g.curve.filter((p) => finite(p.t) && finite(p.s));
  if (showCi) {
    series.push({ type: 'band', colour: i, step: true, opacity: 0.15, points: pts.map((p) => ({ x: p.t, lo: finite(p.lo) ? p.lo : p.s, hi: finite(p.hi) ? p.hi : p.s })) });
  }
  const line = pts.map((p) => ({ x: p.t, y: p.s }));
  if (line.length && line[0].x > 0) line.unshift({ x: 0, y: 1 });
  series.push({ type: 'line', label: `${g.label} (n = ${g.n}, ${g.events} events, median ${fmtMedian(g.median)})`, colour: i, points: line, step: true, width: 2 });
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

type AtRisk = NonNullable<KmResult['atRisk']>;

/** Numbers at risk, then (`with cumulative`) cumulative events and censored counts, each row aligned with the time axis. */
function footerOf(r: KmResult, ar: AtRisk): FooterSpec {
  const block = (values: (row: AtRisk['rows'][number]) => number[] | undefined) => ar.rows.map((row) => ({
    label: row.label, colour: r.groups.findIndex((g) => g.label === row.label), cells: (values(row) ?? []).map((n, k) => ({ x: ar.times[k], text: String(n) })),
  }));
  const rows: FooterSpec['rows'] = block((row) => row.n);
  for (const [, title, key] of CUMULATIVE) {
    if (ar.rows.some((row) => row[key])) rows.push({ label: title, colour: 'fg', cells: [], heading: true }, ...block((row) => row[key]));
  }
  return { title: 'Number at risk', rows };
}

/** `by cutpoint(x)`: the standardised log-rank statistic at every candidate cut, the chosen cut marked (as survminer's plot). */
function cutpointChart(c: NonNullable<KmResult['cutpoint']>): ChartSpec {
  const top = maxOf(c.curve.map((p) => p.statistic));
  return {
    id: 'cutpoint', title: `Data-driven cut-point of ${c.variable}`, subtitle: `cut ${fmtNum(c.cut, 4)}, statistic ${fmtNum(c.statistic, 4)}, ${pStatement(c.p, 'adjusted p')} (Lau94)`,
    width: W, height: H, x: { label: c.variable }, y: { label: 'Standardised log-rank statistic', min: 0 },
    series: [
      { type: 'line', colour: 0, points: c.curve.map((p) => ({ x: p.cut, y: p.statistic })), width: 1.5 },
      { type: 'scatter', colour: 0, points: c.curve.map((p) => ({ x: p.cut, y: p.statistic })), size: 2 },
      { type: 'segments', colour: 1, dash: [4, 4], width: 1.5, segments: [[c.cut, 0, c.cut, top]] },
    ],
    legend: false,
  };
}

export const kmCharts: ChartKind<KmResult> = {
  kind: 'km',
  layout: 'charts-first',
  charts(r, o) {
    if (!r.groups.length) return [];
    const tmax = maxOf(r.groups.flatMap((g) => g.curve.map((p) => p.t)));
    const series = r.groups.flatMap((g, i) => groupSeries(g, i, !!o.showCi));
    const ar: AtRisk | null = r.atRisk ?? defaultAtRisk(r);
    const footer = ar ? footerOf(r, ar) : undefined;
    const labels = footer ? footer.rows.filter((row) => !row.heading).map((row) => row.label) : r.groups.map((g) => g.label);
    const km: ChartSpec = {
      id: 'km', title: 'Kaplan–Meier survival', subtitle: r.logrank ? logrankText(r.logrank) : undefined,
      width: W, height: H + 40 + 18 * (footer?.rows.length ?? r.groups.length),
      x: { label: timeAxisLabel(r), min: 0, max: Math.max(tmax, ...(ar?.times ?? [0])), ticks: timeTicks(ar?.times, tmax) }, y: { label: 'Survival probability', min: 0, max: 1 },
      series, footer,
      padLeft: Math.min(240, 60 + 7 * Math.max(0, ...labels.map((l) => l.length))),
    };
    return r.cutpoint ? [km, cutpointChart(r.cutpoint)] : [km];
  },
};
