/**
 * What one analysis kind is (`AnalysisDefinition`) and the small interfaces through which the study language's
 * parser, checker, planner and completion call it. A kind module (`describe.ts`, `cox.ts`, ...) exports one
 * definition; `index.ts` registers it. These interfaces are implemented by src/engine/study (parser.ts, check.ts,
 * runnerAst.ts, complete.ts), so an analysis module never imports the study language at run time.
 */
import type { Range } from '../common/diagnostic';
import type { AnalysisBase, Expr, Ident, Term } from '../study/ast';
import type { EvalExpr } from '../study/eval';
import type { AnalysisResult } from '../../shared/report/types';
import type { PlanBase, RunContext } from './common';

/** The value vocabulary of one option (checker, completion and hover). */
export type OptionSpec =
  | { type: 'choice'; values: string[]; doc: string }
  | { type: 'number'; min?: number; max?: number; integer?: boolean; doc: string }
  /** One number or a list of numbers (`with at 0, 12, 24`). */
  | { type: 'numbers'; min?: number; max?: number; doc: string }
  /** `from to to by step`, or a list of numbers. */
  | { type: 'sequence'; min?: number; max?: number; doc: string }
  | { type: 'flag'; doc: string }
  /** A name or a quoted string (`with control "untreated"`): checked by the kind at run time (e.g. a group level). */
  | { type: 'text'; doc: string };

/** The confidence-level option shared by several kinds. */
export const CONF_OPTION: OptionSpec = { type: 'number', min: 0, max: 1, doc: 'Confidence level of intervals (default 95%); `0.9` or `90%`.' };

export type { OptionValue, PlanBase, PlanOutcome } from './common';

/** What an analysis is for other lines: it fits a model they refer to by label, consumes one, or neither. */
export type AnalysisRole =
  | { kind: 'model' }
  /** `accepts`: model kinds it can use; `refused`: why a model kind it does not accept is refused (checker message). */
  | { kind: 'consumer'; accepts: readonly string[]; optional?: boolean; refused?: Partial<Record<string, string>> }
  | { kind: 'plain' };

/** The line parser, as an analysis body parser sees it (implemented by parser.ts). */
export interface AnalysisParser {
  /** An expression; `noPlus`: stop at a top-level `+` (model terms). */
  expr(noPlus?: boolean): Expr;
  exprList(): Expr[];
  ident(what: string, allowReserved?: boolean): Ident;
  identList(what: string, sep?: string): Ident[];
  /** Model terms `a + b + c > 2`. */
  terms(): Term[];
  eatWord(w: string): { range: Range } | undefined;
  expectWord(w: string): { range: Range };
  expectOp(s: string, what?: string): { range: Range };
  fail(message: string, range?: Range): never;
  expected(what: string): never;
}

export type ValueType = 'numeric' | 'categorical' | 'unknown';

/** The checker, as an analysis sees it (implemented by check.ts). Cohorts and options are checked before `check`. */
export interface AnalysisChecker {
  /** Checks an expression (names, types, levels) and returns its type. */
  expr(e: Expr): ValueType;
  /** Checks an expression that must be numeric; `what` names the place (e.g. '`compare`'). */
  requireNumeric(e: Expr, what: string): void;
  /** Checks an expression that must be categorical; `what` names the place (e.g. '`strata`'). */
  requireCategorical(e: Expr, what: string): void;
  /** `id` must name an outcome (`outcome NAME = time ... event ...`). */
  outcome(id: Ident): void;
  /** `id` must name a model this analysis accepts (its role); returns that model's kind when it names one. */
  model(id: Ident): string | undefined;
  /** The labelled model `id` names, as written (kind, outcome and term texts), or undefined. */
  modelOf(id: Ident): { kind: string; outcome?: string; terms?: string[] } | undefined;
  /** Reports a located error of the kind's own rules (code study-type), e.g. an option the named model does not take. */
  error(message: string, range: Range): void;
  /** `id` must be a target on the plates. */
  target(id: Ident): void;
  /** `id` must be a sample field or a clinical column (when they are known). */
  sampleField(id: Ident): void;
}

/** AST → plan helpers (implemented by runnerAst.ts). */
export interface AnalysisPlanner {
  expr(e: Expr): EvalExpr;
  /** Model terms in the evaluator's form (each keeps its text as written). */
  terms(ts: Term[]): EvalExpr[];
  fail(message: string, range: Range): never;
}

/** Completion inside an analysis line, before `in`/`with` (implemented by complete.ts). */
export interface AnalysisCompleter {
  /** Tokens of the line from the keyword on (the word being typed excluded); `tokens[0]` is the keyword. */
  tokens: readonly { kind: string; text: string }[];
  /** Some token of the line is the word `w`. */
  has(w: string): boolean;
  /** The last token is the word `w` (or, for an operator, the operator `w`). */
  lastIs(w: string): boolean;
  /** Models this analysis accepts. */
  models(): void;
  outcomes(): void;
  targets(): void;
  /** Sample fields. */
  fields(): void;
  /** Variables, columns, targets and functions. */
  expression(): void;
  keyword(w: string, doc?: string): void;
  /** A keyword-like item with a detail (e.g. `~`, 'model formula'). */
  item(label: string, detail: string): void;
  /** The default: expression items, and after a complete expression `in`, `with` and `more` keywords. */
  body(more?: [string, string][]): void;
}

/** Distributive Omit over a union (the per-kind body of an AST node or a plan). */
export type BodyOf<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** The analysis-specific fields of an AST node (what `parse` returns). */
export type NodeBody<N> = BodyOf<N, keyof AnalysisBase | 'analysis'>;
/** The analysis-specific fields of a plan (what `plan` returns). */
export type PlanBody<P> = BodyOf<P, keyof PlanBase | 'kind'>;

/**
 * One analysis kind: syntax, documentation, options, role, checks, plan and run. `N` is its AST node, `P` its plan.
 * Adding a kind = one module exporting such an object + one line in index.ts (+ its stats and report.json type).
 */
export interface AnalysisDefinition<N extends AnalysisBase & { analysis: string }, P extends PlanBase & { kind: string }> {
  kind: N['analysis'] & P['kind'];
  /** The syntax in one line (completion detail), e.g. `km OUTCOME [by GROUP]`. */
  signature: string;
  /** Markdown for hover and completion. */
  doc: string;
  /** Options accepted after `with`. */
  options: Record<string, OptionSpec>;
  role: AnalysisRole;
  /** Parses what follows the keyword, up to `in` / `with` (parsed by the caller). */
  parse(p: AnalysisParser): NodeBody<N>;
  /** The expressions directly inside the node, in source order (checks, lookups, referenced names). */
  exprs(n: N): Expr[];
  check(n: N, c: AnalysisChecker): void;
  plan(n: N, p: AnalysisPlanner): PlanBody<P>;
  /** Runs the planned analysis (throws StatsError / EvalError / AnalysisError; the runner reports them). */
  run(a: P, name: string, ctx: RunContext): AnalysisResult;
  /** The body itself uses `with` (`correlate X with VARS`): options start at the second `with`. */
  bodyWith?: boolean;
  /**
   * The kind reads the propagated errors of the relative quantities (`SampleExpression.propagation`, `livak`): the
   * runner computes them only for a study with such an analysis (they cost an object per sample × target).
   */
  needsPropagation?: boolean;
  /** Completion inside the body; the default is `c.body()`. */
  complete?(c: AnalysisCompleter): void;
  /** One line using the kind, valid in registry.test.ts's small study. */
  example: string;
}
