/**
 * Low-level text handling for the importers: decoding, line splitting with VS Code's line model,
 * an exact delimited-cell tokenizer (every cell keeps its character span in its line) and locale-aware numbers.
 *
 * Coordinates: VS Code strips a UTF-8 BOM when it opens a file, so every range the importers produce indexes
 * the decoded text WITHOUT the BOM character. Lines are split exactly like VS Code's text model does:
 * at `\r\n`, a bare `\r` or a bare `\n` (nothing else, e.g. not U+2028).
 */

/** CP1252 code points for bytes 0x80..0x9F (undefined bytes map to the C1 control of the same value). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * Windows-1252 bytes as text (one code unit per byte). The units are written as UTF-16LE bytes and decoded natively,
 * a piece at a time: no unit is a surrogate (each is a byte value or a code point of CP1252_HIGH), so the decoder
 * gives them back as they are.
 */
export function decodeCp1252(bytes: Uint8Array): string {
  const parts: string[] = [], le = new Uint8Array(2 * Math.min(bytes.length, CP1252_PIECE)), utf16le = utf16Decoder();
  for (let i = 0; i < bytes.length; i += CP1252_PIECE) {
    const end = Math.min(bytes.length, i + CP1252_PIECE);
    cp1252Units(bytes, i, end, le);
    parts.push(utf16le.decode(le.subarray(0, 2 * (end - i))));
  }
  return parts.join('');
}

/** Bytes decoded at once by decodeCp1252. */
const CP1252_PIECE = 1 << 16;

/** The UTF-16LE bytes of the CP1252 characters bytes[from..to). */
function cp1252Units(bytes: Uint8Array, from: number, to: number, le: Uint8Array): void {
  for (let j = from, k = 0; j < to; j++, k += 2) {
    const b = bytes[j];
    const u = b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : b;
    le[k] = u & 0xff; le[k + 1] = u >>> 8;
  }
}

/** String.fromCharCode takes the units as arguments: at most this many per call. */
const UNITS_CHUNK = 8192;

let utf16: { decode(input: Uint8Array | Uint16Array): string } | undefined;

/** One UTF-16LE decoder for the module, made on first use. */
const utf16Decoder = (): { decode(input: Uint8Array | Uint16Array): string } => (utf16 ??= new TextDecoder('utf-16le'));

/**
 * The text of UTF-16 code units `units[0..k)`. A long run without surrogates is decoded natively (a decoder would
 * read a lone surrogate as U+FFFD, so units with any surrogate go by String.fromCharCode, as they are).
 */
function unitsText(units: Uint16Array, k: number): string {
  if (k <= UNITS_CHUNK) return String.fromCharCode(...units.subarray(0, k));
  let surrogate = false;
  for (let i = 0; i < k && !surrogate; i++) surrogate = (units[i] & 0xf800) === 0xd800;
  if (!surrogate) return utf16Decoder().decode(units.subarray(0, k));
  const parts: string[] = [];
  for (let i = 0; i < k; i += UNITS_CHUNK) parts.push(String.fromCharCode(...units.subarray(i, Math.min(k, i + UNITS_CHUNK))));
  return parts.join('');
}

/**
 * Decodes file bytes: UTF-8 (a UTF-8 BOM is removed and reported), UTF-16 LE/BE when a UTF-16 BOM is present,
 * otherwise windows-1252 when the bytes are not valid UTF-8. The returned text is what VS Code shows.
 */
export function decodeText(bytes: Uint8Array): { text: string; bom: boolean; encoding: string } {
  if (hasUtf8Bom(bytes)) {
    const body = bytes.subarray(3);
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), bom: true, encoding: 'utf-8' };
    } catch {
      return { text: decodeCp1252(body), bom: true, encoding: 'windows-1252' };
    }
  }
  if (utf16Bom(bytes) === 'le') {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), bom: true, encoding: 'utf-16le' };
  }
  if (utf16Bom(bytes) === 'be') {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), bom: true, encoding: 'utf-16be' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), bom: false, encoding: 'utf-8' };
  } catch {
    return { text: decodeCp1252(bytes), bom: false, encoding: 'windows-1252' };
  }
}

