/**
 * report.json, the contract of docs/study-language.md ("report.json (contract)"). The study runner writes it,
 * the results webview and report.html read it. Field names here are the contract: add, never rename.
 * p-values are never rounded. Numbers that cannot be computed are `null` (JSON has no NaN/Infinity).
 */

export type Num = number | null;
export type Interval = [Num, Num];

export interface QcEntry { code: string; message: string; file: string; line: number; severity?: string }

/** MIQE-style summary of what was done (issue 8), so a methods section can be written from it. */
export interface MethodsSummary {
  references: string[];
  targets: string[];
  expression: string;                 // e.g. "2^-dCq against cel-miR-39 (mean Cq of references)"
  efficiencies: { target: string; value: number; source: string }[];
  nondetect: string;                   // policy as stated
  qc: Record<string, number>;
  exclusions: { file: string; line: number; well: string | null; sample: string; target: string; reason: string }[];
  calibrators?: string[];
  /**
   * Standard curves found on the plates (wells with task Standard and a quantity), per file and target: the fit
   * Cq = intercept + slope · log10(quantity), E = 10^(-1/slope) with the 95 % CI from the slope's t interval, and the
   * limit of detection (lowest quantity whose replicates all amplified). Present when any plate has standards.
   */
  standardCurves?: {
    file: string; target: string; n: number; levels: number;
    slope: number | null; intercept: number | null; r2: number | null;
    efficiency: number | null; efficiencyPercent: number | null; efficiencyCi: [number, number] | null;
    lod: number | null;
  }[];
  notes?: string[];
}

export interface ReportData {
  plates: number;
  wells: number;
  samples: number;
  subjects: number;
  qc: QcEntry[];
}

/** Fields every result has. */
export interface ResultBase {
  name: string;            // label (`tableIV:`) or a generated one (`km 1`)
  kind: ResultKind;
  cohort: string;          // "all" by default
  n: number;               // rows used
  dropped: number;         // incomplete rows dropped
  title?: string;          // the analysis line as written
  line?: number;           // 1-based line in the .qstudy
  warnings?: string[];
}

export type ResultKind =
  | 'describe' | 'compare' | 'correlate' | 'km' | 'cox' | 'logistic' | 'nomogram' | 'roc'
  | 'calibrate' | 'hosmer-lemeshow' | 'dca' | 'stability';

export interface DescribeRow {
  variable: string;
  type: 'numeric' | 'categorical';
  overall: string;
  groups: Record<string, string>;
  test: string | null;
  statistic: Num;
  p: Num;
  /** Machine-readable summaries (extra): per level of a categorical variable, or mean/sd/median/q1/q3/n. */
  levels?: { level: string; overall: string; groups: Record<string, string> }[];
}
export interface DescribeResult extends ResultBase { kind: 'describe'; by: string | null; groupLevels: string[]; rows: DescribeRow[] }

export interface CompareResult extends ResultBase {
  kind: 'compare';
  test: string;            // "paired t", "Student t", "Welch t", "Mann-Whitney", "Wilcoxon signed-rank", "ANOVA", "Kruskal-Wallis"
  statistic: Num;
  df: Num | [Num, Num];
  p: Num;
  estimate: Num;
  ci: Interval | null;
  /** Extra for charts: the values per group (or pairs). */
  groups?: { label: string; values: number[] }[];
  pairs?: { id: string; a: number; b: number }[];
  variable?: string;
}

export interface CorrelateRow { variable: string; method: 'pearson' | 'spearman'; r: Num; n: number; ci: Interval | null; p: Num; statistic?: Num; df?: Num }
export interface CorrelateResult extends ResultBase {
  kind: 'correlate';
  x: string;
  rows: CorrelateRow[];
  /** Extra for scatter plots: paired values per row variable. */
  points?: Record<string, { x: number; y: number; id?: string }[]>;
}

export interface KmPoint { t: number; s: number; lo: Num; hi: Num; atRisk: number; events?: number; censored?: number }
export interface KmGroup { label: string; n: number; events: number; median: Num; medianCi: Interval; curve: KmPoint[] }
export interface KmResult extends ResultBase {
  kind: 'km';
  groups: KmGroup[];
  logrank: { chisq: number; df: number; p: number } | null;
  /** Numbers at risk at chosen times (extra): times and one row per group. */
  atRisk?: { times: number[]; rows: { label: string; n: number[] }[] };
}

