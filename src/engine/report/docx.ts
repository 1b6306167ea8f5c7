/**
 * report.docx (issue 15): the report as a Word manuscript supplement, built with the `docx` library (dolanmiu/docx)
 * and packed to bytes with Packer.pack(…, 'uint8array'), which works in Node and in a browser. Pure: no `vscode`,
 * no DOM, no node modules.
 *
 * - Title (the study), the software version, a "Methods" section (report.methods.paragraph), then "Tables": every
 *   DataTable of every successful result (resultTables, as the panel, CSV and Excel show them), numbered
 *   "Table N. …", and "Figures": every result's charts (chartsFor → SVG), numbered "Figure N. …".
 * - Tables in the layout of a clinical journal: three rules (above the header, under the header, under the last row),
 *   no vertical rules, numbers right-aligned; a table too wide for 9 pt on a portrait page gets a landscape page.
 *   Under each table its footnotes: the table's note (tests, model statistics) and the abbreviations it uses. The
 *   p-value rule (format.ts P_RULE; the cells hold fmtP's text, as every other output) is stated once under Methods.
 * - Figures are SVG (vector; Word 2016+ and Microsoft 365 draw it). Office requires a raster fallback next to an
 *   SVG and no rasteriser is available without a DOM, so the fallback is a blank framed PNG of the figure's
 *   proportions (pngFrame): a program that reads only the fallback (older Word; LibreOffice 7.4, as tested) shows an
 *   empty frame above the caption.
 * - All text passes through xmlText (characters XML 1.0 forbids removed); docx escapes & < > " itself.
 */
import {
  AlignmentType, BorderStyle, Document, HeadingLevel, ImageRun, Packer, PageOrientation, Paragraph, Table, TableCell,
  TableRow, TextRun, WidthType, type IBorderOptions, type ISectionOptions,
} from 'docx';
import { zlibSync } from 'fflate';
import { resultTables } from '../../shared/report/kinds';
import { finite, P_RULE, type DataTable } from '../../shared/report/format';
import { isErrorResult, type Report } from '../../shared/report/types';
import { stripXmlInvalid, isPColumn } from './xlsx';
import { chartsFor } from '../../shared/charts/specs';
import { chartToSvg } from '../../shared/charts/svg';
import { chartKey, PRINT_COLOURS, type ChartSpec } from '../../shared/charts/chartSpec';
import { pngChunk } from '../../shared/charts/raster';
import { concatBytes } from '../../shared/bytes';

/** Text safe in the document's XML (control characters and lone surrogates removed). */
export const xmlText = (s: string): string => stripXmlInvalid(s);

const FONT = 'Arial';
/** Half-points: body 10 pt, tables and footnotes 9 pt / 8 pt. */
const SIZE = { body: 20, table: 18, foot: 16 } as const;
/** Eighths of a point: the top and bottom rules 1 pt, the rule under the header 0.5 pt. */
const RULE = { outer: 8, header: 4 } as const;
/** A table cell's left and right margin, and the width of a character at 9 pt (Arial digits: 0.556 em), in twips. */
const CELL_MARGIN = 60;
const CHAR_TWIPS = 100;
/** Figure width on the page in px at 96 dpi (about 16 cm: the text width of an A4 page with 2.5 cm margins). */
const FIGURE_WIDTH = 600;
/** A4 in twips, 2.5 cm margins; the text width of a portrait and of a landscape page. */
const PAGE = { width: 11906, height: 16838, margin: 1418 } as const;
const TEXT_WIDTH = { portrait: PAGE.width - 2 * PAGE.margin, landscape: PAGE.height - 2 * PAGE.margin } as const;

const rule = (size: number): IBorderOptions => ({ style: BorderStyle.SINGLE, size, color: '000000' });
const NONE: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: 'auto' };

