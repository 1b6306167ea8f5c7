/** `cox`: Cox proportional hazards regression (multivariable, or each term alone). */
import type { Interval, Num, ResultBase } from '../base';
import { cell, finite, fmtFixed, fmtNum, pStatement, significantRows, type DataTable } from '../format';
import { anovaTables, type SplineParts } from '../modelTerms';
import type { ReportKind } from './kind';

export interface TestStat { chisq: Num; df: number; p: Num }
export interface CoxTerm {
  term: string; coef: Num; se: Num; hr: Num; ci: Interval; z: Num; p: Num; ciWald?: Interval; ciProfile?: Interval; n?: number; events?: number;
  /** `univariate` with `adjust M`: p adjusted over the univariate fits' terms (p.adjust). */
  pAdjusted?: Num;
}
export interface CoxResult extends ResultBase, SplineParts {
  kind: 'cox';
  events: number;
  ties: 'efron' | 'breslow';
  ci: 'wald' | 'profile';
  univariate?: boolean;
  /** `strata(x)` terms: the stratification variables (a stratified model, as coxph's strata(); no coefficients). */
  strata?: string[];
  terms: CoxTerm[];
  /** `univariate` with `adjust M`: the adjustment's name (R's spelling, e.g. Holm); each term has `pAdjusted`. */
  adjust?: string;
  lrt: TestStat | null;
  wald: TestStat | null;
  score: TestStat | null;
  concordance: Num;
  loglik?: [Num, Num];
  /**
   * `with ph-test`: the proportional-hazards test per term and GLOBAL (survival 3.x cox.zph, transform "km"), and the
   * scaled Schoenfeld residuals per event against g(t) = 1 - KM(t-) for the per-term plot, with plot.cox.zph's smooth
   * per term (a natural spline with 4 df on 40 points of g, and its ± 2 SE band; null where the spline is singular).
   */
  ph?: {
    rows: { term: string; chisq: Num; df: number; p: Num }[];
    residuals?: { time: number[]; x: number[]; scaled: Num[][]; smooth?: ({ x: number[]; fit: number[]; lower: number[]; upper: number[] } | null)[] };
  };
}

function tables(r: CoxResult): DataTable[] {
  const stats = [
    r.lrt ? `LR test χ² = ${fmtNum(r.lrt.chisq, 4)} (df ${r.lrt.df}), ${pStatement(r.lrt.p)}` : '',
    r.wald ? `Wald χ² = ${fmtNum(r.wald.chisq, 4)}, ${pStatement(r.wald.p)}` : '',
    r.score ? `score χ² = ${fmtNum(r.score.chisq, 4)}, ${pStatement(r.score.p)}` : '',
    finite(r.concordance) ? `concordance ${fmtFixed(r.concordance, 3)}` : '',
  ].filter(Boolean);
  return [{
    id: 'terms', title: r.univariate ? 'Univariate Cox regression (each term alone)' : 'Cox regression',
    columns: ['Term', 'B', 'SE', 'z', 'p', ...(r.adjust ? [`p (${r.adjust})`] : []), 'HR', `95% CI (${r.ci})`],
    rows: r.terms.map((x) => [
      cell.text(x.term), cell.fixed(x.coef, 3), cell.fixed(x.se, 3), cell.fixed(x.z, 3), cell.p(x.p), ...(r.adjust ? [cell.p(x.pAdjusted ?? null)] : []),
      cell.fixed(x.hr, 2), cell.ci(x.ci, 2),
    ]),
    significant: significantRows(r.terms.map((x) => (r.adjust ? x.pAdjusted ?? null : x.p))),
    note: [`n = ${r.n}, events = ${r.events}, ties ${r.ties}${r.strata ? `, stratified by ${r.strata.join(' × ')}` : ''}`, ...stats].join('; '),
  }, ...(r.ph ? [{
    id: 'ph-test', title: 'Proportional-hazards test (cox.zph, KM transform)',
    columns: ['Term', 'χ²', 'df', 'p'],
    rows: r.ph.rows.map((x) => [cell.text(x.term), cell.num(x.chisq, 4), cell.int(x.df), cell.p(x.p)]),
    significant: significantRows(r.ph.rows.map((x) => x.p)),
    note: 'A small p suggests the hazard ratio of that term changes over time (the proportional-hazards assumption fails).',
  }] : []), ...anovaTables(r)];
}

export const coxKind: ReportKind<CoxResult> = { kind: 'cox', tables };
