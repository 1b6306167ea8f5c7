/**
 * RDML amplification and melt data points into the curve store: `<adp><cyc/><tmp/>?<fluor/></adp>` and
 * `<mdp><tmp/><fluor/></mdp>` of each `<data>` element (RDML 1.3), as cut out of the XML by `stripCurves`.
 * The k-th `<data>` element of the document is the k-th well of the plate (the importer creates one well per
 * `<data>`, in document order); when the counts disagree (a `<data>` the importer did not read) no curve is attached.
 *
 * Bad points (a missing or non-numeric `cyc`/`tmp`/`fluor`) are skipped with a warning located at the point (bare
 * XML: its line and column; a zip: line 0), the first few one by one, the rest counted.
 */
import type { EngineDiagnostic, Range } from '../common/diagnostic';
import { CurveBuilder, type PlateCurves } from '../curves/store';
import type { CurveScan } from './rdml';

/** Located warnings for bad points before they are only counted. */
const MAX_POINT_WARNINGS = 5;

/** The text of a child element `<name>...</name>` (any namespace prefix) within [start, end), or null. */
function child(xml: string, start: number, end: number, name: string): { text: string; at: number } | null {
  for (let i = xml.indexOf('<', start); i >= 0 && i < end; i = xml.indexOf('<', i + 1)) {
    const gt = xml.indexOf('>', i);
    if (gt < 0 || gt >= end) return null;
    const tag = xml.slice(i + 1, gt);
    if (tag !== name && tag.slice(tag.indexOf(':') + 1) !== name) continue;
    const close = xml.indexOf('</', gt);
    if (close < 0 || close > end) return null;
    return { text: xml.slice(gt + 1, close).trim(), at: gt + 1 };
  }
  return null;
}

/** xs:decimal / xs:double in decimal notation, as the Cq is read. */
function decimal(text: string): number {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
}

/** Line and column of offsets in a text (line starts found once, on the first call). */
function locator(xml: string): (offset: number) => Range {
  let starts: number[] | null = null;
  return (offset) => {
    if (!starts) {
      starts = [0];
      for (let i = 0; i < xml.length; i++) {
        const c = xml.charCodeAt(i);
        if (c === 10 || (c === 13 && xml.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
      }
    }
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= offset) lo = mid; else hi = mid - 1; }
    const pos = { line: lo, character: offset - starts[lo] };
    return { start: pos, end: pos };
  };
}

/**
 * The curves of the cut-out points (`stripCurves(xml, scan)`), for a plate of `wellCount` wells, or undefined when there
 * are none or they cannot be matched to the wells. `bare`: the XML is the file's text (ranges point into it).
 */
export function rdmlCurves(
  xml: string, scan: CurveScan, wellCount: number, bare: boolean, file: string, diagnostics: EngineDiagnostic[],
): PlateCurves | undefined {
  const { segments, dataCount } = scan;
  if (segments.length === 0) return undefined;
  const zero: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (dataCount !== wellCount) {
    diagnostics.push({ code: 'rdml-curves-unmatched', severity: 'warning', file, range: zero,
      message: `The file has ${dataCount} <data> elements but ${wellCount} reactions were read; its amplification/melt points were not attached to wells.` });
    return undefined;
  }
  const at = bare ? locator(xml) : () => zero;
  const b = new CurveBuilder();
  const amp = b.amplification(['fluor']);
  const melt = b.melt(['fluor']);
  let bad = 0;
  for (const s of segments) {
    const xName = s.name === 'adp' ? 'cyc' : 'tmp';
    const xe = child(xml, s.start, s.end, xName), fe = child(xml, s.start, s.end, 'fluor');
    const x = xe ? decimal(xe.text) : NaN, y = fe ? decimal(fe.text) : NaN;
    if (s.data >= 0 && Number.isFinite(x) && Number.isFinite(y)) { (s.name === 'adp' ? amp : melt).add(s.data, x, [y]); continue; }
    if (++bad > MAX_POINT_WARNINGS) continue;
    const what = s.data < 0 ? 'outside any <data> element' : !xe ? `without <${xName}>` : !Number.isFinite(x) ? `with <${xName}>${xe.text.slice(0, 40)}</${xName}>, not a number`
      : !fe ? 'without <fluor>' : `with <fluor>${fe.text.slice(0, 40)}</fluor>, not a number`;
    diagnostics.push({ code: 'rdml-curve-point', severity: 'warning', file, range: at((!xe || Number.isFinite(x) ? fe?.at : xe.at) ?? s.start),
      message: `An <${s.name}> point ${what}: skipped.` });
  }
  if (bad > MAX_POINT_WARNINGS) {
    diagnostics.push({ code: 'rdml-curve-point', severity: 'warning', file, range: zero,
      message: `${bad - MAX_POINT_WARNINGS} more amplification/melt points could not be read and were skipped.` });
  }
  return b.build();
}
