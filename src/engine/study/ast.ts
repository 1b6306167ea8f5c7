/**
 * The typed syntax tree of a `.qstudy` file (docs/study-language.md). Every node carries its exact source
 * `range` (0-based, half-open). Contract for the study runner, checker, completion and outline: add fields,
 * do not rename.
 *
 * Top level: `StudyAst.statements` in source order. Each statement has `kind` (the statement keyword; every
 * analysis has `kind: 'analysis'` and `analysis: AnalysisKind`). Lines that do not parse are kept as
 * `ErrorStatement`s so the outline and the ranges of the next lines stay right.
 */
import type { Range } from '../common/diagnostic';
import type { Analysis } from '../analyses';
import { ANALYSIS_KINDS, analysisDefinition } from '../analyses';

// ---------------------------------------------------------------------------------------------------------
// Leaves

/** A name as written (`miR-122`, `tumor_size`, `` `Tumor size (cm)` `` → `Tumor size (cm)`). */
export interface Ident {
  name: string;
  /** True when written in backticks. */
  backtick?: boolean;
  range: Range;
}

/** A string literal; `value` is unescaped (`\"` → `"`). */
export interface StringLit {
  value: string;
  range: Range;
}

/** A number literal. `95%` has `value` 0.95 and `percent: true`; `text` is the source (`95%`). */
export interface NumberLit {
  value: number;
  percent?: boolean;
  text: string;
  range: Range;
}

// ---------------------------------------------------------------------------------------------------------
// Expressions. Every expression has `text`: its source as written (whitespace between lines collapsed to one
// space, comments dropped). Term names in the report use it (`afp > 20`, `miR-21 > 2.0`).

export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';
export type UnaryOp = '-' | 'not';

export interface ExprBase { range: Range; text: string }

export interface NumberExpr extends ExprBase { kind: 'number'; value: number; percent?: boolean }
export interface StringExpr extends ExprBase { kind: 'string'; value: string }
/** A variable, column, target, outcome or level-free target name. */
export interface NameExpr extends ExprBase { kind: 'name'; name: string; backtick?: boolean }
/** `T@level`: target T at one level of the sample level field (`miR-122@pre`). */
export interface AtExpr extends ExprBase { kind: 'at'; target: Ident; level: Ident }
/** `f(args)`; `callee.name` is the function name as written. */
export interface CallExpr extends ExprBase { kind: 'call'; callee: Ident; args: Expr[] }
export interface UnaryExpr extends ExprBase { kind: 'unary'; op: UnaryOp; opRange: Range; operand: Expr }
export interface BinaryExpr extends ExprBase { kind: 'binary'; op: BinaryOp; opRange: Range; left: Expr; right: Expr }
/** Placeholder where an expression could not be parsed (a `study-syntax` diagnostic was given). */
export interface ErrorExpr extends ExprBase { kind: 'error' }

export type Expr = NumberExpr | StringExpr | NameExpr | AtExpr | CallExpr | UnaryExpr | BinaryExpr | ErrorExpr;

/** One term of a model formula (`cox dss ~ a + b > 3`): split at top-level `+`. `text` = `expr.text`. */
export interface Term {
  expr: Expr; text: string; range: Range;
  /** `rcs(x, k)`: a restricted cubic spline of x with k knots (3..7; `rcs(x)`: 5, as rms). `expr` is the call. */
  spline?: SplineSpec;
  /** `strata(x)` (a stratified Cox model): the stratum variable `x`; `expr` is the whole call. */
  strata?: Expr;
}
/** The parts of an `rcs(x, k)` term (parser.ts `terms()`). */
export interface SplineSpec { x: Expr; knots: number; knotsRange?: Range }

// ---------------------------------------------------------------------------------------------------------
// Options: `with bootstrap 1000, seed 1`, `qc max-cq 35, replicate-sd 0.5`.

