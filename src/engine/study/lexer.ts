/**
 * Lexer of the study language: exact 0-based ranges, `#` comments, names with `-` between letters/digits,
 * numbers with `%`, strings with the escapes `\"` and `\\` (a backslash before anything else stays), backtick
 * names, and logical lines (a line continues when it ends with `,` `+` `~` or inside parentheses — unless the
 * next line starts at column 0 with a statement keyword, so one unclosed parenthesis or dangling comma does not
 * swallow the following statements).
 */
import type { EngineDiagnostic, Range } from '../common/diagnostic';
import { STATEMENT_KEYWORDS } from './ast';

export type TokenKind = 'name' | 'bname' | 'number' | 'string' | 'op' | 'newline' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text (for strings and backtick names: including the quotes). */
  text: string;
  /** Unescaped string / backtick content; number value (95% → 0.95). */
  value?: string | number;
  percent?: boolean;
  /** 0-based offsets into the text, [start, end). */
  start: number;
  end: number;
  range: Range;
}

export interface LexResult {
  tokens: Token[];
  diagnostics: EngineDiagnostic[];
  /** Start offset of every physical line. */
  lineStarts: number[];
}

const OPS = ['==', '!=', '<=', '>=', '<', '>', '=', '+', '-', '*', '/', '^', '(', ')', ',', ':', '@', '~'];
const STATEMENT_SET = new Set(STATEMENT_KEYWORDS);
/** A number at `lastIndex` (sticky: no copy of the rest of the text per number). */
const NUMBER = /(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/y;

// ASCII first (one comparison per character of a long line), Unicode classes for the rest.
function asciiAlnum(c: string): boolean { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
function isLetter(c: string): boolean { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || (c > '\x7f' && /[\p{L}_]/u.test(c)); }
function isAlnum(c: string): boolean { return asciiAlnum(c) || (c > '\x7f' && /[\p{L}\p{N}]/u.test(c)); }
function isNameChar(c: string): boolean { return asciiAlnum(c) || c === '_' || c === '.' || (c > '\x7f' && /[\p{L}\p{N}_.]/u.test(c)); }
function isDigit(c: string): boolean { return c >= '0' && c <= '9'; }

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/** Offset → 0-based position (binary search over line starts; `\r` before `\n` counts as part of the line). */
export function positionAt(lineStarts: number[], offset: number): { line: number; character: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid; else hi = mid - 1;
  }
  return { line: lo, character: offset - lineStarts[lo] };
}

export function offsetAt(lineStarts: number[], text: string, pos: { line: number; character: number }): number {
  if (pos.line < 0) return 0;
  if (pos.line >= lineStarts.length) return text.length;
  const ls = lineStarts[pos.line];
  const le = pos.line + 1 < lineStarts.length ? lineStarts[pos.line + 1] - 1 : text.length;
  return Math.max(ls, Math.min(ls + Math.max(0, pos.character), le));
}

/** Matches a name at `i` (letters/digits/`_`/`.`, and `-` between two letters or digits); returns its end. */
export function scanName(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    if (j < text.length && isNameChar(text[j])) { j++; continue; }
    if (text[j] === '-' && j + 1 < text.length && isAlnum(text[j - 1]) && isAlnum(text[j + 1])) { j += 2; continue; }
    return j;
  }
}

export function lex(text: string, file?: string): LexResult {
  return new Lexer(text, file).run();
}

/** One pass over a study text: tokens, located syntax errors, and the logical-line rules of the module comment. */
class Lexer {
  private readonly lineStarts: number[];
  private readonly tokens: Token[] = [];
  private readonly diagnostics: EngineDiagnostic[] = [];
  /** Open parentheses on the logical line. */
  private depth = 0;
  // nextLineStartsStatement's last answer, kept for every line start from aheadFrom to aheadTo
  private aheadFrom = -1;
  private aheadTo = -1;
  private aheadResult = false;

  constructor(private readonly text: string, private readonly file: string | undefined) {
    this.lineStarts = lineStartsOf(text);
  }

