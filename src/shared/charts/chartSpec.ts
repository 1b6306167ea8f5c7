/**
 * A small, renderer-neutral description of a chart (PURE: no DOM). The results webview draws it with chart.js
 * (canvas, PNG export) and svg.ts serialises the same spec to a vector SVG, so both exports show the same data.
 */
import { maxOf, minOf } from '../extent';

export interface Tick { value: number; label: string }

export interface AxisSpec {
  label: string;
  type?: 'linear' | 'log';
  min?: number;
  max?: number;
  /** Fixed ticks (values and labels); otherwise round ticks are chosen. */
  ticks?: Tick[];
  /** Draw no axis line, ticks or title (the nomogram draws its own axes). */
  hidden?: boolean;
  /** Draw grid lines at the ticks (default true). */
  grid?: boolean;
}

export interface XY { x: number; y: number }

/** Colours are indices into the palette (0..) or one of the theme roles. */
export type Colour = number | 'fg' | 'muted' | 'grid';

/** Marker shapes; triangle and cross let grayscale figures tell series apart by shape (journal.ts). */
export type Marker = 'circle' | 'tick' | 'diamond' | 'square' | 'triangle' | 'cross';

export type Series =
  /** A polyline; `step` draws a right-continuous step function (survival curves). */
  | { type: 'line'; label?: string; colour: Colour; points: XY[]; step?: boolean; dash?: number[]; width?: number }
  /** Markers; `tick` is a short vertical bar (censoring), `square` sized by `sizes` (forest plot). */
  | { type: 'scatter'; label?: string; colour: Colour; points: (XY & { id?: string })[]; marker?: Marker; size?: number; sizes?: number[]; opacity?: number }
  /** A filled band between lo and hi (confidence bands). */
  | { type: 'band'; label?: string; colour: Colour; points: { x: number; lo: number; hi: number }[]; step?: boolean; opacity?: number }
  /** Independent line segments [x1, y1, x2, y2] (whiskers, paired lines, nomogram axes). */
  | { type: 'segments'; label?: string; colour: Colour; segments: [number, number, number, number][]; width?: number; dash?: number[]; opacity?: number }
  /** Rectangles [x1, y1, x2, y2] in data units (boxes, bars). */
  | { type: 'rects'; label?: string; colour: Colour; rects: [number, number, number, number][]; fillOpacity?: number }
  /** Text at data positions. */
  | { type: 'text'; colour: Colour; texts: { x: number; y: number; text: string; align?: 'left' | 'center' | 'right'; baseline?: 'top' | 'middle' | 'bottom'; bold?: boolean; dx?: number; dy?: number }[] };

/**
 * Rows of text under the x axis at data x positions (numbers at risk). A `heading` row starts a further block (its
 * label in bold like the title, no cells): cumulative events and censored counts under the numbers at risk.
 */
export interface FooterSpec { title: string; rows: { label: string; colour: Colour; cells: { x: number; text: string }[]; heading?: boolean }[] }

export interface ChartSpec {
  /** Stable id within the report (file names, state). */
  id: string;
  title: string;
  subtitle?: string;
  width: number;
  height: number;
  x: AxisSpec;
  y: AxisSpec;
  series: Series[];
  footer?: FooterSpec;
  /** Show a legend of the labelled series (default true when any series has a label). */
  legend?: boolean;
  /** Left padding in px for long category labels (forest plot, nomogram). */
  padLeft?: number;
  /** Set when a large series was sampled or simplified for drawing (thin.ts): the chart's data export takes every point. */
  thinned?: boolean;
}

/**
 * Height in px of the footer block under the x axis (canvas.ts): its bold title 22 px below the axis, one 18-px row
 * each, and room under the last row's text, so the last row is never clipped.
 */
export const footerHeight = (f: FooterSpec | undefined): number => (f ? 22 + 18 * f.rows.length + 14 : 0);

