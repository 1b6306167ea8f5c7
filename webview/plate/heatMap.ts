/**
 * The plate heat map as one SVG markup string (pure: no DOM, unit-tested in Node). main.ts sets it with a single
 * `innerHTML` on the plate's `<svg>`: one parse in the browser instead of thousands of createElementNS/setAttribute
 * calls, which made up most of the first view's script time on 384- and 1,536-well plates. Every attribute value
 * and text goes through the shared escaper (src/shared/html.ts); the markup carries no style attribute (CSP).
 */
import { escapeHtml as esc } from '../../src/shared/html';
import type { PlateIssueView, PlateWellView } from '../../src/shared/plateProtocol';
import { formatCq, interpolate, scalePosition, textColorOn, toHex, type HeatLayout, type Rgb } from './plateModel';

/** The theme colours the heat map uses (main.ts reads them from the `--vscode-*` variables). */
export interface HeatColours { low: Rgb; high: Rgb; fg: string; border: string; error: string; warning: string; info: string; focus: string; empty: string; outlier: string }

export interface HeatInput {
  layout: HeatLayout;
  /** The wells the target filter shows. */
  wells: readonly PlateWellView[];
  /** Worst finding per well index (`worstSeverityByWell`) and the replicate outliers' well indexes. */
  worst: ReadonlyMap<number, PlateIssueView['severity']>;
  outliers: { has(well: number): boolean };
  /** Cq range of the colour scale (`cqExtent` of the shown wells). */
  ext: { min: number; max: number } | null;
  selected: number | undefined;
  colours: HeatColours;
}

export interface HeatMarkup {
  width: number;
  height: number;
  /** The svg's content: the hatch pattern, the axis labels and one `g.well` per cell (row by row). */
  markup: string;
  /** The wells drawn in each occupied cell; its `g.well` has `data-cell` = the index here. Vacant cells have none. */
  cells: PlateWellView[][];
}

/** The colours escaped once for the markup (`low`/`high` stay numbers: they are interpolated per well). */
type Escaped = { [K in Exclude<keyof HeatColours, 'low' | 'high'>]: string } & Pick<HeatColours, 'low' | 'high'>;

function escapeColours(c: HeatColours): Escaped {
  return { low: c.low, high: c.high, fg: esc(c.fg), border: esc(c.border), error: esc(c.error), warning: esc(c.warning), info: esc(c.info), focus: esc(c.focus), empty: esc(c.empty), outlier: esc(c.outlier) };
}

/** Size of a cell and of the svg for a layout. */
export function heatGeometry(layout: Pick<HeatLayout, 'kind' | 'rows' | 'cols'>): { cell: number; left: number; top: number; width: number; height: number } {
  const cell = layout.cols > 24 ? 16 : layout.cols > 12 ? 30 : 52;
  const left = layout.kind === 'chip' ? 34 : 28;
  const top = 20;
  return { cell, left, top, width: left + layout.cols * cell + 4, height: top + layout.rows * cell + 4 };
}

