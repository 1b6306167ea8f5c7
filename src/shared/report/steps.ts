/**
 * The step table of report.json (`steps`, issue 14): for each sample × target, the replicate Cqs used and excluded
 * (with the step that excluded them), their mean, each reference's mean Cq and their combination, dCq, ddCq, the
 * efficiencies and the quantity, so a fold change can be recomputed by hand. Shown collapsed in the results panel
 * and report.html; `qpcr-studio run --out DIR` writes it as DIR/steps.csv (`toCsv`, formula-safe).
 */
import type { Num } from './base';
import { cell, DASH, fmtFixed, type Cell, type DataTable } from './format';

/** One well: as read, the Cq that entered the mean (null = excluded), and why it was excluded or replaced. */
export interface StepReplicate { file: string; well: string | null; cq: Num; used: Num; code?: string; reason?: string }

export interface StepRow {
  sample: string;
  target: string;
  /** A reference gene's row (its replicates and mean; no dCq). */
  reference?: boolean;
  replicates: StepReplicate[];
  nUsed: number;
  nTotal: number;
  cqMean: Num;
  cqSd: Num;
  /** Amplification factor of the target (2 = 100 %). */
  efficiency: number;
  /** Target rows: each reference's mean Cq in this sample and its amplification factor. */
  refs?: { target: string; cqMean: Num; efficiency: number }[];
  /** Mean of the references' mean Cqs. */
  refCq?: Num;
  dcq?: Num;
  /** With calibrators: the calibrator samples' mean dCq for this target, and ddCq = dCq − it. */
  calibratorDcq?: Num;
  ddcq?: Num;
  /** The relative quantity (2^-dCq, 2^-ddCq, or Pfaffl's ratio with efficiencies ≠ 2). */
  quantity?: Num;
}

export interface StepsSection {
  references: string[];
  calibrated: boolean;
  /** A formula line: how `quantity` follows from the columns. */
  formula: string;
  /** Every sample × gene row of the run; `rows` holds the first 5000 replicate groups' rows (a larger study is cut). */
  total: number;
  rows: StepRow[];
}

const cq = (x: Num) => (x === null ? 'no Cq' : fmtFixed(x, 3));

function usedText(r: StepRow): string {
  return r.replicates.filter((w) => w.used !== null).map((w) => `${w.well ?? '?'} ${w.used === w.cq ? cq(w.cq) : `${cq(w.cq)} → ${fmtFixed(w.used, 3)}${w.code ? ` (${w.code})` : ''}`}`).join('; ') || DASH;
}

function excludedText(r: StepRow): string {
  return r.replicates.filter((w) => w.used === null).map((w) => `${w.well ?? '?'} ${cq(w.cq)}: ${w.code ?? 'excluded'}${w.reason ? ` (${w.reason})` : ''}`).join('; ') || DASH;
}

/** The step table: one row per sample × gene, the references' Cqs as columns. */
export function stepsTable(s: StepsSection): DataTable {
  const refCols = s.references.flatMap((r) => [`Cq ${r}`, `E ${r}`]);
  const rows = s.rows.map((r): Cell[] => {
    const refCells = s.references.flatMap((name) => {
      const x = r.refs?.find((y) => y.target === name);
      return x ? [cell.fixed(x.cqMean, 3), cell.fixed(x.efficiency, 4)] : [cell.text(null), cell.text(null)];
    });
    return [cell.text(r.sample), cell.text(r.target), cell.text(r.reference ? 'reference' : 'target'), cell.text(usedText(r)), cell.text(excludedText(r)),
      cell.text(`${r.nUsed}/${r.nTotal}`), cell.fixed(r.cqMean, 3), cell.fixed(r.cqSd, 3), cell.fixed(r.efficiency, 4), ...refCells,
      cell.fixed(r.refCq, 3), cell.fixed(r.dcq, 3), ...(s.calibrated ? [cell.fixed(r.calibratorDcq, 3), cell.fixed(r.ddcq, 3)] : []), cell.num(r.quantity, 6)];
  });
  return {
    id: 'steps', title: 'Step by step: replicate Cqs, reference, dCq, ddCq and quantity per sample × target',
    columns: ['Sample', 'Target', 'Role', 'Cqs used', 'Excluded (why)', 'n used', 'Mean Cq', 'SD', 'E', ...refCols, 'Ref Cq (mean)', 'dCq', ...(s.calibrated ? ['Calibrator dCq', 'ddCq'] : []), 'Quantity'],
    rows,
    note: s.rows.length < s.total ? `${s.formula} Only ${s.rows.length} of ${s.total} rows are listed (the first 5000 replicate groups).` : s.formula,
  };
}
