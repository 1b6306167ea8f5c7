/**
 * The study language's vocabulary: statement and function documentation, `qc` options with the values they
 * accept (analyses bring their own, src/engine/analyses). Used by the checker (unknown option / bad value), completion and hover.
 */
import { ANALYSIS_DOCS, ANALYSIS_OPTIONS } from '../analyses';
import type { OptionSpec } from '../analyses/types';
import { FORMAT_NAMES } from '../plate/formats';
import { DEFAULT_MIN_CQ } from '../plate/table';
import { QC_DEFAULTS } from '../../shared/qcThresholds';

export type { OptionSpec };
/** Options each analysis accepts after `with` (from the registry of analyses). */
export { ANALYSIS_OPTIONS };

/**
 * Options of the `qc` statement: the QC thresholds (QC_DEFAULTS, each the setting of its name in camel case:
 * max-cq → maxCq) and the importers' smallest plausible Cq. The defaults in the docs are the engine's own.
 */
export const QC_OPTIONS: Record<string, OptionSpec> = {
  'max-cq': { type: 'number', min: 0, max: 100, doc: `Cq above this is late amplification, treated as a non-detect (default ${QC_DEFAULTS.maxCq}).` },
  'replicate-sd': { type: 'number', min: 0, doc: `Replicate SD above this (cycles) is flagged (default ${QC_DEFAULTS.replicateSd}).` },
  'ntc-min-cq': { type: 'number', min: 0, max: 100, doc: `An NTC with Cq below this is contamination (default ${QC_DEFAULTS.ntcMinCq}).` },
  'min-replicates': { type: 'number', min: 1, max: 100, integer: true, doc: `Fewer usable replicates than this is flagged (default ${QC_DEFAULTS.minReplicates}).` },
  'min-cq': { type: 'number', min: 0, max: 100, doc: `A Cq below this (or not above 0) is an import error, not a value (default ${DEFAULT_MIN_CQ}).` },
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

/** One-line documentation of every statement keyword (hover and completion); analyses document themselves. */
export const KEYWORD_DOCS: Record<string, string> = {
  study: '`study "Title"` — the study title (report.json `study`).',
  plates: '`plates "glob" [format F] [target NAME]` — plate exports, globs relative to the study file; format auto-detected unless named. `target` names the target of files that carry none (LightCycler 480 text; default: the file-name stem).',
  clinical: '`clinical "file.csv" key COLUMN` — one row per subject; `key` joins it to the samples.',
  samples: '`samples "{patient}-{timepoint}"` — how Sample Name splits into fields; or `samples "sheet.csv" key COLUMN` — a sheet mapping Sample Name to fields.',
  reference: '`reference T1, T2` — reference (normaliser) targets; several = mean Cq (geometric mean of quantities).',
  targets: '`targets T1, T2` — targets of interest (default: every target that is not a reference).',
  efficiency: '`efficiency T = 1.97, U = 97%` — amplification factor per cycle (or efficiency in %); default 2. `efficiency from standards` — per-target factor from the Standard wells. `efficiency from linregpcr` — per-target LinRegPCR mean efficiency from the amplification curves.',
  cq: '`cq from instrument | threshold T | threshold auto | linregpcr` — where the Cq comes from: the file\'s (default), the baseline-corrected curve crossing threshold T (or 10 × the median baseline SD per target), or LinRegPCR.',
  calibrator: '`calibrator EXPR` — calibrator samples (e.g. `timepoint == "pre"`): ddCq against their mean dCq.',
  qc: '`qc max-cq 35, replicate-sd 0.5, ntc-min-cq 35, min-replicates 2` — QC thresholds. `qc hemolysis miR-23a - miR-451a > 7` — haemolysis check per sample; `qc spike-in cel-miR-39 robust-z 3` — spike-in recovery outliers.',
  nondetect: '`nondetect as 40 | as max-cq | exclude | impute` — wells without Cq (and Cq above max-cq); default `exclude`.',
  outliers: '`outliers grubbs [alpha 0.05] | distance 0.5 | none` — technical-replicate outliers; default `none`.',
  interrun: '`interrun calibrator "IRC*"` — inter-run calibrator samples (sample-name glob) for between-plate correction.',
  let: '`let NAME = EXPR` — a subject variable.',
  cohort: '`cohort NAME = CONDITION` — a subset of subjects.',
  split: '`split train / validation = 70 / 30 seed 2024 [stratify VAR]` — a reproducible random split into cohorts.',
  outcome: '`outcome NAME = time EXPR event EXPR` — a time-to-event outcome for `km` and `cox`.',
  ...ANALYSIS_DOCS,
};

/** Words with a meaning inside statements (hover). */
export const WORD_DOCS: Record<string, string> = {
  in: '`in COHORT[, COHORT2]` — the cohort(s) an analysis uses (default: all subjects).',
  with: '`with OPTION value, ...` — analysis options.',
  by: 'Grouping variable (or, in `to ... by`, the step).',
  vs: '`A vs B` — compare two variables of the same subjects.',
  paired: 'Paired comparison (same subjects).',
  adjusting: '`compare X by GROUP adjusting COV, ...` — ANCOVA: the group effect adjusted for the covariates (type II F test, adjusted means).',
  predicts: '`MARKER predicts OUTCOME` — a single-marker ROC.',
  seed: 'Seed of the pseudo-random generator (same cohorts on every machine).',
  stratify: 'Keep the proportions of this variable in every part of the split.',
  and: 'Logical and (1/0).',
  or: 'Logical or (1/0).',
  not: 'Logical not (1/0).',
  strata: '`cox OUTCOME ~ TERMS + strata(VAR)` — a stratified Cox model: a baseline hazard per level of the categorical VAR, no coefficient for it (as coxph\'s strata()).',
  hemolysis: '`qc hemolysis miR-23a - miR-451a > 7` — per sample, dCq = Cq(miR-23a) − Cq(miR-451a); above the threshold the sample is flagged as haemolysed (Blondal et al. 2013: > 5 possible, > 7 high risk).',
  'spike-in': '`qc spike-in cel-miR-39 robust-z 3` — robust z = (Cq − median) / (1.4826 · MAD) of the spike-in\'s mean Cq per sample, across samples and plates; |z| above the limit (default 3) is flagged.',
  'robust-z': '`robust-z 3` — the |robust z| above which a spike-in Cq is a recovery outlier (default 3).',
  cutpoint: '`km OUTCOME by cutpoint(MARKER)` — two groups at the data-driven cut-point of a continuous marker (maximally selected log-rank statistic, maxstat; p adjusted for the search, Lau94).',
};
