/**
 * `forest`: the effect (HR for Cox, OR for logistic) of a model's first term, the marker, as clinical papers draw
 * it. `mode: 'subgroups'` (`forest M by V1, V2`): the model as fitted ("All patients"), then the model refitted within
 * each level of each variable, with the likelihood-ratio p for interaction on the first row of each variable.
 * `mode: 'models'` (`forest M1, M2, M3`): the marker's estimate in each labelled model as fitted.
 */
import type { Interval, Num, ResultBase } from '../base';
import { cell, significantRows, type Cell, type DataTable } from '../format';
import type { ReportKind } from './kind';

/** Marker × variable: LR test of `terms + V + marker:V` against `terms + V` on the n rows complete for both. */
export interface ForestInteraction { chisq: Num; df: number; p: Num; n: number }
/** One row: a model or a subgroup (`variable` = the subgroup variable, `label` = its level). */
export interface ForestRow {
  label: string; variable?: string; n: number; events: number;
  estimate: Num; ci: Interval; p: Num;
  /** On the first level of each variable. */
  interaction?: ForestInteraction;
}
export interface ForestResult extends ResultBase {
  kind: 'forest';
  mode: 'subgroups' | 'models';
  modelKind: 'logistic' | 'cox';
  measure: 'HR' | 'OR';
  /** The first term of the model(s). */
  marker: string;
  models: string[];
  /** Confidence level of the intervals (that of the model). */
  confLevel: number;
  rows: ForestRow[];
  notes: string[];
}

function tables(r: ForestResult): DataTable[] {
  const sub = r.mode === 'subgroups';
  const rows: Cell[][] = [];
  const ps: Num[] = [];
  let variable: string | undefined;
  for (const x of r.rows) {
    if (sub && x.variable !== undefined && x.variable !== variable) {
      variable = x.variable;
      rows.push([cell.text(variable), cell.text(''), cell.text(''), cell.text(''), cell.text(''), cell.text(''), x.interaction ? cell.p(x.interaction.p) : cell.text('')]);
      ps.push(null);
    }
    const label = sub && x.variable !== undefined ? `  ${x.label}` : x.label;
    rows.push([cell.text(label), cell.int(x.n), cell.int(x.events), cell.num(x.estimate, 3), cell.ci(x.ci, 2), cell.p(x.p), ...(sub ? [cell.text('')] : [])]);
    ps.push(x.p);
  }
  const events = r.modelKind === 'cox' ? 'Events' : 'Outcome = 1';
  const title = sub ? `${r.measure} of ${r.marker} by subgroup (${r.models[0]}, ${r.cohort})` : `${r.measure} of ${r.marker} across models`;
  const note = [
    sub ? `Each subgroup: ${r.models[0]} refitted on its rows; p for interaction: likelihood-ratio test of ${r.marker} × the variable.` : '',
    ...r.notes,
  ].filter(Boolean).join(' ');
  return [{
    id: 'forest', title, columns: [sub ? 'Subgroup' : 'Model', 'n', events, r.measure, `${Math.round(r.confLevel * 1000) / 10}% CI`, 'p', ...(sub ? ['p for interaction'] : [])],
    rows, significant: significantRows(ps), ...(note ? { note } : {}),
  }];
}

export const forestKind: ReportKind<ForestResult> = { kind: 'forest', tables };
