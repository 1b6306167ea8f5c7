/** `nomogram`: points per predictor of a labelled model and the total points → probability scale. */
import type { ResultBase } from '../base';
import { cell, type DataTable } from '../format';
import type { ReportKind } from './kind';

export interface NomogramResult extends ResultBase {
  kind: 'nomogram';
  model: string;
  /**
   * One axis per term. A spline term (`rcs(x, k)`, named by its variable as rms does) is non-monotone: its ticks sit at
   * their own points, and `curve` gives its points at 201 values from the first to the last tick for the calculator.
   */
  axes: { term: string; ticks: { value: number | string; points: number }[]; curve?: { value: number; points: number }[] }[];
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
