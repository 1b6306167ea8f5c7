/**
 * `foldchange`: relative quantities with propagated standard errors and 95 % CIs per sample and per group (issue 14;
 * qbase+ model, Hellemans et al. 2007; Livak & Schmittgen's 2^-(ddCq ± s) range when every efficiency is 2).
 */
import type { Interval, Num, ResultBase } from '../base';
import { cell, type Cell, type DataTable } from '../format';
import type { ReportKind } from './kind';

/** One sample × target: the quantity (CNRQ with calibrators, else NRQ), its SE and 95 % CI. */
export interface FoldChangeSample {
  sample: string;
  target: string;
  /** The sample's level of `by`. */
  group?: string;
  value: Num;
  se: Num;
  ci: Interval | null;
  dcq: Num;
  ddcq?: Num;
  /** 2^-(ddCq ± s) (2^-(dCq ± s) without calibrators), s = sqrt(SD_target² + SD_reference²); only when every E = 2. */
  livak?: { s: Num; lower: Num; upper: Num };
}

/** One target × group: geometric mean of the samples' quantities, SE and t CI of their log mean (n - 1 df). */
export interface FoldChangeGroup { target: string; group: string; n: number; value: Num; se: Num; ci: Interval | null }

export interface FoldChangeResult extends ResultBase {
  kind: 'foldchange';
  /** What `value` is: CNRQ (calibrated normalised relative quantity) or NRQ (relative to the mean sample). */
  quantity: 'CNRQ' | 'NRQ';
  targets: string[];
  by?: string;
  /** The chart: dot + CI (default) or bar + error bar, on a log2 axis. */
  plot: 'dot' | 'bar';
  samples: FoldChangeSample[];
  groups: FoldChangeGroup[];
}

const ciCell = (c: Interval | null): Cell => cell.ci(c, 3);

function tables(r: FoldChangeResult): DataTable[] {
  const t: DataTable[] = [];
  const what = r.quantity === 'CNRQ' ? 'fold change against the calibrators (CNRQ)' : 'normalised relative quantity (NRQ, relative to the mean sample)';
  if (r.by) {
    t.push({ id: 'groups', title: `Geometric mean ${what} by ${r.by}`, columns: ['Target', r.by, 'n', r.quantity, 'SE', '95% CI'],
      rows: r.groups.map((g) => [cell.text(g.target), cell.text(g.group), cell.int(g.n), cell.num(g.value, 4), cell.num(g.se, 3), ciCell(g.ci)]),
      note: 'Geometric mean of the samples\' quantities; SE and t interval of the mean log quantity (between-sample variation, n - 1 df). A group of one sample shows that sample\'s propagated SE and CI.' });
  }
  const livak = r.samples.some((s) => s.livak);
  t.push({
    id: 'samples', title: `Per sample: ${what} with propagated error`,
    columns: ['Sample', 'Target', ...(r.by ? [r.by] : []), 'dCq', ...(r.quantity === 'CNRQ' ? ['ddCq'] : []), r.quantity, 'SE', '95% CI', ...(livak ? ['s', '2^-(ddCq ± s)'] : [])],
    rows: r.samples.map((s) => [cell.text(s.sample), cell.text(s.target), ...(r.by ? [cell.text(s.group)] : []), cell.fixed(s.dcq, 3),
      ...(r.quantity === 'CNRQ' ? [cell.fixed(s.ddcq, 3)] : []), cell.num(s.value, 4), cell.num(s.se, 3), ciCell(s.ci),
      ...(livak ? [cell.fixed(s.livak?.s, 3), cell.ci(s.livak ? [s.livak.lower, s.livak.upper] : null, 3)] : [])]),
    note: 'qbase+ error propagation (Hellemans et al. 2007): SE of each replicate mean (SD / √n) and of each efficiency (standard curve) through RQ = E^ΔCq, the geometric mean of the references (NF), NRQ = RQ / NF and CNRQ = NRQ / calibrators\' NRQ; 95% CI = value · exp(∓1.96 · SE / value). SE is blank where a replicate SD is unknown (one replicate).'
      + (livak ? ' Livak & Schmittgen (2001): s = √(SD_target² + SD_reference²), range 2^-(ddCq + s) to 2^-(ddCq - s).' : ''),
  });
  return t;
}

export const foldchangeKind: ReportKind<FoldChangeResult> = { kind: 'foldchange', tables };
