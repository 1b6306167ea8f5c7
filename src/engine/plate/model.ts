/**
 * The tidy model every instrument importer produces. This file is a contract shared by the importers,
 * QC, the expression pipeline, the plate editor and the study runner: extend it, do not rename fields.
 */
import type { EngineDiagnostic, Range } from '../common/diagnostic';

/** Formats the importers recognise: the names of the format registry (./formats.ts). */
export type { CqFormat } from './formats';
import type { CqFormat } from './formats';
import { QC_DEFAULTS } from '../../shared/qcThresholds';
import type { PlateCurves } from '../curves/store';

/** Well role. `reference` is set only when the file itself marks a well as an endogenous control. */
export type WellTask = 'unknown' | 'standard' | 'ntc' | 'nrt' | 'positive' | 'negative' | 'reference';

/** How a missing Cq was written in the file (provenance for diagnostics and the non-detect policy). */
export type NoCqKind = 'undetermined' | 'nan' | 'na' | 'empty' | 'sentinel';

/** One reaction (well × target; a multiplexed well gives one `Well` per target). */
export interface Well {
  /** Index in `Plate.wells`. */
  index: number;
  /** Normalised position, `A1` style (no zero padding), or null if the file has none (e.g. tidy CSV without wells). */
  position: string | null;
  /** 0-based row and column on the plate, or null. */
  row: number | null;
  col: number | null;
  sample: string;
  target: string;
  task: WellTask;
  /** The Cq as a number, or null for "no Cq" (see `noCq`). */
  cq: number | null;
  /** How "no Cq" was written, when `cq` is null. */
  noCq?: NoCqKind;
  /** The Cq cell's text exactly as in the file. */
  cqText: string;
  /** Known quantity for standards (copies etc.), if given. */
  quantity?: number | null;
  /** The instrument marked the well omitted/excluded. */
  omitted: boolean;
  /** Instrument flags, normalised upper case: HIGHSD, OUTLIERRG, NOAMP, EXPFAIL, MTP, AMP_STATUS:NO_AMP, CALL:FAIL, ... */
  flags: string[];
  /** 0-based line in the source text where this well's row is (for RDML: the line of the <react> element, or 0). */
  line: number;
  /** Ranges of individual cells, when the format is text. `omit` is the Omit/Include/Exclude cell (additive). */
  ranges: { row?: Range; cq?: Range; position?: Range; sample?: Range; target?: Range; omit?: Range };
  /** The Omit/Include/Exclude cell's text exactly as in the file, when the format has such a column (additive). */
  omitText?: string;
}

/** One imported plate/run. */
export interface Plate {
  /** File name or path as given to the importer. */
  file: string;
  format: CqFormat;
  /** Instrument or software as stated by the file, if any. */
  instrument?: string;
  /** Plate geometry: 96 (8×12), 384 (16×24), 48, 72/100 (rotor), BioMark chambers etc.; null when unknown. */
  rows: number | null;
  cols: number | null;
  wells: Well[];
  /** Preamble and trailer key/values (`* key = value`, `# key: value`, `Key;Value`, LightCycler `Experiment:` ...). */
  meta: Record<string, string>;
  /**
   * Where the results came from when the file is not text: an Excel workbook's sheet (./xlsx.ts). Wells' `line` is
   * then the sheet row − 1; the file is read-only (no cell edits).
   */
  source?: { kind: 'xlsx'; sheet: string };
  /** Detected text conventions, shown in the UI and used by diagnostics. */
  conventions: { delimiter: string; decimal: '.' | ','; lineEnding: '\n' | '\r\n' | '\r' | 'mixed'; bom: boolean };
  /** Amplification and melt curves, when the file has them (RDML adp/mdp, QuantStudio sections); read-only. */
  curves?: PlateCurves;
}

/** The result of importing one file: a plate, or null with at least one error diagnostic. */
export interface ImportResult {
  plate: Plate | null;
  diagnostics: EngineDiagnostic[];
}

/** QC thresholds (user settings / `qc` statement). */
export interface QcSettings {
  maxCq: number;          // late amplification above this (default 35)
  replicateSd: number;    // replicate SD above this (default 0.5 cycles)
  ntcMinCq: number;       // an NTC with Cq below this is contamination (default 35); any NTC Cq is reported
  minReplicates: number;  // fewer usable replicates than this (default 2)
  referenceTargets?: string[]; // for "target without reference in a sample"
}

/** The default thresholds (src/shared/qcThresholds.ts). */
export const DEFAULT_QC: QcSettings = { ...QC_DEFAULTS };

/** The numeric thresholds' names (QC_DEFAULTS' keys), each also a study `qc` setting (maxCq is `qc max-cq`). */
export type QcThreshold = keyof typeof QC_DEFAULTS;
export const QC_THRESHOLDS = Object.keys(QC_DEFAULTS) as QcThreshold[];