/** A UTF-8 byte order mark at the start. */
export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** The UTF-16 byte order mark at the start, if any. */
export function utf16Bom(bytes: Uint8Array): 'le' | 'be' | null {
  if (bytes.length < 2) return null;
  return bytes[0] === 0xff && bytes[1] === 0xfe ? 'le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'be' : null;
}

export type LineEnding = '\n' | '\r\n' | '\r' | 'mixed';

/** How many line ends of each kind a text has (VS Code's line model: `\r\n`, bare `\r`, bare `\n`). */
export interface LineEndCounts { crlf: number; cr: number; lf: number }

export function countLineEnds(text: string): LineEndCounts {
  let crlf = 0, cr = 0;
  let i = text.indexOf('\r');
  while (i >= 0) {
    if (text.charCodeAt(i + 1) === 10) crlf++; else cr++;
    i = text.indexOf('\r', i + 1);
  }
  let nl = 0;
  i = text.indexOf('\n');
  while (i >= 0) { nl++; i = text.indexOf('\n', i + 1); }
  return { crlf, cr, lf: nl - crlf };
}

/** The one line-end style of the counts, or 'mixed'. */
export function lineEndingOf(c: LineEndCounts): LineEnding {
  const kinds = (c.crlf > 0 ? 1 : 0) + (c.cr > 0 ? 1 : 0) + (c.lf > 0 ? 1 : 0);
  return kinds > 1 ? 'mixed' : c.crlf > 0 ? '\r\n' : c.cr > 0 ? '\r' : '\n';
}

/**
 * A text's lines by number, split like VS Code (`\r\n`, `\r`, `\n`), each sliced from the text when asked for: the
 * importers read a million-line file without a string per line kept alive for the whole import (8 bytes of offsets
 * per line instead of ~40). `line(i)` outside the text is ''.
 */
export class Lines {
  private constructor(private readonly text: string, private readonly start: Int32Array, private readonly end: Int32Array) {}
  get length(): number { return this.start.length; }
  line(i: number): string { return i >= 0 && i < this.start.length ? this.text.slice(this.start[i], this.end[i]) : ''; }
  /** The lines of `text` (`counts`: its line ends, when already counted). */
  static of(text: string, counts: LineEndCounts = countLineEnds(text)): Lines {
    const n = counts.crlf + counts.cr + counts.lf + 1;
    const start = new Int32Array(n), end = new Int32Array(n);
    let k = 0, s = 0;
    if (counts.crlf + counts.cr === 0) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) { start[k] = s; end[k++] = i; s = i + 1; }
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        start[k] = s; end[k++] = i;
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        s = i + 1;
      }
    }
    start[k] = s; end[k] = text.length;
    return new Lines(text, start, end);
  }
}

/** `Lines.of(text)` and which line endings occur. */
export function textLines(text: string): { lines: Lines; lineEnding: LineEnding } {
  const counts = countLineEnds(text);
  return { lines: Lines.of(text, counts), lineEnding: lineEndingOf(counts) };
}

/** Cells of one line: unquoted values plus each raw cell's [start, end) character span in the line. */
export interface Cells {
  values: string[];
  starts: number[];
  ends: number[];
  /** True for cells that were written in double quotes. */
  quoted: boolean[];
}

/**
 * Tokenizes one line. Double-quoted cells may contain the delimiter and `""` escapes; the span covers the
 * whole raw cell including its quotes. Linear time; no regular expressions. Quoted line breaks are not
 * supported (instrument exports do not write them): a line is always one record. `limit`: the first cells only (a
 * caller that reads one column need not split a line of a million delimiters).
 */