  run(): LexResult {
    const text = this.text;
    let i = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff') { i++; continue; }
      if (c === '#') {
        while (i < text.length && text[i] !== '\n') i++;
        continue;
      }
      if (c === '\n') i = this.lineEnd(i);
      else if (c === '"') i = this.string(i);
      else if (c === '`') i = this.backtickName(i);
      else if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) i = this.number(i);
      else if (isLetter(c)) {
        const j = scanName(text, i);
        this.push('name', i, j, { value: text.slice(i, j) });
        i = j;
      } else i = this.opOrUnknown(i);
    }
    if (this.lastSignificant() !== undefined) this.push('newline', text.length, text.length);
    this.push('eof', text.length, text.length);
    return { tokens: this.tokens, diagnostics: this.diagnostics, lineStarts: this.lineStarts };
  }

  private range(s: number, e: number): Range { return { start: positionAt(this.lineStarts, s), end: positionAt(this.lineStarts, e) }; }

  private diag(s: number, e: number, message: string): void {
    const d: EngineDiagnostic = { code: 'study-syntax', severity: 'error', message, range: this.range(s, e) };
    if (this.file !== undefined) d.file = this.file;
    this.diagnostics.push(d);
  }

  private push(kind: TokenKind, s: number, e: number, extra?: Partial<Token>): void {
    this.tokens.push({ kind, text: this.text.slice(s, e), start: s, end: e, range: this.range(s, e), ...extra });
  }

  private lastSignificant(): Token | undefined {
    const t = this.tokens[this.tokens.length - 1];
    return t && t.kind !== 'newline' ? t : undefined;
  }

  /** A `\n` at `i`: the logical line continues (after `,` `+` `~` or inside parentheses) or ends with a newline token. */
  private lineEnd(i: number): number {
    const last = this.lastSignificant();
    const continues = last !== undefined && (this.depth > 0 || (last.kind === 'op' && (last.text === ',' || last.text === '+' || last.text === '~')));
    if (continues && !this.nextLineStartsStatement(i + 1) && !this.labelLineAhead(i + 1)) return i + 1;
    if (last !== undefined) this.push('newline', i, i);
    this.depth = 0;
    return i + 1;
  }

  /**
   * True when the next non-blank, non-comment line starts at column 0 with a statement keyword. The answer is kept
   * for every line start up to that line, so a run of blank or comment lines inside a continuation is scanned once
   * (not once per line: 20,000 blank lines after an open parenthesis took 20 s).
   */
  private nextLineStartsStatement(from: number): boolean {
    if (from >= this.aheadFrom && from <= this.aheadTo) return this.aheadResult;
    const text = this.text;
    let p = from;
    let result = false;
    for (;;) {
      const ls = p;
      let q = p;
      while (q < text.length && (text[q] === ' ' || text[q] === '\t' || text[q] === '\r')) q++;
      if (q >= text.length) { p = text.length; break; }
      if (text[q] === '\n' || text[q] === '#') {
        const nl = text.indexOf('\n', q);
        if (nl < 0) { p = text.length; break; }
        p = nl + 1;
        continue;
      }
      if (q !== ls || !isLetter(text[q])) break;
      const e = scanName(text, q);
      if (!STATEMENT_SET.has(text.slice(q, e))) break;
      // `NAME:` label lines also start a statement, but a keyword followed by `(` is a call.
      let r = e;
      while (r < text.length && (text[r] === ' ' || text[r] === '\t')) r++;
      result = text[r] !== '(' && text[r] !== '@';
      break;
    }
    this.aheadFrom = from;
    this.aheadTo = p;
    this.aheadResult = result;
    return result;
  }

  /** `label: analysis` at column 0 after a dangling comma. */
  private labelLineAhead(from: number): boolean {
    const text = this.text;
    let q = from;
    while (q < text.length && (text[q] === '\r')) q++;
    if (!isLetter(text[q] ?? '')) return false;
    const e = scanName(text, q);
    let r = e;
    while (r < text.length && (text[r] === ' ' || text[r] === '\t')) r++;
    if (text[r] !== ':') return false;
    r++;
    while (r < text.length && (text[r] === ' ' || text[r] === '\t')) r++;
    if (!isLetter(text[r] ?? '')) return false;
    return STATEMENT_SET.has(text.slice(r, scanName(text, r)));
  }

  /** A string from the `"` at `i` to its closing quote on the same line (an error when there is none). */
  private string(i: number): number {
    const text = this.text;
    let j = i + 1;
    let val = '';
    let closed = false;
    let seg = j; // plain text since the last escape is copied in one slice
    while (j < text.length && text[j] !== '\n') {
      // `\"` and `\\` are the only escapes; a backslash before anything else is kept as written (`"\d+"`).
      if (text[j] === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\')) {
        val += text.slice(seg, j) + text[j + 1];
        j += 2;
        seg = j;
        continue;
      }
      if (text[j] === '"') { closed = true; break; }
      j++;
    }
    val += text.slice(seg, j);
    if (closed) { this.push('string', i, j + 1, { value: val }); return j + 1; }
    let e = j;
    if (text[e - 1] === '\r') e--;
    this.diag(i, e, 'Unterminated string: add the closing `"`.');
    if (val.endsWith('\r')) val = val.slice(0, -1);
    this.push('string', i, e, { value: val });
    return j;
  }

  /** A backtick name from the `` ` `` at `i` (an error when unterminated on its line, or empty). */
  private backtickName(i: number): number {
    const text = this.text;
    const nl = text.indexOf('\n', i + 1);
    const close = text.indexOf('`', i + 1);
    if (close < 0 || (nl >= 0 && close > nl)) {
      let e = nl < 0 ? text.length : nl;
      if (text[e - 1] === '\r') e--;
      this.diag(i, e, 'Unterminated backtick name: add the closing `` ` ``.');
      this.push('bname', i, e, { value: text.slice(i + 1, e) });
      return e;
    }
    if (close === i + 1) this.diag(i, close + 1, 'Empty backtick name.');
    this.push('bname', i, close + 1, { value: text.slice(i + 1, close) });
    return close + 1;
  }

  /** A number at `i`, with `%` (95% → 0.95). */
  private number(i: number): number {
    const text = this.text;
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    let j = i + (m ? m[0].length : 1);
    let value = Number(text.slice(i, j));
    let percent = false;
    if (text[j] === '%') { percent = true; value = value / 100; j++; }
    this.push('number', i, j, { value, percent });
    return j;
  }

  /** An operator at `i` (parentheses counted), else one unexpected character (a surrogate pair counts as one). */
  private opOrUnknown(i: number): number {
    const text = this.text, c = text[i];
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      if (op === '(') this.depth++;
      else if (op === ')' && this.depth > 0) this.depth--;
      this.push('op', i, i + op.length);
      return i + op.length;
    }
    const cp = text.codePointAt(i) ?? 0;
    const w = cp > 0xffff ? 2 : 1;
    this.diag(i, i + w, `Unexpected character \`${text.slice(i, i + w)}\`${c === '!' ? ' (did you mean `!=` or `not`?)' : c === '&' ? ' (use `and`)' : c === '|' ? ' (use `or`)' : ''}.`);
    return i + w;
  }
}
