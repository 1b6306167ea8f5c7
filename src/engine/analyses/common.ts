/**
 * What every analysis run shares: the plan fields every analysis has, the run context, the fitted models other lines
 * refer to, the cohort rows of an analysis, option readers and complete-row selection. Errors are thrown (StatsError,
 * EvalError, AnalysisError); the runner turns them into ErrorResults.
 */
import type { Range } from '../common/diagnostic';
import type { ExpressionResult } from '../expression';
import type { CoxFit } from '../stats/cox';
import type { LogisticModel } from '../stats/logistic';
import { EvalError, exprText, type Column, type EvalExpr, type EvalScope } from '../study/eval';
import type { DesignTerm } from './design';

/** A plan option value: number, text, flag (`true`) or list (`with at 0, 12`, a `to ... by` sequence). */
export type OptionValue = number | string | boolean | (number | string)[];

/** Fields every planned analysis has (runnerAst.ts fills them; the kind's `plan` adds its own). */
export interface PlanBase {
  /** Label (`tableIV:`) or undefined (a name is generated: "km 1"). */
  label?: string;
  /** Cohorts named after `in` (empty: all subjects). */
  cohorts: string[];
  cohortRanges?: Range[];
  options: Record<string, OptionValue>;
  optionRanges?: Record<string, Range>;
  range: Range;
  /** The line as written. */
  title: string;
}

/** A time-to-event outcome of the plan (`outcome dss = time T event E`). */
export interface PlanOutcome { name: string; time: EvalExpr; event: EvalExpr; range: Range }

export class AnalysisError extends Error {
  constructor(message: string, readonly range?: Range) { super(message); this.name = 'AnalysisError'; }
}

/** A fitted logistic model (other analyses refer to it by label). */
export interface FittedLogistic {
  kind: 'logistic';
  name: string;
  cohort: string;
  /** All rows of the fitting cohort (aggregates are taken over them when the model is evaluated elsewhere). */
  cohortRows: number[];
  outcome: EvalExpr;
  terms: DesignTerm[];
  model: LogisticModel;
  /** Design of the complete rows (no intercept column), their outcome and subject rows. */
  X: number[][];
  y: number[];
  rows: number[];
  ci: 'wald' | 'profile';
}
/** A fitted (multivariable) Cox model: the fit, its design and survival data of the complete rows, and what other lines need. */
export interface FittedCox {
  kind: 'cox';
  name: string;
  cohort: string;
  fit: CoxFit;
  terms: DesignTerm[];
  /** Design of the complete rows (no intercept; column names = `names`), their times, 0/1 events and subject rows. */
  X: number[][];
  time: number[];
  status: number[];
  rows: number[];
  names: string[];
  coef: number[];
  ties: 'efron' | 'breslow';
  /** All rows of the fitting cohort (compare-models refits on them) and the outcome. */
  cohortRows: number[];
  outcome: PlanOutcome;
  /** Rows of the cohort left out (incomplete). */
  dropped: number;
}
/** A fitted model other analyses refer to by label. */
export type FittedModel = FittedLogistic | FittedCox;

export interface RunContext {
  scope: EvalScope;
  subjects: string[];
  cohorts: Map<string, number[]>;
  outcomes: Map<string, PlanOutcome>;
  models: Map<string, FittedModel>;
  expression: ExpressionResult;
  levelField?: string;
  keyField?: string;
  isCancelled: () => boolean;
  studyFile: string;
}

/** A planned analysis as the shared helpers see it. */
export type PlannedAnalysis = PlanBase & { kind: string };

export function cohortRows(a: PlannedAnalysis, ctx: RunContext): { name: string; rows: number[] }[] {
  if (a.cohorts.length === 0) return [{ name: 'all', rows: ctx.cohorts.get('all')! }];
  return a.cohorts.map((c, k) => {
    const rows = ctx.cohorts.get(c);
    if (!rows) throw new EvalError(`Unknown cohort "${c}" (cohorts: ${[...ctx.cohorts.keys()].join(', ')}).`, a.cohortRanges?.[k] ?? a.range);
    return { name: c, rows };
  });
}

/** The single cohort of an analysis that takes one. */
export function singleCohort(a: PlannedAnalysis, ctx: RunContext): { name: string; rows: number[] } {
  const cs = cohortRows(a, ctx);
  if (cs.length > 1) throw new AnalysisError(`${a.kind} takes one cohort (got ${cs.map((c) => c.name).join(', ')}).`, a.range);
  return cs[0];
}

export function optNum(a: PlannedAnalysis, name: string, def: number): number {
  const v = a.options[name];
  if (v === undefined) return def;
  if (typeof v !== 'number') throw new AnalysisError(`Option "${name}" needs a number.`, a.optionRanges?.[name] ?? a.range);
  return v;
}

export function optStr(a: PlannedAnalysis, name: string, allowed: string[], def: string): string {
  const v = a.options[name];
  if (v === undefined) return def;
  const s = String(v).toLowerCase();
  if (!allowed.includes(s)) throw new AnalysisError(`Option "${name}": "${String(v)}" is not one of ${allowed.join(', ')}.`, a.optionRanges?.[name] ?? a.range);
  return s;
}

export function optList(a: PlannedAnalysis, name: string): number[] | undefined {
  const v: OptionValue | undefined = a.options[name];
  if (v === undefined) return undefined;
  const arr = Array.isArray(v) ? v : [v];
  return arr.map((x) => {
    if (typeof x !== 'number') throw new AnalysisError(`Option "${name}" needs numbers.`, a.optionRanges?.[name] ?? a.range);
    return x;
  });
}

/** Indices (into `rows`) where every column is present. */
export function completeIdx(cols: { values: unknown[] }[], n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (cols.every((c) => c.values[i] !== null && c.values[i] !== undefined)) out.push(i);
  return out;
}

/** A 0/1 outcome from a numeric expression; a two-level text outcome is an error that says how to write it. */
export function binaryValues(c: Column, e: EvalExpr): (number | null)[] {
  if (c.type !== 'numeric') {
    const lv = c.levels ?? [];
    throw new EvalError(`The outcome "${exprText(e)}" is categorical (${lv.map((l) => JSON.stringify(l)).join(', ')}); write it as a comparison, e.g. ${exprText(e)} == ${JSON.stringify(lv[lv.length - 1] ?? 'yes')}.`, e.range);
  }
  for (const v of c.values) if (v !== null && v !== 0 && v !== 1) throw new EvalError(`The outcome "${exprText(e)}" must be 0/1 (found ${String(v)}).`, e.range);
  return c.values as (number | null)[];
}

/** A finite number or null (report.json has no NaN / Infinity). */
export function fin(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : x;
}
