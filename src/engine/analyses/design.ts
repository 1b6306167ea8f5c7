/**
 * Model design of the regression analyses: terms (numeric, dummy-coded factor, or an `rcs(x, k)` restricted cubic
 * spline expanded to k - 1 columns named as rms names them: x, x', x'', ...) and design rows.
 */
import { rcsBasis, rcsKnots } from '../stats/splines';
import { StatsError } from '../stats/errors';
import type { Expr, Term } from '../study/ast';
import { EvalError, exprText, RCS_DEFAULT_KNOTS, SPLINE_DOC, SPLINE_FN, SPLINE_SIGNATURE, type Column, type EvalExpr, type Evaluator } from '../study/eval';
import type { AnalysisChecker, AnalysisCompleter, AnalysisParser, AnalysisPlanner } from './types';

/** One model term: a numeric column, a factor expanded to dummy columns `text[level]`, or a spline of a numeric column. */
export interface DesignTerm {
  text: string;
  expr: EvalExpr;
  type: 'numeric' | 'factor' | 'spline';
  /** Factor levels present in the fit (first = reference). */
  levels?: string[];
  /** Spline knots (rms::rcspline.eval's defaults over the fit's rows); columns[0] is x itself, the others nonlinear. */
  knots?: number[];
  columns: string[];
  /** 0/1 numeric term (shown as 0/1 on a nomogram). */
  binary?: boolean;
}

/** The variable and number of knots of an `rcs(x, k)` term (undefined for any other term). */
export function splineOf(t: EvalExpr): { x: EvalExpr; k: number } | undefined {
  if (t.kind !== 'call' || t.fn !== SPLINE_FN) return undefined;
  const k = t.args[1];
  return { x: t.args[0], k: k?.kind === 'num' ? k.value : RCS_DEFAULT_KNOTS };
}

/** The checker's part of model terms: a spline term's variable must be numeric; other terms are expressions. */
export function checkTerms(terms: Term[], c: AnalysisChecker): void {
  for (const t of terms) {
    if (t.spline) c.requireNumeric(t.spline.x, `\`${SPLINE_FN}\``);
    else c.expr(t.expr);
  }
}

/** parse / exprs / plan of `KIND OUTCOME ~ TERMS` (logistic, linear), spread into a kind's definition. */
export const outcomeFormulaSyntax = {
  parse(p: AnalysisParser): { outcome: Expr; terms: Term[] } {
    const outcome = p.expr();
    p.expectOp('~', '`~` and the model terms');
    return { outcome, terms: p.terms() };
  },
  exprs: (n: { outcome: Expr; terms: Term[] }): Expr[] => [n.outcome, ...n.terms.map((t) => t.expr)],
  plan: (n: { outcome: Expr; terms: Term[] }, p: AnalysisPlanner): { outcome: EvalExpr; terms: EvalExpr[] } => ({ outcome: p.expr(n.outcome), terms: p.terms(n.terms) }),
};

/** Completion of model terms: expressions, and after `~` or `+` the spline term `rcs(x, k)`. */
export function completeTerms(c: AnalysisCompleter): void {
  c.body();
  if (c.tokens.some((t) => t.text === '~') && (c.lastIs('~') || c.lastIs('+'))) c.item(SPLINE_FN, `${SPLINE_SIGNATURE} — ${SPLINE_DOC}`);
}

/** The column of each term (a spline term: its variable, which must be numeric). */
export function termColumns(terms: EvalExpr[], ev: Evaluator): Column[] {
  return terms.map((t) => {
    const s = splineOf(t);
    if (!s) return ev.eval(t);
    const c = ev.eval(s.x);
    if (c.type !== 'numeric') throw new EvalError(`\`${exprText(s.x)}\` is categorical; \`${SPLINE_FN}\` needs a numeric variable.`, s.x.range ?? t.range);
    return c;
  });
}

