/** stability: geNorm M per target (least stable left) and the pairwise variation V with the 0.15 cut-off. */
import type { StabilityResult } from '../../report/types';
import type { ChartSpec } from '../chartSpec';
import type { ChartKind } from '../chartKit';

type Genorm = NonNullable<StabilityResult['genorm']>;

/** Each gene's M at the step it was removed (the last pair: their shared M), in reverse rank order as geNorm plots it. */
function eliminationMs(genorm: Genorm): { target: string; m: number }[] {
  const out = genorm.steps.map((s) => ({ target: s.excluded, m: s.m[s.excluded] }));
  if (genorm.lastPair) for (const t of genorm.lastPair.targets) out.push({ target: t, m: genorm.lastPair.m });
  return out;
}

function mChart(genorm: Genorm): ChartSpec {
  const m = genorm.lastPair ? eliminationMs(genorm) : [...genorm.m].sort((a, b) => b.m - a.m);
  return {
    id: 'genorm-m', title: 'geNorm average expression stability M', subtitle: 'M when removed: least stable (removed first) left; the last two share rank 1', width: 560, height: 360,
    x: { label: '', min: -0.6, max: m.length - 0.4, ticks: m.map((g, i) => ({ value: i, label: g.target })), grid: false },
    y: { label: 'M', min: 0 },
    series: [{ type: 'rects', label: 'M', colour: 0, rects: m.map((g, i) => [i - 0.3, 0, i + 0.3, g.m]), fillOpacity: 0.7 }],
    legend: false,
  };
}

function vChart(v: Genorm['v']): ChartSpec {
  return {
    id: 'genorm-v', title: 'geNorm pairwise variation V', subtitle: 'dashed: 0.15 cut-off (Vandesompele 2002)', width: 560, height: 320,
    x: { label: '', min: -0.6, max: v.length - 0.4, ticks: v.map((g, i) => ({ value: i, label: g.label })), grid: false },
    y: { label: 'V', min: 0, max: Math.max(0.2, ...v.map((g) => g.v)) * 1.1 },
    series: [
      { type: 'rects', colour: 2, rects: v.map((g, i) => [i - 0.3, 0, i + 0.3, g.v]), fillOpacity: 0.7 },
      { type: 'segments', colour: 'muted', dash: [4, 4], segments: [[-0.6, 0.15, v.length - 0.4, 0.15]] },
    ],
    legend: false,
  };
}

export const stabilityCharts: ChartKind<StabilityResult> = {
  kind: 'stability',
  layout: 'charts-first',
  charts(r) {
    const out: ChartSpec[] = [];
    if (r.genorm?.m.length) out.push(mChart(r.genorm));
    if (r.genorm?.v.length) out.push(vChart(r.genorm.v));
    return out;
  },
};
