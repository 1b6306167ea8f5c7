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

/**
 * Incremental decoder and line splitter with VS Code's line model (`\r\n`, bare `\r`, bare `\n`).
 *
 * The lines come back as the decoded pieces' own strings wherever they can: a piece's lines after its first line end
 * are a slice of it, not a copy. Copying is what a streamed import paid for over an in-memory one: each copy of the
 * text (into fresh memory, about 3 ms a megabyte on the 2-core machine) and each search of a concatenation (which V8
 * does by a slow path, about 8× slower than in a flat string) was a pass over the whole file.
 */
class LineReader {
  private decoder: { decode(b: Uint8Array, o?: { stream?: boolean }): string } | null = null;
  private cp1252 = false;
  private first = true;
  /**
   * The unterminated line, in the pieces it came in: joined when a line end comes, not piece by piece (joining and
   * scanning the whole line again for every chunk made an 80 MB line take 24 s and 3 GB).
   */
  private rest: string[] = [];
  private pendingCr = false;
  bom = false;
  encoding = 'utf-8';
  readonly ends: LineEndCounts = { crlf: 0, cr: 0, lf: 0 };

  /**
   * The lines completed by this chunk, as texts of lines (each joined with `\n`, as the blocks are imported: no
   * string per line); the last, unterminated line is kept.
   */
  pushText(bytes: Uint8Array, final = false): LineText[] {
    if (this.first) {
      this.first = false;
      if (hasUtf8Bom(bytes)) { this.bom = true; bytes = bytes.subarray(3); }
      this.decoder = new TextDecoder('utf-8', { fatal: true });
    }
    const out: LineText[] = [];
    const step = this.cp1252 ? Math.max(1, bytes.length) : DECODE_PIECE;
    for (let o = 0; o === 0 || o < bytes.length; o += step) {
      const piece = bytes.subarray(o, o + step), last = o + step >= bytes.length;
      // Line ends counted in the bytes (in UTF-8 and Windows-1252 a byte 10 or 13 is that character and nothing else).
      this.split(this.decode(piece, final && last), final && last, countByte(piece, 10), piece.indexOf(13) >= 0, out);
    }
    return out;
  }

  /**
   * Decodes a piece of at most DECODE_PIECE bytes. Node makes a decoded string of about 1 MB or more an external
   * string, and the V8 heap counts external memory: 1 MiB chunks (the file readers' size) started a full garbage
   * collection for every 64 MB read — on a 10⁷-well file, a dozen of them over a heap of a gigabyte.
   */
  private decode(bytes: Uint8Array, final: boolean): string {
    if (this.cp1252) return decodeCp1252(bytes);
    try {
      return this.decoder!.decode(bytes, { stream: !final });
    } catch {
      throw new StreamDecodeError('The file is valid UTF-8 at first but not further on (mixed encodings); a large file is read as a stream, so save it as UTF-8.', this.ends.crlf + this.ends.cr + this.ends.lf);
    }
  }

  /** Switches to Windows-1252 (decided on the first chunk, before any text was produced). */
  useCp1252(): void { this.cp1252 = true; this.encoding = 'windows-1252'; }

  /** Adds to `out` the lines that `text` (holding `lfs` line feeds, and carriage returns if `cr`) completes. */
  private split(text: string, final: boolean, lfs: number, cr: boolean, out: LineText[]): void {
    const n = this.ends;
    let from = 0;
    if (this.pendingCr && text.length > 0) {
      // A `\r` ended the previous text: a `\n` here completes a CRLF that was already counted as a line end.
      this.pendingCr = false;
      if (text.charCodeAt(0) === 10) { from = 1; n.cr--; n.crlf++; lfs--; }
    }
    if (cr) { this.splitCr(text, from, final, out); return; }
    if (lfs === 0) {
      if (text.length > from) this.rest.push(text.slice(from));
      if (final) out.push({ text: this.takeRest(''), count: 1 });
      return;
    }
    // LF only: the unterminated line completed by the first line end, then the lines up to the last one as a slice.
    n.lf += lfs;
    const firstEnd = text.indexOf('\n', from);
    out.push({ text: this.takeRest(text.slice(from, firstEnd)), count: 1 });
    if (final) { out.push({ text: text.slice(firstEnd + 1), count: lfs }); return; }
    const lastEnd = text.lastIndexOf('\n');
    if (lastEnd > firstEnd) out.push({ text: text.slice(firstEnd + 1, lastEnd), count: lfs - 1 });
    if (lastEnd + 1 < text.length) this.rest.push(text.slice(lastEnd + 1));
  }

