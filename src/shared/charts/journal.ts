/**
 * Figures at journal specifications (PURE: no DOM): one set of options for all figures (width, font, grayscale),
 * applied to a ChartSpec by re-laying it out at the width where the chart's 12-unit text comes out at the chosen
 * point size, then serialised as SVG at its physical size (width="85mm") or as PDF (pdf.ts) from that SVG.
 */
import { OKABE_ITO_LIGHT, type ChartSpec, type Marker, type Series, type ThemeColours } from './chartSpec';
import { axisExtent } from './chartSpec';
import { chartToSvg, layout, makeScale } from './svg';
import { textWidth } from './pdfFont';

/** Journal column widths in mm: single column, 1.5 column, double column. */
export const FIGURE_WIDTHS_MM = [85, 114, 174] as const;
export const FIGURE_FONTS = ['Arial', 'Helvetica'] as const;
export type FigureFont = (typeof FIGURE_FONTS)[number];

export interface FigureOptions {
  /** Figure width in mm (FIGURE_WIDTHS_MM, or any width from 40 to 250 mm). */
  widthMm: number;
  /** Font family of all text (PDF: Helvetica, metrically identical to Arial). */
  font: FigureFont;
  /** Size of axis labels, ticks and legends in pt (titles 1/6 larger). */
  fontPt: number;
  /** Black and grey only; series told apart by line dash and marker shape. */
  grayscale: boolean;
}

export const DEFAULT_FIGURE: FigureOptions = { widthMm: 85, font: 'Arial', fontPt: 7, grayscale: false };

/** Layout units per text size: the chart's body text is 12 units high (svg.ts). */
const TEXT_UNITS = 12;
export const PT_PER_MM = 72 / 25.4;

/** A located message for options out of range (CLI flags, panel state). */
export function checkFigureOptions(o: FigureOptions): string | null {
  if (!(o.widthMm >= 40 && o.widthMm <= 250)) return `figure width ${o.widthMm} mm is outside 40–250 mm (journals: ${FIGURE_WIDTHS_MM.join(', ')} mm)`;
  if (!(o.fontPt >= 5 && o.fontPt <= 12)) return `figure font size ${o.fontPt} pt is outside 5–12 pt`;
  if (!FIGURE_FONTS.includes(o.font)) return `figure font "${o.font}" is not one of ${FIGURE_FONTS.join(', ')}`;
  return null;
}

