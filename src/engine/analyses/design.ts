/** Model design of the regression analyses: terms (numeric or dummy-coded factor) and design rows. */
import { EvalError, exprText, type Column, type EvalExpr, type Evaluator } from '../study/eval';

/** One model term: a numeric column, or a factor expanded to dummy columns `text[level]`. */
export interface DesignTerm {
  text: string;
  expr: EvalExpr;
  type: 'numeric' | 'factor';
  /** Factor levels present in the fit (first = reference). */
  levels?: string[];
  columns: string[];
  /** 0/1 numeric term (shown as 0/1 on a nomogram). */
  binary?: boolean;
}

export function termColumns(terms: EvalExpr[], ev: Evaluator): Column[] {
  return terms.map((t) => ev.eval(t));
}

/** Fixes the design (levels, column names) from the complete rows of a fit. */
export function designTerms(terms: EvalExpr[], cols: Column[], idx: number[]): DesignTerm[] {
  const seen = new Set<string>();
  return terms.map((t, k) => {
    const c = cols[k];
    const text = exprText(t);
    if (seen.has(text)) throw new EvalError(`The term "${text}" appears twice.`, t.range);
    seen.add(text);
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
}

/** Design rows (no intercept) for the complete rows `idx`; rows with a factor level unknown to the design are skipped. */
export function designMatrix(terms: DesignTerm[], cols: Column[], idx: number[]): { X: number[][]; kept: number[]; unknownLevel: number } {
  const X: number[][] = [];
  const kept: number[] = [];
  let unknownLevel = 0;
  outer: for (const i of idx) {
    const row: number[] = [];
    for (let k = 0; k < terms.length; k++) {
      const t = terms[k];
      const v = cols[k].values[i];
      if (t.type === 'numeric') row.push(v as number);
      else {
        if (!t.levels!.includes(v as string)) { unknownLevel++; continue outer; }
        for (const l of t.levels!.slice(1)) row.push(v === l ? 1 : 0);
      }
    }
    X.push(row);
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
