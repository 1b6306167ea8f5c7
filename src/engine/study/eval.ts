/**
 * Expression evaluation over subject rows (the `let`, `cohort`, `outcome` and analysis expressions of a study).
 *
 * Semantics (stated here so the spec and the methods text can repeat them):
 * - A value is a number, a text (a level of a categorical variable) or missing (null). Missing propagates through
 *   arithmetic, functions, comparisons and `if`; a non-finite result (log of 0 or of a negative number, division by 0,
 *   sqrt of a negative number) is missing too and counted in a warning.
 * - Comparisons and `and`/`or`/`not` give 1/0. `==`/`!=` compare texts with texts and numbers with numbers; `<`, `<=`,
 *   `>`, `>=` need numbers.
 * - Aggregates `median mean sd quantile(x, p) min max` (one argument) are computed over the rows being evaluated,
 *   i.e. over the cohort in use (all subjects for a cohort or split definition, the analysis cohort in an analysis),
 *   ignoring missing values. `min(a, b, ...)`/`max(a, b, ...)` with several arguments are element-wise.
 *   `quantile` is R's type 7. `sd` uses n - 1.
 * - `let` names are definitions, evaluated lazily over the same rows as the expression that uses them, so
 *   `median(x)` inside a `let` is the median of the cohort in use.
 * - `cut(x, b1, ..., bk)` gives a factor with the right-closed intervals (-Inf,b1], (b1,b2], ..., (bk,Inf] as levels
 *   (in that order; empty intervals are kept as levels).
 */
import type { Range } from '../common/diagnostic';
import { quantile7 } from '../../shared/quantile';

export type Value = number | string | null;

/** The runner's expression form (adapted from the study AST). */
export type EvalExpr = (
  | { kind: 'num'; value: number }
  | { kind: 'str'; value: string }
  | { kind: 'name'; name: string }
  | { kind: 'unary'; op: string; arg: EvalExpr }
  | { kind: 'binary'; op: string; left: EvalExpr; right: EvalExpr }
  | { kind: 'call'; fn: string; args: EvalExpr[] }
) & { range?: Range; /** Source text as written (term names). */ text?: string };

/** A column of values: numeric (numbers or null) or categorical (texts or null) with its levels in order. */
export interface Column {
  type: 'numeric' | 'categorical';
  values: Value[];
  /** Categorical levels, in the order used for dummy coding (first = reference). */
  levels?: string[];
  /** True when every non-missing value is 0 or 1 and the column came from a comparison. */
  logical?: boolean;
}

export class EvalError extends Error {
  constructor(message: string, readonly range?: Range) {
    super(message);
    this.name = 'EvalError';
  }
}

/** Where names come from. */
export interface EvalScope {
  /** Data columns: subject variables (`T@level`, `dcq(T@level)`, `cq(T@level)`) and clinical columns. */
  column(name: string): { values: Value[]; type: 'numeric' | 'categorical'; levels?: string[] } | undefined;
  /** `let` definitions. */
  lets: Map<string, EvalExpr>;
  /** All known names (for "did you mean" in errors). */
  names(): string[];
}

export const FUNCTIONS = ['log2', 'log10', 'ln', 'log', 'exp', 'sqrt', 'abs', 'median', 'mean', 'sd', 'quantile', 'min', 'max', 'if', 'cut', 'dcq', 'cq'];

/**
 * The spline term of model formulas, `rcs(x, k)` (a term of `logistic` and `cox`, not a function of expressions),
 * and its default number of knots (rms's `nknots` option, unset: 5).
 */
export const SPLINE_FN = 'rcs';
export const RCS_DEFAULT_KNOTS = 5;
export const SPLINE_SIGNATURE = 'rcs(x, k)';
export const SPLINE_DOC = 'Restricted cubic spline of x with k knots (3 to 7; default 5, as rms) at Harrell\'s default quantiles ' +
  '(rms::rcs): a term of `logistic` and `cox` formulas, k - 1 columns x, x\', x\'\', ...; the model adds rms::anova\'s ' +
  'nonlinearity tests and the partial-effect plot.';