export type OptionValue =
  | { kind: 'number'; value: number; percent?: boolean; text: string; range: Range }
  | { kind: 'string'; value: string; range: Range }
  | { kind: 'name'; value: string; range: Range }
  /** `with at 0, 12, 24, 36` (a comma followed by a number or string continues the list). */
  | { kind: 'list'; items: OptionValue[]; range: Range }
  /** `with thresholds 0.05 to 0.95 by 0.01` (inclusive; see `expandSequence` in parser.ts). */
  | { kind: 'sequence'; from: number; to: number; by: number; range: Range }
  /** A bare option (`with univariate`). */
  | { kind: 'flag'; range: Range };

export interface OptionNode {
  name: string;
  nameRange: Range;
  value: OptionValue;
  range: Range;
}

// ---------------------------------------------------------------------------------------------------------
// Statements

export interface StmtBase {
  range: Range;
  /** Range of the leading keyword (for `NAME: analysis`, the analysis keyword). */
  keywordRange: Range;
}

export interface StudyStmt extends StmtBase { kind: 'study'; title: StringLit }
/** `plates "glob" [format F] [target NAME]`. */
export interface PlatesStmt extends StmtBase { kind: 'plates'; glob: StringLit; format?: Ident; target?: Ident }
/** `clinical "file.csv" key patient`. */
export interface ClinicalStmt extends StmtBase { kind: 'clinical'; path: StringLit; key?: Ident }
/** `samples "{patient}-{timepoint}"` (source 'pattern') or `samples "sheet.csv" key sample` (source 'sheet'). */
export interface SamplesStmt extends StmtBase { kind: 'samples'; source: 'pattern' | 'sheet'; value: StringLit; key?: Ident }
export interface ReferenceStmt extends StmtBase { kind: 'reference'; names: Ident[] }
export interface TargetsStmt extends StmtBase { kind: 'targets'; names: Ident[] }
/**
 * `efficiency T = 1.97, U = 97%` or `efficiency from standards`. `factor` is the amplification factor per cycle:
 * a percentage `p%` means an efficiency, factor 1 + p (97% → 1.97); a plain number is the factor itself.
 */
export interface EfficiencyPair { target: Ident; value: NumberLit; factor: number; range: Range }
export interface EfficiencyStmt extends StmtBase { kind: 'efficiency'; fromStandards: boolean; pairs: EfficiencyPair[]; fromLinreg?: boolean }
/** `cq from instrument | threshold T | threshold auto | linregpcr`: where the Cq comes from (default: the instrument's). */
export interface CqStmt extends StmtBase { kind: 'cq'; source: 'instrument' | 'threshold' | 'threshold-auto' | 'linregpcr'; threshold?: NumberLit }
export interface CalibratorStmt extends StmtBase { kind: 'calibrator'; expr: Expr }
/**
 * `qc hemolysis miR-23a - miR-451a > 7`: per sample, dCq = Cq(high) - Cq(low) compared with the threshold (`>` or `<`).
 * `qc spike-in cel-miR-39 [robust-z 3]`: robust z of the spike-in's mean Cq per sample across samples and plates.
 */
export interface QcHemolysis { high: Ident; low: Ident; op: '>' | '<'; threshold: NumberLit; range: Range }
export interface QcSpikeIn { target: Ident; z?: NumberLit; range: Range }
export interface QcStmt extends StmtBase { kind: 'qc'; options: OptionNode[]; hemolysis?: QcHemolysis; spikeIn?: QcSpikeIn }
/** `nondetect as 40 | as max-cq | exclude | impute [40]` (the runner's NondetectPolicy). */
export interface NondetectStmt extends StmtBase { kind: 'nondetect'; policy: 'value' | 'max-cq' | 'exclude' | 'impute'; value?: NumberLit }
/** `outliers grubbs [alpha 0.05] | distance [0.5] | none`. */
export interface OutliersStmt extends StmtBase { kind: 'outliers'; method: 'grubbs' | 'distance' | 'none'; alpha?: NumberLit; distance?: NumberLit }
/** `interrun calibrator "IRC*"` (sample-name glob). */
export interface InterrunStmt extends StmtBase { kind: 'interrun'; pattern: StringLit }
export interface LetStmt extends StmtBase { kind: 'let'; name: Ident; expr: Expr }
export interface CohortStmt extends StmtBase { kind: 'cohort'; name: Ident; expr: Expr }
/** `split train / validation = 70 / 30 seed 2024 stratify response`; fractions are weights (divide by their sum). */
export interface SplitStmt extends StmtBase { kind: 'split'; names: Ident[]; fractions: NumberLit[]; seed?: NumberLit; stratify?: Expr }
/** `outcome dss = time dss_months event dss_death`. */
export interface OutcomeStmt extends StmtBase { kind: 'outcome'; name: Ident; time: Expr; event: Expr }
/**
 * A line that did not parse (diagnostic given); `word` is its first word if any. `defines`: the names the line
 * was defining as far as they can be read (`let x = ...`, `cohort c = ...`, `outcome o = ...`, `split a / b = ...`,
 * `label: analysis`), so later uses of them are not reported again as unknown.
 */
