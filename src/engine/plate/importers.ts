/**
 * Delimited-text importers, one per vendor family, plus content-fingerprint format detection.
 * Every importer finds its header by content (never by line number) and delegates rows to `readBlock`.
 */
import type { CqFormat } from './model';
import type { PlateCurves } from '../curves/store';
import { curveSection, quantStudioCurves, type CurveSections } from './quantStudioCurves';
import { fileStem, guessDelimiter, keyValue, Lines, normHeader, splitCells, trimEndOf, type Cells } from './text';
import {
  detectDecimal, diag, findCol, flagColumns, headerNames, isBlankLine, rng, type ColumnMap, type ImportContext,
} from './table';
import { readBlock } from './block';

export interface TextImport {
  meta: Record<string, string>;
  instrument?: string;
  /** Geometry stated by the file (Block Type), if any. */
  block?: { rows: number; cols: number } | null;
  rotor?: boolean;
  /** Amplification/melt curves, when the file has them (QuantStudio sections). */
  curves?: PlateCurves;
  /** False when the importer failed with an error diagnostic. */
  ok: boolean;
}

/** How far into a file fingerprints are looked for (keeps detection O(1) on huge tidy tables). */
const SCAN = 300;

const CQ_NAMES = ['ct', 'cq', 'crt', 'cp', 'c(t)', 'threshold cycle (ct)', 'threshold cycle ( c(t) )', 'crossingpoint',
  'ct (drn)', 'cq (\u0394rn)', 'cq value', 'ct value', 'throughhole.ct'];

function firstNonBlank(lines: Lines): number {
  for (let i = 0; i < Math.min(lines.length, SCAN); i++) if (lines.line(i).trim() !== '') return i;
  return -1;
}

/** A header line: its number, delimiter (guessed), cells and their normalised names (as `header` gives them). */
interface HeaderRow { line: number; delim: string; cells: Cells; norm: string[] }

/**
 * The normalised cells of a file's first lines (each split at its guessed delimiter), made once per line: format
 * detection asks up to six predicates of the same lines.
 */
class HeaderScan {
  private readonly rows: (HeaderRow | null | undefined)[] = [];
  constructor(private readonly lines: Lines) {}

  /** The first non-blank line within SCAN lines from `from` whose normalised cells satisfy `pred`. */
  find(from: number, pred: (norm: string[]) => boolean): HeaderRow | null {
    const stop = Math.min(this.lines.length, from + SCAN);
    for (let i = from; i < stop; i++) {
      const r = this.row(i);
      if (r && pred(r.norm)) return r;
    }
    return null;
  }

  private row(i: number): HeaderRow | null {
    let r = this.rows[i];
    if (r === undefined) {
      const l = this.lines.line(i);
      if (l.trim() === '') r = null;
      else { const delim = guessDelimiter(l), cells = splitCells(l, delim); r = { line: i, delim, cells, norm: headerNames(cells) }; }
      this.rows[i] = r;
    }
    return r;
  }
}

/** Finds a header line by a predicate on its normalised cells within the first SCAN lines (from `from`). */
function findHeader(lines: Lines, from: number, pred: (norm: string[]) => boolean): HeaderRow | null {
  return new HeaderScan(lines).find(from, pred);
}

const has = (norm: string[], ...names: string[]) => names.every((n) => norm.includes(n));
const hasAny = (norm: string[], names: string[]) => names.some((n) => norm.includes(n));

const TIDY_SAMPLE = ['sample', 'sample name', 'samplename', 'sample_name', 'sample id', 'sampleid', 'sampleinfo.sampleid'];
const TIDY_TARGET = ['target', 'target name', 'target_name', 'gene', 'assay', 'assay name', 'detector', 'detector name', 'assay.assay name', 'primer'];
const TIDY_CQ = ['cq', 'ct', 'cp', 'crt', 'cq value', 'ct value', 'throughhole.ct'];
const TIDY_WELL = ['well position', 'position', 'well', 'pos', 'well_position', 'throughhole.address'];
const TIDY_TASK = ['task', 'type', 'role', 'sample type', 'content'];

