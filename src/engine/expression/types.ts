/**
 * Public types of the Cq → expression pipeline (docs/study-language.md, "From Cq to expression").
 * Contract for the study runner: add fields, do not rename.
 */
import type { EngineDiagnostic } from '../common/diagnostic';
import type { QcSettings } from '../plate/model';
import type { MethodsSummary } from '../../shared/report/types';
import type { ExpressionTable } from './table';

/** A well by its plate file and its index in `Plate.wells`. */
export interface WellRef { file: string; index: number }

/**
 * What happens to a well without a Cq (no amplification) and to a Cq above `qc.maxCq` (late amplification is
 * treated exactly like a non-detect):
 * - `exclude`: the well is dropped; a sample whose replicates are all non-detects has no value (null).
 * - `value`:   the well counts with Cq = `value` (required).
 * - `max-cq`:  the well counts with Cq = `qc.maxCq`.
 * - `impute`:  a non-detect among amplified replicates is dropped (the mean of the amplified replicates stands for it);
 *              when every replicate is a non-detect the sample gets Cq = `value` if given, else `qc.maxCq`.
 */
export interface NondetectPolicy { policy: 'exclude' | 'value' | 'max-cq' | 'impute'; value?: number }

/**
 * Technical-replicate outliers (within one plate × sample × target):
 * - `grubbs`: two-sided Grubbs test at `alpha` (default 0.05), n >= 3, repeated while n >= 3 and a value is rejected.
 * - `distance`: the replicate farthest from the median of the other replicates is excluded when farther than
 *   `distance` cycles (default 0.5), repeated while n >= 3; ties for farthest: none excluded (warning). With two
 *   replicates nothing can be excluded (a warning is given).
 */
export interface OutlierSettings { method: 'none' | 'grubbs' | 'distance'; alpha?: number; distance?: number }

export interface ExpressionOptions {
  /**
   * Reference (normaliser) targets; several = mean Cq (geometric mean of quantities; with efficiencies, mean of log
   * quantities).
   */
  references: string[];
  /** Targets of interest; default: every target in the sample wells that is not a reference. */
  targets?: string[];
  /**
   * Amplification factor per cycle per target (2 = 100 %), or `'standards'` to take it from the standard curves on
   * the plates (mean of the per-plate factors). Targets without a value use 2. Any value ≠ 2 makes it Pfaffl.
   */
  efficiency?: Record<string, number> | 'standards';
  /** Where a per-target `efficiency` value came from when it was not stated (e.g. LinRegPCR), with its SE. */
  efficiencySources?: Record<string, { source: string; se: number | null }>;
  /** Calibrator samples for ddCq (e.g. timepoint == "pre"); absent: no ddCq, expression = relative to the references. */
  calibrator?: (fields: Record<string, string>, sample: string) => boolean;
  /** Sample name → fields (compileSamplePattern); null = the name does not match (warning `sample-pattern`). */
  sampleFields?: (sample: string) => Record<string, string> | null;
  qc: QcSettings;
  nondetect: NondetectPolicy;
  outliers: OutlierSettings;
  /** Sample-name glob (`*`, `?`) of the inter-run calibrator samples (qbase+ style correction). */
  interRunCalibrator?: string;
  /**
   * Record every replicate's Cq used or why it was excluded on the rows (`replicates`, the step table), for the first
   * `stepsLimit` sample × target groups (default 5000; a plate of a million wells would otherwise keep an object each).
   */
  steps?: boolean;
  stepsLimit?: number;
  /** Compute the propagated errors (`propagation`, `livak` on the rows; step 9). Study runs do when an analysis reads them. */
  propagate?: boolean;
}

/** One well of a sample × target for the step table. */
export interface ReplicateStep {
  file: string;
  well: string | null;
  /** The Cq as read (null: no Cq). */
  cq: number | null;
  /** The Cq that entered the mean (inter-run corrected, or the non-detect policy's value); null = excluded. */
  used: number | null;
  /** Why excluded or replaced: instrument-omit, no-cq, late-cq (QC rule: Cq above max-cq), outlier-grubbs, outlier-distance. */
  code?: string;
  reason?: string;
}