/**
 * A natural sort (numbers inside texts compare as numbers), used for factor levels: `a.localeCompare(b, 'en', {
 * numeric: true, sensitivity: 'variant' })`, through one collator (localeCompare with options sets one up per call:
 * sorting the 111,112 levels of a key column took half a second).
 */
const NATURAL = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });
export function naturalCompare(a: string, b: string): number {
  return NATURAL.compare(a, b);
}

/** R's quantile type 7 of the non-missing numbers (NaN for none): the shared implementation. */
export { quantile7 };

function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  return String(Number(x.toPrecision(6)));
}

/** Text of an expression as a user would write it (for term names and messages). */
export function exprText(e: EvalExpr): string {
  if (e.text !== undefined) return e.text;
  switch (e.kind) {
    case 'num': return fmtNum(e.value);
    case 'str': return JSON.stringify(e.value);
    case 'name': return e.name;
    case 'unary': return e.op === '-' ? `-${exprText(e.arg)}` : `${e.op} ${exprText(e.arg)}`;
    case 'binary': return `${exprText(e.left)} ${e.op} ${exprText(e.right)}`;
    case 'call': return `${e.fn}(${e.args.map(exprText).join(', ')})`;
  }
}

/** Names an expression refers to (columns and lets, transitively not expanded). */
export function referencedNames(e: EvalExpr, out: Set<string> = new Set()): Set<string> {
  switch (e.kind) {
    case 'name': out.add(e.name); break;
    case 'unary': referencedNames(e.arg, out); break;
    case 'binary': referencedNames(e.left, out); referencedNames(e.right, out); break;
    case 'call':
      if ((e.fn === 'dcq' || e.fn === 'cq') && e.args.length === 1 && e.args[0].kind === 'name') out.add(`${e.fn}(${e.args[0].name})`);
      else for (const a of e.args) referencedNames(a, out);
      break;
    default: break;
  }
  return out;
}

function editDistance(a: string, b: string): number {
  const m = a.length, n = b.length;
  const d = Array.from({ length: m + 1 }, (_, i) => [i, ...new Array<number>(n).fill(0)]);
  for (let j = 0; j <= n; j++) d[0][j] = j;
  for (let i = 1; i <= m; i++) for (let j = 1; j <= n; j++) {
    d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
  }
  return d[m][n];
}

export function suggest(name: string, candidates: string[]): string {
  let best: string | null = null, bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD) { bestD = d; best = c; }
  }
  return best !== null && bestD <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

/** Deepest evaluation (expression levels, variables written out) before an EvalError. */
export const MAX_EVAL_DEPTH = 800;

/**
 * Evaluates expressions over a fixed set of rows (indices into the scope's columns). Results of `let`s are
 * memoised per evaluator, i.e. per row set. `nonFinite` counts values turned missing because they were not finite.
 */
export class Evaluator {
  private readonly memo = new Map<string, Column>();
  private readonly active = new Set<string>();
  private depth = 0;
  nonFinite = 0;

  private aggEval: Evaluator | null = null;

  /**
   * `aggregateRows`: compute aggregates (median, mean, ...) over these rows instead of `rows`; used when a model
   * fitted in one cohort is evaluated in another, so `x > median(x)` keeps the fitting cohort's median.
   */
  constructor(private readonly scope: EvalScope, readonly rows: number[], private readonly aggregateRows?: number[]) {}

  /** Evaluates and checks the result is numeric (0/1 from comparisons included). */
  numeric(e: EvalExpr, what = 'expression'): (number | null)[] {
    const c = this.eval(e);
    if (c.type !== 'numeric') throw new EvalError(`${what} "${exprText(e)}" is categorical (levels ${(c.levels ?? []).map((l) => JSON.stringify(l)).join(', ')}); a number is needed here.`, e.range);
    return c.values as (number | null)[];
  }