/** Abbreviations a table header or title may use, with their expansion (journal footnote order: as listed). */
const ABBREVIATIONS: [RegExp, string][] = [
  [/\bHR\b/, 'HR, hazard ratio'], [/\bOR\b/, 'OR, odds ratio'], [/\bCI\b/, 'CI, confidence interval'],
  [/\bPI\b/, 'PI, prediction interval'], [/\bSE\b/, 'SE, standard error'], [/\bSD\b/, 'SD, standard deviation'],
  [/\bIQR\b/, 'IQR, interquartile range'], [/\bAUC\b/, 'AUC, area under the ROC curve'],
  [/\bROC\b/, 'ROC, receiver operating characteristic'], [/^B$/, 'B, regression coefficient'],
  [/\bdf\b/, 'df, degrees of freedom'], [/χ²/, 'χ², chi-squared statistic'], [/\bNR\b/, 'NR, not reached'],
  [/\bNRQ\b/, 'NRQ, normalised relative quantity'], [/\bd?d?Cq\b/, 'Cq, quantification cycle'],
  [/\bLR\b/, 'LR, likelihood ratio'], [/\bNRI\b/, 'NRI, net reclassification improvement'],
  [/\bIDI\b/, 'IDI, integrated discrimination improvement'], [/\bAIC\b/, 'AIC, Akaike information criterion'],
  [/\bHSD\b/, 'HSD, honestly significant difference'],
];

/** The abbreviations footnote of a table: those its title, header or note use, or '' when none. */
export function abbreviations(t: DataTable): string {
  const texts = [t.title, ...t.columns, t.note ?? ''];
  const used = ABBREVIATIONS.filter(([re]) => texts.some((s) => re.test(s))).map(([, text]) => text);
  return used.length ? `${used.join('; ')}.` : '';
}

const run = (text: string, o: { bold?: boolean; italics?: boolean; size?: number } = {}) => new TextRun({ text: xmlText(text), font: FONT, size: o.size ?? SIZE.body, bold: o.bold, italics: o.italics });

const para = (text: string, size: number = SIZE.body, spacingAfter = 120) => new Paragraph({ children: [run(text, { size })], spacing: { after: spacingAfter } });

/** A cell whose text is a number (right-aligned): a raw value, or a formatted number/interval. */
const numeric = (text: string, raw: number | null | undefined) => finite(raw) || /^[<>]?\s*[-−]?\d/.test(text.trim());

function tableCell(text: string, o: { header?: boolean; right?: boolean }): TableCell {
  return new TableCell({
    children: [new Paragraph({ alignment: o.right ? AlignmentType.RIGHT : AlignmentType.LEFT, children: [run(text, { size: SIZE.table })] })],
    borders: o.header ? { top: rule(RULE.outer), bottom: rule(RULE.header), left: NONE, right: NONE } : undefined,
    margins: { left: CELL_MARGIN, right: CELL_MARGIN, top: 20, bottom: 20 },
  });
}

/** Characters each column needs: its longest cell or header word (a header may wrap between words), at most 40. */
const columnChars = (t: DataTable): number[] => t.columns.map((h, j) => Math.min(40, Math.max(
  1, ...h.split(/\s+/).map((w) => w.length), ...t.rows.map((r) => (r[j]?.text ?? '').length),
)));

/** Twips a column needs: its characters at 9 pt (about 100 twips a digit) plus the cell's side margins. */
const neededWidths = (t: DataTable): number[] => columnChars(t).map((c) => 2 * CELL_MARGIN + CHAR_TWIPS * c);

/** A table whose columns do not fit the text width of a portrait page at 9 pt. */
export const needsLandscape = (t: DataTable): boolean => neededWidths(t).reduce((a, b) => a + b, 0) > TEXT_WIDTH.portrait;

/**
 * Column widths in twips summing to at most `total`: each column gets what its longest cell needs and the room left
 * is shared in proportion; when the columns need more than `total`, all shrink in proportion (cells then wrap).
 */
