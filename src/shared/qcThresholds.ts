/**
 * QC thresholds and their defaults, in one place for the engine (plate QC, expression, standard curves), the host
 * (settings, the plate editor's flags) and the plate webview. package.json's `qpcr.qc.*` defaults must equal these
 * (test/unit/host/manifest.test.ts checks it). Pure: no DOM, no node modules.
 */

/** Defaults of the `qc` statement and the `qpcr.qc.*` settings. */
export const QC_DEFAULTS = {
  /** Late amplification above this Cq. */
  maxCq: 35,
  /** Replicate SD above this many cycles. */
  replicateSd: 0.5,
  /** An NTC with a Cq below this is contamination (any NTC Cq is reported). */
  ntcMinCq: 35,
  /** Fewer usable replicates than this. */
  minReplicates: 2,
} as const;

/** Standard-curve findings: `std-efficiency` outside this efficiency window (percent), `std-r2` below this R². */
export const STD_EFFICIENCY_PERCENT: readonly [number, number] = [90, 110];
export const STD_MIN_R2 = 0.98;

/** The efficiency window as text: `90–110 %`. */
export const STD_EFFICIENCY_TEXT = `${STD_EFFICIENCY_PERCENT[0]}–${STD_EFFICIENCY_PERCENT[1]} %`;
