/**
 * Messages between the plate editor webview (webview/plate) and its host (src/host/plateEditor).
 * Plain data only; the host owns the document, the webview keeps only view state.
 */

/** One reaction as the webview shows it (a projection of the engine's `Well`). */
export interface PlateWellView {
  index: number;
  position: string | null;
  row: number | null;
  col: number | null;
  sample: string;
  target: string;
  task: string;
  cq: number | null;
  cqText: string;
  noCq?: string;
  omitted: boolean;
  flags: string[];
  /** 0-based line of the well's row in the source text. */
  line: number;
  /** Which edits the file format can express for this well (the engine's `cellEdit` is not null). */
  canOmit: boolean;
  canEditCq: boolean;
}

/** One import or QC finding, attached to the wells on its line(s). */
export interface PlateIssueView {
  code: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  /** 0-based line the finding starts on. */
  line: number;
  /** Indexes of the wells whose row is within the finding's range. */
  wells: number[];
}

/** One standard curve (Cq on log10 quantity) as the plate editor draws it; numbers are the engine's `plateStandardCurves`. */
export interface StandardCurveView {
  target: string;
  /** Amplified, non-omitted standard wells in the fit. */
  points: { well: number; position: string | null; log10q: number; cq: number }[];
  /** Standard wells of the target that are not in the fit (no Cq or omitted), by well index. */
  excluded: number[];
  n: number;
  levels: number;
  slope: number | null;
  intercept: number | null;
  r2: number | null;
  /** Amplification factor E = 10^(-1/slope) and (E - 1) · 100, with the 95 % CI of the latter. */
  efficiency: number | null;
  efficiencyPercent: number | null;
  efficiencyPercentCi: [number, number] | null;
  slopeCi: [number, number] | null;
  /** Lowest quantity whose replicates all amplified (≤ max Cq, not omitted); null if none. */
  lod: number | null;
  /** Efficiency outside 90–110 % (or undefined); R² below 0.98. */
  efficiencyOutOfRange: boolean;
  r2Low: boolean;
  /** The engine's findings for this curve (`std-efficiency`, `std-r2`, `std-too-few`), as messages. */
  findings: { code: string; message: string }[];
  /** Index of the first standard well of the target (where the Problems entry sits). */
  firstWell: number | null;
}

/** Replicate outlier screening as configured (`qpcr.outliers.*`) and the wells it flags. */
export interface OutlierView {
  method: 'none' | 'grubbs' | 'distance';
  alpha: number;
  distance: number;
  /** Flagged wells with the engine's reason. */
  wells: { well: number; reason: string }[];
  /** Groups the rule could not decide (e.g. two replicates far apart), with the first well of the group. */
  ambiguous: { well: number; message: string }[];
}

/** Everything the webview needs to draw one plate; sent in full after `ready` and after every change. */
export interface PlateState {
  fileName: string;
  /** Document version the state was computed from (0 for read-only files). */
  version: number;
  /** True for read-only views (RDML): edit controls are hidden. */
  readonly: boolean;
  format: string;
  instrument?: string;
  rows: number | null;
  cols: number | null;
  conventions: { delimiter: string; decimal: '.' | ','; lineEnding: string; bom: boolean };
  wells: PlateWellView[];
  issues: PlateIssueView[];
  /** The QC thresholds in use (from settings), for the replicate table. */
  qc: { replicateSd: number; maxCq: number };
  /** One per target with Standard wells that have quantities (absent from older hosts: treated as none). */
  standardCurves?: StandardCurveView[];
  /** Replicate outliers (absent: screening off). */
  outliers?: OutlierView;
  /**
   * Set when the file has more wells than the view carries (files over 50 MB open read-only): `wells` holds the first
   * `shown` of `total`, and issues only refer to those; the QC counts in `issueCounts` cover the whole file.
   */
  truncated?: { shown: number; total: number; issueCounts: { error: number; warning: number; info: number } };
  /** Why the view is read-only, shown in the header (e.g. the file is too large for a text editor). */
  readonlyReason?: string;
  /** What saving from VS Code would change besides the edits (line ends, encoding), shown as notices. */
  caveats?: string[];
  /**
   * Set when the file has amplification and/or melt curves: how many reactions have each. The curves themselves are
   * sent only when the webview asks (`plate/curves`), so the first paint does not carry them.
   */
  curves?: { amplification: number; melt: number };
}

/**
 * The wells of a `plate/state` message as columns of small integers into one string table, a fifth of the size of one
 * object per well (src/shared/plateWells.ts encodes and decodes them). Well `i` of the columns is the well with `index` i;
 * every array has one entry per well.
 */
export interface PlateWellColumns {
  /** The distinct strings the columns below refer to by index. */
  strings: string[];
  /** Index into `strings`; -1: none (null position, no `noCq`). */
  position: number[];
  sample: number[];
  target: number[];
  task: number[];
  noCq: number[];
  /** -1: the Cq's own text (`String(cq)`), as for most wells; else an index into `strings`. */
  cqText: number[];
  cq: (number | null)[];
  /** -1: null. */
  row: number[];
  col: number[];
  /** Index into `flagSets` (lists of indexes into `strings`); -1: no flags. */
  flags: number[];
  flagSets: number[][];
  /** The well's line minus the previous well's (the first well: its line), mostly 1. */
  lineStep: number[];
  /** 1: omitted, 2: can omit, 4: can edit the Cq. */
  bits: number[];
}

/** `PlateState` as the host sends it: the same fields, the wells as columns. */
export type PlateStateMessage = Omit<PlateState, 'wells'> & { wells: PlateWellColumns };

/** One reaction's curve for the webview: `well` is the index in `PlateState.wells`. */
export interface CurveSeriesView { well: number; x: number[]; y: number[] }

/** The curves of a plate as plain arrays (`plate/curves`). */
export interface PlateCurvesView {
  /** One entry per readout the file records (e.g. Rn and ΔRn), the primary one first; x = cycle. */
  amplification?: { readout: string; label: string; curves: CurveSeriesView[] }[];
  /** Melt curves as -dF/dT against temperature: the instrument's derivative when the file has one, else computed. */
  melt?: { derivative: 'file' | 'computed'; curves: CurveSeriesView[] };
}

/** Host → webview. */
export type PlateHostMessage =
  /** The full plate, or `state: null` with an explanation when the file could not be imported. */
  | { type: 'plate/state'; state: PlateStateMessage | null; error?: { message: string; details: string[] } }
  /** The outcome of an edit the webview asked for (shown as a transient status line). */
  | { type: 'plate/editResult'; ok: boolean; message: string }
  /** The curves, after the webview asked for them (and again after every refresh once asked); null: none. */
  | { type: 'plate/curves'; curves: PlateCurvesView | null };

/** Webview → host. */
export type PlateWebviewMessage =
  /** The webview's message listener is installed; the host replies with `plate/state`. */
  | { type: 'ready' }
  /** Mark a well omitted (`omit: false` includes it again); the engine decides the minimal text edit. */
  | { type: 'plate/omitWell'; well: number; omit: boolean }
  /** Replace a well's Cq cell with `value` (text as the user typed it). */
  | { type: 'plate/setCq'; well: number; value: string }
  /** Show the source line of a well in a text editor beside the plate. */
  | { type: 'plate/revealLine'; line: number }
  /** Send the plate's curves (the curve view was opened). */
  | { type: 'plate/curves' };