export function splitCells(line: string, delim: string, limit = Infinity): Cells {
  const values: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const quoted: boolean[] = [];
  const n = line.length;
  if (line.indexOf('"') < 0) {
    let s = 0;
    for (;;) {
      const d = line.indexOf(delim, s);
      const e = d < 0 ? n : d;
      values.push(line.slice(s, e)); starts.push(s); ends.push(e); quoted.push(false);
      if (d < 0 || values.length >= limit) break;
      s = d + delim.length;
    }
    return { values, starts, ends, quoted };
  }
  let s = 0;
  for (;;) {
    // Optional spaces before an opening quote are tolerated (Stratagene pads cells).
    let p = s;
    while (p < n && line.charCodeAt(p) === 32 && delim !== ' ') p++;
    if (p < n && line.charCodeAt(p) === 34) {
      // The closing quote is the first one not doubled; the value is what lies between, each "" read as ": one slice
      // and one copy (undoubleQuotes), not a string grown or a part made per doubled quote.
      let q = p + 1, close = -1;
      for (; q < n; q++) {
        if (line.charCodeAt(q) !== 34) continue;
        if (line.charCodeAt(q + 1) === 34) { q++; continue; }
        close = q; break;
      }
      const closed = close >= 0;
      const body = line.slice(p + 1, closed ? close : n);
      let v = undoubleQuotes(body);
      q = closed ? close + 1 : n;
      const d = line.indexOf(delim, q);
      const e = d < 0 ? n : d;
      if (closed && e > q) v += line.slice(q, e); // junk after the closing quote stays part of the value
      values.push(v); starts.push(s); ends.push(e); quoted.push(true);
      if (d < 0 || values.length >= limit) break;
      s = d + delim.length;
    } else {
      const d = line.indexOf(delim, s);
      const e = d < 0 ? n : d;
      values.push(line.slice(s, e)); starts.push(s); ends.push(e); quoted.push(false);
      if (d < 0 || values.length >= limit) break;
      s = d + delim.length;
    }
  }
  return { values, starts, ends, quoted };
}

/**
 * `s` with each `""` read as `"` (left to right, as `s.replace(/""/g, '"')`). Copied a UTF-16 unit at a time into one
 * array, not by a replace: a replace makes a part per match, and a hostile 30 MB cell of doubled quotes took 5 s and
 * 1.2 GB.
 */
export function undoubleQuotes(s: string): string {
  const first = s.indexOf('""');
  if (first < 0) return s;
  const out = new Uint16Array(s.length - first);
  let k = 0;
  for (let i = first; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[k++] = c;
    if (c === 34 && s.charCodeAt(i + 1) === 34) i++; // the second of a pair
  }
  return s.slice(0, first) + unitsText(out, k);
}

