/** Projects an imported plate plus its findings into the webview's `plate/state` (`PlateStateMessage`). Pure: no `vscode`. */
import type { EngineDiagnostic } from '../../engine/common/diagnostic';
import type { Plate } from '../../engine/plate/model';
import { cellEdit } from '../../engine/plate';
import { countLineEnds, decodeText } from '../../engine/plate/text';
import type { CurveSeriesView, OutlierView, PlateCurvesView, PlateIssueView, PlateStateMessage, StandardCurveView } from '../../shared/plateProtocol';
import { encodePlateWells } from '../../shared/plateWells';
import { curveOf, type AmpReadout, type CurveTable, type PlateCurves } from '../../engine/curves/store';
import { meltDerivative } from '../../engine/curves/melt';
import { StatsError } from '../../engine/stats/errors';

export interface PlateViewOptions {
  fileName: string;
  version: number;
  readonly: boolean;
  qc: { replicateSd: number; maxCq: number };
  /** Standard curves (plateAnalysis `standardCurveViews`) and replicate outliers (`outlierView`), passed through. */
  standardCurves?: StandardCurveView[];
  outliers?: OutlierView;
  /**
   * At most this many wells (the first ones) go to the webview; a state for a 1,000,000-well file would be hundreds
   * of MB of JSON. Default: all.
   */
  maxWells?: number;
  /** Why the view is read-only (shown in the header). */
  readonlyReason?: string;
  /** What saving from VS Code would change beyond the edits (see `saveCaveats`). */
  caveats?: string[];
}

/**
 * What a save from VS Code would change in this file besides the user's edits, from the file's bytes on disk and the
 * text VS Code holds: VS Code keeps one line-end style per document (bare CR, as LightCycler 480 and SDS exports
 * write, and mixed files are converted when opened), and it opens a file as UTF-8 unless told otherwise (a
 * Windows-1252 export's accented characters would be replaced). The plate editor's own edits stay exact.
 */
export function saveCaveats(bytes: Uint8Array, docText: string): string[] {
  const out: string[] = [];
  // Line ends of the decoded text (not the raw bytes: in UTF-16 a CR is two bytes).
  const decoded = decodeText(bytes);
  const { cr, lf, crlf } = countLineEnds(decoded.text);
  const kinds = [cr && 'CR', lf && 'LF', crlf && 'CRLF'].filter(Boolean) as string[];
  if (cr > 0 || kinds.length > 1) {
    out.push(`Line ends: this file uses ${kinds.join(' and ')}${cr && kinds.length === 1 ? ' only (as LightCycler 480 and SDS exports do)' : ''}. ` +
      'VS Code keeps one line-end style per document, so saving here rewrites every line end (the cells you edit are exact). ' +
      'Keep a copy if the instrument software must read the file again.');
  }
  const eol = (t: string) => t.replace(/^\uFEFF/, '').replace(/\r\n|\r/g, '\n');
  if (decoded.encoding !== 'utf-8' && eol(decoded.text) !== eol(docText)) {
    out.push(`Encoding: this file is ${decoded.encoding}, but VS Code opened it as UTF-8 (its accented characters show as �), so saving here would replace them. ` +
      `Use "Reopen Editor With… → Text Editor", then "Reopen with Encoding" (${decoded.encoding}) before editing, or set files.encoding.`);
  }
  return out;
}

/** Last line a range covers (a range ending at column 0 of a later line does not cover that line). */
function lastLine(d: EngineDiagnostic): number {
  const { start, end } = d.range;
  return end.line > start.line && end.character === 0 ? end.line - 1 : end.line;
}

