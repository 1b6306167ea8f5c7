/**
 * foldchange: one chart per target on a log2 axis, a dashed line at 1. Dot + 95% CI (default), or bar from 1 with a
 * ±1 SE error bar (`with plot bar`; the SE taken on the log scale, value · exp(±SE / value), so it stays positive).
 * With `by`: one position per group (its geometric mean) and the samples as faint points; otherwise one per sample.
 */
import type { FoldChangeResult } from '../../report/kinds/foldchange';
import type { ChartSpec, Series, Tick } from '../chartSpec';
import { finite, H, jitter, type ChartKind } from '../chartKit';
import { maxOf, minOf } from '../../extent';

interface Item { label: string; value: number | null; se: number | null; ci: [number | null, number | null] | null }

/** Ticks at powers of two covering [lo, hi], labelled as fold changes (1/4 as 0.25). */
function log2Ticks(lo: number, hi: number): Tick[] {
  const a = Math.floor(Math.log2(lo)), b = Math.ceil(Math.log2(hi));
  const step = Math.max(1, Math.ceil((b - a) / 8));
  const out: Tick[] = [];
  for (let k = a; k <= b; k += step) out.push({ value: 2 ** k, label: k >= 0 ? String(2 ** k) : String(Number((2 ** k).toPrecision(3))) });
  return out;
}

function chart(r: FoldChangeResult, target: string, items: Item[], points: { x: number; y: number }[]): ChartSpec {
  const bar = r.plot === 'bar';
  const ends = (it: Item): [number, number] | null => {
    if (!finite(it.value) || it.value <= 0) return null;
    if (bar) return finite(it.se) ? [it.value * Math.exp(-it.se / it.value), it.value * Math.exp(it.se / it.value)] : null;
    return it.ci && finite(it.ci[0]) && finite(it.ci[1]) ? [it.ci[0], it.ci[1]] : null;
  };
  const vals = [1, ...items.flatMap((it) => [it.value, ...(ends(it) ?? [])]), ...points.map((p) => p.y)].filter((v): v is number => finite(v) && v > 0);
  // the axis runs from the power of two below the lowest value to the one above the highest (ticks at its ends)
  const lo = 2 ** Math.floor(Math.log2(minOf(vals) / 1.1)), hi = 2 ** Math.ceil(Math.log2(maxOf(vals) * 1.1));
  const k = items.length;
  const whiskers: [number, number, number, number][] = [];
  items.forEach((it, i) => { const e = ends(it); if (e) whiskers.push([i, e[0], i, e[1]], [i - 0.12, e[0], i + 0.12, e[0]], [i - 0.12, e[1], i + 0.12, e[1]]); });
  const centres = items.flatMap((it, i) => (finite(it.value) && it.value > 0 ? [{ x: i, y: it.value }] : []));
  const series: Series[] = [
    { type: 'segments', colour: 'muted', dash: [4, 4], segments: [[-0.6, 1, k - 0.4, 1]] },
    ...(points.length ? [{ type: 'scatter', label: 'samples', colour: 'muted', points, size: 2.5, opacity: 0.6 } as Series] : []),
    ...(bar ? [{ type: 'rects', label: r.quantity, colour: 0, rects: centres.map((c) => [c.x - 0.3, 1, c.x + 0.3, c.y]), fillOpacity: 0.6 } as Series] : []),
    { type: 'segments', label: bar ? '±1 SE' : '95% CI', colour: bar ? 'fg' : 0, width: 2, segments: whiskers },
    ...(bar ? [] : [{ type: 'scatter', label: r.quantity, colour: 0, points: centres, marker: 'circle', size: 5 } as Series]),
  ];
  return {
    id: `foldchange-${target}`, title: `${target}: ${r.quantity === 'CNRQ' ? 'fold change (CNRQ)' : 'NRQ'}`,
    subtitle: `${bar ? 'bar with ±1 SE' : 'dot with 95% CI'}, log2 axis${r.by ? `; by ${r.by}, grey: samples` : ''}`,
    width: Math.max(420, Math.min(1400, 60 * k + 200)), height: H,
    x: { label: r.by ?? '', min: -0.6, max: k - 0.4, ticks: items.map((it, i) => ({ value: i, label: it.label })), grid: false },
    y: { label: `${r.quantity} (log2 scale)`, type: 'log', min: lo, max: hi, ticks: log2Ticks(lo, hi) },
    series,
    legend: false,
  };
}

export const foldchangeCharts: ChartKind<FoldChangeResult> = {
  kind: 'foldchange',
  layout: 'charts-first',
  charts(r) {
    return r.targets.flatMap((t) => {
      const samples = r.samples.filter((s) => s.target === t);
      if (!r.by) return samples.length ? [chart(r, t, samples.map((s) => ({ label: s.sample, value: s.value, se: s.se, ci: s.ci })), [])] : [];
      const groups = r.groups.filter((g) => g.target === t);
      if (!groups.length) return [];
      const pos = new Map(groups.map((g, i) => [g.group, i] as const));
      const points = samples.flatMap((s, j) => (finite(s.value) && s.value > 0 && pos.has(s.group ?? '') ? [{ x: (pos.get(s.group ?? '') as number) + jitter(j + 1, 0.2), y: s.value }] : []));
      return [chart(r, t, groups.map((g) => ({ label: `${g.group} (n = ${g.n})`, value: g.value, se: g.se, ci: g.ci })), points)];
    });
  },
};