export interface TestStat { chisq: Num; df: number; p: Num }
export interface CoxTerm { term: string; coef: Num; se: Num; hr: Num; ci: Interval; z: Num; p: Num; ciWald?: Interval; ciProfile?: Interval; n?: number; events?: number }
export interface CoxResult extends ResultBase {
  kind: 'cox';
  events: number;
  ties: 'efron' | 'breslow';
  ci: 'wald' | 'profile';
  univariate?: boolean;
  terms: CoxTerm[];
  lrt: TestStat | null;
  wald: TestStat | null;
  score: TestStat | null;
  concordance: Num;
  loglik?: [Num, Num];
}

export interface LogisticTerm { term: string; coef: Num; se: Num; wald: Num; p: Num; or: Num; ci: Interval }
export interface LogisticResult extends ResultBase {
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

export interface NomogramResult extends ResultBase {
  kind: 'nomogram';
  model: string;
  axes: { term: string; ticks: { value: number | string; points: number }[] }[];
  total: { points: number; probability: number }[];
  pointsPerUnit?: number;
  /** Extra for the calculator: intercept and per-term linear-predictor pieces. */
  intercept?: number;
  terms?: { term: string; coef: number; min: number }[];
}

export interface RocCurvePoint { threshold: number | string; sensitivity: number; specificity: number }
export interface RocEvaluation {
  cohort: string; n: number; auc: Num; ci: Interval | null; cutoff: Num; sensitivity: Num; specificity: Num; youden: Num;
  direction: '<' | '>'; curve: RocCurvePoint[]; cases?: number; controls?: number;
}
export interface RocResult extends ResultBase { kind: 'roc'; model?: string; predictor?: string; outcome?: string; evaluations: RocEvaluation[] }

export interface CalibrationPoint { predicted: number; observed: Num }
export interface CalibrateEvaluation { cohort: string; B: number; meanAbsoluteError: Num; apparent: CalibrationPoint[]; biasCorrected: CalibrationPoint[]; n?: number; seed?: number }
export interface CalibrateResult extends ResultBase { kind: 'calibrate'; model: string; evaluations: CalibrateEvaluation[] }

export interface HosmerLemeshowEvaluation { cohort: string; chisq: Num; df: number; p: Num; groups: number; table?: { group: string; n: number; observed: number; expected: number }[] }
export interface HosmerLemeshowResult extends ResultBase { kind: 'hosmer-lemeshow'; model: string; evaluations: HosmerLemeshowEvaluation[] }

export interface DcaEvaluation { cohort: string; thresholds: number[]; model: Num[]; all: Num[]; none: Num[] }
export interface DcaResult extends ResultBase { kind: 'dca'; model: string; evaluations: DcaEvaluation[] }

/** Reference gene stability (issue 8): geNorm M / V and NormFinder. */
export interface StabilityResult extends ResultBase {
  kind: 'stability';
  genorm?: { m: { target: string; m: number }[]; steps: { excluded: string; m: Record<string, number> }[]; v: { label: string; v: number }[]; ranking: string[] };
  normfinder?: { stability: { target: string; value: number }[]; best: string; bestPair?: [string, string]; bestPairValue?: number };
}

export type AnalysisResult =
  | DescribeResult | CompareResult | CorrelateResult | KmResult | CoxResult | LogisticResult | NomogramResult
  | RocResult | CalibrateResult | HosmerLemeshowResult | DcaResult | StabilityResult;

/** A failed analysis: reported, never thrown; other analyses still run. */
export interface ErrorResult { name: string; kind: ResultKind; cohort: string; n: number; dropped: number; error: string; line?: number }

export interface Report {
  study: string;
  version: 1;
  engine: string;         // "qpcr-studio x.y.z"
  generated?: string;     // ISO date
  methods?: MethodsSummary;
  data: ReportData;
  results: (AnalysisResult | ErrorResult)[];
}

export function isErrorResult(r: AnalysisResult | ErrorResult): r is ErrorResult {
  return (r as ErrorResult).error !== undefined;
}