function isHeadlessSds(lines: Lines): boolean {
  const i = firstNonBlank(lines);
  if (i < 0) return false;
  const v = lines.line(i).split('\t');
  return v.length >= 8 && /^\d+$/.test(v[0].trim()) && /^[A-P]\d{1,2}$/.test(v[2].trim()) && /^(Passed|Flagged)$/i.test(v[3].trim());
}

/** Format by content fingerprint (the file name is only used for RDML's bare-XML case and never decides alone). */
export function detectFormat(text: string, fileName: string): CqFormat | null {
  const head = text.slice(0, 4000).replace(/^\uFEFF/, '');
  if (/^\s*(<\?xml[^>]*>\s*)?<(\w+:)?rdml[\s>]/.test(head) || head.startsWith('PK\u0003\u0004')) return 'rdml';
  if (/\.rdml?$/i.test(fileName) && /<(\w+:)?rdml[\s>]/.test(head)) return 'rdml';
  const lines = Lines.of(head);
  const anyLine = (pred: (l: string) => boolean): boolean => {
    for (let i = 0; i < lines.length; i++) if (pred(lines.line(i))) return true;
    return false;
  };
  const f = firstNonBlank(lines);
  if (f < 0) return null;
  const first = lines.line(f);
  const scan = new HeaderScan(lines);
  if (/^\*\s.*=/.test(first) || anyLine((l) => l.trim().toLowerCase() === '[results]')) return 'quantstudio';
  if (/^SDS\s*\d/.test(first)) return 'quantstudio';
  if (/^#[^:]+:/.test(first) && scan.find(f, (n) => has(n, 'well position') && hasAny(n, ['cq', 'ct', 'amp status']))) return 'quantstudio-da';
  if (/^"?Excel Analysed Data Export/i.test(first)) return 'rotorgene';
  if (/^(Chip Run|Application Version|Export Type)/i.test(first)) return 'biomark';
  if (scan.find(f, (n) => n[0] === 'id') && anyLine((l) => /^Chamber[,;\t]/.test(l))) return 'biomark';
  if (/^"?Experiment:/.test(first)) return 'lightcycler';
  if (scan.find(f, (n) => has(n, 'no.', 'name') && hasAny(n, ['ct', 'type']))) return 'rotorgene';
  if (scan.find(f, (n) => (has(n, 'include', 'pos') && hasAny(n, ['cp', 'cq'])) || has(n, 'position', 'crossingpoint'))) return 'lightcycler';
  if (scan.find(f, (n) => has(n, 'well', 'fluor') && hasAny(n, ['content', 'type']))) return 'cfx';
  if (isHeadlessSds(lines)) return 'quantstudio';
  if (scan.find(f, (n) => hasAny(n, TIDY_SAMPLE) && hasAny(n, TIDY_TARGET) && hasAny(n, TIDY_CQ))) return 'tidy';
  return null;
}

function header(ctx: ImportContext, line: number): { cells: Cells; norm: string[] } {
  const cells = splitCells(ctx.lines.line(line), ctx.delim);
  return { cells, norm: headerNames(cells) };
}

/** End of a data block: the first blank line or `[Section]` line at or after `from`. */
function blockEnd(ctx: ImportContext, from: number): number {
  for (let i = from; i < ctx.lines.length; i++) {
    const l = ctx.lines.line(i);
    if (isBlankLine(l, ctx.delim) || l.charCodeAt(0) === 91 /* [ */) return i;
  }
  return ctx.lines.length;
}

function noCqColumn(ctx: ImportContext, line: number, what: string): void {
  const cols = splitCells(ctx.lines.line(line), ctx.delim).values.map((v) => v.trim()).filter((v) => v !== '');
  diag(ctx, 'no-cq-column', 'error',
    `${what} has no Cq column (Ct, Cт, Cq, Cp, CrossingPoint ...). Columns found: ${cols.slice(0, 40).join(', ')}${cols.length > 40 ? ', ...' : ''}.`,
    rng(line, 0, ctx.lines.line(line).length));
}

function blockGeometry(meta: Record<string, string>): { rows: number; cols: number } | null | undefined {
  const b = meta['Block Type'];
  if (b === undefined) return undefined;
  if (/1536/.test(b)) return { rows: 32, cols: 48 };
  if (/384/.test(b)) return { rows: 16, cols: 24 };
  if (/96/.test(b)) return { rows: 8, cols: 12 };
  if (/48/.test(b)) return { rows: 6, cols: 8 };
  return null;
}

// ---------------------------------------------------------------- Thermo classic / SDS
/** Column order of SDS 2.3 RQ results, used for header-less SDS tables (HTqPCR `sample1.txt` style). */
const SDS_HEADERLESS = ['#', 'Plate', 'Pos', 'Flag', 'Sample', 'Detector', 'Task', 'Ct', 'Delta Ct', 'Avg Delta Ct',
  'Delta Ct SE', 'Delta Delta Ct SD', 'RQ', 'RQ Min', 'RQ Max', 'Omit'];

export function importQuantStudio(ctx: ImportContext, opts: { target?: string }): TextImport {
  const { lines } = ctx;
  const meta: Record<string, string> = Object.create(null) as Record<string, string>;
  const layout = quantStudioSections(lines, meta);
  const table = quantStudioTable(ctx, layout, meta);
  if (!table) return { meta, ok: false };
  const { headerLine, synthetic } = table;
  const hdr = synthetic ? { cells: synthetic, norm: headerNames(synthetic) } : header(ctx, headerLine);
  const { norm } = hdr;
  const cq = findCol(norm, CQ_NAMES);
  if (cq === undefined) {
    const geno = hasAny(norm, ['allele1 ct', 'allele2 ct']) ? ' (a genotyping export: Allele1 Ct/Allele2 Ct are per allele, not one Cq per target)' : '';
    noCqColumn(ctx, headerLine, `The [Results] table${geno}`);
    return { meta, ok: false };
  }
  const cols: ColumnMap = {
    cq,
    position: findCol(norm, ['well position', 'pos']),
    wellNo: findCol(norm, ['well', '#']),
    sample: findCol(norm, ['sample name', 'sample']),
    target: findCol(norm, ['target name', 'detector', 'detector name', 'target']),
    task: findCol(norm, ['task']),
    omit: findCol(norm, ['omit']),
    quantity: findCol(norm, ['quantity']),
    flagCols: flagColumns(hdr.cells),
    valueFlags: [],
  };
  const flagCol = findCol(norm, ['flag']);
  if (flagCol !== undefined) cols.valueFlags.push({ idx: flagCol, prefix: 'SDS', ok: ['passed', 'pass'] });
  const first = synthetic ? headerLine : headerLine + 1;
  const end = blockEnd(ctx, first);
  ctx.decimal = ctx.forcedDecimal ?? detectDecimal(lines, ctx.delim, first, end, cq);
  readBlock(ctx, {
    headerLine, headerCells: hdr.cells, first, end, cols,
    defaultTarget: opts.target ?? fileStem(ctx.file),
  });
  trailingKeyValues(lines, end, meta);
  const curves = quantStudioCurves(ctx, layout.curveAt, cols.wellNo);
  return { meta, instrument: meta['Instrument Type'] ?? meta['Software'], block: blockGeometry(meta), ok: true, ...(curves ? { curves } : {}) };
}

/** A QuantStudio file's `* key = value` header (into `meta`), its `[Section]` names, and where [Results] and the curves are. */
function quantStudioSections(lines: Lines, meta: Record<string, string>): { resultsAt: number; sections: string[]; curveAt: CurveSections } {
  let resultsAt = -1;
  const sections: string[] = [];
  const curveAt: CurveSections = {};
  for (let i = 0; i < lines.length; i++) {
    const l = lines.line(i);
    if (l.charCodeAt(0) === 42 /* * */) {
      const kv = keyValue(l, '=', 1);
      if (kv) meta[kv.key] = kv.value;
    } else if (l.charCodeAt(0) === 91 /* [ */) {
      const name = l.trim();
      sections.push(name);
      if (name.toLowerCase() === '[results]' && resultsAt < 0) resultsAt = i;
      const kind = curveSection(name);
      if (kind && curveAt[kind] === undefined) curveAt[kind] = i;
    } else if (resultsAt < 0 && i > SCAN && sections.length === 0) break;
  }
  return { resultsAt, sections, curveAt };
}

/**
 * The results table's header line (and its delimiter, in ctx): after [Results], after an SDS preamble (whose
 * key-value lines go into `meta`), or none (header-less SDS 2.3: the columns are `synthetic`). Null after an error.
 */
function quantStudioTable(ctx: ImportContext, layout: { resultsAt: number; sections: string[] }, meta: Record<string, string>): { headerLine: number; synthetic: Cells | null } | null {
  const { lines } = ctx;
  const { resultsAt, sections } = layout;
  const f = firstNonBlank(lines);
  ctx.delim = '\t';
  if (resultsAt >= 0) {
    let headerLine = -1;
    for (let i = resultsAt + 1; i < lines.length; i++) if (lines.line(i).trim() !== '') { headerLine = i; break; }
    if (headerLine < 0 || lines.line(headerLine).charCodeAt(0) === 91) {
      diag(ctx, 'no-results', 'error', 'The [Results] section is empty: no header row follows it.', rng(resultsAt, 0, lines.line(resultsAt).length));
      return null;
    }
    ctx.delim = guessDelimiter(lines.line(headerLine));
    return { headerLine, synthetic: null };
  }
  if (f >= 0 && /^SDS\s*\d/.test(lines.line(f))) {
    const h = findHeader(lines, f + 1, (n) => (n[0] === 'well' || n[0] === '#') && hasAny(n, CQ_NAMES));
    if (!h) {
      diag(ctx, 'no-results', 'error', 'SDS export without a results table (no header row starting with "Well" or "#" and a Ct column).', rng(f, 0, lines.line(f).length));
      return null;
    }
    ctx.delim = h.delim;
    const m = /^(SDS.*?)\t/.exec(lines.line(f)); meta['Software'] = (m ? m[1] : lines.line(f)).trim();
    for (let i = f + 1; i < h.line; i++) {
      const v = lines.line(i).split('\t');
      if (v[0].trim() !== '' && meta[v[0].trim()] === undefined) meta[v[0].trim()] = (v[1] ?? '').trim();
    }
    return { headerLine: h.line, synthetic: null };
  }
  if (isHeadlessSds(lines)) {
    diag(ctx, 'no-header', 'info', `No header row: columns read in the SDS 2.3 RQ order (${SDS_HEADERLESS.slice(0, 8).join(', ')}, ...).`, rng(f, 0, 0));
    return { headerLine: f, synthetic: splitCells(SDS_HEADERLESS.join('\t'), '\t') };
  }
  const found = sections.length ? ` Sections found: ${sections.join(', ')}.` : '';
  const at = Math.max(0, lines.length - 1);
  diag(ctx, 'no-results', 'error',
    `This QuantStudio export has no [Results] section, so it contains no Cq values.${found} Export the Results table (File › Export › Results).`,
    sections.length ? rng(at, 0, lines.line(at).length) : rng(0, 0, lines.line(0).length));
  return null;
}

/** The `key = value` block after the results table (Analysis Type, Endogenous Control, Reference Sample ...) into `meta`. */
function trailingKeyValues(lines: Lines, end: number, meta: Record<string, string>): void {
  for (let i = end; i < lines.length; i++) {
    const l = lines.line(i);
    if (l.charCodeAt(0) === 91) break;
    const c0 = l.charCodeAt(0);
    const kv = c0 === 61 || c0 === 9 || c0 === 42 /* = \t * */ ? null : keyValue(l, '=');
    if (kv && kv.key !== '' && kv.key.indexOf('\t') < 0) meta[kv.key] = kv.value;
  }
}

// ---------------------------------------------------------------- Thermo Design & Analysis
export function importDesignAnalysis(ctx: ImportContext, opts: { target?: string }): TextImport {
  const { lines } = ctx;
  const meta: Record<string, string> = Object.create(null) as Record<string, string>;
  let headerLine = -1;
  for (let i = 0; i < lines.length; i++) {
    const l = lines.line(i);
    if (l.trim() === '') continue;
    if (l.charCodeAt(0) === 35 /* # */) {
      const kv = keyValue(l, ':', 1);
      if (kv) meta[kv.key] = trimEndOf(l.slice(l.indexOf(':') + 1), ',;\t').trim();
      continue;
    }
    headerLine = i; break;
  }
  if (headerLine < 0) {
    diag(ctx, 'no-results', 'error', 'Design & Analysis export with a preamble but no results header row.', rng(0, 0, lines.line(0).length));
    return { meta, ok: false };
  }
  ctx.delim = guessDelimiter(lines.line(headerLine));
  const { cells, norm } = header(ctx, headerLine);
  const cq = findCol(norm, CQ_NAMES);
  if (cq === undefined) { noCqColumn(ctx, headerLine, 'The results table'); return { meta, ok: false }; }
  const cols: ColumnMap = {
    cq,
    position: findCol(norm, ['well position']),
    wellNo: findCol(norm, ['well']),
    sample: findCol(norm, ['sample', 'sample name']),
    target: findCol(norm, ['target', 'target name']),
    task: findCol(norm, ['task']),
    omit: findCol(norm, ['omit']),
    quantity: findCol(norm, ['quantity']),
    flagCols: flagColumns(cells),
    valueFlags: [],
  };
  const amp = findCol(norm, ['amp status']);
  if (amp !== undefined) cols.valueFlags.push({ idx: amp, prefix: 'AMP_STATUS', ok: ['amp'] });
  const rq = findCol(norm, ['result quality issues']);
  if (rq !== undefined) cols.valueFlags.push({ idx: rq, prefix: 'QUALITY', ok: [] });
  const first = headerLine + 1;
  const end = blockEnd(ctx, first);
  ctx.decimal = ctx.forcedDecimal ?? detectDecimal(lines, ctx.delim, first, end, cq);
  readBlock(ctx, { headerLine, headerCells: cells, first, end, cols, defaultTarget: opts.target ?? fileStem(ctx.file) });
  return { meta, instrument: meta['Instrument Type'], block: blockGeometry(meta), ok: true };
}

// ---------------------------------------------------------------- Bio-Rad CFX
export function importCfx(ctx: ImportContext, opts: { target?: string }): TextImport {
  const { lines } = ctx;
  const meta: Record<string, string> = Object.create(null) as Record<string, string>;
  const h = findHeader(lines, 0, (n) => has(n, 'well', 'fluor') && hasAny(n, ['content', 'type']));
  if (!h) { diag(ctx, 'no-header', 'error', 'No CFX header row (Well, Fluor, Content, Cq) found.', rng(0, 0, lines.line(0).length)); return { meta, ok: false }; }
  ctx.delim = h.delim;
  for (let i = 0; i < h.line; i++) {
    const v = splitCells(lines.line(i), ctx.delim).values.map((x) => x.trim()).filter((x) => x !== '');
    if (v.length >= 2) meta[v[0].replace(/:$/, '')] = v[1];
  }
  const { cells, norm } = h; // split and named by findHeader, with the delimiter set above
  const cq = findCol(norm, CQ_NAMES);
  if (cq === undefined) { noCqColumn(ctx, h.line, 'The CFX table'); return { meta, ok: false }; }
  const cols: ColumnMap = {
    cq,
    position: findCol(norm, ['well']),
    sample: findCol(norm, ['sample', 'identifier']),
    target: findCol(norm, ['target']),
    fluor: findCol(norm, ['fluor']),
    task: findCol(norm, ['content', 'type']),
    quantity: findCol(norm, ['starting quantity (sq)']),
    flagCols: [],
    valueFlags: [],
  };
  const first = h.line + 1;
  // CFX tables have no blank lines inside; stop at the first blank line.
  const end = blockEnd(ctx, first);
  ctx.decimal = ctx.forcedDecimal ?? detectDecimal(lines, ctx.delim, first, end, cq);
  readBlock(ctx, { headerLine: h.line, headerCells: cells, first, end, cols, defaultTarget: opts.target ?? fileStem(ctx.file) });
  return { meta, instrument: 'Bio-Rad CFX', ok: true };
}

// ---------------------------------------------------------------- Roche LightCycler 480
/** `Experiment: NAME  Selected Filter: F` (or `Filter: F`), scanned linearly (the regex backtracked on blanks). */
function experimentLine(l: string): { experiment: string; filter?: { name: string; value: string } } | null {
  if (!l.startsWith('Experiment:')) return null;
  const rest = l.slice('Experiment:'.length);
  const sel = rest.indexOf('Selected Filter:'), fil = rest.indexOf('Filter:');
  const name = sel >= 0 && sel < fil ? 'Selected Filter' : fil >= 0 ? 'Filter' : null;
  if (name === null) return { experiment: rest.trim() };
  const at = name === 'Filter' ? fil : sel;
  return { experiment: rest.slice(0, at).trim(), filter: { name, value: rest.slice(at + name.length + 1).trim() } };
}

export function importLightCycler(ctx: ImportContext, opts: { target?: string }): TextImport {
  const { lines } = ctx;
  const meta: Record<string, string> = Object.create(null) as Record<string, string>;
  const f = firstNonBlank(lines);
  if (f >= 0 && /^"?Experiment:/.test(lines.line(f))) {
    const l = trimEndOf(lines.line(f), '\t;,').replace(/^"|"$/g, '');
    const e = experimentLine(l);
    if (e) { meta['Experiment'] = e.experiment; if (e.filter) meta[e.filter.name] = e.filter.value; }
  }
  const h = findHeader(lines, Math.max(0, f), (n) => (has(n, 'pos') && hasAny(n, ['cp', 'cq'])) || has(n, 'position', 'crossingpoint'));
  if (!h) { diag(ctx, 'no-header', 'error', 'No LightCycler header row (Pos/Position and Cp/CrossingPoint) found.', rng(0, 0, lines.line(0).length)); return { meta, ok: false }; }
  ctx.delim = h.delim;
  const { cells, norm } = h; // split and named by findHeader, with the delimiter set above
  const cq = findCol(norm, ['cp', 'crossingpoint', 'cq'])!;
  const cols: ColumnMap = {
    cq,
    position: findCol(norm, ['pos', 'position']),
    sample: findCol(norm, ['name', 'samplename', 'sample name']),
    target: findCol(norm, ['target', 'target name']),
    include: findCol(norm, ['include', 'included']),
    // `Standard` holds the known quantity of standards (0 otherwise); `Concentration` is calculated by the software.
    quantity: findCol(norm, ['standard']),
    flagCols: [],
    valueFlags: [],
  };
  const st = findCol(norm, ['status']);
  if (st !== undefined) cols.valueFlags.push({ idx: st, prefix: 'STATUS', ok: [] });
  const exp = findCol(norm, ['experiment name']);
  const first = h.line + 1;
  const end = blockEnd(ctx, first);
  if (exp !== undefined && first < end) meta['Experiment'] = splitCells(lines.line(first), ctx.delim).values[exp] ?? '';
  ctx.decimal = ctx.forcedDecimal ?? detectDecimal(lines, ctx.delim, first, end, cq);
  // LightCycler tables have no target column: one file per target (opts.target, else the file name stem).
  const target = opts.target ?? fileStem(ctx.file);
  readBlock(ctx, { headerLine: h.line, headerCells: cells, first, end, cols, defaultTarget: target, taskFromName: true, standardFromQuantity: true });
  return { meta, instrument: 'Roche LightCycler 480', ok: true };
}

// ---------------------------------------------------------------- Qiagen Rotor-Gene
export function importRotorGene(ctx: ImportContext, opts: { target?: string }): TextImport {
  const { lines } = ctx;
  const meta: Record<string, string> = Object.create(null) as Record<string, string>;
  const h0 = findHeader(lines, 0, (n) => has(n, 'no.', 'name') && hasAny(n, ['ct', 'type']));
  if (!h0) { diag(ctx, 'no-header', 'error', 'No Rotor-Gene header row (No.;Name;Type;Ct) found.', rng(0, 0, lines.line(0).length)); return { meta, ok: false }; }
  ctx.delim = h0.delim;
  const fallback = opts.target ?? fileStem(ctx.file);
  let channelTarget: string | null = null;
  let sectionTarget: string | null = null;
  let decided = false;
  let blocks = 0;
  const targetOf = (s: string): string | null => {
    const m = /\(([^()]*)\)\s*$/.exec(s.trim());
    return m && m[1].trim() !== '' ? m[1].trim() : null;
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines.line(i);
    if (isBlankLine(l, ctx.delim)) continue;
    const v = splitCells(l, ctx.delim).values;
    const c0 = v[0].trim();
    const n0 = normHeader(c0);
    if (n0.startsWith('quantitative analysis of')) { sectionTarget = targetOf(c0); continue; }
    if (/^cycling\s/i.test(c0) && blocks === 0) { channelTarget = targetOf(c0) ?? channelTarget; }
    if (n0 === 'no.') {
      const norm = v.map(normHeader);
      const cq = findCol(norm, ['ct', 'cq']);
      if (cq === undefined) { noCqColumn(ctx, i, 'This Rotor-Gene table'); continue; }
      const cells = splitCells(l, ctx.delim);
      const cols: ColumnMap = {
        cq,
        position: findCol(norm, ['no.']),
        sample: findCol(norm, ['name']),
        task: findCol(norm, ['type']),
        quantity: norm.findIndex((x) => x.startsWith('given conc')),
        flagCols: [],
        valueFlags: [],
      };
      if (cols.quantity === -1) cols.quantity = undefined;
      const cc = findCol(norm, ['ct comment']);
      if (cc !== undefined) cols.valueFlags.push({ idx: cc, prefix: 'CT_COMMENT', ok: [] });
      let end = i + 1;
      while (end < lines.length && !isBlankLine(lines.line(end), ctx.delim)) {
        if (normHeader(splitCells(lines.line(end), ctx.delim).values[0]) === 'no.') break;
        end++;
      }
      if (!decided) { ctx.decimal = ctx.forcedDecimal ?? detectDecimal(lines, ctx.delim, i + 1, end, cq); decided = true; }
      const target = opts.target ?? sectionTarget ?? channelTarget ?? fallback;
      readBlock(ctx, { headerLine: i, headerCells: cells, first: i + 1, end, cols, defaultTarget: target, rotor: true });
      blocks++;
      sectionTarget = null;
      i = end - 1;
      continue;
    }
    if (blocks === 0 && v.length >= 2 && c0 !== '' && v[1].trim() !== '' && meta[c0] === undefined) meta[c0] = v[1].trim();
  }
  return { meta, instrument: 'Qiagen Rotor-Gene', rotor: true, ok: true };
}

// ---------------------------------------------------------------- Fluidigm BioMark
export function importBioMark(ctx: ImportContext, opts: { target?: string }): TextImport {
  const { lines } = ctx;
  const meta: Record<string, string> = Object.create(null) as Record<string, string>;
  let idLine = -1;
  for (let i = 1; i < lines.length; i++) {
    if (/^ID\s*[,;\t]/.test(lines.line(i)) && /^Chamber\s*[,;\t]/.test(lines.line(i - 1))) { idLine = i; break; }
    if (i > 5000) break;
  }
  if (idLine < 0) { diag(ctx, 'no-header', 'error', 'No BioMark three-row header (a "Chamber" row followed by an "ID" row) found.', rng(0, 0, lines.line(0).length)); return { meta, ok: false }; }
  ctx.delim = guessDelimiter(lines.line(idLine));
  const top = idLine >= 2 ? splitCells(lines.line(idLine - 2), ctx.delim).values.map((s) => s.trim()) : [];
  const mid = splitCells(lines.line(idLine - 1), ctx.delim).values.map((s) => s.trim());
  const cells = splitCells(lines.line(idLine), ctx.delim);
  const low = cells.values.map((s) => s.trim());
  const combined = low.map((l, j) => normHeader(`${mid[j] ?? ''} ${l}`));
  for (let i = 0; i < idLine - 2; i++) {
    const v = splitCells(lines.line(i), ctx.delim).values;
    if (v[0].trim() !== '' && v.length >= 2) meta[v[0].trim()] = v[1].trim();
  }
  const cq = findCol(combined, ['ct value']);
  if (cq === undefined) { noCqColumn(ctx, idLine, 'The BioMark table (no "Ct / Value" column)'); return { meta, ok: false }; }
  // The assay-name column is the "Name" under a dye / assay super-header, i.e. not under "Sample".
  let target: number | undefined;
  low.forEach((l, j) => { if (target === undefined && l.toLowerCase() === 'name' && (mid[j] ?? '').toLowerCase() !== 'sample') target = j; });
  const cols: ColumnMap = {
    cq,
    position: findCol(combined, ['chamber id']),
    sample: findCol(combined, ['sample name']),
    target,
    task: findCol(combined, ['sample type']),
    flagCols: [],
    valueFlags: [],
  };
  const call = findCol(combined, ['ct call']);
  if (call !== undefined) cols.valueFlags.push({ idx: call, prefix: 'CALL', ok: ['pass'] });
  if (top.length) meta['Dye'] = top.find((t) => t !== '' && t !== 'Experiment Information') ?? '';
  const first = idLine + 1;
  const end = blockEnd(ctx, first);
  ctx.decimal = ctx.forcedDecimal ?? detectDecimal(lines, ctx.delim, first, end, cq);
  readBlock(ctx, { headerLine: idLine, headerCells: cells, first, end, cols, defaultTarget: opts.target ?? fileStem(ctx.file), sentinel: 999, rawPositions: true });
  return { meta, instrument: `Fluidigm BioMark${meta['Application Version'] ? ' ' + meta['Application Version'] : ''}`, block: null, ok: true };
}

// ---------------------------------------------------------------- tidy CSV
/** A `key<TAB>value` row of a worksheet (a preamble or trailer entry, never a results row). */
function keyValueRow(line: string, delim: string): [string, string] | null {
  const v = splitCells(line, delim).values.map((x) => x.trim()).filter((x) => x !== '');
  return v.length === 2 && !/^[-+\d.,]+$/.test(v[0]) ? [v[0], v[1]] : null;
}

/**
 * Where a worksheet's results table ends (exclusive): at its first blank row after the first data row (Excel exports
 * put a blank row under the header), or at a trailer of `key value` rows (Analysis Type, Endogenous Control …), which
 * go into `meta` as a text export's trailing block does.
 */
function sheetTableEnd(ctx: ImportContext, first: number, meta: Record<string, string>): number {
  const { lines, delim } = ctx;
  let from = first;
  while (from < lines.length && isBlankLine(lines.line(from), delim)) from++;
  let end = blockEnd(ctx, from);
  for (let i = from; i < end; i++) {
    if (keyValueRow(lines.line(i), delim)) { end = i; break; }
  }
  for (let i = end; i < lines.length; i++) {
    const kv = keyValueRow(lines.line(i), delim);
    if (kv) meta[kv[0]] ??= kv[1];
  }
  return end;
}

export function importTidy(ctx: ImportContext, opts: { target?: string }): TextImport {
  const { lines } = ctx;
  const meta: Record<string, string> = Object.create(null) as Record<string, string>;
  const h = findHeader(lines, 0, (n) => hasAny(n, TIDY_SAMPLE) && (hasAny(n, TIDY_TARGET) || opts.target !== undefined) && hasAny(n, TIDY_CQ));
  if (!h) {
    diag(ctx, 'no-header', 'error', 'No header row with sample, target and cq columns found in the first lines (accepted names: sample/sample name, target/gene/assay, cq/ct/cp).',
      rng(0, 0, lines.line(0).length));
    return { meta, ok: false };
  }
  ctx.delim = h.delim;
  const { cells, norm } = h; // split and named by findHeader, with the delimiter set above
  const cq = findCol(norm, TIDY_CQ)!;
  const wellCol = findCol(norm, TIDY_WELL);
  const cols: ColumnMap = {
    cq,
    position: wellCol,
    sample: findCol(norm, TIDY_SAMPLE),
    target: findCol(norm, TIDY_TARGET),
    task: findCol(norm, TIDY_TASK),
    omit: findCol(norm, ['omit', 'exclude', 'excluded']),
    quantity: findCol(norm, ['quantity', 'qty', 'concentration']),
    flagCols: flagColumns(cells),
    valueFlags: [],
  };
  for (let i = 0; i < h.line; i++) {
    const v = splitCells(lines.line(i), ctx.delim).values.map((x) => x.trim()).filter((x) => x !== '');
    if (v.length >= 2) meta[v[0].replace(/^#\s*/, '').replace(/:$/, '')] = v[1];
  }
  const first = h.line + 1;
  // A tidy table may contain blank lines; it ends at the end of the file (a worksheet's: at its first blank row).
  ctx.decimal = ctx.forcedDecimal ?? detectDecimal(lines, ctx.delim, first, lines.length, cq);
  const end = ctx.endAtBlank ? sheetTableEnd(ctx, first, meta) : lines.length;
  readBlock(ctx, { headerLine: h.line, headerCells: cells, first, end, cols, defaultTarget: opts.target ?? fileStem(ctx.file) });
  return { meta, instrument: meta['Instrument Type'], block: blockGeometry(meta), ok: true };
}
