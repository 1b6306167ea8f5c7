/**
 * The building blocks of report.json shared by the envelope (types.ts) and every kind (kinds/*.ts): numbers, the
 * fields every result has, the data and methods summaries. Imports nothing, so the kinds and the number formatting
 * depend on it without an import cycle. Field names are the contract: add, never rename.
 */

export type Num = number | null;
export type Interval = [Num, Num];

export interface QcEntry { code: string; message: string; file: string; line: number; severity?: string }

/** MIQE-style summary of what was done (issue 8), so a methods section can be written from it. */
export interface MethodsSummary {
  references: string[];
  targets: string[];
  expression: string;                 // e.g. "2^-dCq against cel-miR-39 (mean Cq of references)"
  /** `se`: the SE of the amplification factor (from its standard curves; 0 when stated or assumed; null unknown). */
  efficiencies: { target: string; value: number; source: string; se?: number | null }[];
  nondetect: string;                   // policy as stated
  qc: Record<string, number>;
  /** `code`: the step that excluded the well (instrument-omit, no-cq, late-cq, outlier-grubbs, outlier-distance). */
  exclusions: { file: string; line: number; well: string | null; sample: string; target: string; reason: string; code?: string }[];
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
  /**
   * `cq from ...` / `efficiency from linregpcr` (issue 20): how the Cq was called (`threshold`: the fixed threshold)
   * and the LinRegPCR mean efficiency per amplicon (factor per cycle) with its SD (numpy's, ddof 0, as rdmlpython)
   * and n, the reactions used for the mean (pooled over the plates; each plate is analysed as one run).
   */
  curves?: {
    cq: 'instrument' | 'threshold' | 'threshold-auto' | 'linregpcr'; threshold?: number;
    efficiencies?: { target: string; mean: number | null; sd: number | null; n: number }[];
  };
  /** The plate files read, per format (and instrument or software as the files state it). */
  instruments?: { format: string; display: string; instrument?: string; plates: number }[];
  /** The Methods paragraph (prose for a paper's Methods section; methodsText.ts), from this summary and the results. */
  paragraph?: string;
}

export interface ReportData {
  plates: number;
  wells: number;
  samples: number;
  subjects: number;
  qc: QcEntry[];
}

/** Fields every result has; each kind narrows `kind` to its own name (kinds/<kind>.ts). */
export interface ResultBase {
  name: string;            // label (`tableIV:`) or a generated one (`km 1`)
  kind: string;
  cohort: string;          // "all" by default
  n: number;               // rows used
  dropped: number;         // incomplete rows dropped
  title?: string;          // the analysis line as written
  line?: number;           // 1-based line in the .qstudy
  warnings?: string[];
}
