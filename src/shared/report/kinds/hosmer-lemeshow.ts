/** `hosmer-lemeshow`: goodness of fit of a labelled logistic model, per evaluated cohort. */
import type { Num, ResultBase } from '../base';
import { cell, significantRows, slug, type DataTable } from '../format';
import type { ReportKind } from './kind';

export interface HosmerLemeshowEvaluation { cohort: string; chisq: Num; df: number; p: Num; groups: number; table?: { group: string; n: number; observed: number; expected: number }[] }
export interface HosmerLemeshowResult extends ResultBase { kind: 'hosmer-lemeshow'; model: string; evaluations: HosmerLemeshowEvaluation[] }

function tables(r: HosmerLemeshowResult): DataTable[] {
  const t: DataTable[] = [{
    id: 'hl', title: `Hosmer–Lemeshow test of ${r.model}`, columns: ['Cohort', 'χ²', 'df', 'p', 'Groups'],
    rows: r.evaluations.map((e) => [cell.text(e.cohort), cell.num(e.chisq, 4), cell.int(e.df), cell.p(e.p), cell.int(e.groups)]),
    significant: significantRows(r.evaluations.map((e) => e.p)),
  }];
  for (const e of r.evaluations) {
    if (e.table?.length) t.push({ id: `groups-${slug(e.cohort)}`, title: `Observed vs expected events (${e.cohort})`, columns: ['Group', 'n', 'Observed', 'Expected'],
      rows: e.table.map((g) => [cell.text(g.group), cell.int(g.n), cell.int(g.observed), cell.fixed(g.expected, 2)]) });
  }
  return t;
}

export const hosmerLemeshowKind: ReportKind<HosmerLemeshowResult> = { kind: 'hosmer-lemeshow', tables };