  eval(e: EvalExpr): Column {
    // The checker keeps studies to 200 levels (400 through variables); a hand-built plan deeper than this is an
    // error here rather than a stack overflow.
    if (this.depth >= MAX_EVAL_DEPTH) throw new EvalError(`The expression nests more than ${MAX_EVAL_DEPTH} levels deep (through its variables).`, e.range);
    this.depth++;
    try {
      switch (e.kind) {
        case 'num': return { type: 'numeric', values: this.rows.map(() => e.value) };
        case 'str': return { type: 'categorical', values: this.rows.map(() => e.value), levels: [e.value] };
        case 'name': return this.name(e.name, e.range);
        case 'unary': return this.unary(e.op, e.arg, e.range);
        case 'binary': return this.binary(e.op, e.left, e.right, e.range);
        case 'call': return this.call(e.fn, e.args, e.range);
      }
    } finally { this.depth--; }
  }

  private name(name: string, range?: Range): Column {
    const def = this.scope.lets.get(name);
    if (def) {
      const m = this.memo.get(name);
      if (m) return m;
      if (this.active.has(name)) throw new EvalError(`"${name}" is defined in terms of itself.`, range);
      this.active.add(name);
      try {
        const c = this.eval(def);
        this.memo.set(name, c);
        return c;
      } finally { this.active.delete(name); }
    }
    const col = this.scope.column(name);
    if (!col) throw new EvalError(`Unknown variable or column "${name}"${suggest(name, this.scope.names())}.`, range);
    const values = this.rows.map((i) => col.values[i] ?? null);
    return col.type === 'numeric' ? { type: 'numeric', values } : { type: 'categorical', values, levels: col.levels ?? sortedLevels(values) };
  }

  private fin(x: number): number | null {
    if (Number.isFinite(x)) return x;
    this.nonFinite++;
    return null;
  }

  private unary(op: string, arg: EvalExpr, range?: Range): Column {
    const o = op.toLowerCase();
    const v = this.numeric(arg, o === '-' ? 'The operand of "-"' : `The operand of "${op}"`);
    if (o === '-') return { type: 'numeric', values: v.map((x) => (x === null ? null : -x)) };
    if (o === '+') return { type: 'numeric', values: v };
    if (o === 'not' || o === '!') return { type: 'numeric', logical: true, values: v.map((x) => (x === null ? null : x === 0 ? 1 : 0)) };
    throw new EvalError(`Unknown operator "${op}".`, range);
  }

  private binary(op: string, l: EvalExpr, r: EvalExpr, range?: Range): Column {
    const o = op.toLowerCase();
    const a = this.eval(l);
    const b = this.eval(r);
    const n = this.rows.length;
    const out: Value[] = new Array(n);
    if (o === '==' || o === '!=' || o === '=') {
      if (a.type !== b.type) {
        const [cat, num] = a.type === 'categorical' ? [l, r] : [r, l];
        throw new EvalError(`Cannot compare categorical "${exprText(cat)}" with numeric "${exprText(num)}"; quote the level (e.g. "yes").`, range);
      }
      if (a.type === 'categorical') checkLevel(a, r, b); if (b.type === 'categorical') checkLevel(b, l, a);
      for (let i = 0; i < n; i++) {
        const x = a.values[i], y = b.values[i];
        out[i] = x === null || y === null ? null : (x === y) === (o !== '!=') ? 1 : 0;
      }
      return { type: 'numeric', logical: true, values: out };
    }
    const what = `The ${o === 'and' || o === '&&' || o === 'or' || o === '||' ? 'operands' : 'operands'} of "${op}"`;
    if (a.type !== 'numeric') throw new EvalError(`${what} must be numbers; "${exprText(l)}" is categorical.`, l.range ?? range);
    if (b.type !== 'numeric') throw new EvalError(`${what} must be numbers; "${exprText(r)}" is categorical.`, r.range ?? range);
    const av = a.values as (number | null)[], bv = b.values as (number | null)[];
    let f: (x: number, y: number) => number;
    let logical = false;
    switch (o) {
      case '+': f = (x, y) => x + y; break;
      case '-': f = (x, y) => x - y; break;
      case '*': f = (x, y) => x * y; break;
      case '/': f = (x, y) => x / y; break;
      case '^': case '**': f = (x, y) => Math.pow(x, y); break;
      case '<': f = (x, y) => (x < y ? 1 : 0); logical = true; break;
      case '<=': f = (x, y) => (x <= y ? 1 : 0); logical = true; break;
      case '>': f = (x, y) => (x > y ? 1 : 0); logical = true; break;
      case '>=': f = (x, y) => (x >= y ? 1 : 0); logical = true; break;
      case 'and': case '&&': case '&': f = (x, y) => (x !== 0 && y !== 0 ? 1 : 0); logical = true; break;
      case 'or': case '||': case '|': f = (x, y) => (x !== 0 || y !== 0 ? 1 : 0); logical = true; break;
      default: throw new EvalError(`Unknown operator "${op}".`, range);
    }
    for (let i = 0; i < n; i++) {
      const x = av[i], y = bv[i];
      out[i] = x === null || y === null ? null : this.fin(f(x, y));
    }
    return logical ? { type: 'numeric', logical: true, values: out } : { type: 'numeric', values: out };
  }

