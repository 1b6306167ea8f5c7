/** `absolute`: unknowns interpolated from the standard curves, with a 95 % prediction interval (issue 14 item 2). */
import type { ResultBase } from '../base';
import { cell, DASH, fmtNum, type DataTable } from '../format';
import type { ReportKind } from './kind';

export interface AbsoluteCurve {
  target: string; file: string; n: number; slope: number | null; intercept: number | null; r2: number | null;
  /** Standards' Cq range (interpolation range) and the curve's limit of detection (null: none). */
  cqRange: [number, number] | null; lod: number | null;
}

export interface AbsoluteSampleRow {
  target: string; sample: string;
  /** The plate whose curve was used; null when none applies. */
  curveFile: string | null;
  /** Mean Cq of the replicates used and their number. */
  cq: number | null; replicates: number;
  /** Interpolated quantity (the standards' unit), SE of its log10, 95 % prediction interval. Null with `reason`. */
  quantity: number | null; log10Se: number | null; ci: [number, number] | null;
  /** `outside-range` (Cq outside the standards' Cq range: extrapolated), `below-lod` (quantity below the LOD). */
  flags: string[];
  /** Why no quantity: `no-cq`, `no-curve` (no invertible curve for the target), `ambiguous-curve` (several plates). */
  reason?: string;
}

export interface AbsoluteResult extends ResultBase {
  kind: 'absolute';
  targets: string[];
  curves: AbsoluteCurve[];
  samples: AbsoluteSampleRow[];
}

const REASON: Record<string, string> = { 'no-cq': 'no Cq', 'no-curve': 'no usable standard curve', 'ambiguous-curve': 'several curves on other plates' };

function targetTable(r: AbsoluteResult, target: string): DataTable {
  const rows = r.samples.filter((s) => s.target === target);
  const curves = r.curves.filter((c) => c.target === target);
  const curveNote = curves.map((c) => `${c.file}: Cq = ${fmtNum(c.intercept, 4)} ${c.slope !== null && c.slope < 0 ? '−' : '+'} ${fmtNum(c.slope === null ? null : Math.abs(c.slope), 4)}·log10(q), n ${c.n}, Cq range ${c.cqRange ? `${c.cqRange[0].toFixed(2)}–${c.cqRange[1].toFixed(2)}` : DASH}, LOD ${c.lod ?? DASH}`).join('; ');
  return {
    id: `absolute-${target}`, title: `${target}: absolute quantities from the standard curve`,
    columns: ['Sample', 'Mean Cq', 'n', 'Quantity', '95% PI low', '95% PI high', 'Flags'],
    rows: rows.map((s) => [cell.text(s.sample), cell.fixed(s.cq, 2), cell.int(s.replicates), cell.num(s.quantity, 4),
      cell.num(s.ci?.[0] ?? null, 4), cell.num(s.ci?.[1] ?? null, 4),
      cell.text(s.reason ? REASON[s.reason] ?? s.reason : s.flags.join(', ') || '')]),
    note: `Quantity = 10^((Cq − intercept) / slope); 95% prediction interval by inverse regression (t, n − 2 df; se of log10 q = s/|b|·√(1/m + 1/n + (Cq − mean Cq)²/(b²·Sxx)), m replicates). outside-range: extrapolated beyond the standards' Cq range; below-lod: under the curve's limit of detection. ${curveNote}`,
  };
}

function tables(r: AbsoluteResult): DataTable[] {
  return r.targets.map((t) => targetTable(r, t));
}

export const absoluteKind: ReportKind<AbsoluteResult> = { kind: 'absolute', tables };
