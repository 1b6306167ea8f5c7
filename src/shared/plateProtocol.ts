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
}

/** Host → webview. */
export type PlateHostMessage =
  /** The full plate, or `state: null` with an explanation when the file could not be imported. */
  | { type: 'plate/state'; state: PlateState | null; error?: { message: string; details: string[] } }
  /** The outcome of an edit the webview asked for (shown as a transient status line). */
  | { type: 'plate/editResult'; ok: boolean; message: string };

/** Webview → host. */
export type PlateWebviewMessage =
  /** The webview's message listener is installed; the host replies with `plate/state`. */
  | { type: 'ready' }
  /** Mark a well omitted (`omit: false` includes it again); the engine decides the minimal text edit. */
  | { type: 'plate/omitWell'; well: number; omit: boolean }
  /** Replace a well's Cq cell with `value` (text as the user typed it). */
  | { type: 'plate/setCq'; well: number; value: string }
  /** Show the source line of a well in a text editor beside the plate. */
  | { type: 'plate/revealLine'; line: number };