  private call(fnRaw: string, args: EvalExpr[], range?: Range): Column {
    const fn = fnRaw.toLowerCase();
    const arity = (k: number | [number, number]) => checkArity(fnRaw, args.length, k, range);
    const map1 = (g: (x: number) => number): Column => {
      arity(1);
      const v = this.numeric(args[0], `The argument of ${fnRaw}()`);
      return { type: 'numeric', values: v.map((x) => (x === null ? null : this.fin(g(x)))) };
    };
    switch (fn) {
      case 'dcq': case 'cq': arity(1); return this.targetCall(fn, fnRaw, args[0], range);
      case 'log2': return map1(Math.log2);
      case 'log10': return map1(Math.log10);
      case 'ln': case 'log': return map1(Math.log);
      case 'exp': return map1(Math.exp);
      case 'sqrt': return map1(Math.sqrt);
      case 'abs': return map1(Math.abs);
      case 'median': arity(1); return this.aggregate(fnRaw, args[0], (v) => quantile7(v, 0.5));
      case 'mean': arity(1); return this.aggregate(fnRaw, args[0], (v) => v.reduce((s, x) => s + x, 0) / v.length);
      case 'sd': arity(1); return this.aggregate(fnRaw, args[0], (v) => {
        if (v.length < 2) return NaN;
        const m = v.reduce((s, x) => s + x, 0) / v.length;
        return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1));
      });
      case 'quantile': {
        arity(2);
        const pe = args[1];
        if (pe.kind !== 'num' || !(pe.value >= 0 && pe.value <= 1)) throw new EvalError('quantile(x, p): p must be a number between 0 and 1 (e.g. 0.25 or 25%).', pe.range ?? range);
        return this.aggregate(fnRaw, args[0], (v) => quantile7(v, pe.value));
      }
      case 'min': case 'max': arity([1, Infinity]); return this.minMaxCall(fn, fnRaw, args);
      case 'if': arity(3); return this.ifCall(args, range);
      case 'cut': arity([2, Infinity]); return this.cutCall(args, range);
      default:
        throw new EvalError(`Unknown function "${fnRaw}"${suggest(fnRaw, FUNCTIONS)}; functions: ${FUNCTIONS.filter((f) => f !== 'log').join(', ')}.`, range);
    }
  }

  /** An aggregate of `arg` over the aggregate rows (the cohort's, when set), the same value in every row. */
  private aggregate(fnRaw: string, arg: EvalExpr, g: (v: number[]) => number): Column {
    let src: Evaluator = this;
    if (this.aggregateRows) src = this.aggEval ??= new Evaluator(this.scope, this.aggregateRows);
    const v = src.numeric(arg, `The argument of ${fnRaw}()`).filter((x): x is number => x !== null);
    const val = v.length ? g(v) : NaN;
    const x = Number.isFinite(val) ? val : null;
    return { type: 'numeric', values: this.rows.map(() => x) };
  }

  /** dcq(T) / cq(T): the subject table's column of target T (`T@level` included). */
  private targetCall(fn: 'dcq' | 'cq', fnRaw: string, a: EvalExpr, range?: Range): Column {
    if (a.kind !== 'name') throw new EvalError(`${fnRaw}() takes a target (e.g. ${fnRaw}(miR-122@pre)).`, a.range ?? range);
    const nm = `${fn}(${a.name})`;
    const col = this.scope.column(nm);
    if (!col) throw new EvalError(`Unknown variable "${nm}"${suggest(nm, this.scope.names())}.`, range);
    return { type: 'numeric', values: this.rows.map((i) => col.values[i] ?? null) };
  }

  /** min(x) / max(x): an aggregate; min(a, b, ...) / max(a, b, ...): row by row (missing when any argument is). */
  private minMaxCall(fn: 'min' | 'max', fnRaw: string, args: EvalExpr[]): Column {
    const g = fn === 'min' ? Math.min : Math.max;
    if (args.length === 1) return this.aggregate(fnRaw, args[0], (v) => v.reduce((s, x) => g(s, x), fn === 'min' ? Infinity : -Infinity));
    const cols = args.map((a) => this.numeric(a, `An argument of ${fnRaw}()`));
    return { type: 'numeric', values: this.rows.map((_, i) => (cols.some((c) => c[i] === null) ? null : g(...cols.map((c) => c[i] as number)))) };
  }

  /** if(c, a, b): a where c is non-zero, b where it is zero, missing where c is; a and b of one type. */
  private ifCall(args: EvalExpr[], range?: Range): Column {
    const c = this.numeric(args[0], 'The condition of if()');
    const a = this.eval(args[1]);
    const b = this.eval(args[2]);
    if (a.type !== b.type) throw new EvalError('if(c, a, b): a and b must both be numbers or both be texts.', range);
    const values = this.rows.map((_, i) => (c[i] === null ? null : c[i] !== 0 ? a.values[i] : b.values[i]));
    if (a.type === 'numeric') return { type: 'numeric', values, logical: a.logical && b.logical };
    const lv = [...(a.levels ?? [])];
    for (const l of b.levels ?? []) if (!lv.includes(l)) lv.push(l);
    return { type: 'categorical', values, levels: lv };
  }

  /** cut(x, b1, b2, ...): the interval (b[k-1], b[k]] of each value, as R's cut with its default labels. */
  private cutCall(args: EvalExpr[], range?: Range): Column {
    const x = this.numeric(args[0], 'The first argument of cut()');
    const breaks = args.slice(1).map((b) => {
      if (b.kind === 'num') return b.value;
      if (b.kind === 'unary' && b.op === '-' && b.arg.kind === 'num') return -b.arg.value;
      throw new EvalError('cut(x, b1, b2, ...): the breaks must be numbers.', b.range ?? range);
    });
    for (let i = 1; i < breaks.length; i++) if (!(breaks[i] > breaks[i - 1])) throw new EvalError('cut(x, b1, b2, ...): the breaks must increase.', args[i + 1].range ?? range);
    const edges = [-Infinity, ...breaks, Infinity];
    const levels = edges.slice(1).map((hi, k) => `(${fmtNum(edges[k])},${fmtNum(hi)}]`);
    const values = x.map((v) => {
      if (v === null) return null;
      let k = 0;
      while (k < breaks.length && v > breaks[k]) k++;
      return levels[k];
    });
    return { type: 'categorical', values, levels };
  }
}

/** Throws unless a call of `fnRaw` has `k` arguments (or between k[0] and k[1]). */
function checkArity(fnRaw: string, got: number, k: number | [number, number], range?: Range): void {
  const [lo, hi] = typeof k === 'number' ? [k, k] : k;
  if (got < lo || got > hi) throw new EvalError(`${fnRaw}() takes ${lo === hi ? lo : `${lo} to ${hi === Infinity ? 'any number of' : hi}`} argument${hi === 1 ? '' : 's'}, got ${got}.`, range);
}

function checkLevel(cat: Column, otherExpr: EvalExpr, other: Column): void {
  if (otherExpr.kind !== 'str' || other.type !== 'categorical') return;
  const lv = cat.levels ?? [];
  if (lv.length && !lv.includes(otherExpr.value)) {
    throw new EvalError(`"${otherExpr.value}" is not a level of this variable (levels: ${lv.map((l) => JSON.stringify(l)).join(', ')}).`, otherExpr.range);
  }
}

/** Levels of a text column, naturally sorted (first = reference in models). */
export function sortedLevels(values: Value[]): string[] {
  const s = new Set<string>();
  for (const v of values) if (typeof v === 'string') s.add(v);
  return [...s].sort(naturalCompare);
}