/** One sample × target after replicate averaging and normalisation. */
export interface SampleExpression {
  sample: string;
  fields: Record<string, string>;
  target: string;
  /** Mean of the usable replicate Cqs (after inter-run correction and the non-detect policy); null when none. */
  cqMean: number | null;
  /** SD of the usable replicates (n - 1); null when fewer than 2. */
  cqSd: number | null;
  nUsed: number;
  nTotal: number;
  /** Arithmetic mean of the references' mean Cqs in this sample (null if a reference is missing). */
  refCq: number | null;
  /** cqMean - refCq (raw cycles, not efficiency corrected). */
  dcq: number | null;
  /** dcq - mean dcq of the calibrator samples for this target (only with a calibrator). */
  ddcq?: number | null;
  /**
   * Relative expression. With E = 2 everywhere: 2^-dCq (2^-ddCq with a calibrator). With efficiencies (Pfaffl):
   * E_t^-Cq_t / geomean_r(E_r^-Cq_r), divided by the geometric mean of the same ratio over the calibrators.
   */
  expression: number | null;
  /**
   * Every well of this sample × target (used and excluded; `nUsed` of `nTotal` were used). computeExpression makes the
   * list on the row's first read of it (an own enumerable property all the same: common/lazyProperty.ts).
   */
  wells: WellRef[];
  /** With `ExpressionOptions.steps`: each well's Cq used, or why it was excluded. */
  replicates?: ReplicateStep[];
  /** True on the rows of reference targets (they carry cqMean/cqSd only; refCq, dcq, expression are null). */
  reference?: boolean;
  /** Standard errors and 95 % CI of the relative quantity (qbase+ model, expression/propagation.ts); rows with a dCq. */
  propagation?: Propagation;
  /** Livak & Schmittgen's 2^-(ddCq ± s) range (2^-(dCq ± s) without a calibrator); only when every efficiency is 2. */
  livak?: { s: number | null; lower: number | null; upper: number | null };
}

/**
 * First-order error propagation of one sample × target (Hellemans et al. 2007). SEs are null when a replicate SD is
 * unknown (a mean of fewer than two Cqs) anywhere along the way.
 */
export interface Propagation {
  /** SE of the replicate-mean Cq: SD / sqrt(n). */
  cqSe: number | null;
  /** RQ = E^(mean Cq of the gene over the samples - Cq) and its SE (replicate SE and efficiency SE). */
  rq: number; rqSe: number | null;
  /** Normalisation factor: geometric mean of the references' RQ in this sample, and its SE. */
  nf: number; nfSe: number | null;
  /** NRQ = RQ / NF and its SE. */
  nrq: number; nrqSe: number | null;
  /** With calibrators: the geometric mean NRQ of the calibrator samples, CNRQ = NRQ / it (= `expression`), SEs. */
  calibratorNrq?: number; calibratorNrqSe?: number | null;
  cnrq?: number; cnrqSe?: number | null;
  /** 95 % CI of CNRQ (NRQ without a calibrator): value · exp(∓1.96 · SE / value). */
  ci: [number, number] | null;
}

/** Least-squares standard curve Cq = intercept + slope · log10(quantity) for one target on one plate. */
export interface StandardCurve {
  file: string;
  target: string;
  /** Every amplified, non-omitted standard well used in the fit. */
  points: { log10q: number; cq: number; well: WellRef }[];
  n: number;
  levels: number;
  slope: number | null;
  intercept: number | null;
  r2: number | null;
  /** Amplification factor E = 10^(-1/slope). */
  efficiency: number | null;
  /** (E - 1) · 100. */
  efficiencyPercent: number | null;
  slopeSe: number | null;
  /** 95 % CI of the slope (t, n - 2 df) and the matching interval of E. */
  slopeCi: [number, number] | null;
  efficiencyCi: [number, number] | null;
  /** Lowest quantity whose replicates all amplified (Cq present, ≤ qc.maxCq, not omitted); null if none. */
  lod: number | null;
  diagnostics: EngineDiagnostic[];
}

/** The amplification factor used for a target; `se` from its standard curves (0 when stated or assumed, null unknown). */
export interface EfficiencyUsed { target: string; value: number; source: string; se?: number | null }

export interface ExpressionResult {
  /** The rows, made from `table` on the first read (then kept). */
  samples: SampleExpression[];
  /**
   * The same rows as columns (./table.ts): what the study runner reads. Not enumerable: a JSON text or a structured
   * clone of the result carries `samples`, as before.
   */
  readonly table: ExpressionTable;
  /** The number of distinct sample names among `samples` (a sample's rows come together). */
  sampleCount: number;
  exclusions: MethodsSummary['exclusions'];
  efficiencies: EfficiencyUsed[];
  standardCurves: StandardCurve[];
  diagnostics: EngineDiagnostic[];
  methods: MethodsSummary;
  /** Inter-run correction applied (Cq subtracted), per target and file; empty without an inter-run calibrator. */
  interRun?: { target: string; file: string; factor: number | null }[];
}

/** One subject: values of `T@level`, `dcq(T@level)`, `cq(T@level)` (or `T`, `dcq(T)`, `cq(T)`). */
export interface SubjectRow { subject: string; values: Record<string, number | null> }

export interface SubjectTable {
  key: string;
  levelField?: string;
  /** Variable names in a stable order (per target: expression, dcq, cq; levels in order of appearance). */
  variables: string[];
  /** The subjects, in order of first appearance. */
  subjects: string[];
  /** Each variable's values by subject (parallel to `variables`; NaN: missing). */
  columns: Float64Array[];
  /** The subjects as objects (`values` keyed by variable, null: missing), made on the first read. */
  rows: SubjectRow[];
  diagnostics: EngineDiagnostic[];
}