/** How far (px) the markers of a scatter series reach beyond their points: the plot area's clip allows this much. */
export function markerOverflow(s: Extract<Series, { type: 'scatter' }>): number {
  return Math.ceil(Math.max(s.size ?? 3.5, ...(s.sizes ?? [])) + 1);
}

/** Okabe–Ito colour-blind-safe palette, ordered for light and for dark backgrounds. */
export const OKABE_ITO_LIGHT = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#8C7A00', '#000000'];

/** Print colours (Okabe–Ito on white, Arial): the Word export's figures and the rasters the panel makes for them. */
export const PRINT_COLOURS: ThemeColours = { fg: '#000000', muted: '#444444', grid: '#e6e6e6', bg: '#ffffff', palette: OKABE_ITO_LIGHT, font: 'Arial', lineScale: 1 };

/** The key of a result's chart in a set of rasters (`analysis/chartId`). */
export const chartKey = (analysis: string, chartId: string) => `${analysis}/${chartId}`;
export const OKABE_ITO_DARK = ['#56B4E9', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#F0E442', '#0072B2', '#FFFFFF'];

export interface ThemeColours { fg: string; muted: string; grid: string; bg: string; palette: string[]; font: string; lineScale: number }

export function resolveColour(c: Colour, t: ThemeColours): string {
  if (c === 'fg') return t.fg;
  if (c === 'muted') return t.muted;
  if (c === 'grid') return t.grid;
  return t.palette[c % t.palette.length];
}

/** The share of the data range added beyond the extreme values of a data-driven linear axis. */
export const AXIS_PAD = 0.03;

/** The 1-2-2.5-5 × 10^k step for about `count` intervals over [lo, hi]. */
export function niceStep(lo: number, hi: number, count: number): number {
  const raw = Math.abs(hi - lo) / Math.max(1, count) || 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * mag;
}

/** Axis extent from the spec or the data (log axes keep positive values only). */
export function axisExtent(spec: ChartSpec, axis: 'x' | 'y'): [number, number] {
  const a = spec[axis];
  const vals: number[] = [];
  const push = (v: number) => { if (Number.isFinite(v) && (a.type !== 'log' || v > 0)) vals.push(v); };
  for (const s of spec.series) {
    switch (s.type) {
      case 'line': case 'scatter': s.points.forEach((p) => push(p[axis])); break;
      case 'band': s.points.forEach((p) => (axis === 'x' ? push(p.x) : (push(p.lo), push(p.hi)))); break;
      case 'segments': s.segments.forEach((g) => (axis === 'x' ? (push(g[0]), push(g[2])) : (push(g[1]), push(g[3])))); break;
      case 'rects': s.rects.forEach((g) => (axis === 'x' ? (push(g[0]), push(g[2])) : (push(g[1]), push(g[3])))); break;
      case 'text': break;
    }
  }
  a.ticks?.forEach((t) => push(t.value));
  let lo = a.min ?? (vals.length ? minOf(vals) : 0);
  let hi = a.max ?? (vals.length ? maxOf(vals) : 1);
  if (lo === hi) { lo = a.type === 'log' ? lo / 2 : lo - 1; hi = a.type === 'log' ? hi * 2 : hi + 1; }
  if (a.type !== 'log' && !a.ticks && (a.min === undefined || a.max === undefined)) {
    // a data-driven bound is padded by AXIS_PAD of the range (a marker on the extreme value stays whole), then
    // widened to the next round tick, so the axis ends on a labelled value
    const pad = AXIS_PAD * (hi - lo);
    if (a.min === undefined) lo -= pad;
    if (a.max === undefined) hi += pad;
    const step = niceStep(lo, hi, 6);
    if (a.min === undefined) lo = Math.floor(lo / step + 1e-9) * step;
    if (a.max === undefined) hi = Math.ceil(hi / step - 1e-9) * step;
  }
  return [lo, hi];
}