  /** `split` of a text with carriage returns: line by line. */
  private splitCr(text: string, from: number, final: boolean, out: LineText[]): void {
    const n = this.ends, lines: string[] = [];
    let start = from;
    const line = (to: number) => { const l = text.slice(start, to); lines.push(lines.length === 0 ? this.takeRest(l) : l); };
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13) {
        line(i);
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 10) { n.crlf++; i++; } else n.cr++;
        } else { n.cr++; this.pendingCr = true; }
        start = i + 1;
      } else if (c === 10) { line(i); n.lf++; start = i + 1; }
    }
    if (final) line(text.length);
    else if (start < text.length) this.rest.push(text.slice(start));
    if (lines.length) out.push({ text: lines.join('\n'), count: lines.length });
  }

  /** The unterminated line so far followed by `end`, in one join; the line is then empty. */
  private takeRest(end: string): string {
    if (this.rest.length === 0) return end;
    const line = this.rest.length === 1 ? this.rest[0] + end : [...this.rest, end].join('');
    this.rest = [];
    return line;
  }
}

/** How many bytes of `bytes` are `b`. */
function countByte(bytes: Uint8Array, b: number): number {
  let count = 0;
  for (let i = bytes.indexOf(b); i >= 0; i = bytes.indexOf(b, i + 1)) count++;
  return count;
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
  const nextText = async (): Promise<LineText[] | null> => {
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
  nextText: () => Promise<LineText[] | null>;
  isDone: () => boolean;
  fileName: string;
  opts: StreamImportOptions;
  /** The next chunk's completed lines ([] when it completed none), null at the end. */
  next: () => Promise<string[] | null>;
}

async function streamLines(reader: LineReader, nextText: () => Promise<LineText[] | null>, isDone: () => boolean, fileName: string,
  opts: StreamImportOptions, HEAD: number, BLOCK: number): Promise<ImportResult> {
  const src: LineSource = {
    reader, nextText, isDone, fileName, opts,
    next: async () => {
      const texts = await nextText();
      // One split of the texts joined: a flatMap of their splits copied the line arrays again (3 M lines: 0.5 s).
      if (texts === null) return null;
      return texts.length === 0 ? [] : (texts.length === 1 ? texts[0].text : texts.map((t) => t.text).join('\n')).split('\n');
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
  await drain(src.nextText);
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
  // The lines read but not imported yet (the blocks are imported as text: no string per line).
  const pending = new PendingLines();
  pending.push({ text: head.slice(HEAD).join('\n'), count: Math.max(0, head.length - HEAD) });
  let lineNo = HEAD;              // file line of pending's first
  const prefix = head.slice(0, firstData), prefixText = prefix.join('\n');
  const withPrefix = (b: LineText): string => (prefix.length === 0 ? b.text : b.count === 0 ? prefixText : `${prefixText}\n${b.text}`);
  for (;;) {
    while (pending.count < BLOCK && !src.isDone()) {
      const got = await src.nextText();
      if (got === null) break;
      for (const t of got) pending.push(t);
    }
    if (pending.count === 0) break;
    let [block, text] = pending.take(BLOCK, prefix.length ? prefixText : null);
    const end = firstLineWhere(block, endsTable);
    if (end >= 0) { block = cutLines(block, end)[0]; text = withPrefix(block); pending.clear(); }
    if (block.text.trim() === '' && pending.count === 0 && src.isDone()) break; // trailing blank lines
    const res = importPlate(text, fileName, { ...opts, format, decimal, share });
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

/**
 * Lines read but not imported yet: the texts as the reader gave them, joined only when a block is taken (a text built
 * by `a + "\n" + b` chunk after chunk is a concatenation, which V8 searches line by line by its slow path).
 */
class PendingLines {
  private parts: LineText[] = [];
  count = 0;

  push(t: LineText): void {
    if (t.count === 0) return;
    this.parts.push(t);
    this.count += t.count;
  }

  /**
   * The first `n` lines (all, when fewer) taken out, and their text after `head`'s line when there is one (the block as
   * it is imported: one join, not a join and then the copy of `head + "\n" + block`).
   */
  take(n: number, head: string | null): [LineText, string] {
    const texts: string[] = head === null ? [] : [head];
    let got = 0, k = 0;
    while (k < this.parts.length && got < n) {
      const p = this.parts[k];
      if (got + p.count <= n) { texts.push(p.text); got += p.count; k++; continue; }
      const [first, rest] = cutLines(p, n - got);
      texts.push(first.text);
      got = n;
      this.parts[k] = rest;
    }
    this.parts.splice(0, k);
    this.count -= got;
    const text = texts.length === 1 ? texts[0] : texts.join('\n');
    return [{ text: head === null ? text : text.slice(head.length + 1), count: got }, text];
  }

  clear(): void { this.parts = []; this.count = 0; }
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

async function drain(next: () => Promise<unknown[] | null>): Promise<void> {
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