/** Lower-cases, maps homoglyphs (Cyrillic т → t, NBSP → space, ∆ → Δ) and collapses blanks: for header matching. */
export function normHeader(s: string): string {
  // One native replace, not a string grown a character at a time (a chain of one object per character: a hostile
  // 80 MB header cell took 20 s and 2.7 GB).
  return s.replace(HEADER_LOOKALIKES, (c) => HEADER_READ_AS[c]).toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Characters a header is read with another's meaning: Cyrillic т/Т and с/С in `Cт`, no-break space and tab, ∆. */
const HEADER_READ_AS: Record<string, string> = {
  '\u0442': 't', '\u0422': 't', '\u0441': 'c', '\u0421': 'c', '\u00a0': ' ', '\t': ' ', '\u2206': '\u0394',
};
const HEADER_LOOKALIKES = new RegExp(`[${Object.keys(HEADER_READ_AS).join('')}]`, 'g');

/** Guesses the delimiter of a header-like line: the one of tab, `;`, `,` giving the most fields. */
export function guessDelimiter(line: string): string {
  let best = ',', bestN = 0;
  for (const d of ['\t', ';', ',']) {
    const n = splitCells(line, d).values.length;
    if (n > bestN) { best = d; bestN = n; }
  }
  return best;
}

const DIGIT = (c: number) => c >= 48 && c <= 57;

/**
 * Parses a plain number where both `.` and `,` are accepted as the decimal mark (a Cq never has thousands
 * separators): `19.03`, `19,03`, `,04`, `-1`, `1.2E+03`. Returns NaN if the text is not exactly a number.
 */
export function parseDecimal(text: string): number {
  const t = text.trim();
  const n = t.length;
  if (n === 0) return NaN;
  let i = 0;
  const c0 = t.charCodeAt(0);
  if (c0 === 43 || c0 === 45) i++;
  let digits = 0, sep = -1;
  for (; i < n; i++) {
    const c = t.charCodeAt(i);
    if (DIGIT(c)) { digits++; continue; }
    if ((c === 46 || c === 44) && sep < 0) { sep = i; continue; }
    break;
  }
  if (digits === 0) return NaN;
  if (i < n) {
    const c = t.charCodeAt(i);
    if (c !== 69 && c !== 101) return NaN;
    i++;
    if (i < n && (t.charCodeAt(i) === 43 || t.charCodeAt(i) === 45)) i++;
    let ed = 0;
    for (; i < n; i++) { if (!DIGIT(t.charCodeAt(i))) return NaN; ed++; }
    if (ed === 0) return NaN;
  }
  return Number(sep >= 0 && t.charCodeAt(sep) === 44 ? t.slice(0, sep) + '.' + t.slice(sep + 1) : t);
}

/**
 * Parses a quantity-like number in the file's convention: thousands separators (`100,000,000.000` with a
 * dot decimal, `1.234,5` with a decimal comma) are removed only when they are in a well-formed pattern.
 */
export function parseLocaleNumber(text: string, decimal: '.' | ','): number {
  const t = text.trim();
  if (t === '') return NaN;
  const thousands = decimal === '.' ? ',' : '.';
  if (t.indexOf(thousands) >= 0) {
    const re = decimal === '.' ? /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/ : /^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$/;
    if (re.test(t)) return parseDecimal(t.split(thousands).join(''));
    if (decimal === ',') return NaN;
    // A single comma in a dot-decimal file that is not a thousands group (e.g. quoted "19,03"): a decimal comma.
    return parseDecimal(t);
  }
  return parseDecimal(t);
}

/** Whether character code `c` is printable ASCII other than space: `trim` never removes it. */
function isSolid(c: number): boolean {
  return c > 32 && c < 127;
}

/** Whether `trim` surely leaves `s[from, to)` as it is: not empty, and both ends printable ASCII (false when unsure). */
export function trimKeeps(s: string, from: number, to: number): boolean {
  return to > from && isSolid(s.charCodeAt(from)) && isSolid(s.charCodeAt(to - 1));
}

/** `s` without the trailing characters that are in `chars` (a loop: `/[,;\t]+$/` is quadratic on long runs). */
export function trimEndOf(s: string, chars: string): string {
  let e = s.length;
  while (e > 0 && chars.indexOf(s[e - 1]) >= 0) e--;
  return s.slice(0, e);
}

/**
 * `key SEP value` from `from` on, both sides trimmed (`* Block Type = 96-Well Block`, `# Instrument: QS5`), or
 * null without a separator. Linear; replaces `^\*\s*(.*?)\s*=\s?(.*)$`-style patterns, which backtrack
 * quadratically on long runs of blanks.
 */
export function keyValue(line: string, sep: string, from = 0): { key: string; value: string } | null {
  const i = line.indexOf(sep, from);
  if (i < 0) return null;
  return { key: line.slice(from, i).trim(), value: line.slice(i + sep.length).trim() };
}

/** File name stem: `plates/run1/miR-122.txt` → `miR-122`. */
export function fileStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}
