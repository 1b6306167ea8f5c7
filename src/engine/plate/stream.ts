/**
 * Streaming import for exports too large to hold as one string (over 50 MB: VS Code does not give them to extensions
 * as text documents, and V8 cannot build a string over 512 Mi characters). The bytes arrive in chunks; they are
 * decoded incrementally and split into lines, and the table is imported in blocks of lines by the ordinary importer
 * (`importPlate` on "the lines before the first data row" + one block of data rows), then merged: wells re-indexed,
 * lines and ranges shifted back to the file's own coordinates. The whole text never exists at once; the wells do.
 *
 * The wells and their diagnostics equal `importPlate` on the whole file (test/unit/plate/stream.test.ts checks every
 * fixture with tiny blocks). When the results table ends before the file does (other sections follow it, such as
 * amplification data or a trailing `key = value` block), the rest is read but not imported, and an info diagnostic
 * (`stream-skipped`) says from which line: metadata after the table is then missing from `plate.meta`. One rule is
 * decided per block rather than per file: "every data row has more fields than the header" (one `row-ragged` at the
 * header instead of one per row), so a damaged file's row-ragged findings may be summarised differently.
 */
import { BlockShare } from './block';
import type { EngineDiagnostic } from '../common/diagnostic';
import type { ImportResult, Plate, Well } from './model';
import { encodingFallback, importPlate, inferGeometry, isZip, type ImportOptions } from './index';
import { plateFormat } from './formats';
import { isBlankSpan, rng, shiftRange } from './table';
import { attachWells, PENDING_WELLS, pendingRuns, wellSource, WellRuns, type WellSource } from './wellSource';
import { decodeCp1252, hasUtf8Bom, lineEndingOf, utf16Bom, type LineEndCounts } from './text';
import { concatBytes } from '../../shared/bytes';
import { append } from '../../shared/append';

/**
 * Over this size (the limit under which VS Code hands a text file to extensions) a plate is streamed: by the CLI and
 * the study runner, and by the read-only plate viewer, which is what "Open in Plate Editor" opens such files in.
 */
export const LARGE_FILE_BYTES = 50 * 1024 * 1024;

/** Rows the importers look at to decide the decimal mark (table.ts `detectDecimal`). */
const DECIMAL_ROWS = 5000;

export interface StreamImportOptions extends ImportOptions {
  /** Lines imported in one piece to find the format and the first data row (default 5000). */
  headLines?: number;
  /** Data lines per block after that (default 20000). */
  blockLines?: number;
}

/** Bytes decoded at once (below the size at which node makes the string external: see `LineReader.decode`). */
const DECODE_PIECE = 1 << 18;

/** Incremental decoder and line splitter with VS Code's line model (`\r\n`, bare `\r`, bare `\n`). */
class LineReader {
  private decoder: { decode(b: Uint8Array, o?: { stream?: boolean }): string } | null = null;
  private cp1252 = false;
  private first = true;
  private rest = '';
  /**
   * Later pieces of the unterminated line, from chunks without a line end: joined when a line end comes, not chunk by
   * chunk (joining and scanning the whole line again for every chunk made an 80 MB line take 24 s and 3 GB).
   */
  private restParts: string[] = [];
  private pendingCr = false;
  bom = false;
  encoding = 'utf-8';
  readonly ends: LineEndCounts = { crlf: 0, cr: 0, lf: 0 };

  /**
   * The lines completed by this chunk, as one text (joined with `\n`, as the blocks are imported: no string per line);
   * the last, unterminated piece is kept.
   */
  pushText(bytes: Uint8Array, final = false): LineText {
    let text: string;
    if (this.first) {
      this.first = false;
      if (hasUtf8Bom(bytes)) { this.bom = true; bytes = bytes.subarray(3); }
      this.decoder = new TextDecoder('utf-8', { fatal: true });
    }
    if (this.cp1252) text = decodeCp1252(bytes);
    else {
      try {
        text = this.decode(bytes, final);
      } catch {
        throw new StreamDecodeError('The file is valid UTF-8 at first but not further on (mixed encodings); a large file is read as a stream, so save it as UTF-8.', this.ends.crlf + this.ends.cr + this.ends.lf);
      }
    }
    return this.split(text, final);
  }

