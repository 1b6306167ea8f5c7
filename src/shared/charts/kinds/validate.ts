/** validate: apparent vs optimism-corrected C, R² and calibration slope (a dumbbell per index), tables below. */
import type { ValidateResult } from '../../report/types';
import type { ChartSpec } from '../chartSpec';
import { finite, type ChartKind } from '../chartKit';

function dumbbell(r: ValidateResult): ChartSpec[] {
  const of = (name: string) => r.indexes.find((i) => i.index === name);
  const items = [
    { label: 'C', orig: r.cIndex.indexOrig, corr: r.cIndex.indexCorrected },
    ...['R2', 'Slope'].map((k) => ({ label: k === 'R2' ? 'R²' : k, orig: of(k)?.indexOrig ?? null, corr: of(k)?.indexCorrected ?? null })),
  ].filter((d): d is { label: string; orig: number; corr: number } => finite(d.orig) && finite(d.corr));
  if (!items.length) return [];
  const y = (k: number) => items.length - k;
  const hi = Math.max(1, ...items.flatMap((d) => [d.orig, d.corr]));
  return [{
    id: 'validate-optimism', title: `Apparent and optimism-corrected performance of ${r.model}`, subtitle: `bootstrap B = ${r.B}, seed ${r.seed}`,
    width: 560, height: 80 + 50 * items.length, padLeft: 50,
    x: { label: 'Index value', min: 0, max: hi },
    y: { label: '', min: 0.5, max: items.length + 0.5, ticks: items.map((d, k) => ({ value: y(k), label: d.label })), grid: false },
    series: [
      { type: 'segments', colour: 'muted', segments: items.map((d, k) => [d.corr, y(k), d.orig, y(k)] as [number, number, number, number]) },
      { type: 'scatter', label: 'apparent', colour: 0, points: items.map((d, k) => ({ x: d.orig, y: y(k) })), marker: 'circle' },
      { type: 'scatter', label: 'optimism-corrected', colour: 1, points: items.map((d, k) => ({ x: d.corr, y: y(k) })), marker: 'diamond' },
    ],
  }];
}

export const validateCharts: ChartKind<ValidateResult> = { kind: 'validate', layout: 'tables-first', charts: dumbbell };