/** The heat map's markup and the wells of each cell. */
export function heatMapMarkup(input: HeatInput): HeatMarkup {
  const { layout } = input;
  const p = escapeColours(input.colours);
  const { cell, left, top, width, height } = heatGeometry(layout);
  const byPos = new Map<number, PlateWellView[]>();
  for (const w of input.wells) {
    const k = layout.keyOf(w);
    if (k === null) continue;
    const list = byPos.get(k);
    if (list) list.push(w);
    else byPos.set(k, [w]);
  }
  // Plain template strings, not a generic attribute writer: this runs once per page load, before the optimiser has
  // seen it, so the fewer calls per cell the better.
  let out = '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
    `<line x1="0" y1="0" x2="0" y2="6" stroke="${p.fg}" stroke-width="1.5" stroke-opacity="0.55"/></pattern></defs>`;
  for (let c = 0; c < layout.cols; c++) {
    if (layout.cols <= 24 || c % 2 === 0) out += `<text x="${left + c * cell + cell / 2}" y="13" class="axis" text-anchor="middle">${esc(layout.colLabel(c))}</text>`;
  }
  const cells: PlateWellView[][] = [];
  const r = cell * 0.42;
  for (let row = 0; row < layout.rows; row++) {
    out += `<text x="${left - 8}" y="${top + row * cell + cell / 2 + 4}" class="axis" text-anchor="end">${esc(layout.rowLabel(row))}</text>`;
    for (let c = 0; c < layout.cols; c++) {
      const wells = byPos.get(row * 10000 + c);
      const cx = left + c * cell + cell / 2;
      const cy = top + row * cell + cell / 2;
      const name = esc(layout.cellName(row, c));
      if (!wells) {
        out += `<g class="well" role="gridcell" aria-label="${name}"><circle cx="${cx}" cy="${cy}" r="${r}" fill="${p.empty}" stroke="${p.border}" stroke-width="1" class="vacant"/></g>`;
        continue;
      }
      out += `<g class="well" role="gridcell" aria-label="${name}" tabindex="0" data-cell="${cells.length}">${wellMarkup(wells, cx, cy, cell, input, p)}</g>`;
      cells.push(wells);
    }
  }
  return { width, height, markup: out, cells };
}

/** One occupied cell: the well (colour by mean Cq, hatched without one), its Cq, marks for omission, outliers, findings. */
function wellMarkup(wells: PlateWellView[], cx: number, cy: number, cell: number, input: HeatInput, p: Escaped): string {
  const r = cell * 0.42;
  let sum = 0, n = 0, omitted = true, selected = false, outlier = false;
  let sev: PlateIssueView['severity'] | undefined;
  for (const w of wells) {
    if (w.cq !== null) { sum += w.cq; n++; }
    omitted &&= w.omitted;
    selected ||= w.index === input.selected;
    outlier ||= input.outliers.has(w.index);
    const ws = input.worst.get(w.index);
    if (ws === 'error' || (ws !== undefined && sev === undefined)) sev = ws; // an error, else the first finding
  }
  const meanCq = n ? sum / n : null;
  const fill = meanCq === null || !input.ext ? null : interpolate([p.low, p.high], scalePosition(meanCq, input.ext.min, input.ext.max));
  const stroke = selected ? p.focus : sev === 'error' ? p.error : sev === 'warning' ? p.warning : sev ? p.info : p.border;
  let s = `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${fill ? toHex(fill) : 'url(#hatch)'}" fill-opacity="${omitted ? 0.35 : 1}" stroke="${stroke}" stroke-width="${selected ? 3 : sev ? 2.5 : 1}"/>`;
  const fontSize = cell >= 40 ? 11 : cell >= 28 ? 8 : 0;
  if (fontSize && !omitted) {
    const at = `x="${cx}" y="${cy + fontSize / 3}"`;
    s += fill
      ? `<text ${at} class="cq" text-anchor="middle" font-size="${fontSize}" fill="${textColorOn(fill)}">${formatCq(meanCq, 1)}</text>`
      : `<text ${at} class="cq nocq" text-anchor="middle" font-size="${fontSize}" fill="${p.fg}">—</text>`;
  }
  if (omitted) {
    const d = r * 0.72;
    s += `<path d="M${cx - d},${cy - d}L${cx + d},${cy + d}M${cx + d},${cy - d}L${cx - d},${cy + d}" stroke="${p.fg}" stroke-width="2" class="cross"/>`;
  }
  if (outlier) {
    // Dashed ring just outside the well: an outlier by the configured replicate rule.
    s += `<circle cx="${cx}" cy="${cy}" r="${r + Math.max(2.5, cell * 0.06)}" fill="none" stroke="${p.outlier}" stroke-width="2" stroke-dasharray="3 2" class="outlier-ring"/>`;
  }
  if (sev && cell >= 28) {
    s += `<circle cx="${cx + r * 0.78}" cy="${cy - r * 0.78}" r="${Math.max(3, cell * 0.08)}" fill="${sev === 'error' ? p.error : sev === 'warning' ? p.warning : p.info}"/>`;
  }
  return s;
}
