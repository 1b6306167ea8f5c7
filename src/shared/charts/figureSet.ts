/**
 * Which figure files a report exports (PURE): the `--figures[=…]` option of the CLI, also shown by the results
 * panel so a figure built there can be rebuilt from the command line. Items, comma-separated, in any order:
 *   85 | 114 | 174 (or any width 40–250)   widths in mm, one file per chart per width (default 85 and 174)
 *   7pt                                    font size (5–12 pt; default 7)
 *   arial | helvetica                      font family (default Arial)
 *   gray                                   grayscale: series told apart by dash and marker shape
 *   panels:REF+REF+…                       one multi-panel figure (A, B, C…) of these charts at each width;
 *                                          REF = analysis name, or analysis/chart-id (default: its first chart)
 *   models:A+B+…                           a multi-model forest plot of these Cox (or logistic) models' ratios
 */
import { DEFAULT_FIGURE, FIGURE_FONTS, checkFigureOptions, type FigureFont, type FigureOptions } from './journal';

export interface ChartRef { analysis: string; chart?: string }

export interface FigureSet {
  widths: number[];
  font: FigureFont;
  fontPt: number;
  grayscale: boolean;
  /** Multi-panel figures, each a list of chart references. */
  panels: ChartRef[][];
  /** Multi-model forest plots, each a list of model (analysis) names. */
  models?: string[][];
}

export const DEFAULT_WIDTHS = [85, 174];

/** A chart reference as written in `panels:` (analysis or analysis/chart). */
export function chartRef(ref: ChartRef): string {
  return ref.chart ? `${ref.analysis}/${ref.chart}` : ref.analysis;
}

/** The option text of a figure set (what the panel shows as the equivalent `--figures=` flag). */
export function figureSetOption(s: FigureSet): string {
  const items = [...s.widths.map(String)];
  if (s.fontPt !== DEFAULT_FIGURE.fontPt) items.push(`${s.fontPt}pt`);
  if (s.font !== DEFAULT_FIGURE.font) items.push(s.font.toLowerCase());
  if (s.grayscale) items.push('gray');
  for (const p of s.panels) items.push(`panels:${p.map(chartRef).join('+')}`);
  for (const m of s.models ?? []) items.push(`models:${m.join('+')}`);
  return items.join(',');
}

/** Parses the option text (undefined or empty: the defaults); a bad item → a message naming it. */
export function parseFigureSet(text: string | undefined): FigureSet | { error: string } {
  const s: FigureSet = { widths: [], font: DEFAULT_FIGURE.font, fontPt: DEFAULT_FIGURE.fontPt, grayscale: false, panels: [] };
  for (const raw of (text ?? '').split(',')) {
    const item = raw.trim();
    if (!item) continue;
    const lower = item.toLowerCase();
    const font = FIGURE_FONTS.find((f) => f.toLowerCase() === lower);
    if (/^\d+(\.\d+)?$/.test(item)) s.widths.push(Number(item));
    else if (/^\d+(\.\d+)?pt$/i.test(item)) s.fontPt = Number(item.slice(0, -2));
    else if (font) s.font = font;
    else if (lower === 'gray' || lower === 'grey' || lower === 'grayscale') s.grayscale = true;
    else if (lower.startsWith('panels:')) {
      const refs = item.slice(7).split('+').map((r) => r.trim()).filter(Boolean).map((r) => {
        const k = r.indexOf('/');
        return k < 0 ? { analysis: r } : { analysis: r.slice(0, k), chart: r.slice(k + 1) };
      });
      if (!refs.length || refs.some((r) => !r.analysis || r.chart === '')) return { error: `"${item}" needs charts, e.g. panels:km_1+cox_1/forest` };
      s.panels.push(refs);
    } else if (lower.startsWith('models:')) {
      const names = item.slice(7).split('+').map((r) => r.trim()).filter(Boolean);
      if (names.length < 2) return { error: `"${item}" needs two or more models, e.g. models:cox_1+cox_2` };
      s.models = [...(s.models ?? []), names];
    } else return { error: `unknown item "${item}" (widths in mm such as 85,114,174; 7pt; arial or helvetica; gray; panels:A+B/chart; models:A+B)` };
  }
  if (!s.widths.length) s.widths = [...DEFAULT_WIDTHS];
  s.widths = [...new Set(s.widths)];
  for (const w of s.widths) {
    const bad = checkFigureOptions(figureOptions(s, w));
    if (bad) return { error: `${bad}` };
  }
  return s;
}

/** The options of one figure of the set at one width. */
export function figureOptions(s: FigureSet, widthMm: number): FigureOptions {
  return { widthMm, font: s.font, fontPt: s.fontPt, grayscale: s.grayscale };
}
