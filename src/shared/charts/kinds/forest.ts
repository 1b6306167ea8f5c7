/**
 * forest: the marker's HR (OR) on a log axis. Models: one row per model. Subgroups: "All patients", then per variable
 * a header row carrying its p for interaction and the variable's levels below it (as clinical papers draw it).
 */
import type { ForestResult } from '../../report/types';
import { fmtP } from '../../report/format';
import { forestChart, type ChartKind, type ForestRow } from '../chartKit';

function rowsOf(r: ForestResult): ForestRow[] {
  const out: ForestRow[] = [];
  let variable: string | undefined;
  for (const x of r.rows) {
    if (x.variable !== undefined && x.variable !== variable) {
      variable = x.variable;
      const p = x.interaction ? fmtP(x.interaction.p) : undefined;
      out.push({ term: p ? `${variable} (interaction p ${/^[<>]/.test(p) ? p : `= ${p}`})` : variable, est: null, ci: [null, null] });
    }
    out.push({ term: x.variable !== undefined ? `\u00a0\u00a0\u00a0${x.label}` : x.label, est: x.estimate, ci: x.ci });
  }
  return out;
}

export const forestCharts: ChartKind<ForestResult> = {
  kind: 'forest',
  layout: 'beside',
  charts: (r) => forestChart('forest', `${r.measure} of ${r.marker}`, r.measure, rowsOf(r)),
};