/** Greys from black, dashes and markers: the i-th series of a grayscale figure gets the i-th of each. */
export const GRAY_PALETTE = ['#000000', '#6E6E6E', '#A0A0A0', '#3C3C3C', '#8A8A8A', '#252525', '#B4B4B4', '#555555'];
export const GRAY_DASHES: (number[] | undefined)[] = [undefined, [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [12, 4]];
export const GRAY_MARKERS: Marker[] = ['circle', 'square', 'triangle', 'diamond', 'cross'];

/** The theme of a printed figure: white paper, black text, light grid; the chosen font. */
export function figureTheme(o: FigureOptions): ThemeColours {
  const font = o.font === 'Arial' ? 'Arial, Helvetica, sans-serif' : 'Helvetica, Arial, sans-serif';
  return { fg: '#000000', muted: '#404040', grid: '#E6E6E6', bg: '#FFFFFF', palette: o.grayscale ? GRAY_PALETTE : OKABE_ITO_LIGHT, font, lineScale: 1 };
}

/**
 * Series of a grayscale figure: a palette-coloured line gets the dash of its colour index, a circle marker the shape
 * of its index; when that style is taken by a series of another colour, the next free one. So two series of one
 * chart never differ only by colour (while there are free styles: 6 dashes, 5 markers).
 */
export function grayscaleSeries(series: Series[]): Series[] {
  const owner = new Map<string, string>(); // style → colour using it
  const take = (style: string, colour: string) => { if (!owner.has(style)) owner.set(style, colour); };
  const free = (kind: string, styles: readonly unknown[], colour: number): number => {
    for (let k = 0; k < styles.length; k++) {
      const at = (colour + k) % styles.length, key = `${kind} ${JSON.stringify(styles[at] ?? null)}`;
      if (owner.get(key) === undefined || owner.get(key) === String(colour)) { take(key, String(colour)); return at; }
    }
    return colour % styles.length;
  };
  // styles the chart fixes itself (a dashed reference line, a solid "treat none" line in the foreground colour)
  // are taken first
  for (const s of series) {
    const fixed = typeof s.colour !== 'number';
    if (s.type === 'line' && (fixed || s.dash)) take(`line ${JSON.stringify(s.dash ?? null)}`, String(s.colour));
    if (s.type === 'scatter' && (fixed || (s.marker && s.marker !== 'circle'))) take(`scatter ${JSON.stringify(s.marker ?? 'circle')}`, String(s.colour));
  }
  return series.map((s) => {
    if (typeof s.colour !== 'number') return s;
    if (s.type === 'line' && !s.dash) return { ...s, dash: GRAY_DASHES[free('line', GRAY_DASHES, s.colour)] };
    if (s.type === 'scatter' && (s.marker ?? 'circle') === 'circle') return { ...s, marker: GRAY_MARKERS[free('scatter', GRAY_MARKERS, s.colour)] };
    return s;
  });
}

/** Layout width (units) of a figure: 12 units of text come out at fontPt. */
export function layoutWidth(o: FigureOptions): number {
  return Math.round((o.widthMm * PT_PER_MM * TEXT_UNITS) / o.fontPt);
}

/**
 * The chart re-laid out for print: the layout width of the options, the plot area keeping its aspect (never taller
 * than the original), text and margins at their unit sizes, the numbers-at-risk footer and legend unchanged.
 */
export function figureSpec(spec: ChartSpec, o: FigureOptions): ChartSpec {
  const W = layoutWidth(o);
  const before = layout(spec);
  const plotW = spec.width - before.left - before.right, plotH = spec.height - before.top - before.bottom;
  const sized: ChartSpec = { ...spec, width: W, series: o.grayscale ? grayscaleSeries(spec.series) : spec.series };
  const after = layout({ ...sized, height: spec.height });
  const newPlotW = W - after.left - after.right;
  const h = after.top + after.bottom + Math.max(80, plotH * Math.min(1, newPlotW / Math.max(1, plotW)));
  const out = { ...sized, height: Math.round(h) };
  return { ...out, series: thinLabels(out) };
}

/** Space (layout units) kept between two centred labels of one row. */
const LABEL_GAP = 4;

/**
 * Centred text labels of one row (the nomogram's tick labels) that would overlap at this width: from the left, a
 * label is kept only when it clears the last kept one by LABEL_GAP (widths from Helvetica's metrics at 12 units).
 */
export function thinLabels(spec: ChartSpec): Series[] {
  const L = layout(spec);
  const X = makeScale(spec.x, axisExtent(spec, 'x'), L.left, spec.width - L.right);
  return spec.series.map((s) => {
    if (s.type !== 'text') return s;
    const lastRight = new Map<string, number>();
    const order = s.texts.map((t, i) => ({ t, i, x: X(t.x) + (t.dx ?? 0) })).sort((a, b) => a.x - b.x);
    const drop = new Set<number>();
    for (const { t, i, x } of order) {
      if (t.align !== 'center') continue;
      const row = `${t.y} ${t.dy ?? 0} ${t.baseline ?? ''}`;
      const half = (textWidth(t.text, t.bold) * 12) / 2;
      if (x - half < (lastRight.get(row) ?? -Infinity) + LABEL_GAP) { drop.add(i); continue; }
      lastRight.set(row, x + half);
    }
    return drop.size ? { ...s, texts: s.texts.filter((_, i) => !drop.has(i)) } : s;
  });
}

/** Physical size (mm) of a figure spec laid out for these options. */
export function figureSizeMm(spec: ChartSpec, o: FigureOptions): { width: number; height: number } {
  return { width: o.widthMm, height: (o.widthMm * spec.height) / spec.width };
}

const mm = (v: number) => `${Math.round(v * 100) / 100}mm`;

/** One chart as an SVG figure at its physical size. */
export function figureSvg(spec: ChartSpec, o: FigureOptions, idPrefix = ''): string {
  const f = figureSpec(spec, o);
  const size = figureSizeMm(f, o);
  return chartToSvg(f, figureTheme(o), { size: { width: mm(size.width), height: mm(size.height) }, idPrefix });
}
