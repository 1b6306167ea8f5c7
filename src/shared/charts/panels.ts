/**
 * Multi-panel figures (PURE): several charts in a grid at one journal width, each panel labelled A, B, C… in bold
 * at its top-left corner, as one SVG (and, through pdf.ts, one PDF). One column up to 100 mm, two columns wider;
 * with an odd number of panels in two columns the last one spans the full width.
 */
import type { ChartSpec } from './chartSpec';
import { chartToSvg } from './svg';
import { figureSizeMm, figureSpec, figureTheme, PT_PER_MM, type FigureOptions } from './journal';
import { maxOf } from '../extent';

/** Gap between panels, mm. */
const GAP_MM = 4;

export function panelColumns(o: FigureOptions, panels: number): number {
  return Math.max(1, Math.min(panels, o.widthMm > 100 ? 2 : 1));
}

/** Panel label of the i-th panel: A…Z, then AA, AB… */
export function panelLabel(i: number): string {
  return (i >= 26 ? panelLabel(Math.floor(i / 26) - 1) : '') + String.fromCharCode(65 + (i % 26));
}

/** The charts as one SVG figure, in pt units, at the options' width (mm). */
export function panelFigureSvg(charts: ChartSpec[], o: FigureOptions, columns = panelColumns(o, charts.length)): string {
  if (!charts.length) throw new Error('a multi-panel figure needs at least one chart');
  const cols = Math.max(1, Math.min(columns, charts.length));
  const cellMm = (o.widthMm - GAP_MM * (cols - 1)) / cols;
  // an odd last panel of a two-column grid spans the full width (a nomogram or a wide table below two charts)
  const spans = (i: number) => cols > 1 && i === charts.length - 1 && charts.length % cols !== 0;
  const cellOf = (i: number) => ({ ...o, widthMm: spans(i) ? o.widthMm : cellMm });
  const specs = charts.map((c, i) => figureSpec(c, cellOf(i)));
  const sizes = specs.map((s, i) => figureSizeMm(s, cellOf(i)));
  const rows: number[] = [];
  for (let i = 0; i < specs.length; i += cols) rows.push(maxOf(sizes.slice(i, i + cols).map((s) => s.height)));
  const pt = (mm: number) => Math.round(mm * PT_PER_MM * 100) / 100;
  const Wmm = o.widthMm, Hmm = rows.reduce((s, h) => s + h, 0) + GAP_MM * (rows.length - 1);
  const theme = figureTheme(o);
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${Math.round(Wmm * 100) / 100}mm" height="${Math.round(Hmm * 100) / 100}mm" viewBox="0 0 ${pt(Wmm)} ${pt(Hmm)}" font-size="${o.fontPt}">`];
  out.push(`<rect width="${pt(Wmm)}" height="${pt(Hmm)}" fill="${theme.bg}"/>`);
  let y = 0;
  specs.forEach((s, i) => {
    const col = i % cols, row = Math.floor(i / cols);
    if (col === 0 && row > 0) y += rows[row - 1] + GAP_MM;
    const x = col * (cellMm + GAP_MM);
    const size = sizes[i];
    out.push(chartToSvg(s, theme, { at: { x: pt(x), y: pt(y) }, size: { width: String(pt(size.width)), height: String(pt(size.height)) }, idPrefix: `p${i}-` }).trimEnd());
    out.push(`<text x="${pt(x) + 1}" y="${pt(y) + o.fontPt * 1.4}" font-family="${theme.font}" font-size="${Math.round(o.fontPt * 1.45 * 10) / 10}" font-weight="bold" fill="${theme.fg}">${panelLabel(i)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
