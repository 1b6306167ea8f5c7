/** `nomogram`: points per predictor of a labelled model and the total points → probability (or survival) scales. */
import type { ResultBase } from '../base';
import { cell, type DataTable } from '../format';
import type { ReportKind } from './kind';

/** A survival axis of a Cox nomogram: survival at `time`, or the survival time quantile `quantile` (0.5 = median). */
export interface NomogramSurvivalAxis { label: string; time?: number; quantile?: number; ticks: { value: number; points: number }[] }

export interface NomogramResult extends ResultBase {
  kind: 'nomogram';
  model: string;
  /**
   * One axis per term. A spline term (`rcs(x, k)`, named by its variable as rms does) is non-monotone: its ticks sit at
   * their own points, and `curve` gives its points at 201 values from the first to the last tick for the calculator.
   */
  axes: { term: string; ticks: { value: number | string; points: number }[]; curve?: { value: number; points: number }[] }[];
  /** Logistic models: total points → probability (empty for a Cox model). */
  total: { points: number; probability: number }[];
  pointsPerUnit?: number;
  /** Extra for the calculator: linear predictor at 0 total points and per-term linear-predictor pieces. */
  intercept?: number;
  terms?: { term: string; coef: number; min: number }[];
  /** Cox models only (the fields below are absent for a logistic model). */
  modelKind?: 'cox';
  /** rms's total-points axis and lp.at. */
  totalPoints?: number[];
  lpAt?: number[];
  /** rms fun axes: survival at each requested time, then the median survival time when asked for. */
  survival?: NomogramSurvivalAxis[];
  /** Baseline survival at lp = 0 (cph centring): S(t | lp) = surv[last time ≤ t]^exp(lp). */
  baseline?: { time: number[]; surv: number[] };
}

function tables(r: NomogramResult): DataTable[] {
  const points: DataTable = { id: 'points', title: `Nomogram points (${r.model})`, columns: ['Predictor', 'Value', 'Points'],
    rows: r.axes.flatMap((a) => a.ticks.map((t) => [cell.text(a.term), typeof t.value === 'number' ? cell.num(t.value, 4) : cell.text(t.value), cell.fixed(t.points, 1)])) };
  if (r.survival) {
    return [points, { id: 'survival', title: 'Total points → survival', columns: ['Axis', 'Value', 'Total points'],
      rows: r.survival.flatMap((s) => s.ticks.map((t) => [cell.text(s.label), cell.num(t.value, 3), cell.fixed(t.points, 1)])) }];
  }
  return [
    points,
    { id: 'total', title: 'Total points → probability', columns: ['Total points', 'Probability'],
      rows: r.total.map((t) => [cell.fixed(t.points, 1), cell.num(t.probability, 3)]) },
  ];
}

export const nomogramKind: ReportKind<NomogramResult> = { kind: 'nomogram', tables };
