/**
 * The study language's vocabulary: statement and function documentation, analysis and `qc` options with the
 * values they accept. Used by the checker (unknown option / bad value), completion and hover.
 */
import type { AnalysisKind } from './ast';
import { FORMAT_NAMES } from '../plate/formats';

export type OptionSpec =
  | { type: 'choice'; values: string[]; doc: string }
  | { type: 'number'; min?: number; max?: number; integer?: boolean; doc: string }
  /** One number or a list of numbers (`with at 0, 12, 24`). */
  | { type: 'numbers'; min?: number; max?: number; doc: string }
  /** `from to to by step`, or a list of numbers. */
  | { type: 'sequence'; min?: number; max?: number; doc: string }
  | { type: 'flag'; doc: string };

const conf: OptionSpec = { type: 'number', min: 0, max: 1, doc: 'Confidence level of intervals (default 95%); `0.9` or `90%`.' };

/** Options each analysis accepts after `with`. */
export const ANALYSIS_OPTIONS: Record<AnalysisKind, Record<string, OptionSpec>> = {
  describe: {
    test: { type: 'choice', values: ['student', 'welch', 'mann-whitney', 'anova', 'kruskal', 'chisq', 'chisq-yates', 'fisher'], doc: 'Test for group differences (default: Student t / ANOVA for numbers, Pearson chi-square for categories). `welch`: Welch t / ANOVA; `mann-whitney` / `kruskal`: rank tests, numbers shown as median (IQR); `chisq-yates`, `fisher` (2×2): the test for categorical rows.' },
    categorical: { type: 'choice', values: ['chisq', 'chisq-yates', 'fisher'], doc: 'Test for categorical rows when `test` names a numeric test (default chisq, no continuity correction, as SPSS).' },
    summary: { type: 'choice', values: ['mean', 'median'], doc: 'Numbers as mean ± SD (default) or median (IQR); median also selects the rank tests.' },
    digits: { type: 'number', min: 0, max: 10, integer: true, doc: 'Decimals in the summaries.' },
  },
  compare: {
    test: { type: 'choice', values: ['student', 'welch', 'mann-whitney', 'wilcoxon', 'anova', 'kruskal'], doc: 'Student t by default (paired t for `vs ... paired`); `welch`, `mann-whitney`, `wilcoxon` (paired), `kruskal` (>2 groups).' },
    conf,
  },
  correlate: {
    method: { type: 'choice', values: ['pearson', 'spearman'], doc: 'Pearson (CI by Fisher z) or Spearman.' },
    conf,
  },
  km: {
    at: { type: 'numbers', min: 0, doc: 'Times at which to report numbers at risk and survival (e.g. `at 0, 12, 24, 36`).' },
    conf,
  },
  cox: {
    univariate: { type: 'flag', doc: 'Fit each term alone as well.' },
    ci: { type: 'choice', values: ['wald', 'profile'], doc: 'Confidence intervals of the hazard ratios (default wald).' },
    ties: { type: 'choice', values: ['efron', 'breslow'], doc: 'Tie handling: `efron` (R default) or `breslow` (JMP).' },
    conf,
  },
  logistic: {
    univariate: { type: 'flag', doc: 'Fit each term alone as well.' },
    ci: { type: 'choice', values: ['wald', 'profile'], doc: 'Confidence intervals of the odds ratios (default wald).' },
    conf,
  },
  nomogram: {},
  roc: { conf },
  calibrate: {
    bootstrap: { type: 'number', min: 1, max: 100000, integer: true, doc: 'Bootstrap repetitions for the optimism correction (rms default 40).' },
    seed: { type: 'number', integer: true, doc: 'Seed of the bootstrap resampling.' },
  },
  'hosmer-lemeshow': {
    groups: { type: 'number', min: 3, max: 1000, integer: true, doc: 'Number of quantile groups (default 10; df = groups - 2).' },
  },
  dca: {
    thresholds: { type: 'sequence', min: 0, max: 1, doc: 'Threshold probabilities, e.g. `0.05 to 0.95 by 0.01`.' },
  },
  stability: {},
};

