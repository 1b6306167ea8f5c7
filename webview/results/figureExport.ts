/**
 * Journal figures from the results panel (issue 15): one settings bar for all figures (width, font, size,
 * grayscale, format: SVG, PDF, PNG or TIFF at 300/600 dpi), a "Figure" button and a "Panel" toggle on every chart,
 * "Multi-panel figure" to export the toggled charts as one figure with A, B, C labels, and "Model forest" to export the
 * models of the toggled forest plots as one multi-model forest plot. The SVG and PDF come from
 * src/shared/charts (as the CLI's --figures writes them); PNG and TIFF rasterise that SVG at widthMm / 25.4 × dpi
 * pixels (an <img> drawn on a canvas), with the dpi in the PNG's pHYs chunk and the TIFF's resolution tags.
 */
import { chartKey, PRINT_COLOURS, type ChartSpec } from '../../src/shared/charts/chartSpec';
import { chartsFor } from '../../src/shared/charts/specs';
import { chartToSvg } from '../../src/shared/charts/svg';
import { FIGURE_FONTS, FIGURE_WIDTHS_MM, figureSvg, type FigureFont, type FigureOptions } from '../../src/shared/charts/journal';
import { panelFigureSvg } from '../../src/shared/charts/panels';
import { svgToPdf } from '../../src/shared/charts/pdf';
import { encodeTiff, pixelsFor, pngWithDpi } from '../../src/shared/charts/raster';
import { figureSetOption, type ChartRef } from '../../src/shared/charts/figureSet';
import { multiModelForest } from '../../src/shared/charts/multiForest';
import type { AnalysisResult } from '../../src/shared/report/types';
import type { ResultsExportFormat } from '../../src/shared/resultsProtocol';
import { h } from '../common/dom';

export const FIGURE_FORMATS = ['svg', 'pdf', 'png300', 'png600', 'tiff300', 'tiff600'] as const;
export type FigureFormat = (typeof FIGURE_FORMATS)[number];
const FORMAT_LABEL: Record<FigureFormat, string> = { svg: 'SVG (vector)', pdf: 'PDF (vector)', png300: 'PNG 300 dpi', png600: 'PNG 600 dpi', tiff300: 'TIFF 300 dpi', tiff600: 'TIFF 600 dpi' };

export interface FigureSettings extends FigureOptions { format: FigureFormat }

export const DEFAULT_SETTINGS: FigureSettings = { widthMm: 85, font: 'Arial', fontPt: 7, grayscale: false, format: 'pdf' };