export function columnWidths(t: DataTable, total: number): number[] {
  const need = neededWidths(t);
  const sum = need.reduce((a, b) => a + b, 0);
  return need.map((w) => Math.floor((w * total) / sum));
}

/** One DataTable as a three-line table: header rule above and below, a rule under the last row, nothing else. */
export function threeLineTable(t: DataTable, total: number): Table {
  const right = t.columns.map((_h, j) => j > 0 && t.rows.some((r) => r[j] && numeric(r[j].text, r[j].raw)));
  const header = new TableRow({ tableHeader: true, cantSplit: true, children: t.columns.map((h, j) => tableCell(h, { header: true, right: right[j] })) });
  const body = t.rows.map((r) => new TableRow({ cantSplit: true, children: t.columns.map((_h, j) => tableCell(r[j]?.text ?? '', { right: right[j] })) }));
  return new Table({
    rows: [header, ...body],
    width: { size: total, type: WidthType.DXA },
    columnWidths: columnWidths(t, total),
    borders: { top: rule(RULE.outer), bottom: rule(RULE.outer), left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE },
  });
}

/**
 * The footnotes under a table: its note (tests, model statistics), its abbreviations, and for a table with p-values
 * a pointer to the p-value rule stated once under Methods.
 */
export function tableFootnotes(t: DataTable): string[] {
  return [t.note ?? '', abbreviations(t), t.columns.some(isPColumn) ? P_FOOTNOTE : ''].filter(Boolean);
}

const P_FOOTNOTE = 'p-values formatted as stated under Methods (Statistical reporting).';

/** A white PNG of w × h px with a grey 1-px frame: the raster fallback Office requires next to an SVG. */
export function pngFrame(w: number, h: number): Uint8Array {
  const width = Math.max(2, Math.round(w)), height = Math.max(2, Math.round(h));
  const raw = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) {
    const row = y * (width + 1);
    for (let x = 0; x < width; x++) raw[row + 1 + x] = y === 0 || y === height - 1 || x === 0 || x === width - 1 ? 0xbf : 0xff;
  }
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width); dv.setUint32(4, height);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, deflate, no interlace
  return concatBytes([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', zlibSync(raw)), pngChunk('IEND', new Uint8Array(0))]);
}

/**
 * PNG renderings of the figures (`chartKey(analysis, chart id)` → PNG bytes of `chartToSvg(spec, PRINT_COLOURS)`),
 * made where a rasteriser exists (the results panel's webview); used as the SVG's fallback.
 */
export type FigureRasters = Readonly<Record<string, Uint8Array>>;

/** A chart as an SVG image scaled to the text width, with its PNG fallback (the raster when given, else a frame). */
function figure(spec: ChartSpec, raster: Uint8Array | undefined): Paragraph {
  const scale = Math.min(1, FIGURE_WIDTH / spec.width);
  const w = Math.round(spec.width * scale), h = Math.round(spec.height * scale);
  const svg = new TextEncoder().encode(xmlText(chartToSvg(spec, PRINT_COLOURS)));
  return new Paragraph({
    alignment: AlignmentType.CENTER, keepNext: true,
    children: [new ImageRun({
      type: 'svg', data: svg, transformation: { width: w, height: h },
      fallback: { type: 'png', data: raster ?? pngFrame(spec.width / 4, spec.height / 4) },
      altText: { name: xmlText(spec.id), title: xmlText(spec.title), description: xmlText(spec.subtitle ?? spec.title) },
    })],
  });
}

const caption = (label: string, text: string, keepNext: boolean) => new Paragraph({
  keepNext, spacing: { before: 240, after: 80 },
  children: [run(`${label} `, { bold: true }), run(text)],
});

/** A block of the document and whether it needs a landscape page. */
interface Block { landscape: boolean; children: (Paragraph | Table)[] }

/** The tables and figures of the report's results, numbered in order. */
function resultBlocks(report: Report, rasters: FigureRasters): { tables: Block[]; figures: Block[] } {
  const tables: Block[] = [];
  const figures: Block[] = [];
  for (const r of report.results) {
    if (isErrorResult(r)) continue;
    for (const t of resultTables(r)) {
      const title = `${t.title} (${r.name})`;
      const landscape = needsLandscape(t);
      tables.push({
        landscape,
        children: [caption(`Table ${tables.length + 1}.`, title, true), threeLineTable(t, landscape ? TEXT_WIDTH.landscape : TEXT_WIDTH.portrait), ...tableFootnotes(t).map((f) => para(f, SIZE.foot, 40))],
      });
    }
    for (const spec of chartsFor(r)) {
      const text = `${spec.title}${spec.subtitle ? `: ${spec.subtitle}` : ''} (${r.name})`;
      figures.push({ landscape: false, children: [figure(spec, rasters[chartKey(r.name, spec.id)]), caption(`Figure ${figures.length + 1}.`, text, false)] });
    }
  }
  return { tables, figures };
}

/** Consecutive blocks of the same orientation as one section each (A4, 2.5 cm margins). */
function sections(blocks: Block[]): ISectionOptions[] {
  const out: { landscape: boolean; children: (Paragraph | Table)[] }[] = [];
  for (const b of blocks) {
    const last = out[out.length - 1];
    if (last && last.landscape === b.landscape) last.children.push(...b.children);
    else out.push({ landscape: b.landscape, children: [...b.children] });
  }
  return out.map((s) => ({
    properties: {
      page: {
        size: { width: PAGE.width, height: PAGE.height, orientation: s.landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT },
        margin: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin },
      },
    },
    children: s.children,
  }));
}