  /**
   * Decodes a chunk in pieces of at most DECODE_PIECE bytes. Node makes a decoded string of about 1 MB or more an
   * external string, and the V8 heap counts external memory: 1 MiB chunks (the file readers' size) started a full
   * garbage collection for every 64 MB read — on a 10⁷-well file, a dozen of them over a heap of a gigabyte.
   */
  private decode(bytes: Uint8Array, final: boolean): string {
    const d = this.decoder!;
    if (bytes.length <= DECODE_PIECE) return d.decode(bytes, { stream: !final });
    let text = '';
    for (let o = 0; o < bytes.length; o += DECODE_PIECE) {
      const last = o + DECODE_PIECE >= bytes.length;
      text += d.decode(bytes.subarray(o, o + DECODE_PIECE), { stream: !(final && last) });
    }
    return text;
  }

  /** Switches to Windows-1252 (decided on the first chunk, before any text was produced). */
  useCp1252(): void { this.cp1252 = true; this.encoding = 'windows-1252'; }

  private split(text: string, final: boolean): LineText {
    const n = this.ends;
    if (!final && !this.pendingCr && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
      this.restParts.push(text);
      return { text: '', count: 0 };
    }
    // One join: `rest + parts.join('') + text` would copy a long line twice (the join, then the flattening of the sum).
    let s = this.restParts.length ? [this.rest, ...this.restParts, text].join('') : this.rest + text;
    this.restParts = [];
    if (this.pendingCr) {
      // A `\r` ended the previous chunk: a `\n` here completes a CRLF that was already counted as a line end.
      this.pendingCr = false;
      if (s.charCodeAt(0) === 10) { s = s.slice(1); n.cr--; n.crlf++; }
    }
    if (s.indexOf('\r') < 0) {
      // No CR in this piece (LF files): the text up to its last line end, as it is.
      let count = 0;
      for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) count++;
      n.lf += count;
      if (final) { this.rest = ''; return { text: s, count: count + 1 }; }
      const last = s.lastIndexOf('\n');
      this.rest = s.slice(last + 1);
      return { text: last < 0 ? '' : s.slice(0, last), count };
    }
    const out: string[] = [];
    let start = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 13) {
        out.push(s.slice(start, i));
        if (i + 1 < s.length) {
          if (s.charCodeAt(i + 1) === 10) { n.crlf++; i++; } else n.cr++;
        } else { n.cr++; this.pendingCr = true; }
        start = i + 1;
      } else if (c === 10) { out.push(s.slice(start, i)); n.lf++; start = i + 1; }
    }
    this.rest = s.slice(start);
    if (final) out.push(this.rest);
    return { text: out.join('\n'), count: out.length };
  }
}

