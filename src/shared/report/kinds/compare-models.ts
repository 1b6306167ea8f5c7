/**
 * `compare-models M1 vs M2`: two logistic or two Cox models of the same outcome. The likelihood-ratio test of the
 * nested pair (anova), the difference in discrimination (ΔAUC with DeLong's test, ΔC for Cox), and for logistic
 * models NRI (continuous and by risk cut-offs) and IDI as Hmisc::improveProb. Differences are model 2 − model 1.
 */
import type { Interval, Num, ResultBase } from '../base';
import { cell, fmtFixed, fmtNum, significantRows, type Cell, type DataTable } from '../format';
import type { ReportKind } from './kind';
import type { RocCurvePoint } from './roc';

/** An index with its SE, z, two-sided p and CI. */
export interface ImproveIndexRow { index: Num; se: Num; z: Num; p: Num; ci: Interval }
/** NRI overall, among events and among non-events, with the proportions moving up and down. */
export interface NriSummary {
  nri: ImproveIndexRow; events: ImproveIndexRow; nonEvents: ImproveIndexRow;
  upEvents: Num; downEvents: Num; upNonEvents: Num; downNonEvents: Num;
}
/** The likelihood-ratio test of the nested pair, on the rows complete for both models in the fitting cohort. */
export interface ModelsLrt {
  cohort: string; n: number;
  /** Per model (1, 2): its number of coefficients and log-likelihood (logistic: also the residual deviance). */
  models: { name: string; parameters: number; logLik: Num; deviance?: Num }[];
  chisq: Num; df: number; p: Num;
}
/** Model 2 against model 1 in one cohort (paired: the same subjects) or across two cohorts (unpaired). */
export interface CompareModelsEvaluation {
  cohort: string; paired: boolean; n: number; events: number;
  /** 'AUC' (logistic; DeLong) or 'C' (Cox; Harrell's C, jackknife covariance as survival::concordance). */
  measure: 'AUC' | 'C';
  value1: Num; value2: Num; difference: Num; se: Num;
  /** CI of the difference (null for unpaired curves, as pROC). */
  ci: Interval | null;
  /** z (paired) or Student's t with Welch df (unpaired DeLong). */
  statistic: Num; df?: Num; p: Num;
  /** The test, e.g. "DeLong paired". */
  test: string;
  nri?: NriSummary;
  nriCategorical?: NriSummary & { cutoffs: number[] };
  idi?: ImproveIndexRow;
  /** ROC curves of both models (logistic), for the overlay chart. */
  curves?: [RocCurvePoint[], RocCurvePoint[]];
}
export interface CompareModelsResult extends ResultBase {
  kind: 'compare-models';
  model1: string; model2: string; modelKind: 'logistic' | 'cox'; outcome: string;
  /** The terms of one model are a subset of the other's (same fitting cohort). */
  nested: boolean;
  lrt: ModelsLrt | null;
  confLevel: number;
  evaluations: CompareModelsEvaluation[];
  notes?: string[];
}

const pct = (c: number) => `${Math.round(c * 1000) / 10}%`;

function lrtTable(r: CompareModelsResult, l: ModelsLrt): DataTable {
  return {
    id: 'lrt', title: `Likelihood-ratio test, ${r.model1} vs ${r.model2} (${l.cohort}, n = ${l.n})`,
    columns: ['Model', 'Coefficients', 'Log-likelihood', ...(r.modelKind === 'logistic' ? ['Residual deviance'] : []), 'χ²', 'df', 'p'],
    rows: l.models.map((m, i): Cell[] => [
      cell.text(m.name), cell.int(m.parameters), cell.fixed(m.logLik, 3), ...(r.modelKind === 'logistic' ? [cell.fixed(m.deviance ?? null, 3)] : []),
      ...(i === 0 ? [cell.text(''), cell.text(''), cell.text('')] : [cell.fixed(l.chisq, 3), cell.int(l.df), cell.p(l.p)]),
    ]),
    significant: significantRows([null, l.p]),
  };
}

function discriminationTable(r: CompareModelsResult): DataTable {
  const m = r.modelKind === 'cox' ? 'C' : 'AUC';
  return {
    id: 'discrimination', title: `Δ${m} (${r.model2} − ${r.model1})`,
    columns: ['Cohort', 'n', 'Events', `${m} ${r.model1}`, `${m} ${r.model2}`, `Δ${m}`, `${pct(r.confLevel)} CI`, 'Statistic', 'p', 'Test'],
    rows: r.evaluations.map((e) => [
      cell.text(e.cohort), cell.int(e.n), cell.int(e.events), cell.fixed(e.value1, 3), cell.fixed(e.value2, 3), cell.fixed(e.difference, 3),
      cell.ci(e.ci, 3), cell.num(e.statistic, 3), cell.p(e.p), cell.text(e.df !== undefined ? `${e.test} (df ${fmtNum(e.df, 4)})` : e.test),
    ]),
    significant: significantRows(r.evaluations.map((e) => e.p)),
  };
}

function indexRow(cohort: string, what: string, x: ImproveIndexRow): Cell[] {
  return [cell.text(cohort), cell.text(what), cell.fixed(x.index, 3), cell.fixed(x.se, 3), cell.ci(x.ci, 3), cell.num(x.z, 3), cell.p(x.p)];
}

function reclassificationTable(r: CompareModelsResult): DataTable | null {
  const rows: Cell[][] = [];
  const ps: Num[] = [];
  for (const e of r.evaluations) {
    const add = (what: string, x: ImproveIndexRow | undefined) => { if (x) { rows.push(indexRow(e.cohort, what, x)); ps.push(x.p); } };
    if (e.nriCategorical) {
      const cuts = e.nriCategorical.cutoffs.map((c) => fmtFixed(c, 2)).join(', ');
      add(`NRI (categories at ${cuts})`, e.nriCategorical.nri);
      add('  events', e.nriCategorical.events);
      add('  non-events', e.nriCategorical.nonEvents);
    }
    if (e.nri) { add('NRI (continuous)', e.nri.nri); add('  events', e.nri.events); add('  non-events', e.nri.nonEvents); }
    add('IDI', e.idi);
  }
  if (!rows.length) return null;
  return {
    id: 'reclassification', title: `Reclassification, ${r.model2} over ${r.model1} (Hmisc improveProb)`,
    columns: ['Cohort', 'Index', 'Estimate', 'SE', `${pct(r.confLevel)} CI`, 'z', 'p'], rows, significant: significantRows(ps),
    note: 'NRI events = P(up | event) − P(down | event); non-events = P(down | non-event) − P(up | non-event). IDI = difference in discrimination slopes.',
  };
}

function tables(r: CompareModelsResult): DataTable[] {
  const out: DataTable[] = [];
  if (r.lrt) out.push(lrtTable(r, r.lrt));
  out.push(discriminationTable(r));
  const re = reclassificationTable(r);
  if (re) out.push(re);
  if (r.notes?.length) out[out.length - 1] = { ...out[out.length - 1], note: [out[out.length - 1].note, ...r.notes].filter(Boolean).join(' ') };
  return out;
}

export const compareModelsKind: ReportKind<CompareModelsResult> = { kind: 'compare-models', tables };
