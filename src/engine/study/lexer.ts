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
  const lineStarts = lineStartsOf(text);
  const tokens: Token[] = [];
  const diagnostics: EngineDiagnostic[] = [];
  const range = (s: number, e: number): Range => ({ start: positionAt(lineStarts, s), end: positionAt(lineStarts, e) });
  const diag = (s: number, e: number, message: string) => {
    const d: EngineDiagnostic = { code: 'study-syntax', severity: 'error', message, range: range(s, e) };
    if (file !== undefined) d.file = file;
    diagnostics.push(d);
  };
  const push = (kind: TokenKind, s: number, e: number, extra?: Partial<Token>) => {
    tokens.push({ kind, text: text.slice(s, e), start: s, end: e, range: range(s, e), ...extra });
  };
  let depth = 0;
  const lastSignificant = (): Token | undefined => {
    const t = tokens[tokens.length - 1];
    return t && t.kind !== 'newline' ? t : undefined;
  };
  /**
   * True when the next non-blank, non-comment line starts at column 0 with a statement keyword. The answer is kept
   * for every line start up to that line, so a run of blank or comment lines inside a continuation is scanned once
   * (not once per line: 20,000 blank lines after an open parenthesis took 20 s).
   */
  let aheadFrom = -1;
  let aheadTo = -1;
  let aheadResult = false;
  const nextLineStartsStatement = (from: number): boolean => {
    if (from >= aheadFrom && from <= aheadTo) return aheadResult;
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
    aheadFrom = from;
    aheadTo = p;
    aheadResult = result;
    return result;
  };
  const labelLineAhead = (from: number): boolean => {
    // `label: analysis` at column 0 after a dangling comma
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
  };

  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff') { i++; continue; }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '\n') {
      const last = lastSignificant();
      const continues = last !== undefined && (depth > 0 || (last.kind === 'op' && (last.text === ',' || last.text === '+' || last.text === '~')));
      if (continues && !nextLineStartsStatement(i + 1) && !labelLineAhead(i + 1)) { i++; continue; }
      if (last !== undefined) push('newline', i, i);
      depth = 0;
      i++;
      continue;
    }
    if (c === '"') {
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
      if (closed) j++;
      if (!closed) {
        let e = j;
        if (text[e - 1] === '\r') e--;
        diag(i, e, 'Unterminated string: add the closing `"`.');
        if (val.endsWith('\r')) val = val.slice(0, -1);
        push('string', i, e, { value: val });
      } else push('string', i, j, { value: val });
      i = j;
      continue;
    }
    if (c === '`') {
      const nl = text.indexOf('\n', i + 1);
      const close = text.indexOf('`', i + 1);
      if (close < 0 || (nl >= 0 && close > nl)) {
        let e = nl < 0 ? text.length : nl;
        if (text[e - 1] === '\r') e--;
        diag(i, e, 'Unterminated backtick name: add the closing `` ` ``.');
        push('bname', i, e, { value: text.slice(i + 1, e) });
        i = e;
      } else {
        if (close === i + 1) diag(i, close + 1, 'Empty backtick name.');
        push('bname', i, close + 1, { value: text.slice(i + 1, close) });
        i = close + 1;
      }
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      let j = i + (m ? m[0].length : 1);
      let value = Number(text.slice(i, j));
      let percent = false;
      if (text[j] === '%') { percent = true; value = value / 100; j++; }
      push('number', i, j, { value, percent });
      i = j;
      continue;
    }
    if (isLetter(c)) {
      const j = scanName(text, i);
      push('name', i, j, { value: text.slice(i, j) });
      i = j;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      if (op === '(') depth++;
      else if (op === ')' && depth > 0) depth--;
      push('op', i, i + op.length);
      i += op.length;
      continue;
    }
    // unknown character (a whole surrogate pair counts as one)
    const cp = text.codePointAt(i) ?? 0;
    const w = cp > 0xffff ? 2 : 1;
    diag(i, i + w, `Unexpected character \`${text.slice(i, i + w)}\`${c === '!' ? ' (did you mean `!=` or `not`?)' : c === '&' ? ' (use `and`)' : c === '|' ? ' (use `or`)' : ''}.`);
    i += w;
  }
  if (lastSignificant() !== undefined) push('newline', text.length, text.length);
  push('eof', text.length, text.length);
  return { tokens, diagnostics, lineStarts };
}
