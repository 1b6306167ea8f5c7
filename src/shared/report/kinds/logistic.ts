/** `logistic`: binary logistic regression (odds ratios). */
import type { Interval, Num, ResultBase } from '../base';
import { cell, finite, fmtFixed, fmtNum, isSignificant, type DataTable } from '../format';
import { anovaTables, type SplineParts } from '../modelTerms';
import type { ReportKind } from './kind';

export interface LogisticTerm { term: string; coef: Num; se: Num; wald: Num; p: Num; or: Num; ci: Interval }
export interface LogisticResult extends ResultBase, SplineParts {
  kind: 'logistic';
  events: number;
  terms: LogisticTerm[];
  aic: Num;
  r2Nagelkerke: Num;
  ci?: 'wald' | 'profile';
  outcome?: string;
  deviance?: Num;
  nullDeviance?: Num;
  cIndex?: Num;
}

function tables(r: LogisticResult): DataTable[] {
  return [{
    id: 'terms', title: `Logistic regression${r.outcome ? ` of ${r.outcome}` : ''}`,
    columns: ['Term', 'B', 'SE', 'Wald', 'p', 'OR', `95% CI (${r.ci ?? 'wald'})`],
    rows: r.terms.map((x) => [cell.text(x.term), cell.fixed(x.coef, 3), cell.fixed(x.se, 3), cell.fixed(x.wald, 3), cell.p(x.p), cell.fixed(x.or, 3), cell.ci(x.ci, 3)]),
    significant: r.terms.flatMap((x, i) => (x.term !== '(Intercept)' && isSignificant(x.p) ? [i] : [])),
    note: [`n = ${r.n}, events = ${r.events}`, `AIC ${fmtNum(r.aic, 5)}`, `Nagelkerke R² ${fmtFixed(r.r2Nagelkerke, 3)}`,
      finite(r.cIndex) ? `C-index ${fmtFixed(r.cIndex, 3)}` : ''].filter(Boolean).join('; '),
  }, ...anovaTables(r)];
}

export const logisticKind: ReportKind<LogisticResult> = { kind: 'logistic', tables };