/** The state the webview is sent (its wells as columns: `decodePlateState` gives them back as `PlateWellView`s). */
export function toPlateState(plate: Plate, diagnostics: EngineDiagnostic[], o: PlateViewOptions): PlateStateMessage {
  const total = plate.wells.length;
  const shown = o.maxWells !== undefined && total > o.maxWells ? Math.max(0, Math.floor(o.maxWells)) : total;
  const wellsShown = shown === total ? plate.wells : plate.wells.slice(0, shown);
  const byLine = new Map<number, number[]>();
  for (const w of wellsShown) {
    const l = byLine.get(w.line);
    if (l) l.push(w.index);
    else byLine.set(w.line, [w.index]);
  }
  // Truncated: only findings that touch a shown well or sit before the last shown line (file-level) are listed.
  const lastShownLine = shown === total ? Infinity : shown === 0 ? -1 : wellsShown[shown - 1].line;
  const listed = shown === total ? diagnostics : diagnostics.filter((d) => d.range.start.line <= lastShownLine);
  // All wells on one line: a format without source lines (a zipped RDML), where a line says nothing about a well.
  const lineless = byLine.size === 1 && wellsShown.length > 1;
  const issues: PlateIssueView[] = listed.map((d) => {
    // The wells the finding names (QC rules say which), else the wells on its lines; a file-level finding (line 0
    // in a format whose wells start later, or any finding of a lineless file) attaches to no well.
    const wells: number[] = d.wells ? d.wells.filter((i) => i < shown) : [];
    for (let line = d.range.start.line; !d.wells && !lineless && line <= lastLine(d) && line - d.range.start.line < 100000; line++) {
      const w = byLine.get(line);
      if (w) wells.push(...w);
    }
    return { code: d.code, severity: d.severity, message: d.message, line: d.range.start.line, wells };
  });
  return {
    fileName: o.fileName,
    version: o.version,
    readonly: o.readonly,
    format: plate.format,
    instrument: plate.instrument,
    rows: plate.rows,
    cols: plate.cols,
    conventions: { ...plate.conventions },
    wells: encodePlateWells(wellsShown.map((w) => ({
      index: w.index,
      position: w.position,
      row: w.row,
      col: w.col,
      sample: w.sample,
      target: w.target,
      task: w.task,
      cq: w.cq,
      cqText: w.cqText,
      noCq: w.noCq,
      omitted: w.omitted,
      flags: [...w.flags],
      line: w.line,
      canOmit: !o.readonly && cellEdit(plate, w, 'omit', w.omitted ? 'false' : 'true') !== null,
      canEditCq: !o.readonly && w.ranges.cq !== undefined,
    }))),
    issues,
    qc: o.qc,
    standardCurves: o.standardCurves ?? [],
    outliers: o.outliers && shown < total
      ? { ...o.outliers, wells: o.outliers.wells.filter((w) => w.well < shown), ambiguous: o.outliers.ambiguous.filter((a) => a.well < shown) }
      : o.outliers,
    ...(shown < total ? { truncated: { shown, total, issueCounts: countSeverities(diagnostics) } } : {}),
    ...(o.readonlyReason ? { readonlyReason: o.readonlyReason } : {}),
    ...(o.caveats?.length ? { caveats: o.caveats } : {}),
    ...(plate.curves ? { curves: { amplification: plate.curves.amplification?.wells.length ?? 0, melt: plate.curves.melt?.wells.length ?? 0 } } : {}),
  };
}

const READOUT_LABEL: Record<AmpReadout, string> = { fluor: 'Fluorescence', rn: 'Rn', deltaRn: '\u0394Rn' };

/** 7 significant digits: the float32 values without their binary noise (0.612, not 0.6119999885559082). */
const short = (a: ArrayLike<number>): number[] => Array.from(a, (v) => (Number.isFinite(v) ? Number(v.toPrecision(7)) : NaN));

/** The curves of wells below `maxWells` (the wells the state carries) for one readout. */
function seriesOf<R extends string>(t: CurveTable<R>, maxWells: number, readout: R, y?: (x: Float32Array, y: Float32Array) => ArrayLike<number>): CurveSeriesView[] {
  const out: CurveSeriesView[] = [];
  for (let k = 0; k < t.wells.length && t.wells[k] < maxWells; k++) {
    const c = curveOf(t, t.wells[k], readout);
    if (c) out.push({ well: c.well, x: short(c.x), y: short(y ? y(c.x, c.y) : c.y) });
  }
  return out;
}

/**
 * melt.ts's −dF/dT (5-point moving average, then centred differences): the curve its Tm calls and the melt QC are
 * made on. NaN throughout for a curve it cannot take (fewer than 3 points, a repeated temperature).
 */
function plotDerivative(x: Float32Array, y: Float32Array): number[] {
  try {
    return meltDerivative(Array.from(x), Array.from(y));
  } catch (e) {
    if (e instanceof StatsError) return Array.from(x, () => NaN);
    throw e;
  }
}

/**
 * The plate's curves as plain arrays for the `plate/curves` message: every amplification readout, and the melt
 * curves as -dF/dT (the file's derivative when it has one, else `plotDerivative` of the fluorescence).
 */
export function toCurvesView(curves: PlateCurves | undefined, maxWells = Infinity): PlateCurvesView | null {
  if (!curves) return null;
  const out: PlateCurvesView = {};
  const amp = curves.amplification;
  if (amp) out.amplification = amp.readouts.map((r) => ({ readout: r, label: READOUT_LABEL[r], curves: seriesOf(amp, maxWells, r) }));
  const melt = curves.melt;
  if (melt?.y.derivative) out.melt = { derivative: 'file', curves: seriesOf(melt, maxWells, 'derivative') };
  else if (melt?.y.fluor) out.melt = { derivative: 'computed', curves: seriesOf(melt, maxWells, 'fluor', plotDerivative) };
  return out;
}

function countSeverities(diagnostics: EngineDiagnostic[]): { error: number; warning: number; info: number } {
  const n = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) {
    if (d.severity === 'error') n.error++;
    else if (d.severity === 'warning') n.warning++;
    else n.info++;
  }
  return n;
}

/** Error messages of an import that produced no plate, for the webview's explanation. */
export function importFailureDetails(diagnostics: EngineDiagnostic[]): string[] {
  return diagnostics
    .filter((d) => d.severity === 'error' || d.severity === 'warning')
    .map((d) => `line ${d.range.start.line + 1}: ${d.message} [${d.code}]`);
}