const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]) => new Paragraph({
  heading: level, spacing: { before: 240, after: 120 },
  children: [new TextRun({ text: xmlText(text), font: FONT, bold: true, size: level === HeadingLevel.TITLE ? 32 : 26 })],
});

const figureNote = (rasters: boolean) => rasters
  ? 'The figures are vector (SVG) images with a PNG copy for word processors that do not draw SVG (older Word, LibreOffice).'
  : 'The figures are vector (SVG) images, shown by Word 2016 or later and Microsoft 365; a word processor that '
    + 'reads only the PNG fallback (older Word; LibreOffice 7.4 as tested) shows an empty frame in their place: export '
    + 'from the results panel (which adds PNG copies) or use the figure exports (SVG, PDF) instead.';

/** The Word document of a report. */
export function reportDocument(report: Report, rasters: FigureRasters = {}): Document {
  const { tables, figures } = resultBlocks(report, rasters);
  const front: Block = {
    landscape: false,
    children: [
      heading(report.study, HeadingLevel.TITLE),
      para(`${report.engine}${/^\d{4}-\d\d-\d\d/.test(report.generated ?? '') ? `, ${report.generated?.slice(0, 10)}` : ''}. Tables and figures of the study's report.json.`),
      heading('Methods', HeadingLevel.HEADING_1),
      para(report.methods?.paragraph ?? 'The report has no Methods paragraph.'),
      para(`Statistical reporting: ${P_RULE}.`),
      heading('Tables', HeadingLevel.HEADING_1),
      ...(tables.length ? [] : [para('The report has no tables.')]),
    ],
  };
  const figureHeading: Block = { landscape: false, children: [heading('Figures', HeadingLevel.HEADING_1), para(figures.length ? figureNote(Object.keys(rasters).length > 0) : 'The report has no figures.')] };
  return new Document({
    title: xmlText(report.study), creator: xmlText(report.engine), description: 'qPCR Studio report',
    styles: { default: { document: { run: { font: FONT, size: SIZE.body } } } },
    sections: sections([front, ...tables, figureHeading, ...figures]),
  });
}

/** The .docx bytes of a report. */
export function reportDocx(report: Report, rasters: FigureRasters = {}): Promise<Uint8Array> {
  return Packer.pack(reportDocument(report, rasters), 'uint8array');
}