function isValidUtf8Prefix(bytes: Uint8Array, complete: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/** The first and last line holding a well. */
function lineSpan(wells: WellSource): { first: number; last: number } {
  let first = Infinity, last = -1;
  for (let i = 0; i < wells.length; i++) { const l = wells.at(i).line; if (l < first) first = l; if (l > last) last = l; }
  return { first, last };
}

/**
 * Imports an export from a stream of byte chunks (see the module comment). Problems come back as diagnostics with a
 * location; a stream that fails to read rejects.
 */
export async function importPlateStream(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, fileName: string, opts: StreamImportOptions = {}): Promise<ImportResult> {
  const HEAD = Math.max(2, opts.headLines ?? 5000);
  const BLOCK = Math.max(1, opts.blockLines ?? 20000);
  const reader = new LineReader();
  const it = (Symbol.asyncIterator in chunks ? (chunks as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]() : (chunks as Iterable<Uint8Array>)[Symbol.iterator]()) as AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
  let done = false;
  // The first 64 KiB (or the whole file) decide the container and the encoding, as importPlate decides for a file.
  const window: Uint8Array[] = [];
  let windowBytes = 0;
  while (windowBytes < 65536) {
    const r = await it.next();
    if (r.done) { done = true; break; }
    window.push(r.value);
    windowBytes += r.value.length;
  }
  const first = concatBytes(window);
  if (isZip(first) || utf16Bom(first)) {
    // RDML (zip) is not line oriented, and UTF-16 needs its own decoder: collect the bytes, import in one piece.
    const all: Uint8Array[] = [first];
    if (!done) for (let r = await it.next(); !r.done; r = await it.next()) all.push(r.value);
    return importPlate(concatBytes(all), fileName, opts);
  }
  const body = hasUtf8Bom(first) ? first.subarray(3) : first;
  if (!isValidUtf8Prefix(body, done)) reader.useCp1252();
  let pushedWindow = false;
  const nextText = async (): Promise<LineText | null> => {
    if (!pushedWindow) { pushedWindow = true; return reader.pushText(first, done); }
    if (done) return null;
    const r = await it.next();
    if (r.done) { done = true; return reader.pushText(new Uint8Array(0), true); }
    return reader.pushText(r.value);
  };
  try {
    return await streamLines(reader, nextText, () => done, fileName, opts, HEAD, BLOCK);
  } catch (e) {
    if (!(e instanceof StreamDecodeError)) throw e;
    return { plate: null, diagnostics: [{ code: 'stream-encoding', severity: 'error', file: fileName, range: rng(e.line, 0, 0), message: e.message }] };
  }
}

class StreamDecodeError extends Error {
  constructor(message: string, public readonly line: number) { super(message); }
}

/** What a streamed import reads from: the decoded lines, whether the bytes have ended, and the import's names. */
interface LineSource {
  reader: LineReader;
  nextText: () => Promise<LineText | null>;
  isDone: () => boolean;
  fileName: string;
  opts: StreamImportOptions;
  /** The next chunk's completed lines ([] when it completed none), null at the end. */
  next: () => Promise<string[] | null>;
}

async function streamLines(reader: LineReader, nextText: () => Promise<LineText | null>, isDone: () => boolean, fileName: string,
  opts: StreamImportOptions, HEAD: number, BLOCK: number): Promise<ImportResult> {
  const src: LineSource = {
    reader, nextText, isDone, fileName, opts,
    next: async () => {
      const t = await nextText();
      return t === null ? null : t.count === 0 ? [] : t.text.split('\n');
    },
  };
  // 1. The head: enough lines to know the format and where the data rows start (grown until a table is found).
  const head: string[] = [];
  let headRes: ImportResult | null = null;
  for (let want = HEAD; ; want *= 2) {
    if (!(await fillHead(src, head, want))) break;
    headRes = importPlate(head.slice(0, want).join('\n'), fileName, opts);
    if (headRes.plate) { HEAD = want; break; }
  }
  const whole = (lines: string[]): ImportResult => fixConventions(importPlate(lines.join('\n'), fileName, opts), reader, fileName);
  if (headRes === null || !headRes.plate) return whole(head);
  if (plateFormat(headRes.plate.format).stream === 'whole') {
    // Not one table to stream (RDML XML; Rotor-Gene's several assay tables, never large): imported in one piece.
    return whole([...head, ...(await readRest(src.next))]);
  }
  const firstData = lineSpan(wellSource(headRes.plate)).first;
  // The decimal mark is decided from the table's first 5000 rows (table.ts detectDecimal): make the head hold them,
  // so that the head decides as the whole-file import would, and the blocks then use its mark.
  if (HEAD < firstData + DECIMAL_ROWS) {
    HEAD = firstData + DECIMAL_ROWS;
    if (!(await fillHead(src, head, HEAD))) return whole(head);
    headRes = importPlate(head.slice(0, HEAD).join('\n'), fileName, opts);
    if (!headRes.plate) return whole([...head, ...(await readRest(src.next))]);
  }
  const lastWell = lineSpan(wellSource(headRes.plate)).last;
  // The table ended inside the head (something follows it).
  const headLines = head.slice(0, HEAD), headEnd = lastNonBlankLine({ text: headLines.join('\n'), count: headLines.length });
  if (lastWell < headEnd) return skipRest(src, lastWell + 1, headRes);
  return importBlocks(src, { ...headRes, plate: headRes.plate }, head, HEAD, firstData, BLOCK);
}

/** Reads until the head holds more than `n` lines; false when the file has no more than `n`. */
async function fillHead(src: LineSource, head: string[], n: number): Promise<boolean> {
  while (head.length <= n) {
    const got = await src.next();
    if (got === null) break;
    append(head, got);
  }
  return !(src.isDone() && head.length <= n + 1);
}

/** `r`, after reading the rest of the file, with a note that the rest (from line `from`) was not imported. */
async function skipRest(src: LineSource, from: number, r: ImportResult): Promise<ImportResult> {
  await drain(src.next);
  r.diagnostics.push({ code: 'stream-skipped', severity: 'info', file: src.fileName, range: rng(from, 0, 0),
    message: `The results table ends before line ${from + 1}; the rest of this large file was read but not imported (a streamed import reads one table).` });
  return fixConventions(r, src.reader, src.fileName);
}

/**
 * 2. The table after the head (its first `HEAD` lines imported as `headRes`), in blocks of `BLOCK` lines, each
 * imported with the header lines before `firstData` and the head's format and decimal mark, until the table ends.
 */
async function importBlocks(src: LineSource, headRes: ImportResult & { plate: Plate }, head: string[], HEAD: number, firstData: number, BLOCK: number): Promise<ImportResult> {
  const { fileName, opts } = src;
  const headPlate = headRes.plate, format = headPlate.format;
  const decimal = headPlate.conventions.decimal;
  const delim = headPlate.conventions.delimiter;
  // Where these importers end a table: the first blank line or `[Section]` line after the data starts.
  const endsTable = plateFormat(format).stream === 'blank'
    ? (t: string, from: number, to: number) => isBlankSpan(t, from, to, delim) || (from < to && t.charCodeAt(from) === 91) : null;
  const headNotes = new Set(headRes.diagnostics.filter((g) => g.severity === 'info' && g.range.start.line === firstData).map((g) => `${g.code}\u0000${g.message}`));
  const headWells = blockRuns(headPlate);
  // Each block's wells (the columns of its blocks, ./wellSource.ts), joined once at the end.
  const parts: WellRuns[] = [headWells];
  let count = headWells.length;
  const diagnostics: EngineDiagnostic[] = [...headRes.diagnostics];
  // The blocks' wells share one table of strings and one cache of Cq cells, sealed when the table ends.
  const share = new BlockShare();
  /** The plate of the wells read so far (the table has ended): the shared strings sealed, the blocks joined. */
  const finished = (): Plate => {
    share.text.seal();
    const plate: Plate = { ...headPlate, wells: PENDING_WELLS as Well[] };
    attachWells(plate, joinRuns(parts));
    mergedGeometry(plate, headWells);
    return plate;
  };
  // The lines read but not imported yet, as one text (the blocks are imported as text: no string per line).
  let pending: LineText = { text: head.slice(HEAD).join('\n'), count: Math.max(0, head.length - HEAD) };
  let lineNo = HEAD;              // file line of pending's first
  const prefix = head.slice(0, firstData), prefixText = prefix.join('\n');
  const withPrefix = (b: LineText): string => (prefix.length === 0 ? b.text : b.count === 0 ? prefixText : `${prefixText}\n${b.text}`);
  for (;;) {
    while (pending.count < BLOCK && !src.isDone()) {
      const got = await src.nextText();
      if (got === null) break;
      pending = appendLines(pending, got);
    }
    if (pending.count === 0) break;
    let block: LineText;
    [block, pending] = pending.count > BLOCK ? cutLines(pending, BLOCK) : [pending, NO_LINES];
    const end = firstLineWhere(block, endsTable);
    if (end >= 0) { block = cutLines(block, end)[0]; pending = NO_LINES; }
    if (block.text.trim() === '' && pending.count === 0 && src.isDone()) break; // trailing blank lines
    const res = importPlate(withPrefix(block), fileName, { ...opts, format, decimal, share });
    const d = lineNo - firstData;
    const blockWells = res.plate ? blockRuns(res.plate) : new WellRuns();
    blockWells.shift(d, count);
    parts.push(blockWells);
    count += blockWells.length;
    for (const g of res.diagnostics) {
      if (g.range.start.line < firstData) continue; // about the header: reported by the head import already
      // A note the importer attaches to the first data row of any table (e.g. SDS "no header row"): once, from the head.
      if (g.severity === 'info' && g.range.start.line === firstData && headNotes.has(`${g.code}\u0000${g.message}`)) continue;
      diagnostics.push({ ...g, range: shiftRange(g.range, d) });
    }
    // The block's wells were shifted to file lines: its last well's position within the block.
    const lastInBlock = blockWells.length ? lineSpan(blockWells).last - lineNo : -1;
    if (end >= 0 || lastInBlock < lastNonBlankLine(block)) {
      // The table ended inside this block: what follows is another section.
      return skipRest(src, lineNo + (end >= 0 ? end : lastInBlock + 1), { plate: finished(), diagnostics });
    }
    lineNo += block.count;
  }
  return fixConventions({ plate: finished(), diagnostics }, src.reader, fileName);
}

/** Lines of text joined by `\n` (none after the last), and how many: `{ text: '', count: 1 }` is one empty line. */
interface LineText { text: string; count: number }

const NO_LINES: LineText = { text: '', count: 0 };

/** `a`'s lines, then `b`'s. */
function appendLines(a: LineText, b: LineText): LineText {
  if (b.count === 0) return a;
  if (a.count === 0) return b;
  return { text: `${a.text}\n${b.text}`, count: a.count + b.count };
}

/** The first `n` lines of `t` (n < t.count) and the rest. */
function cutLines(t: LineText, n: number): [LineText, LineText] {
  let at = -1;
  for (let k = 0; k < n; k++) at = t.text.indexOf('\n', at + 1);
  return [n === 0 ? NO_LINES : { text: t.text.slice(0, at), count: n }, { text: t.text.slice(at + 1), count: t.count - n }];
}

/** The number of the first line `text[from, to)` of `t` for which `test` holds; -1 when none (or no test). */
function firstLineWhere(t: LineText, test: ((text: string, from: number, to: number) => boolean) | null): number {
  if (test === null) return -1;
  for (let k = 0, from = 0; k < t.count; k++) {
    const nl = t.text.indexOf('\n', from), to = nl < 0 ? t.text.length : nl;
    if (test(t.text, from, to)) return k;
    from = to + 1;
  }
  return -1;
}

/** The number of the last line of `t` that is not blank (`trim`), -1 when all are. */
function lastNonBlankLine(t: LineText): number {
  let to = t.text.length;
  for (let k = t.count - 1; k >= 0; k--) {
    const from = k === 0 ? 0 : t.text.lastIndexOf('\n', to - 1) + 1;
    if (t.text.slice(from, to).trim() !== '') return k;
    to = from - 1;
  }
  return -1;
}

/**
 * A block's wells as its columns. The blocks are text imports (`importPlate` of a tidy or instrument table, never RDML
 * or a workbook) whose wells nothing has read yet, so they are always pending.
 */
function blockRuns(plate: Plate): WellRuns {
  const runs = pendingRuns(plate);
  if (runs === null) throw new Error(`internal: the wells of a streamed block of ${plate.file} are not columns`);
  return runs;
}

/** The blocks' runs as one list (each block's already shifted and numbered). */
function joinRuns(parts: readonly WellRuns[]): WellRuns {
  const all = new WellRuns();
  for (const p of parts) all.addRuns(p);
  return all;
}

async function readRest(next: () => Promise<string[] | null>): Promise<string[]> {
  const out: string[] = [];
  for (let got = await next(); got !== null; got = await next()) append(out, got);
  return out;
}

async function drain(next: () => Promise<string[] | null>): Promise<void> {
  while ((await next()) !== null) { /* line-end counts only */ }
}

/** Line ends, BOM and encoding are the stream's (the blocks were joined with `\n`). */
function fixConventions(r: ImportResult, reader: LineReader, fileName: string): ImportResult {
  if (r.plate) r.plate.conventions = { ...r.plate.conventions, lineEnding: lineEndingOf(reader.ends), bom: reader.bom };
  if (reader.encoding === 'windows-1252' && !r.diagnostics.some((d) => d.code === 'encoding-fallback')) r.diagnostics.unshift(encodingFallback(fileName));
  return r;
}

/**
 * The plate size after merging: when the head's size was inferred from its wells (not stated by the file), infer it
 * again from every well, as the whole-file import does (a 96-well guess grows to 384 when later wells need it).
 */
function mergedGeometry(p: Plate, headWells: WellSource): void {
  const head = inferGeometry(headWells, false);
  if (head.rows !== p.rows || head.cols !== p.cols) return;
  const all = inferGeometry(wellSource(p), false);
  p.rows = all.rows; p.cols = all.cols;
}