/** Fixes the design (levels, knots, column names) from the complete rows of a fit. */
export function designTerms(terms: EvalExpr[], cols: Column[], idx: number[]): DesignTerm[] {
  const seen = new Set<string>();
  const out = terms.map((t, k): DesignTerm => {
    const c = cols[k];
    const text = exprText(t);
    if (seen.has(text)) throw new EvalError(`The term "${text}" appears twice.`, t.range);
    seen.add(text);
    const s = splineOf(t);
    if (s) return splineTerm(t, text, s, idx.map((i) => c.values[i] as number));
    if (c.type === 'numeric') {
      const binary = idx.every((i) => c.values[i] === 0 || c.values[i] === 1);
      return { text, expr: t, type: 'numeric', columns: [text], binary };
    }
    const present = new Set(idx.map((i) => c.values[i] as string));
    const levels = (c.levels ?? []).filter((l) => present.has(l));
    for (const l of present) if (!levels.includes(l)) levels.push(l);
    if (levels.length < 2) throw new EvalError(`The term "${text}" has a single level (${levels.map((l) => JSON.stringify(l)).join('')}) in the rows used.`, t.range);
    return { text, expr: t, type: 'factor', levels, columns: levels.slice(1).map((l) => `${text}[${l}]`) };
  });
  const names = new Set<string>();
  for (const [k, d] of out.entries()) for (const col of d.columns) {
    if (names.has(col)) throw new EvalError(`The design column "${col}" of "${d.text}" is also a column of another term (a spline's first column is its variable).`, terms[k].range);
    names.add(col);
  }
  return out;
}

function splineTerm(t: EvalExpr, text: string, s: { x: EvalExpr; k: number }, values: number[]): DesignTerm {
  let knots: number[];
  try { knots = rcsKnots(values, s.k); } catch (e) {
    if (e instanceof StatsError) throw new EvalError(`${text}: ${e.message.replace(/^rcs: /, '')}.`, t.range);
    throw e;
  }
  const name = exprText(s.x);
  return { text, expr: t, type: 'spline', knots, columns: knots.slice(1).map((_, j) => name + "'".repeat(j)) };
}

/** The design row (no intercept) of one value per term: a number (numeric, spline) or a level known to the design (factor). */
export function designRow(terms: DesignTerm[], values: readonly (number | string)[]): number[] {
  const row: number[] = [];
  terms.forEach((t, k) => {
    const v = values[k];
    if (t.type === 'numeric') row.push(v as number);
    else if (t.type === 'spline') row.push(v as number, ...rcsBasis(v as number, t.knots!));
    else for (const l of t.levels!.slice(1)) row.push(v === l ? 1 : 0);
  });
  return row;
}

/** Design rows (no intercept) for the complete rows `idx`; rows with a factor level unknown to the design are skipped. */
export function designMatrix(terms: DesignTerm[], cols: Column[], idx: number[]): { X: number[][]; kept: number[]; unknownLevel: number } {
  const X: number[][] = [];
  const kept: number[] = [];
  let unknownLevel = 0;
  for (const i of idx) {
    const values = cols.map((c) => c.values[i] as number | string);
    if (terms.some((t, k) => t.type === 'factor' && !t.levels!.includes(values[k] as string))) { unknownLevel++; continue; }
    X.push(designRow(terms, values));
    kept.push(i);
  }
  return { X, kept, unknownLevel };
}

/**
 * The events-per-variable warning of a logistic or Cox fit (below 10, Peduzzi et al. 1996): `events` is the number
 * of events (Cox) or of the less frequent outcome (logistic), `columns` the design columns (a factor counts its dummies).
 */
export function epvWarning(events: number, columns: number, what: string): string | undefined {
  const epv = events / columns;
  if (!(columns > 0) || epv >= 10) return undefined;
  return `${Number.isInteger(epv) ? epv : epv.toFixed(1)} events per variable (${events} ${what} / ${columns} design column${columns === 1 ? '' : 's'}) is below 10: the coefficients may be biased and the model overfitted; use fewer terms`;
}
