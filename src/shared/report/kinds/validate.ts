/** `validate`: bootstrap validation of a labelled logistic or Cox model (rms::validate's table, with C beside Dxy). */
import type { Interval, Num, ResultBase } from '../base';
import { cell, type DataTable } from '../format';
import type { ReportKind } from './kind';

/** One index of rms::validate's table: apparent, mean over the resamples (on them, on the original data), optimism, corrected. */
export interface ValidateIndex { index: string; indexOrig: Num; training: Num; test: Num; optimism: Num; indexCorrected: Num; n: number }
/** C = Dxy/2 + 0.5 of each column; `ci`: percentile bootstrap interval of the apparent C (level `conf`), not corrected. */
export interface ValidateCIndex { indexOrig: Num; training: Num; test: Num; optimism: Num; indexCorrected: Num; ci: Interval; conf: number }
export interface ValidateResult extends ResultBase {
  kind: 'validate';
  model: string;
  modelKind: 'logistic' | 'cox';
  B: number;
  seed: number;
  successfulResamples: number;
  failedResamples: number;
  indexes: ValidateIndex[];
  cIndex: ValidateCIndex;
}

function tables(r: ValidateResult): DataTable[] {
  const row = (label: string, v: Omit<ValidateIndex, 'index'>) => [
    cell.text(label), cell.num(v.indexOrig, 4), cell.num(v.training, 4), cell.num(v.test, 4), cell.num(v.optimism, 4), cell.num(v.indexCorrected, 4), cell.int(v.n),
  ];
  const c = r.cIndex;
  const rows = r.indexes.flatMap((i) => (i.index === 'Dxy' ? [row('Dxy', i), row('C (Dxy/2 + 0.5)', { ...c, n: i.n })] : [row(i.index, i)]));
  const level = `${Math.round(c.conf * 1000) / 10}%`;
  return [
    {
      id: 'validate', title: `Bootstrap validation of ${r.model} (${r.modelKind}; B = ${r.B}, seed ${r.seed}${r.failedResamples ? `; ${r.failedResamples} refits failed` : ''})`,
      columns: ['Index', 'Original', 'Training', 'Test', 'Optimism', 'Corrected', 'n'], rows,
    },
    {
      id: 'c-index', title: `C-index of ${r.model}`, columns: ['Apparent C', `${level} CI (bootstrap percentile)`, 'Optimism', 'Optimism-corrected C'],
      rows: [[cell.num(c.indexOrig, 3), cell.ci(c.ci, 3), cell.num(c.optimism, 3), cell.num(c.indexCorrected, 3)]],
    },
  ];
}

export const validateKind: ReportKind<ValidateResult> = { kind: 'validate', tables };