export interface ErrorStatement extends StmtBase { kind: 'error'; word?: string; defines?: Ident[] }

// ---------------------------------------------------------------------------------------------------------
// Analyses

export interface AnalysisBase extends StmtBase {
  kind: 'analysis';
  /** `tableIV:` label, if any. Models are referred to by it. */
  label?: Ident;
  /** `in A, B` (empty = all subjects). */
  cohorts: Ident[];
  /** `with name value, ...`. */
  options: OptionNode[];
}

/**
 * The analysis statements: one node type per kind, defined with the kind in src/engine/analyses/<kind>.ts and
 * unioned by the registry (src/engine/analyses/index.ts); `AnalysisNode<'cox'>` is the node of one kind.
 */
export type { Analysis, AnalysisKind, AnalysisNode } from '../analyses';

export type Statement =
  | StudyStmt | PlatesStmt | ClinicalStmt | SamplesStmt | ReferenceStmt | TargetsStmt | EfficiencyStmt | CqStmt
  | CalibratorStmt | QcStmt | NondetectStmt | OutliersStmt | InterrunStmt | LetStmt | CohortStmt | SplitStmt
  | OutcomeStmt | Analysis | ErrorStatement;

export interface StudyAst {
  kind: 'studyFile';
  file?: string;
  statements: Statement[];
  range: Range;
}

/** Analysis kinds and roles come from the registry of analyses. */
export { ANALYSIS_KINDS, MODEL_ANALYSES, MODEL_CONSUMERS } from '../analyses';
export const DATA_KEYWORDS = [
  'study', 'plates', 'clinical', 'samples', 'reference', 'targets', 'efficiency', 'cq', 'calibrator', 'qc', 'nondetect',
  'outliers', 'interrun', 'let', 'cohort', 'split', 'outcome',
] as const;
/** Every word that may start a statement. */
export const STATEMENT_KEYWORDS: readonly string[] = [...DATA_KEYWORDS, ...ANALYSIS_KINDS];

/** Calls `f` on `e` and every sub-expression (pre-order, left to right); iterative, so no depth can overflow it. */
export function walkExpr(e: Expr, f: (e: Expr) => void): void {
  const stack: Expr[] = [e];
  for (let x = stack.pop(); x !== undefined; x = stack.pop()) {
    f(x);
    switch (x.kind) {
      case 'call': for (let i = x.args.length - 1; i >= 0; i--) stack.push(x.args[i]); break;
      case 'unary': stack.push(x.operand); break;
      case 'binary': stack.push(x.right, x.left); break;
      default: break;
    }
  }
}

/** The expressions directly inside a statement (for checks and lookups), in source order. */
export function statementExprs(s: Statement): Expr[] {
  switch (s.kind) {
    case 'calibrator': case 'let': case 'cohort': return [s.expr];
    case 'split': return s.stratify ? [s.stratify] : [];
    case 'outcome': return [s.time, s.event];
    case 'analysis': return analysisDefinition(s.analysis).exprs(s);
    default: return [];
  }
}
