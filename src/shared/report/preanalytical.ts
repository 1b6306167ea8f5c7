/**
 * The pre-analytical QC section of report.json (`preanalytical`, issue 14 item 7): circulating-miRNA checks stated
 * in the study (`qc hemolysis A - B > 7`, `qc spike-in T robust-z 3`; engine: src/engine/qc/preanalytical). Every
 * flagged sample is also a QC finding (`data.qc`, codes `hemolysis` and `spike-in-outlier`) on its wells' Cq cells.
 * Shown collapsed in the results panel and report.html as one table per check.
 */
import type { Num } from './base';
import { cell, DASH, fmtFixed, type DataTable } from './format';

/** One sample: the mean Cq of each target (wells with a Cq, not omitted), dCq = high − low, and the verdict. */
export interface HemolysisRow { sample: string; high: Num; low: Num; dcq: Num; flagged: boolean }

export interface HemolysisCheck {
  /** dCq = Cq(high) − Cq(low); flagged when dCq `op` threshold (Blondal et al. 2013: miR-23a − miR-451a > 7). */
  high: string; low: string; op: '>' | '<'; threshold: number;
  /** 1-based line of the `qc` statement. */
  line: number;
  rows: HemolysisRow[];
  flagged: number;
}

/** One sample: the spike-in's mean Cq (over its wells on every plate), the plates' files, robust z, the verdict. */
export interface SpikeInRow { sample: string; cq: number; n: number; files: string[]; z: Num; flagged: boolean }

export interface SpikeInCheck {
  target: string;
  /** |z| > limit is flagged; z = (Cq − median) / (1.4826 · MAD) over the samples (null when the MAD is 0). */
  limit: number;
  line: number;
  median: Num; mad: Num;
  rows: SpikeInRow[];
  flagged: number;
}

export interface PreanalyticalSection { hemolysis: HemolysisCheck[]; spikeIns: SpikeInCheck[] }

const yes = (b: boolean) => (b ? 'FLAGGED' : 'ok');

export function hemolysisTable(c: HemolysisCheck, i: number): DataTable {
  return {
    id: `hemolysis-${i + 1}`,
    title: `Haemolysis: dCq = Cq(${c.high}) − Cq(${c.low}), flagged when dCq ${c.op} ${c.threshold} (${c.flagged} of ${c.rows.length} samples)`,
    columns: ['Sample', `Cq ${c.high}`, `Cq ${c.low}`, 'dCq', 'Haemolysis'],
    rows: c.rows.map((r) => [cell.text(r.sample), cell.fixed(r.high, 3), cell.fixed(r.low, 3), cell.fixed(r.dcq, 3), cell.text(r.dcq === null ? DASH : yes(r.flagged))]),
    note: 'Mean Cq of each target per sample (wells with a Cq, not omitted). Blondal et al. 2013 (Methods 59:S1–S6): dCq (miR-23a − miR-451a) above 5 suggests, above 7 indicates a high risk of haemolysis.',
  };
}

export function spikeInTable(c: SpikeInCheck, i: number): DataTable {
  return {
    id: `spike-in-${i + 1}`,
    title: `Spike-in recovery: ${c.target}, robust z across samples and plates, flagged when |z| > ${c.limit} (${c.flagged} of ${c.rows.length} samples)`,
    columns: ['Sample', `Mean Cq ${c.target}`, 'Wells', 'Robust z', 'Outlier', 'Files'],
    rows: c.rows.map((r) => [cell.text(r.sample), cell.fixed(r.cq, 3), cell.text(String(r.n)), cell.fixed(r.z, 2), cell.text(r.z === null ? DASH : yes(r.flagged)), cell.text(r.files.join(', '))]),
    note: `z = (Cq − median) / (1.4826 · MAD); median ${fmtFixed(c.median, 3)}, MAD ${fmtFixed(c.mad, 3)} cycles${c.mad === 0 ? ' (0: z is not defined)' : ''}.`,
  };
}