/** Options of the `qc` statement. */
export const QC_OPTIONS: Record<string, OptionSpec> = {
  'max-cq': { type: 'number', min: 0, max: 100, doc: 'Cq above this is late amplification, treated as a non-detect (default 35).' },
  'replicate-sd': { type: 'number', min: 0, doc: 'Replicate SD above this (cycles) is flagged (default 0.5).' },
  'ntc-min-cq': { type: 'number', min: 0, max: 100, doc: 'An NTC with Cq below this is contamination (default 35).' },
  'min-replicates': { type: 'number', min: 1, max: 100, integer: true, doc: 'Fewer usable replicates than this is flagged (default 2).' },
};

export const PLATE_FORMATS: string[] = [...FORMAT_NAMES]; // the plate format registry (plate/formats.ts)

/** Function name → [min args, max args, result ('numeric' | 'categorical' | 'same'), doc]. */
export const FUNCTION_INFO: Record<string, { min: number; max: number; result: 'numeric' | 'categorical' | 'if'; doc: string; signature: string }> = {
  log2: { min: 1, max: 1, result: 'numeric', signature: 'log2(x)', doc: 'Base-2 logarithm; missing for x <= 0.' },
  log10: { min: 1, max: 1, result: 'numeric', signature: 'log10(x)', doc: 'Base-10 logarithm; missing for x <= 0.' },
  ln: { min: 1, max: 1, result: 'numeric', signature: 'ln(x)', doc: 'Natural logarithm; missing for x <= 0.' },
  log: { min: 1, max: 1, result: 'numeric', signature: 'log(x)', doc: 'Natural logarithm (as R); missing for x <= 0.' },
  exp: { min: 1, max: 1, result: 'numeric', signature: 'exp(x)', doc: 'e to the power x.' },
  sqrt: { min: 1, max: 1, result: 'numeric', signature: 'sqrt(x)', doc: 'Square root; missing for x < 0.' },
  abs: { min: 1, max: 1, result: 'numeric', signature: 'abs(x)', doc: 'Absolute value.' },
  median: { min: 1, max: 1, result: 'numeric', signature: 'median(x)', doc: 'Median of x over the cohort in use (missing values ignored).' },
  mean: { min: 1, max: 1, result: 'numeric', signature: 'mean(x)', doc: 'Mean of x over the cohort in use.' },
  sd: { min: 1, max: 1, result: 'numeric', signature: 'sd(x)', doc: 'Standard deviation (n - 1) of x over the cohort in use.' },
  quantile: { min: 2, max: 2, result: 'numeric', signature: 'quantile(x, p)', doc: 'Quantile p of x over the cohort in use (R type 7).' },
  min: { min: 1, max: Infinity, result: 'numeric', signature: 'min(x) | min(a, b, ...)', doc: 'Minimum over the cohort (one argument) or element-wise (several).' },
  max: { min: 1, max: Infinity, result: 'numeric', signature: 'max(x) | max(a, b, ...)', doc: 'Maximum over the cohort (one argument) or element-wise (several).' },
  if: { min: 3, max: 3, result: 'if', signature: 'if(cond, a, b)', doc: '`a` where cond is true (non-zero), else `b`; missing where cond is missing.' },
  cut: { min: 2, max: Infinity, result: 'categorical', signature: 'cut(x, b1, b2, ...)', doc: 'Factor of right-closed intervals (-Inf,b1], (b1,b2], ..., (bk,Inf].' },
  dcq: { min: 1, max: 1, result: 'numeric', signature: 'dcq(T@level)', doc: 'dCq = Cq(target) - Cq(reference) of a target (at a level).' },
  cq: { min: 1, max: 1, result: 'numeric', signature: 'cq(T@level)', doc: 'Mean replicate Cq of a target (at a level), after QC.' },
};

