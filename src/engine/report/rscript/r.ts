/**
 * Small helpers the R emitters share: R literals, backticked names, the data of an analysis's cohort, model formulas.
 * The script's own R helpers (`put`, `rows_of`, `profile_ci_cox` ...) are defined once in its header (index.ts).
 */
import type { TableAnalysis } from '../../study/analysisTable';
import type { AnalysisResult } from '../../../shared/report/types';

/** An R string literal. */
export function rStr(s: string): string {
  return JSON.stringify(s);
}

/** An R character vector. */
export function rStrs(xs: readonly string[]): string {
  return `c(${xs.map(rStr).join(', ')})`;
}

/** A column name as an R formula name (backticked). */
export function bq(name: string): string {
  return '`' + name.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}

/** What an emitter gets: the analysis's report result and where its expressions are in the dataset. */
export interface EmitInput<R extends AnalysisResult = AnalysisResult> {
  result: R;
  table: TableAnalysis;
  /** The labelled models of the study (a consumer's model): its table entry and result. */
  models: ReadonlyMap<string, { table: TableAnalysis; result: AnalysisResult }>;
}

/** The R emitter of one kind: R code that recomputes the analysis and `put()`s each number under its report path. */
export type Emitter = (input: EmitInput) => string;

/** Thrown when an analysis (or a part of it) cannot be reproduced; the script says why instead. */
export class NotReproduced extends Error {}

/** The column of a plan path (`terms.0`), or NotReproduced when the expression is not in the dataset. */
export function column(t: TableAnalysis, path: string): string {
  const c = t.vars[path];
  if (c === undefined) throw new NotReproduced(`the expression at ${path} is not a column of the dataset`);
  return c;
}

/** The data columns of an array path (`terms` → terms.0, terms.1, ...; a spline term's variable), in order. */
export function columns(t: TableAnalysis, path: string): string[] {
  const out: string[] = [];
  for (let k = 0; `${path}.${k}` in t.vars || `${path}.${k}.x` in t.vars; k++) out.push(t.vars[`${path}.${k}`] ?? t.vars[`${path}.${k}.x`]);
  return out;
}

/**
 * The R formula terms of an array path: a column backticked, a spline term `rms::rcs(x, knots_J)` with its knots
 * (Harrell's default quantiles) computed on `data` first (so predictions in another cohort keep the fitting knots).
 * Returns the knot lines to run before the fit and the terms.
 */
export function modelTerms(t: TableAnalysis, path: string, data: string): { setup: string[]; terms: string[] } {
  const setup: string[] = [];
  const terms = columns(t, path).map((c, k) => {
    const knots = t.splines?.[`${path}.${k}`];
    if (knots === undefined) return bq(c);
    setup.push(`knots_${k} <- attr(rms::rcs(${data}[[${rStr(c)}]], ${knots}), "parms")`);
    return `rms::rcs(${bq(c)}, knots_${k})`;
  });
  return { setup, terms };
}

/** R: the complete rows of `cols` in a cohort, unused factor levels dropped (`dat <- ...`). */
export function cohortData(variable: string, cohort: string, cols: readonly string[]): string {
  return `${variable} <- complete_rows(${rStr(cohort)}, ${rStrs(cols)})`;
}

/** A model formula from R terms (`bq(column)`, a spline call). */
export function formula(lhs: string, rhs: readonly string[]): string {
  return `${lhs} ~ ${rhs.length ? rhs.join(' + ') : '1'}`;
}

/** p.adjust's method name of a report's adjustment label. */
export function pAdjustMethod(label: string): string {
  const l = label.toLowerCase();
  return l === 'bh' || l === 'by' ? l.toUpperCase() : l === 'benjamini-hochberg' ? 'BH' : l;
}

/** R: `put("<analysis>", "<path>", value)`. */
export function put(analysis: string, path: string, value: string): string {
  return `put(${rStr(analysis)}, ${rStr(path)}, ${value})`;
}

/** R's `alternative` of a report's alternative (`two-sided` → `two.sided`). */
export function rAlternative(alt: unknown): string {
  return rStr(alt === 'less' || alt === 'greater' ? alt : 'two.sided');
}

/** The response of a binary outcome column as 0/1 (a factor: its second level is the event). */
export function binary(v: string): string {
  return `as01(${v})`;
}