/** Settings from persisted state, each field checked (a stale or edited state falls back to the default). */
export function sanitizeSettings(x: unknown): FigureSettings {
  const o = (x && typeof x === 'object' ? x : {}) as Partial<FigureSettings>;
  return {
    widthMm: (FIGURE_WIDTHS_MM as readonly number[]).includes(o.widthMm as number) ? o.widthMm as number : DEFAULT_SETTINGS.widthMm,
    font: FIGURE_FONTS.includes(o.font as FigureFont) ? o.font as FigureFont : DEFAULT_SETTINGS.font,
    fontPt: [6, 7, 8, 9].includes(o.fontPt as number) ? o.fontPt as number : DEFAULT_SETTINGS.fontPt,
    grayscale: o.grayscale === true,
    format: FIGURE_FORMATS.includes(o.format as FigureFormat) ? o.format as FigureFormat : DEFAULT_SETTINGS.format,
  };
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(data: string): Uint8Array {
  const bin = atob(data.slice(data.indexOf(',') + 1));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The SVG drawn on a white canvas of the figure's pixel size at this dpi. */
export async function rasterise(svg: string, widthMm: number, dpi: number): Promise<HTMLCanvasElement> {
  const img = new Image();
  img.src = `data:image/svg+xml;base64,${base64(new TextEncoder().encode(svg))}`;
  await img.decode();
  const w = pixelsFor(widthMm, dpi);
  const hgt = Math.max(1, Math.round((w * img.naturalHeight) / Math.max(1, img.naturalWidth)));
  const canvas = h('canvas', { width: w, height: hgt }) as HTMLCanvasElement;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas to rasterise the figure');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, w, hgt);
  ctx.drawImage(img, 0, 0, w, hgt);
  return canvas;
}

/** The file of a figure SVG in the chosen format: the export format and its data (text, or a base64 data URL). */
export async function figureFile(svg: string, title: string, s: FigureSettings): Promise<{ format: ResultsExportFormat; ext: string; data: string }> {
  if (s.format === 'svg') return { format: 'svg', ext: 'svg', data: svg };
  if (s.format === 'pdf') return { format: 'pdf', ext: 'pdf', data: `data:application/pdf;base64,${base64(svgToPdf(svg, title))}` };
  const dpi = s.format.endsWith('600') ? 600 : 300;
  const canvas = await rasterise(svg, s.widthMm, dpi);
  if (s.format.startsWith('png')) return { format: 'png', ext: 'png', data: `data:image/png;base64,${base64(pngWithDpi(fromBase64(canvas.toDataURL('image/png')), dpi))}` };
  const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
  return { format: 'tiff', ext: 'tif', data: `data:image/tiff;base64,${base64(encodeTiff(canvas.width, canvas.height, pixels, { dpi, packBits: true }))}` };
}

/** File-name suffix of the settings: "-85mm", "-85mm-600dpi", "-85mm-gray". */
export function figureSuffix(s: FigureSettings): string {
  return `-${s.widthMm}mm${/\d+$/.exec(s.format)?.[0] ? `-${/\d+$/.exec(s.format)![0]}dpi` : ''}${s.grayscale ? '-gray' : ''}`;
}

export interface FigureHost {
  settings(): FigureSettings;
  setSettings(s: FigureSettings): void;
  panels(): ChartRef[];
  setPanels(p: ChartRef[]): void;
  save(format: ResultsExportFormat, name: string, data: string): void;
  status(message: string, ok?: boolean): void;
  button(label: string, title: string, onClick: () => void): HTMLElement;
  resolve(ref: ChartRef): ChartSpec | undefined;
  result(name: string): AnalysisResult | undefined;
}

function select<T extends string | number>(label: string, values: readonly T[], text: (v: T) => string, cur: T, onChange: (v: T) => void): HTMLElement {
  const el = h('vscode-single-select', { 'aria-label': label, title: label === 'Figure width' ? 'Figure width: 85 mm single column, 114 mm 1.5 columns, 174 mm double column' : label });
  for (const v of values) el.appendChild(h('vscode-option', { value: String(v), selected: v === cur }, text(v)));
  el.addEventListener('change', () => {
    const picked = values.find((v) => String(v) === (el as unknown as { value: string }).value);
    if (picked !== undefined) onChange(picked);
  });
  return el;
}

/** The settings bar: width, font, size, grayscale, format, and the multi-panel export of the toggled charts. */
export function figureBar(fh: FigureHost, study: string): HTMLElement {
  const s = fh.settings();
  const set = (patch: Partial<FigureSettings>) => fh.setSettings({ ...fh.settings(), ...patch });
  const gray = h('vscode-checkbox', { label: 'Grayscale', checked: s.grayscale, title: 'Black and grey only; series told apart by dash and marker shape' });
  gray.addEventListener('change', () => set({ grayscale: (gray as unknown as { checked: boolean }).checked }));
  const multi = fh.button(`Multi-panel figure (${fh.panels().length})`, 'Export the charts marked "Panel" as one figure with A, B, C labels', () => void exportPanels(fh, study));
  multi.classList.add('multi-panel');
  const models = fh.button('Model forest', 'Export the models whose forest plots are marked "Panel" as one multi-model forest plot', () => void exportModels(fh, study));
  return h('div', { class: 'figure-bar controls', role: 'group', 'aria-label': 'Journal figures' },
    h('span', { class: 'figure-bar-title' }, 'Figures:'),
    select('Figure width', FIGURE_WIDTHS_MM, (w) => `${w} mm`, s.widthMm as (typeof FIGURE_WIDTHS_MM)[number], (v) => set({ widthMm: v })),
    select('Font', FIGURE_FONTS, (f) => f, s.font, (v) => set({ font: v })),
    select('Font size', [6, 7, 8, 9] as const, (p) => `${p} pt`, s.fontPt as 6 | 7 | 8 | 9, (v) => set({ fontPt: v })),
    select('Format', FIGURE_FORMATS, (f) => FORMAT_LABEL[f], s.format, (v) => set({ format: v })),
    gray, multi, models);
}

async function exportModels(fh: FigureHost, study: string): Promise<void> {
  const names = [...new Set(fh.panels().filter((r) => r.chart === 'forest').map((r) => r.analysis))];
  const results = names.map((n) => fh.result(n)).filter((r): r is AnalysisResult => !!r);
  const spec = multiModelForest(results);
  if ('error' in spec) { fh.status(`Mark the forest plots of two or more models with "Panel" (${spec.error}).`, false); return; }
  const s = fh.settings();
  try {
    const file = await figureFile(figureSvg(spec, s), `${study}: ${spec.title}`, s);
    fh.save(file.format, `models${figureSuffix(s)}.${file.ext}`, file.data);
    fh.status(`CLI: qpcr-studio run STUDY --out DIR --figures=${figureSetOption({ widths: [s.widthMm], font: s.font, fontPt: s.fontPt, grayscale: s.grayscale, panels: [], models: [names] })}`);
  } catch (e) {
    fh.status(`Could not export the figure: ${(e as Error).message}`, false);
  }
}

async function exportPanels(fh: FigureHost, study: string): Promise<void> {
  const refs = fh.panels();
  const specs = refs.map((r) => fh.resolve(r)).filter((x): x is ChartSpec => !!x);
  if (!specs.length) { fh.status('Mark charts with "Panel" first (A, B, C… in that order).', false); return; }
  const s = fh.settings();
  try {
    const file = await figureFile(panelFigureSvg(specs, s), `${study}: figure`, s);
    fh.save(file.format, `figure${figureSuffix(s)}.${file.ext}`, file.data);
    const cli = figureSetOption({ widths: [s.widthMm], font: s.font, fontPt: s.fontPt, grayscale: s.grayscale, panels: [refs] });
    fh.status(`CLI: qpcr-studio run STUDY --out DIR --figures=${cli}`);
  } catch (e) {
    fh.status(`Could not export the figure: ${(e as Error).message}`, false);
  }
}

/** A chart's tools: "Figure" (this chart in the bar's settings) and the "Panel" toggle. */
export function figureTools(fh: FigureHost, spec: ChartSpec, ref: ChartRef, fileBase: string, onPanels: () => void): HTMLElement[] {
  const fig = fh.button('Figure', 'Save this chart as a journal figure (width, font, format: the Figures bar)', async () => {
    const s = fh.settings();
    try {
      const file = await figureFile(figureSvg(spec, s), spec.title, s);
      fh.save(file.format, `${fileBase}${figureSuffix(s)}.${file.ext}`, file.data);
    } catch (e) {
      fh.status(`Could not export the figure: ${(e as Error).message}`, false);
    }
  });
  const key = (r: ChartRef) => `${r.analysis}/${r.chart}`;
  const inPanels = () => fh.panels().some((r) => key(r) === key(ref));
  const panel = h('vscode-checkbox', { label: 'Panel', checked: inPanels(), title: 'Add this chart to the multi-panel figure' });
  panel.addEventListener('change', () => {
    const on = (panel as unknown as { checked: boolean }).checked;
    fh.setPanels(on ? [...fh.panels().filter((r) => key(r) !== key(ref)), ref] : fh.panels().filter((r) => key(r) !== key(ref)));
    onPanels();
  });
  return [fig, panel];
}

/**
 * PNG renderings (data URLs, 150 dpi at 160 mm: the Word page's text width) of every chart of the report, keyed by
 * `chartKey`, drawn from the same SVG the Word export embeds (PRINT_COLOURS): its fallback for word processors
 * without SVG. A chart that cannot be drawn is left out (the document then shows its blank frame).
 */
export async function documentRasters(results: readonly AnalysisResult[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const r of results) {
    for (const spec of chartsFor(r)) {
      try {
        out[chartKey(r.name, spec.id)] = (await rasterise(chartToSvg(spec, PRINT_COLOURS), 160, 150)).toDataURL('image/png');
      } catch {
        // left out: the document keeps the SVG and its framed placeholder
      }
    }
  }
  return out;
}