/** One-line documentation of every statement keyword (hover and completion). */
export const KEYWORD_DOCS: Record<string, string> = {
  study: '`study "Title"` — the study title (report.json `study`).',
  plates: '`plates "glob" [format F] [target NAME]` — plate exports, globs relative to the study file; format auto-detected unless named. `target` names the target of files that carry none (LightCycler 480 text; default: the file-name stem).',
  clinical: '`clinical "file.csv" key COLUMN` — one row per subject; `key` joins it to the samples.',
  samples: '`samples "{patient}-{timepoint}"` — how Sample Name splits into fields; or `samples "sheet.csv" key COLUMN` — a sheet mapping Sample Name to fields.',
  reference: '`reference T1, T2` — reference (normaliser) targets; several = mean Cq (geometric mean of quantities).',
  targets: '`targets T1, T2` — targets of interest (default: every target that is not a reference).',
  efficiency: '`efficiency T = 1.97, U = 97%` — amplification factor per cycle (or efficiency in %); default 2. `efficiency from standards` — per-target factor from the Standard wells.',
  calibrator: '`calibrator EXPR` — calibrator samples (e.g. `timepoint == "pre"`): ddCq against their mean dCq.',
  qc: '`qc max-cq 35, replicate-sd 0.5, ntc-min-cq 35, min-replicates 2` — QC thresholds.',
  nondetect: '`nondetect as 40 | as max-cq | exclude | impute` — wells without Cq (and Cq above max-cq); default `exclude`.',
  outliers: '`outliers grubbs [alpha 0.05] | distance 0.5 | none` — technical-replicate outliers; default `none`.',
  interrun: '`interrun calibrator "IRC*"` — inter-run calibrator samples (sample-name glob) for between-plate correction.',
  let: '`let NAME = EXPR` — a subject variable.',
  cohort: '`cohort NAME = CONDITION` — a subset of subjects.',
  split: '`split train / validation = 70 / 30 seed 2024 [stratify VAR]` — a reproducible random split into cohorts.',
  outcome: '`outcome NAME = time EXPR event EXPR` — a time-to-event outcome for `km` and `cox`.',
  describe: '`describe VARS [by GROUP]` — Table 1: mean ± SD / median [IQR] / n (%), with t or chi-square p.',
  compare: '`compare A vs B paired` (paired t; `with test wilcoxon`) or `compare X by GROUP` (t / ANOVA; `with test welch | mann-whitney | kruskal`).',
  correlate: '`correlate X with VARS [with method pearson | spearman]` — r, CI (Fisher z), p.',
  km: '`km OUTCOME by GROUP` — Kaplan–Meier curves, medians with CI, log-rank, numbers at risk (`with at 0, 12, 24`).',
  cox: '`cox OUTCOME ~ TERMS` — Cox regression (`with univariate`, `ci profile`, `ties breslow`).',
  logistic: '`logistic OUTCOME ~ TERMS` — logistic regression (glm): OR, Wald or profile CI, AIC, Nagelkerke R².',
  nomogram: '`nomogram MODEL` — rms-style nomogram of a labelled model.',
  roc: '`roc MODEL [in C1, C2]` or `roc MARKER predicts OUTCOME` — AUC with DeLong CI, Youden cutoff, sensitivity, specificity.',
  calibrate: '`calibrate MODEL in C1, C2 with bootstrap 1000, seed 1` — calibration curve (rms::calibrate).',
  'hosmer-lemeshow': '`hosmer-lemeshow MODEL in C1, C2 with groups 10` — goodness of fit (df = groups - 2).',
  dca: '`dca MODEL in C1, C2 with thresholds 0.05 to 0.95 by 0.01` — decision curve (net benefit).',
  stability: '`stability T1, T2, T3 [by FIELD] [in COHORT]` — reference-gene stability: geNorm M/V and NormFinder.',
};

/** Words with a meaning inside statements (hover). */
export const WORD_DOCS: Record<string, string> = {
  in: '`in COHORT[, COHORT2]` — the cohort(s) an analysis uses (default: all subjects).',
  with: '`with OPTION value, ...` — analysis options.',
  by: 'Grouping variable (or, in `to ... by`, the step).',
  vs: '`A vs B` — compare two variables of the same subjects.',
  paired: 'Paired comparison (same subjects).',
  predicts: '`MARKER predicts OUTCOME` — a single-marker ROC.',
  seed: 'Seed of the pseudo-random generator (same cohorts on every machine).',
  stratify: 'Keep the proportions of this variable in every part of the split.',
  and: 'Logical and (1/0).',
  or: 'Logical or (1/0).',
  not: 'Logical not (1/0).',
};
