/** `nomogram`: points per predictor of a labelled model and the total points → probability scale. */
import type { ResultBase } from '../base';
import { cell, type DataTable } from '../format';
import type { ReportKind } from './kind';

export interface NomogramResult extends ResultBase {
  kind: 'nomogram';
  model: string;
  axes: { term: string; ticks: { value: number | string; points: number }[] }[];
  total: { points: number; probability: number }[];
  pointsPerUnit?: number;
  /** Extra for the calculator: intercept and per-term linear-predictor pieces. */
  intercept?: number;
  terms?: { term: string; coef: number; min: number }[];
}

function tables(r: NomogramResult): DataTable[] {
  return [
    { id: 'points', title: `Nomogram points (${r.model})`, columns: ['Predictor', 'Value', 'Points'],
      rows: r.axes.flatMap((a) => a.ticks.map((t) => [cell.text(a.term), typeof t.value === 'number' ? cell.num(t.value, 4) : cell.text(t.value), cell.fixed(t.points, 1)])) },
    { id: 'total', title: 'Total points → probability', columns: ['Total points', 'Probability'],
      rows: r.total.map((t) => [cell.fixed(t.points, 1), cell.num(t.probability, 3)]) },
  ];
}

export const nomogramKind: ReportKind<NomogramResult> = { kind: 'nomogram', tables };
